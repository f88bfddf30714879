#include "asebytes/backends/memory.hpp"

#include <mutex>

#include "asebytes/adapters.hpp"

namespace asebytes {
namespace {

using Rows = std::vector<std::optional<Row>>;

// Process-wide storage: store name -> group -> rows (Python keeps one such dict per process).
struct Storage {
    std::mutex mutex;
    std::map<std::string, std::map<std::string, Rows>> stores;
};

Storage& storage() {
    static Storage s;
    return s;
}

std::string name_of(const std::string& uri) {
    const std::string scheme = "memory://";
    return uri.compare(0, scheme.size(), scheme) == 0 ? uri.substr(scheme.size()) : uri;
}

std::optional<Row> select(const std::optional<Row>& row, const std::optional<Keys>& keys) {
    if (!row || !keys) return row;
    Row out;
    for (const auto& k : *keys) {
        auto it = row->find(k);
        if (it != row->end()) out.emplace(k, it->second);
    }
    return out;
}

} // namespace

// Runs f on this group's rows under the storage lock (creating the group if needed).
template <class F> auto MemoryBackend::with_rows(F&& f) const {
    std::lock_guard<std::mutex> lock(storage().mutex);
    return f(storage().stores[name_][group_]);
}

const BackendMetadata& MemoryBackend::describe() {
    static const BackendMetadata m = [] {
        BackendMetadata d;
        d.name = "memory";
        d.description = "rows kept in this process (testing, scratch space)";
        d.scheme = "memory";
        d.native_tier = Tier::Object;
        d.persistent = false;
        d.storage = asebytes::Storage::None;
        return d;
    }();
    return m;
}

BackendEntry MemoryBackend::entry() {
    BackendEntry e;
    e.metadata = &describe();
    e.open_object = [](const std::string& uri,
                       const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        OptionReader(options, "memory").finish();
        auto backend = std::make_shared<MemoryBackend>(uri, options.group.value_or(describe().default_group));
        return backend;
    };
    e.list_groups = &MemoryBackend::list_groups;
    return e;
}

std::vector<std::string> MemoryBackend::list_groups(const std::string& uri) {
    std::lock_guard<std::mutex> lock(storage().mutex);
    std::vector<std::string> out;
    auto it = storage().stores.find(name_of(uri));
    if (it != storage().stores.end())
        for (const auto& kv : it->second)
            out.push_back(kv.first);
    return out;
}

MemoryBackend::MemoryBackend(const std::string& uri, const std::string& group)
    : name_(name_of(uri)), group_(group) {
    with_rows([](Rows&) { return 0; }); // creates the group, so list_groups sees it
}

std::string MemoryBackend::location() const { return "memory://" + name_ + ", group '" + group_ + "'"; }

std::size_t MemoryBackend::size() {
    return with_rows([](Rows& rows) { return rows.size(); });
}

MemoryBackend::MaybeRow MemoryBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    check_index(index);
    return with_rows([&](Rows& rows) { return select(rows.at(index), keys); });
}

std::vector<MemoryBackend::MaybeRow> MemoryBackend::get_many(const Indices& indices,
                                                             const std::optional<Keys>& keys) {
    return with_rows([&](Rows& rows) {
        std::vector<MaybeRow> out;
        out.reserve(indices.size());
        for (auto i : indices) {
            if (i >= rows.size())
                throw IndexError("index " + std::to_string(i) + " out of range in " + location());
            out.push_back(select(rows[i], keys));
        }
        return out;
    });
}

void MemoryBackend::set(std::size_t index, const MaybeRow& row) {
    with_rows([&](Rows& rows) {
        if (index >= rows.size()) rows.resize(index + 1);
        rows[index] = row;
        return 0;
    });
}

void MemoryBackend::insert(std::size_t index, const MaybeRow& row) {
    with_rows([&](Rows& rows) {
        return rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(std::min(index, rows.size())), row);
    });
}

std::size_t MemoryBackend::extend(const std::vector<MaybeRow>& more) {
    return with_rows([&](Rows& rows) {
        rows.insert(rows.end(), more.begin(), more.end());
        return rows.size();
    });
}

void MemoryBackend::erase(std::size_t index) {
    check_index(index);
    with_rows([&](Rows& rows) { return rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(index)); });
}

void MemoryBackend::erase_range(std::size_t start, std::size_t stop) {
    if (start >= stop) return;
    check_index(stop - 1);
    with_rows([&](Rows& rows) {
        return rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(start),
                          rows.begin() + static_cast<std::ptrdiff_t>(stop));
    });
}

void MemoryBackend::update(std::size_t index, const RowType& fields) {
    check_index(index);
    with_rows([&](Rows& rows) {
        auto& row = rows[index];
        if (!row) row.emplace();
        for (const auto& [k, v] : fields)
            (*row)[k] = v;
        return 0;
    });
}

void MemoryBackend::clear() {
    with_rows([](Rows& rows) {
        rows.clear();
        return 0;
    });
}

void MemoryBackend::remove() {
    std::lock_guard<std::mutex> lock(storage().mutex);
    auto it = storage().stores.find(name_);
    if (it == storage().stores.end()) return;
    it->second.erase(group_);
    if (it->second.empty()) storage().stores.erase(it);
}

} // namespace asebytes
