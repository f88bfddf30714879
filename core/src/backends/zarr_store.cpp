#include "zarr_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "python_json.hpp"

#include "asebytes/error.hpp"

namespace asebytes::columnar {

namespace fs = std::filesystem;
using zarr::Array;
using zarr::ArrayMeta;

namespace {

// For every item in a column we count about this many bytes when sizing chunks (strings).
constexpr std::int64_t kStringItemBytes = 16;
// Chunks kept in memory between commits (HDF5 keeps a chunk cache, too): past this, they are
// written out before the append goes on.
constexpr std::size_t kCacheBytes = std::size_t{64} << 20;

Value read_json(const fs::path& file, const std::string& where) {
    const auto bytes = zarr::read_file(file, where);
    try {
        return python_json::loads(std::string(bytes.begin(), bytes.end()));
    } catch (const python_json::DecodeError& e) {
        throw CorruptDataError(where + ": " + file.string() + " is not JSON (" + e.what() + ")");
    }
}

// The node type of dir/zarr.json ("" when there is none); CorruptDataError when it is there but
// not a Zarr v3 document: a damaged array must be an error, not a column that quietly vanishes.
std::string node_type(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_regular_file(dir / "zarr.json", ec)) return "";
    const std::string type = zarr::node_type_of(read_json(dir / "zarr.json", dir.string()));
    if (type.empty()) throw CorruptDataError(dir.string() + ": zarr.json is not a Zarr v3 array or group");
    return type;
}

bool is_node(const fs::path& dir, const char* type) { return node_type(dir) == type; }

// Listings name a group whose zarr.json is damaged (opening it says what is wrong) rather than
// fail, so the other groups of the store stay reachable.
bool listed_group(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / ".zgroup", ec)) return true;
    try {
        return is_node(dir, "group");
    } catch (const CorruptDataError&) {
        return true;
    }
}

void fsync_path(const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

zarr::CodecChain codecs_for(const std::string& dtype, const ZarrSettings& z) {
    zarr::CodecChain chain;
    chain.strings = dtype == kString;
    if (z.compressor == "none") return chain;
    if (chain.strings || dtype == "|b1") { // upstream: zstd for bool and strings
        zarr::BytesCodec zstd{zarr::BytesCodec::Kind::Zstd};
        chain.bytes_codecs.push_back(zstd);
        return chain;
    }
    zarr::BytesCodec blosc{zarr::BytesCodec::Kind::Blosc};
    blosc.cname = z.compressor;
    blosc.clevel = z.clevel;
    blosc.shuffle = z.shuffle ? 1 : 0;
    blosc.typesize = static_cast<int>(itemsize_of(dtype));
    chain.bytes_codecs.push_back(blosc);
    return chain;
}

} // namespace

struct ZarrStore::GroupState {
    Value attributes = Value(Map{});
    bool group_dirty = false;
    std::map<std::string, std::unique_ptr<Array>> arrays;
    std::vector<fs::path> written; // since the last flush
};

namespace {
std::mutex open_groups_mutex;
} // namespace

// Open groups by directory: a second store on a group this process has open sees its unwritten
// appends. Calls into one group are serialised by the columnar backend's lock.
std::map<std::string, std::weak_ptr<ZarrStore::GroupState>>& ZarrStore::open_groups() {
    static std::map<std::string, std::weak_ptr<GroupState>> groups;
    return groups;
}

ZarrStore::ZarrStore(const std::string& path, const std::string& group, bool writable, StoreSettings settings,
                     ZarrSettings zarr)
    : path_(path), root_(fs::path(path) / group), group_(group), settings_(std::move(settings)),
      zarr_(std::move(zarr)) {
    std::error_code ec;
    const std::string key = fs::weakly_canonical(fs::absolute(root_), ec).string();
    std::lock_guard<std::mutex> lock(open_groups_mutex);
    if (auto shared = open_groups()[key].lock(); shared && fs::exists(root_ / "zarr.json", ec)) {
        state_ = std::move(shared);
        return;
    }
    state_ = std::make_shared<GroupState>();
    open_groups()[key] = state_;
    if (fs::exists(root_ / "zarr.json", ec)) {
        const Value doc = read_json(root_ / "zarr.json", location());
        if (zarr::node_type_of(doc) != "group")
            throw CorruptDataError(location() + ": zarr.json is not a Zarr v3 group");
        for (const auto& [k, v] : doc.as_map())
            if (k == "attributes" && v.kind() == Value::Kind::Map) state_->attributes = v;
        return;
    }
    if (fs::exists(root_ / ".zgroup", ec))
        throw NotSupportedError(location() + " is a Zarr 2 group (.zgroup): only Zarr v3 stores are read");
    if (!writable) {
        const auto groups = list_groups(path);
        std::string known;
        for (const auto& g : groups)
            known += (known.empty() ? "'" : ", '") + g + "'";
        throw Error(fs::exists(path, ec) ? "no group '" + group + "' in " + path +
                                               " (groups: " + (known.empty() ? "none" : known) + ")"
                                         : "'" + path + "': no such store");
    }
    if (fs::exists(path, ec) && !fs::is_directory(path, ec))
        throw Error("'" + path + "' is a file, not a Zarr store (a directory)");
    save_group();
}

ZarrStore::~ZarrStore() {
    try {
        commit();
    } catch (const std::exception&) { // a destructor cannot report it; flush() does
    }
}

// Chunks first, then each array's zarr.json, then the group's (n_frames last: the commit marker).
void ZarrStore::commit() {
    for (auto& [name, a] : state_->arrays)
        a->write_back(state_->written);
    if (state_->group_dirty) save_group();
    state_->group_dirty = false;
}

void ZarrStore::write_back_if_large() {
    std::size_t bytes = 0;
    for (const auto& kv : state_->arrays)
        bytes += kv.second->cached_bytes();
    if (bytes > kCacheBytes) commit();
}

std::vector<std::string> ZarrStore::list_groups(const std::string& path) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return out;
    for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.is_directory(ec) && listed_group(entry.path()))
            out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string ZarrStore::location() const { return path_.string() + ", group '" + group_ + "'"; }
std::string ZarrStore::array_location(const std::string& name) const { return where(name); }
std::string ZarrStore::where(const std::string& name) const { return location() + ", array '" + name + "'"; }

std::vector<std::string> ZarrStore::list_arrays() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_, ec))
        if (entry.is_directory(ec) && is_node(entry.path(), "array"))
            out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

bool ZarrStore::has_array(const std::string& name) {
    if (state_->arrays.count(name)) return true;
    return is_node(root_ / name, "array");
}

Array& ZarrStore::array(const std::string& name) {
    auto it = state_->arrays.find(name);
    if (it == state_->arrays.end()) {
        if (!has_array(name)) throw KeyError(where(name) + ": no such array");
        it = state_->arrays.emplace(name, std::make_unique<Array>(Array::open(root_ / name, where(name))))
                 .first;
    }
    return *it->second;
}

ArrayInfo ZarrStore::info(const std::string& name) {
    const ArrayMeta& m = array(name).meta();
    return {m.dtype, m.shape};
}

NdArray ZarrStore::read_rows(const std::string& name, std::int64_t start, std::int64_t stop) {
    Array& a = array(name);
    std::vector<std::int64_t> shape = a.meta().shape;
    if (start < 0 || stop > shape[0] || start > stop) throw IndexError(where(name) + ": rows out of range");
    shape[0] = stop - start;
    return NdArray(a.meta().dtype, shape, a.read_rows(start, stop));
}

std::vector<std::string> ZarrStore::read_strings(const std::string& name, std::int64_t start,
                                                 std::int64_t stop) {
    Array& a = array(name);
    if (!a.meta().strings()) throw TypeError(where(name) + " does not hold strings");
    if (start < 0 || stop > a.meta().shape[0] || start > stop)
        throw IndexError(where(name) + ": rows out of range");
    return a.read_strings(start, stop);
}

void ZarrStore::create(const std::string& name, const std::string& dtype,
                       const std::vector<std::int64_t>& row_shape, const std::vector<std::uint8_t>& fill,
                       std::int64_t expected_rows, RowAxis axis) {
    ArrayMeta m;
    m.dtype = dtype;
    m.shape = {0};
    m.shape.insert(m.shape.end(), row_shape.begin(), row_shape.end());
    const std::int64_t item =
        dtype == kString ? kStringItemBytes : static_cast<std::int64_t>(itemsize_of(dtype));
    for (auto c : chunk_shape(item, row_shape, expected_rows,
                              static_cast<std::int64_t>(settings_.hdf5.chunk_frames), axis))
        m.chunks.push_back(static_cast<std::int64_t>(c));
    m.codecs = codecs_for(dtype, zarr_);
    if (dtype != kString) m.fill = fill.empty() ? std::vector<std::uint8_t>(itemsize_of(dtype), 0) : fill;
    // Arrays in subgroups ("_present/<key>"): each level is a Zarr group of its own.
    for (fs::path p = fs::path(name).parent_path(); !p.empty(); p = p.parent_path())
        if (!is_node(root_ / p, "group")) {
            const std::string text = zarr::group_meta_json(Value(Map{}));
            zarr::write_file_atomically(root_ / p / "zarr.json", {text.begin(), text.end()}, state_->written);
        }
    auto a = std::make_unique<Array>(root_ / name, std::move(m), where(name));
    a->save_meta(state_->written);
    state_->arrays[name] = std::move(a);
}

void ZarrStore::resize(const std::string& name, const std::vector<std::int64_t>& shape) {
    Array& a = array(name);
    if (a.meta().shape != shape) a.resize(shape, state_->written);
}

void ZarrStore::write_rows(const std::string& name, std::int64_t start, const NdArray& rows) {
    Array& a = array(name);
    if (rows.typestr() != a.meta().dtype)
        throw TypeError(where(name) + ": rows of dtype " + rows.typestr() + " for an array of " +
                        a.meta().dtype);
    if (rows.ndim() != a.meta().shape.size() ||
        !std::equal(rows.shape().begin() + 1, rows.shape().end(), a.meta().shape.begin() + 1) ||
        start + rows.shape()[0] > a.meta().shape[0])
        throw Error(where(name) + ": rows of the wrong shape or past the end");
    if (rows.shape()[0] > 0) a.write_rows(start, rows.shape()[0], rows.bytes(), state_->written);
    write_back_if_large();
}

void ZarrStore::write_strings(const std::string& name, std::int64_t start,
                              const std::vector<std::string>& rows) {
    Array& a = array(name);
    if (!a.meta().strings()) throw TypeError(where(name) + " does not hold strings");
    if (start + static_cast<std::int64_t>(rows.size()) > a.meta().shape[0])
        throw Error(where(name) + ": strings past the end");
    if (!rows.empty()) a.write_strings(start, rows, state_->written);
    write_back_if_large();
}

void ZarrStore::write_scattered(const std::string& name, const std::vector<std::vector<std::int64_t>>&,
                                const NdArray&) {
    throw NotSupportedError(where(name) + ": Zarr stores are not written collectively (frames go to rank 0)");
}

void ZarrStore::remove_array(const std::string& name) {
    state_->arrays.erase(name);
    std::error_code ec;
    fs::remove_all(root_ / name, ec);
}

// ---- attributes ------------------------------------------------------------------------------

namespace {
const Value* attr(const Value& attributes, const std::string& name) {
    for (const auto& [k, v] : attributes.as_map())
        if (k == name) return &v;
    return nullptr;
}
} // namespace

std::optional<std::int64_t> ZarrStore::get_int_attr(const std::string& name) {
    const Value* v = attr(state_->attributes, name);
    if (!v) return std::nullopt;
    if (v->kind() == Value::Kind::Int) return v->as_int();
    if (v->kind() == Value::Kind::UInt) return static_cast<std::int64_t>(v->as_uint());
    throw CorruptDataError(location() + ": attribute '" + name + "' is not an integer");
}

std::optional<std::vector<std::string>> ZarrStore::get_strings_attr(const std::string& name) {
    const Value* v = attr(state_->attributes, name);
    if (!v) return std::nullopt;
    if (v->kind() != Value::Kind::List)
        throw CorruptDataError(location() + ": attribute '" + name + "' is not a list");
    std::vector<std::string> out;
    for (const Value& s : v->as_list()) {
        if (s.kind() != Value::Kind::String)
            throw CorruptDataError(location() + ": attribute '" + name + "' is not a list of strings");
        out.push_back(s.as_string());
    }
    return out;
}

void ZarrStore::set_attr(const std::string& name, Value value) {
    Map m = state_->attributes.as_map();
    auto it = std::find_if(m.begin(), m.end(), [&](const auto& kv) { return kv.first == name; });
    if (it != m.end())
        it->second = std::move(value);
    else
        m.emplace_back(MapKey(name), std::move(value));
    state_->attributes = Value(std::move(m));
    state_->group_dirty = true;
}

void ZarrStore::set_int_attr(const std::string& name, std::int64_t value) { set_attr(name, Value(value)); }
void ZarrStore::set_string_attr(const std::string& name, const std::string& value) {
    set_attr(name, Value(value));
}
void ZarrStore::set_strings_attr(const std::string& name, const std::vector<std::string>& values) {
    List l;
    for (const auto& s : values)
        l.emplace_back(s);
    set_attr(name, Value(std::move(l)));
}

std::optional<std::string> ZarrStore::get_array_attr(const std::string& array_name, const std::string& name) {
    const Value* v = attr(array(array_name).meta().attributes, name);
    if (!v || v->kind() != Value::Kind::String) return std::nullopt;
    return v->as_string();
}

void ZarrStore::set_array_attr(const std::string& array_name, const std::string& name,
                               const std::string& value) {
    Array& a = array(array_name);
    Map m = a.meta().attributes.as_map();
    auto it = std::find_if(m.begin(), m.end(), [&](const auto& kv) { return kv.first == name; });
    if (it != m.end())
        it->second = Value(value);
    else
        m.emplace_back(MapKey(name), Value(value));
    a.meta().attributes = Value(std::move(m));
    a.meta_changed();
}

std::vector<std::string> ZarrStore::attr_names() {
    std::vector<std::string> out;
    for (const auto& kv : state_->attributes.as_map())
        out.push_back(kv.first);
    return out;
}

void ZarrStore::save_group() {
    const std::string text = zarr::group_meta_json(state_->attributes);
    zarr::write_file_atomically(root_ / "zarr.json", {text.begin(), text.end()}, state_->written);
}

// ---- the group -------------------------------------------------------------------------------

void ZarrStore::clear_group() {
    state_->arrays.clear();
    state_->group_dirty = false;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_, ec))
        if (entry.path().filename() != "zarr.json") fs::remove_all(entry.path(), ec);
    state_->attributes = Value(Map{});
    save_group();
}

void ZarrStore::remove_group() {
    state_->arrays.clear();
    state_->group_dirty = false;
    std::error_code ec;
    fs::remove_all(root_, ec);
    state_->written.clear();
}

void ZarrStore::flush() {
    commit();
    std::set<fs::path> files(state_->written.begin(), state_->written.end()), dirs;
    for (const auto& file : files) {
        fsync_path(file, O_RDONLY);
        dirs.insert(file.parent_path());
    }
    for (const auto& dir : dirs)
        fsync_path(dir, O_RDONLY | O_DIRECTORY);
    state_->written.clear();
}

} // namespace asebytes::columnar
