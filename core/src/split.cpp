#include "asebytes/split.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "asebytes/row_chunks.hpp"
#include "asebytes/select.hpp"

namespace asebytes {
namespace {

constexpr double kSlack = 1e-9; // fractions written as decimals may sum to 1 + rounding

// A uniform integer in [0, n) from mt19937_64's standardised output, by rejection (no
// implementation-defined distribution), so shuffles agree across platforms.
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x;
    do
        x = rng();
    while (x >= limit);
    return x % n;
}

// How many of `total` rows each part gets; the parts' boundaries are rounded cumulative
// fractions, so fractions summing to 1 cover every row.
std::vector<std::size_t> part_sizes(const std::vector<SplitPart>& parts, std::size_t total) {
    std::vector<std::size_t> sizes;
    if (parts.front().count) {
        std::size_t sum = 0;
        for (const auto& p : parts)
            sum += *p.count;
        if (sum > total)
            throw Error("split asks for " + std::to_string(sum) + " rows but only " + std::to_string(total) +
                        " were selected");
        for (const auto& p : parts)
            sizes.push_back(*p.count);
        return sizes;
    }
    double cumulative = 0;
    std::size_t previous = 0;
    for (const auto& p : parts) {
        cumulative = std::min(1.0, cumulative + *p.fraction);
        const auto boundary = static_cast<std::size_t>(std::llround(cumulative * static_cast<double>(total)));
        sizes.push_back(boundary - previous);
        previous = boundary;
    }
    return sizes;
}

SplitResult cut(const std::vector<SplitPart>& parts, const Indices& order,
                const std::vector<std::size_t>& sizes) {
    SplitResult out;
    std::size_t at = 0;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        Indices part(order.begin() + static_cast<std::ptrdiff_t>(at),
                     order.begin() + static_cast<std::ptrdiff_t>(at + sizes[k]));
        std::sort(part.begin(), part.end());
        out.emplace_back(parts[k].name, std::move(part));
        at += sizes[k];
    }
    return out;
}

// The group of each row (its value of `key`; rows without it are groups of their own).
std::vector<std::string> group_labels(ObjectReadBackend& source, const Indices& rows, const std::string& key,
                                      std::size_t chunk) {
    std::vector<std::string> labels;
    labels.reserve(rows.size());
    for (std::size_t start = 0; start < rows.size(); start += chunk) {
        const Indices part(rows.begin() + static_cast<std::ptrdiff_t>(start),
                           rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), start + chunk)));
        const auto values = source.get_column(key, part);
        for (std::size_t j = 0; j < part.size(); ++j)
            labels.push_back(values[j] ? canonical_key(*values[j]) : "row:" + std::to_string(part[j]));
    }
    return labels;
}

// Whole groups in (shuffled) group order; a group goes to the part in which its first row
// would fall if rows were cut one by one.
SplitResult cut_groups(const std::vector<SplitPart>& parts, const Indices& rows,
                       const std::vector<std::string>& labels, const std::vector<std::size_t>& sizes,
                       const std::optional<std::uint64_t>& seed) {
    std::vector<std::string> order;
    std::unordered_map<std::string, Indices> members;
    for (std::size_t j = 0; j < rows.size(); ++j) {
        auto [it, fresh] = members.try_emplace(labels[j]);
        if (fresh) order.push_back(labels[j]);
        it->second.push_back(rows[j]);
    }
    if (seed) {
        Indices positions(order.size());
        for (std::size_t g = 0; g < positions.size(); ++g)
            positions[g] = g;
        positions = shuffled(std::move(positions), *seed);
        std::vector<std::string> reordered;
        for (auto g : positions)
            reordered.push_back(order[g]);
        order = std::move(reordered);
    }
    std::vector<std::size_t> ends;
    std::size_t cumulative = 0;
    for (auto s : sizes)
        ends.push_back(cumulative += s);
    SplitResult out;
    for (const auto& p : parts)
        out.emplace_back(p.name, Indices());
    std::size_t placed = 0;
    for (const auto& label : order) {
        const auto k =
            static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end(), placed) - ends.begin());
        if (k == parts.size()) break; // past the last part: fractions summing to less than 1
        const Indices& group = members[label];
        out[k].second.insert(out[k].second.end(), group.begin(), group.end());
        placed += group.size();
    }
    for (auto& part : out)
        std::sort(part.second.begin(), part.second.end());
    return out;
}

} // namespace

std::vector<SplitPart> parse_split(const std::string& text) {
    std::vector<SplitPart> parts;
    std::set<std::string> names;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        start = comma + 1;
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
            throw Error("bad split '" + text +
                        "': expected NAME=FRACTION or NAME=COUNT, e.g. train=0.8,valid=0.1,test=0.1");
        SplitPart part;
        part.name = item.substr(0, eq);
        const std::string value = item.substr(eq + 1);
        if (!names.insert(part.name).second)
            throw Error("bad split '" + text + "': part '" + part.name + "' twice");
        char* end = nullptr;
        const double x = std::strtod(value.c_str(), &end);
        if (end != value.c_str() + value.size() || !(x >= 0) || std::isinf(x))
            throw Error("bad split '" + text + "': '" + value + "' for part '" + part.name +
                        "' is not a non-negative number");
        const bool is_count = value.find_first_of(".eE") == std::string::npos && x >= 1;
        if (is_count)
            part.count = static_cast<std::size_t>(x);
        else
            part.fraction = x;
        parts.push_back(std::move(part));
    }
    const bool counts = parts.front().count.has_value();
    double sum = 0;
    for (const auto& p : parts) {
        if (p.count.has_value() != counts)
            throw Error("bad split '" + text +
                        "': give every part as a fraction (0.8) or every part as a count (800)");
        if (p.fraction) sum += *p.fraction;
    }
    if (sum > 1 + kSlack)
        throw Error("bad split '" + text + "': the fractions add up to " + std::to_string(sum) + " > 1");
    return parts;
}

Indices shuffled(Indices rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (std::size_t i = rows.size(); i > 1; --i)
        std::swap(rows[i - 1], rows[uniform_below(rng, i)]);
    return rows;
}

SplitResult split_rows(ObjectReadBackend& source, const Indices& rows, const std::vector<SplitPart>& parts,
                       const SplitOptions& options) {
    if (parts.empty()) throw Error("a split needs at least one part");
    const auto sizes = part_sizes(parts, rows.size());
    if (options.group_by) {
        const auto labels =
            group_labels(source, rows, *options.group_by, std::max<std::size_t>(options.chunk_size, 1));
        return cut_groups(parts, rows, labels, sizes, options.seed);
    }
    return cut(parts, options.seed ? shuffled(rows, *options.seed) : rows, sizes);
}

std::size_t copy_rows(ObjectReadBackend& source, const Indices& rows, ObjectReadWriteBackend& target,
                      std::size_t chunk_size, const std::function<void(std::size_t, std::size_t)>& progress) {
    ChunkLimits limits;
    limits.max_rows = chunk_size;
    std::size_t written = 0;
    std::size_t copied = 0;
    for_each_chunk(source, rows, std::nullopt, limits, [&](const Indices& chunk, auto& batch) {
        batch.erase(std::remove_if(batch.begin(), batch.end(), [](const auto& r) { return !r; }),
                    batch.end());
        if (!batch.empty()) target.extend(batch);
        written += batch.size();
        copied += chunk.size();
        if (progress) progress(copied, rows.size());
    });
    return written;
}

} // namespace asebytes
