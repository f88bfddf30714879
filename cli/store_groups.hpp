#pragma once
// Which store and which groups a command works on, checked before anything is opened so that
// errors name the path the user typed.
#include <optional>
#include <string>
#include <vector>

namespace asebytes::cli {

/// Throws asebytes::Error naming `path` when no backend serves it or, for a file path (not a
/// URI), when nothing exists there.
void require_existing_store(const std::string& path);

/// `group` alone when given, else every group stored at `path` (list_groups order).
std::vector<std::string> groups_to_visit(const std::string& path, const std::optional<std::string>& group);

/// True when both paths name the same file or directory on disk.
bool same_store(const std::string& a, const std::string& b);

} // namespace asebytes::cli
