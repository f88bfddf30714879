#include "asebytes/io.hpp"

namespace asebytes {

bool is_atoms_key(const std::string& key) {
    if (key == "cell" || key == "pbc" || key == "constraints") return true;
    for (const char* p : {"arrays.", "calc.", "info."}) {
        const std::string prefix(p);
        if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
}

void AtomsIO::update(std::int64_t i, const Row& fields) {
    for (const auto& kv : fields)
        if (!is_atoms_key(kv.first))
            throw KeyError("invalid key '" + kv.first +
                           "': keys must start with arrays., calc. or info., or be cell, pbc or constraints");
    BasicIO::update(i, fields);
}

Row AtomsIO::prefixed(const std::string& prefix, const Row& fields) {
    Row out;
    for (const auto& [k, v] : fields)
        out[prefix + k] = v;
    return out;
}

} // namespace asebytes
