#include "read_everything.hpp"

#include <optional>
#include <vector>

#include "asebytes/error.hpp"
#include "asebytes/frame.hpp"
#include "asebytes/registry.hpp"

namespace asebytes::test {

namespace {

// A row that decodes but is no frame is named as `asebytes verify` names it.
void check_frame(const Row& row, const std::string& path, const std::optional<std::string>& group,
                 std::size_t i) {
    try {
        Frame::from_row(row);
    } catch (const Error& e) {
        throw CorruptDataError(path + ": group '" + group.value_or("(default)") + "', row " +
                               std::to_string(i) + " is bad: " + e.what());
    }
}

} // namespace

std::size_t read_everything(const std::string& path) {
    std::vector<std::optional<std::string>> groups;
    for (const auto& g : list_groups(path))
        groups.emplace_back(g);
    if (groups.empty()) groups.emplace_back(std::nullopt);
    std::size_t rows = 0;
    for (const auto& group : groups) {
        OpenOptions options;
        options.group = group;
        options.readonly = true;
        auto backend = open_object_backend(path, options);
        Indices all(backend->size());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = i;
        const auto read = backend->get_many(all);
        for (std::size_t i = 0; i < read.size(); ++i)
            if (read[i] && read[i]->count("arrays.numbers")) check_frame(*read[i], path, group, i);
        rows += all.size();
    }
    return rows;
}

} // namespace asebytes::test
