#include "fresh_store.hpp"

#include <atomic>
#include <stdexcept>

#include "redis_server.hpp"

namespace asebytes::test {

std::string fresh_store(const BackendMetadata& backend, const fs::path& dir) {
    static std::atomic<int> n{0};
    const std::string name = "fresh-" + std::to_string(n++);
    if (!backend.extensions.empty()) return (dir / (name + backend.extensions.front())).string();
    if (backend.scheme == "memory") return "memory://" + name;
    if (backend.scheme == "redis") return test_redis_server().fresh_uri();
    throw std::logic_error("fresh_store: no way to make a store of backend " + backend.name);
}

} // namespace asebytes::test
