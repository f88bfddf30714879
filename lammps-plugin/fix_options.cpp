#include "fix_options.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "asebytes/elements.hpp"

namespace asebytes::lammps {
namespace {

std::int64_t parse_count(const std::string& what, const std::string& text, std::int64_t min) {
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || v < min)
        throw OptionError(what + " must be an integer >= " + std::to_string(min) + ", got '" + text + "'");
    return v;
}

bool valid_source(const std::string& s) {
    if (s.size() < 3 || s[1] != '_') return false;
    const char p = s[0];
    if (p == 'v' || p == 'i' || p == 'd') return s.find('[') == std::string::npos;
    if (p != 'c' && p != 'f') return false;
    const auto open = s.find('[');
    if (open == std::string::npos) return true;
    if (s.back() != ']' || open == 2) return false;
    const std::string index = s.substr(open + 1, s.size() - open - 2);
    return !index.empty() && std::all_of(index.begin(), index.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    }) && std::stol(index) >= 1;
}

bool valid_key(const std::string& k) {
    return !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

// Reads the values of one keyword; every missing value is an error naming the keyword.
class ArgCursor {
public:
    explicit ArgCursor(const std::vector<std::string>& args) : args_(args) {}
    bool done() const { return pos_ >= args_.size(); }
    const std::string& next_keyword() { return args_[pos_++]; }
    const std::string& value(const std::string& keyword, const char* what = "a value") {
        if (pos_ >= args_.size()) throw OptionError("keyword '" + keyword + "' needs " + what);
        return args_[pos_++];
    }

private:
    const std::vector<std::string>& args_;
    std::size_t pos_ = 2;
};

} // namespace

bool parse_yes_no(const std::string& keyword, const std::string& v) {
    if (v == "yes" || v == "on" || v == "true" || v == "1") return true;
    if (v == "no" || v == "off" || v == "false" || v == "0") return false;
    throw OptionError("keyword '" + keyword + "' expects yes or no, got '" + v + "'");
}

std::optional<std::size_t> parse_bytes(const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    std::string unit = text.substr(used);
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::toupper(c); });
    if (unit.size() == 2 && unit[1] == 'B') unit.pop_back();
    double scale = 1;
    if (unit == "K")
        scale = 1024.0;
    else if (unit == "M")
        scale = 1024.0 * 1024;
    else if (unit == "G")
        scale = 1024.0 * 1024 * 1024;
    else if (!unit.empty() && unit != "B")
        return std::nullopt;
    if (v <= 0) return std::nullopt;
    return static_cast<std::size_t>(v * scale);
}

FixOptions FixOptions::parse(const std::vector<std::string>& args, int ntypes) {
    if (args.size() < 2)
        throw OptionError("needs N and a store: fix ID group asebytes N store [keyword value ...]");
    FixOptions o;
    o.every = static_cast<int>(parse_count("N", args[0], 1));
    o.store = args[1];
    ArgCursor cur(args);
    while (!cur.done()) {
        const std::string kw = cur.next_keyword();
        if (kw == "elements") {
            for (int t = 1; t <= ntypes; ++t) {
                const std::string& sym =
                    cur.value(kw, ("one element per atom type (" + std::to_string(ntypes) + ")").c_str());
                if (!atomic_number(sym))
                    throw OptionError("keyword 'elements': unknown element '" + sym + "' for atom type " +
                                      std::to_string(t));
                o.elements.push_back(sym);
            }
        } else if (kw == "labels") {
            const std::string& v = cur.value(kw, "potential or total");
            if (v != "potential" && v != "total")
                throw OptionError("keyword 'labels' expects potential or total, got '" + v + "'");
            o.potential_labels = v == "potential";
        } else if (kw == "energy") {
            const std::string& v = cur.value(kw, "yes, no or c_ID");
            if (v.rfind("c_", 0) == 0) {
                o.energy = true;
                o.pe_compute = v.substr(2);
            } else {
                o.energy = parse_yes_no(kw, v);
            }
        } else if (kw == "stress") {
            const std::string& v = cur.value(kw, "yes, no, virial or total");
            if (v == "virial" || v == "total") {
                o.stress = true;
                o.kinetic_stress = v == "total";
            } else {
                o.stress = parse_yes_no(kw, v);
            }
        } else if (kw == "forces") {
            o.forces = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "velocities") {
            o.velocities = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "peratom_energy") {
            o.peratom_energy = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "charges") {
            o.charges = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "array" || kw == "info") {
            const std::string& key = cur.value(kw, "a KEY and a source");
            const std::string& source = cur.value(kw, "a KEY and a source");
            if (!valid_key(key)) throw OptionError("keyword '" + kw + "': invalid key '" + key + "'");
            if (!valid_source(source) || (kw == "info" && (source[0] == 'i' || source[0] == 'd')))
                throw OptionError("keyword '" + kw + "': invalid source '" + source +
                                  "' (use c_ID, c_ID[i], f_ID, f_ID[i], v_name" +
                                  (kw == "array" ? ", i_name or d_name)" : ")"));
            (kw == "array" ? o.arrays : o.infos).push_back({key, source});
        } else if (kw == "if") {
            const std::string& v = cur.value(kw, "v_name");
            if (v.rfind("v_", 0) != 0 || v.size() < 3)
                throw OptionError("keyword 'if' expects v_name, got '" + v + "'");
            o.if_variable = v.substr(2);
        } else if (kw == "units") {
            const std::string& v = cur.value(kw, "ase or native");
            if (v != "ase" && v != "native")
                throw OptionError("keyword 'units' expects ase or native, got '" + v + "'");
            o.ase_units = v == "ase";
        } else if (kw == "append") {
            o.append = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "overwrite") {
            o.overwrite = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "store_group") {
            o.store_group = cur.value(kw, "a group name");
        } else if (kw == "buffer") {
            const std::string& v = cur.value(kw, "a frame count or a size such as 64M");
            if (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c));
                })) {
                o.buffer_frames = static_cast<std::size_t>(parse_count("keyword 'buffer'", v, 1));
            } else if (auto bytes = parse_bytes(v)) {
                o.buffer_bytes = *bytes;
            } else {
                throw OptionError("keyword 'buffer' expects a frame count or a size such as 64M, got '" + v +
                                  "'");
            }
        } else if (kw == "flush") {
            o.flush_every = parse_count("keyword 'flush'", cur.value(kw, "a number of steps"), 0);
        } else if (kw == "flushlog") {
            o.flush_log = cur.value(kw, "a file path");
        } else if (kw == "parallel") {
            o.parallel = parse_yes_no(kw, cur.value(kw));
        } else if (kw == "option") {
            const std::string& name = cur.value(kw, "a NAME and a VALUE");
            o.backend_options[name] = cur.value(kw, "a NAME and a VALUE");
        } else {
            throw OptionError("unknown keyword '" + kw + "'");
        }
    }
    if (o.append && o.overwrite)
        throw OptionError("keywords 'append yes' and 'overwrite yes' exclude each other");
    return o;
}

} // namespace asebytes::lammps
