#include "asebytes/select.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <unordered_set>

#include "asebytes/codec.hpp"
#include "asebytes/elements.hpp"
#include "asebytes/row_chunks.hpp"

namespace asebytes {
namespace {

// A number stored any way Python may have stored it: int, float, numpy scalar, 1-element array.
std::optional<double> number_of(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Int:
    case Value::Kind::UInt:
    case Value::Kind::Float:
        return v.as_double();
    case Value::Kind::Array: {
        const NdArray& a = v.as_array();
        if (a.size() != 1 || a.dtype() == DType::Bool || a.dtype() == DType::Other ||
            a.dtype() == DType::Complex64 || a.dtype() == DType::Complex128)
            return std::nullopt;
        return a.to_vector<double>()[0];
    }
    default:
        return std::nullopt;
    }
}

const Value* field(const Row& row, const std::string& key) {
    auto it = row.find(key);
    return it == row.end() ? nullptr : &it->second;
}

std::optional<std::vector<std::int64_t>> numbers_of(const Row& row) {
    const Value* v = field(row, "arrays.numbers");
    if (!v || !v->is_array()) return std::nullopt;
    return v->as_array().to_vector<std::int64_t>();
}

std::string range_text(const Range& r) {
    auto bound = [](const std::optional<double>& b, const char* open) {
        if (!b) return std::string(open);
        std::string s = std::to_string(*b);
        return s;
    };
    return "[" + bound(r.min, "-inf") + ", " + bound(r.max, "inf") + "]";
}

std::string symbols_text(const std::vector<int>& numbers) {
    std::string out;
    for (int z : numbers)
        out += (out.empty() ? "" : ",") + std::string(element_symbol(z));
    return out;
}

[[noreturn]] void bad_filter(const std::string& expression, const std::string& why) {
    throw Error("bad filter '" + expression + "': " + why +
                ". Filters: energy_per_atom=MIN:MAX, max_force=MIN:MAX, natoms=MIN:MAX, species=Cu,Al, "
                "only_species=Cu,Al, KEY=VALUE, KEY=MIN:MAX (e.g. info.config_type=bulk)");
}

std::optional<double> parse_bound(const std::string& text, const std::string& expression) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) bad_filter(expression, "'" + text + "' is not a number");
    return d;
}

Range parse_range(const std::string& text, const std::string& expression) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) bad_filter(expression, "expected MIN:MAX (either may be empty)");
    Range r{parse_bound(text.substr(0, colon), expression), parse_bound(text.substr(colon + 1), expression)};
    if (r.min && r.max && *r.min > *r.max) bad_filter(expression, "MIN is larger than MAX");
    return r;
}

std::vector<int> parse_species(const std::string& text, const std::string& expression) {
    std::vector<int> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const std::string symbol = text.substr(start, comma - start);
        const int z = atomic_number(symbol);
        if (z == 0) bad_filter(expression, "'" + symbol + "' is not a chemical symbol");
        out.push_back(z);
        start = comma + 1;
    }
    return out;
}

// A command-line value: a number, T/F or true/false, or a string.
Value parse_value(const std::string& text) {
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) return d;
    if (text == "T" || text == "true" || text == "True") return true;
    if (text == "F" || text == "false" || text == "False") return false;
    return text;
}

} // namespace

std::string canonical_key(const Value& v) {
    if (auto d = number_of(v)) {
        char buf[40];
        std::snprintf(buf, sizeof(buf), "n:%.17g", *d);
        return buf;
    }
    if (v.kind() == Value::Kind::String) return "s:" + v.as_string();
    return "v:" + encode(v);
}

namespace filters {

RowFilter energy_per_atom(Range range) {
    return {"energy_per_atom in " + range_text(range),
            {"calc.energy", "arrays.numbers"},
            [range](const Row& row) {
                const Value* e = field(row, "calc.energy");
                const auto numbers = numbers_of(row);
                const auto energy = e ? number_of(*e) : std::nullopt;
                if (!energy || !numbers || numbers->empty()) return false;
                return range.contains(*energy / static_cast<double>(numbers->size()));
            }};
}

RowFilter max_force(Range range) {
    return {"max_force in " + range_text(range), {"calc.forces"}, [range](const Row& row) {
                const Value* f = field(row, "calc.forces");
                if (!f || !f->is_array()) return false;
                const auto forces = f->as_array().to_vector<double>();
                double largest = 0.0;
                for (std::size_t i = 0; i + 2 < forces.size(); i += 3)
                    largest =
                        std::max(largest, std::sqrt(forces[i] * forces[i] + forces[i + 1] * forces[i + 1] +
                                                    forces[i + 2] * forces[i + 2]));
                return range.contains(largest);
            }};
}

RowFilter atom_count(Range range) {
    return {"natoms in " + range_text(range), {"arrays.numbers"}, [range](const Row& row) {
                const auto numbers = numbers_of(row);
                return numbers && range.contains(static_cast<double>(numbers->size()));
            }};
}

RowFilter species_present(std::vector<int> wanted) {
    return {"species " + symbols_text(wanted) + " present", {"arrays.numbers"}, [wanted](const Row& row) {
                const auto numbers = numbers_of(row);
                if (!numbers) return false;
                const std::set<std::int64_t> have(numbers->begin(), numbers->end());
                return std::all_of(wanted.begin(), wanted.end(), [&](int z) { return have.count(z) > 0; });
            }};
}

RowFilter species_only(std::vector<int> allowed) {
    return {"only species " + symbols_text(allowed), {"arrays.numbers"}, [allowed](const Row& row) {
                const auto numbers = numbers_of(row);
                if (!numbers) return false;
                const std::set<std::int64_t> ok(allowed.begin(), allowed.end());
                return std::all_of(numbers->begin(), numbers->end(),
                                   [&](std::int64_t z) { return ok.count(z) > 0; });
            }};
}

RowFilter equals(const std::string& key, const Value& value) {
    const std::string want = canonical_key(value);
    return {key + " == " + (value.kind() == Value::Kind::String ? value.as_string() : want.substr(2)),
            {key},
            [key, want](const Row& row) {
                const Value* v = field(row, key);
                return v && canonical_key(*v) == want;
            }};
}

RowFilter in_range(const std::string& key, Range range) {
    return {key + " in " + range_text(range), {key}, [key, range](const Row& row) {
                const Value* v = field(row, key);
                const auto x = v ? number_of(*v) : std::nullopt;
                return x && range.contains(*x);
            }};
}

} // namespace filters

RowFilter parse_filter(const std::string& expression) {
    const auto eq = expression.find('=');
    if (eq == std::string::npos || eq == 0) bad_filter(expression, "expected NAME=VALUE");
    const std::string name = expression.substr(0, eq);
    const std::string value = expression.substr(eq + 1);
    if (value.empty()) bad_filter(expression, "no value after '='");
    if (name == "energy_per_atom") return filters::energy_per_atom(parse_range(value, expression));
    if (name == "max_force") return filters::max_force(parse_range(value, expression));
    if (name == "natoms") return filters::atom_count(parse_range(value, expression));
    if (name == "species") return filters::species_present(parse_species(value, expression));
    if (name == "only_species") return filters::species_only(parse_species(value, expression));
    const bool flat_key = name == "cell" || name == "pbc" || name.rfind("info.", 0) == 0 ||
                          name.rfind("calc.", 0) == 0 || name.rfind("arrays.", 0) == 0;
    if (!flat_key) bad_filter(expression, "unknown filter '" + name + "'");
    if (value.find(':') != std::string::npos) return filters::in_range(name, parse_range(value, expression));
    return filters::equals(name, parse_value(value));
}

Selector::Selector(std::shared_ptr<ObjectReadBackend> source) : source_(std::move(source)) {
    if (!source_) throw Error("Selector needs a store");
}

Selector& Selector::where(RowFilter filter) {
    filters_.push_back(std::move(filter));
    return *this;
}

Selector& Selector::positions(const Slice& slice) {
    slice_ = slice;
    return *this;
}

Selector& Selector::drop_duplicates(std::string key) {
    unique_key_ = std::move(key);
    return *this;
}

Selector& Selector::chunk_size(std::size_t rows) {
    chunk_ = std::max<std::size_t>(rows, 1);
    return *this;
}

Selector& Selector::on_progress(Progress progress) {
    progress_ = std::move(progress);
    return *this;
}

Indices Selector::run(Keys* never_seen) const {
    Indices candidates = slice_.resolve(source_->size());
    std::sort(candidates.begin(), candidates.end());
    Keys keys;
    for (const auto& f : filters_)
        for (const auto& k : f.keys)
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    if (unique_key_ && std::find(keys.begin(), keys.end(), *unique_key_) == keys.end())
        keys.push_back(*unique_key_);
    if (never_seen) never_seen->clear();
    if (keys.empty()) return candidates; // nothing to read

    Indices selected;
    std::unordered_set<std::string> seen;
    std::set<std::string> missing(keys.begin(), keys.end());
    ChunkLimits limits;
    limits.max_rows = chunk_;
    std::size_t examined = 0;
    for_each_chunk(*source_, candidates, keys, limits, [&](const Indices& chunk, const auto& rows) {
        for (std::size_t j = 0; j < chunk.size(); ++j) {
            if (!rows[j]) continue; // a placeholder holds no frame
            const Row& row = *rows[j];
            for (const auto& [key, value] : row)
                missing.erase(key);
            if (!std::all_of(filters_.begin(), filters_.end(),
                             [&](const RowFilter& f) { return f.test(row); }))
                continue;
            if (unique_key_) {
                const Value* v = field(row, *unique_key_);
                if (v && !seen.insert(canonical_key(*v)).second) continue;
            }
            selected.push_back(chunk[j]);
        }
        examined += chunk.size();
        if (progress_) progress_(examined, candidates.size());
    });
    if (never_seen) never_seen->assign(missing.begin(), missing.end());
    return selected;
}

} // namespace asebytes
