// ASE trajectory backend: one .traj file, one collection, read only. Opening reads the ULM header,
// the offsets table and item 0 (the trajectory's header, which later items inherit); a read seeks
// to its item and parses only that item's JSON and the arrays asked for.
#include "asebytes/backends/ase_traj.hpp"

#include <filesystem>
#include <mutex>
#include <set>

#include "ase_traj_format.hpp"

namespace asebytes {

namespace fs = std::filesystem;

struct AseTrajBackend::Impl {
    traj::UlmFile file;
    traj::Item header;
    std::mutex mutex;

    explicit Impl(const std::string& path) : file(path) {
        if (file.tag() != "ASE-Trajectory")
            throw CorruptDataError("ASE trajectory " + path + ": an ULM file tagged '" + file.tag() +
                                   "', not 'ASE-Trajectory'");
        if (file.size() == 0) return;
        try {
            header = file.item(0);
            traj::check_header_item(header);
        } catch (const traj::FormatError& e) {
            throw corrupt(0, e);
        }
    }

    CorruptDataError corrupt(std::size_t index, const traj::FormatError& e) const {
        return CorruptDataError("ASE trajectory " + file.path() + ", item " + std::to_string(index) + ": " +
                                e.what());
    }

    Row read(std::size_t index, const std::optional<Keys>& keys) {
        std::set<std::string> wanted_keys;
        if (keys) wanted_keys.insert(keys->begin(), keys->end());
        const traj::KeyWanted wanted = [&](const std::string& k) {
            return !keys || wanted_keys.count(k) > 0;
        };
        try {
            const traj::Item item = index == 0 ? header : file.item(index);
            return traj::read_row(file, item, header, wanted);
        } catch (const traj::FormatError& e) {
            throw corrupt(index, e);
        }
    }
};

const BackendMetadata& AseTrajBackend::describe() {
    static const BackendMetadata m = [] {
        BackendMetadata d;
        d.name = "traj";
        d.description = "ASE trajectory (ULM) files as ASE writes them, read only; random access";
        d.extensions = {".traj"};
        d.native_tier = Tier::Object;
        d.writable = false;
        d.edits_in_place = false;
        d.groups = false;
        return d;
    }();
    return m;
}

BackendEntry AseTrajBackend::entry() {
    BackendEntry e;
    e.metadata = &describe();
    e.open_object = [](const std::string& path,
                       const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        OptionReader(options, "traj").finish();
        const std::string& group = options.group.value_or(describe().default_group);
        if (group != describe().default_group)
            throw Error("ASE trajectory " + path + " holds one collection ('" + describe().default_group +
                        "'), not group '" + group + "'");
        return std::make_shared<AseTrajBackend>(path);
    };
    e.list_groups = &AseTrajBackend::list_groups;
    return e;
}

std::vector<std::string> AseTrajBackend::list_groups(const std::string& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return {describe().default_group};
    return {};
}

AseTrajBackend::AseTrajBackend(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}

AseTrajBackend::~AseTrajBackend() = default;

std::string AseTrajBackend::location() const { return "ASE trajectory " + impl_->file.path(); }

std::size_t AseTrajBackend::size() { return impl_->file.size(); }

AseTrajBackend::MaybeRow AseTrajBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    check_index(index);
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->read(index, keys);
}

std::vector<AseTrajBackend::MaybeRow> AseTrajBackend::get_many(const Indices& indices,
                                                               const std::optional<Keys>& keys) {
    std::vector<MaybeRow> out;
    out.reserve(indices.size());
    for (auto i : indices)
        out.push_back(get(i, keys));
    return out;
}

} // namespace asebytes
