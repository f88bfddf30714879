#include "hdf5_store.hpp"

#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "hdf5_direct_chunks.hpp"

namespace asebytes::columnar {

namespace fs = std::filesystem;
using namespace asebytes::hdf5;

class SharedFile {
public:
    SharedFile(std::string path, bool writable) : path_(std::move(path)), writable_(writable) {}
    ~SharedFile();
    SharedFile(const SharedFile&) = delete;
    SharedFile& operator=(const SharedFile&) = delete;
    hid_t id() const { return file_.get(); }
    bool writable() const { return writable_; }
    void open(bool writable, bool create);
    /// After a flush: a new file takes its name (see open).
    void publish();
    /// Dataset `full_path`, kept open for the next calls: HDF5's chunk cache lives in the open
    /// dataset, so a random read of a compressed store would otherwise inflate a whole chunk
    /// (64 frames) per column and row. The caller owns one reference to the returned handle.
    Dataset dataset(const std::string& full_path, const std::string& where);
    /// Closes every kept dataset: before the file is reopened, and before links are deleted
    /// (a name may then be given to a new dataset).
    void forget_datasets() { datasets_.clear(); }

private:
    void recover_allocation_end(bool writable);

    std::string path_;
    bool writable_;
    File file_;
    std::map<std::string, Dataset> datasets_; // closed before file_ (declared after it)
    std::string creating_; ///< the name a new file has until its first flush ("" once published)
};

namespace {

// Reads and writes from this size on skip HDF5's filter pipeline when they can
// (hdf5_direct_chunks.hpp); smaller ones gain from HDF5's chunk cache.
constexpr std::size_t kDirectChunkBytes = std::size_t{256} << 10;

// The direct chunk path for `count` rows of `bytes` bytes in all, when it applies: a serial
// store, a large transfer, a dataset that takes it (DirectChunks::of) with rows of that size.
std::optional<DirectChunks> direct_chunks(bool serial, hid_t dataset, hid_t memtype, std::int64_t count,
                                          std::size_t bytes, const std::string& where) {
    if (!serial || bytes < kDirectChunkBytes) return std::nullopt;
    auto direct = DirectChunks::of(dataset, memtype, where);
    if (!direct || direct->row_bytes() * static_cast<std::size_t>(count) != bytes) return std::nullopt;
    return direct;
}

bool is_numeric(const std::string& dtype) {
    return dtype.size() >= 2 && (dtype[1] == 'f' || dtype[1] == 'i' || dtype[1] == 'u');
}

// The HDF5 type for a typestr, as h5py maps numpy dtypes (little-endian; bool is an enum).
Datatype type_of(const std::string& dtype, const std::string& where) {
    if (dtype == kString) return utf8_string_type(where);
    if (dtype == "|b1") return bool_enum_type(where);
    static const std::map<std::string, hid_t> kTypes = {
        {"<f8", H5T_IEEE_F64LE}, {"<f4", H5T_IEEE_F32LE}, {"<i8", H5T_STD_I64LE}, {"<i4", H5T_STD_I32LE},
        {"<i2", H5T_STD_I16LE},  {"|i1", H5T_STD_I8LE},   {"<u8", H5T_STD_U64LE}, {"<u4", H5T_STD_U32LE},
        {"<u2", H5T_STD_U16LE},  {"|u1", H5T_STD_U8LE}};
    auto it = kTypes.find(dtype);
    if (it == kTypes.end())
        throw TypeError(where + ": dtype " + dtype + " cannot be stored in HDF5 by asebytes");
    return Datatype(H5Tcopy(it->second), where, "H5Tcopy");
}

// The typestr of a stored HDF5 type (what numpy would read it as).
std::string dtype_of(hid_t type, const std::string& where) {
    const std::size_t size = H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_FLOAT:
        if (size == 8 || size == 4 || size == 2) return "<f" + std::to_string(size);
        break;
    case H5T_INTEGER: {
        const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
        return std::string(size == 1 ? "|" : "<") + (is_signed ? "i" : "u") + std::to_string(size);
    }
    case H5T_ENUM:
        if (size == 1 && H5Tget_nmembers(type) == 2) return "|b1";
        break;
    case H5T_STRING:
        if (H5Tis_variable_str(type) > 0) return kString;
        break;
    default:
        break;
    }
    throw CorruptDataError(where + ": stored HDF5 type is not one asebytes reads (class " +
                           std::to_string(static_cast<int>(H5Tget_class(type))) + ", " +
                           std::to_string(size) + " bytes)");
}

std::vector<hsize_t> to_hsize(const std::vector<std::int64_t>& v) { return {v.begin(), v.end()}; }

std::vector<std::int64_t> extent_of(hid_t dataset, const std::string& where) {
    Dataspace space(H5Dget_space(dataset), where, "H5Dget_space");
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), where, "H5Sget_simple_extent_ndims");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), where, "H5Sget_simple_extent_dims");
    return {dims.begin(), dims.end()};
}

// The dataspaces for rows [start, start + count) of a dataset: (file, memory).
std::pair<Dataspace, Dataspace> row_spaces(hid_t dataset, std::int64_t start, std::int64_t count,
                                           const std::string& where) {
    Dataspace file(H5Dget_space(dataset), where, "H5Dget_space");
    auto dims = extent_of(dataset, where);
    if (dims.empty())
        throw CorruptDataError(where + ": a scalar dataset where an array of rows was expected");
    if (start < 0 || start + count > dims[0])
        throw CorruptDataError(where + ": rows " + std::to_string(start) + ".." +
                               std::to_string(start + count) + " are outside its " + std::to_string(dims[0]) +
                               " rows");
    std::vector<hsize_t> offset(dims.size(), 0), counts = to_hsize(dims);
    offset[0] = static_cast<hsize_t>(start);
    counts[0] = static_cast<hsize_t>(count);
    check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, offset.data(), nullptr, counts.data(), nullptr),
          where, "H5Sselect_hyperslab");
    Dataspace memory(H5Screate_simple(static_cast<int>(counts.size()), counts.data(), nullptr), where,
                     "H5Screate_simple");
    return {std::move(file), std::move(memory)};
}

bool attribute_exists(hid_t object, const std::string& name, const std::string& where) {
    return check(H5Aexists(object, name.c_str()), where, "H5Aexists") > 0;
}

void write_attribute(hid_t object, const std::string& name, hid_t type, const Dataspace& space,
                     const void* data, const std::string& where) {
    if (attribute_exists(object, name, where))
        check(H5Adelete(object, name.c_str()), where, "H5Adelete " + name);
    Attribute a(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), where,
                "H5Acreate2 " + name);
    check(H5Awrite(a.get(), type, data), where, "H5Awrite " + name);
}

std::vector<std::string> read_string_attribute(hid_t object, const std::string& name,
                                               const std::string& where) {
    Attribute a(H5Aopen(object, name.c_str(), H5P_DEFAULT), where, "H5Aopen " + name);
    Datatype stored(H5Aget_type(a.get()), where, "H5Aget_type");
    Dataspace space(H5Aget_space(a.get()), where, "H5Aget_space");
    const auto n =
        static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.get()), where, "npoints"));
    if (H5Tget_class(stored.get()) != H5T_STRING) {
        // h5py writes an empty Python list as an empty float64 array.
        if (n == 0) return {};
        throw CorruptDataError(where + ": attribute '" + name + "' is not a list of strings");
    }
    std::vector<std::string> out;
    if (H5Tis_variable_str(stored.get()) > 0) {
        Datatype memory = utf8_string_type(where);
        std::vector<char*> raw(n, nullptr);
        if (n) check(H5Aread(a.get(), memory.get(), raw.data()), where, "H5Aread " + name);
        for (char* s : raw)
            out.emplace_back(s ? s : "");
        if (n) H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, raw.data());
    } else {
        const std::size_t size = H5Tget_size(stored.get());
        std::vector<char> raw(n * size);
        if (n) check(H5Aread(a.get(), stored.get(), raw.data()), where, "H5Aread " + name);
        for (std::size_t i = 0; i < n; ++i)
            out.emplace_back(raw.data() + i * size, strnlen(raw.data() + i * size, size));
    }
    return out;
}

// Selects every element of the given cells (leading coordinates, remaining axes whole), cell by
// cell in `order`, element by element within a cell (row-major), as the memory buffer holds them.
void select_points(hid_t space, const std::vector<std::int64_t>& extent,
                   const std::vector<std::vector<std::int64_t>>& leading,
                   const std::vector<std::size_t>& order, const std::string& where) {
    const std::size_t rank = extent.size(), lead = leading.empty() ? 0 : leading.front().size();
    std::size_t per_cell = 1;
    for (std::size_t a = lead; a < rank; ++a)
        per_cell *= static_cast<std::size_t>(extent[a]);
    std::vector<hsize_t> coords;
    coords.reserve(order.size() * per_cell * rank);
    std::vector<hsize_t> point(rank, 0);
    for (auto k : order) {
        for (std::size_t a = 0; a < lead; ++a)
            point[a] = static_cast<hsize_t>(leading[k][a]);
        for (std::size_t e = 0; e < per_cell; ++e) {
            std::size_t rest = e;
            for (std::size_t a = rank; a-- > lead;) {
                point[a] = rest % static_cast<std::size_t>(extent[a]);
                rest /= static_cast<std::size_t>(extent[a]);
            }
            coords.insert(coords.end(), point.begin(), point.end());
        }
    }
    if (coords.empty()) return;
    check(H5Sselect_elements(space, H5S_SELECT_SET, coords.size() / rank, coords.data()), where,
          "H5Sselect_elements");
}

std::map<std::string, std::weak_ptr<SharedFile>>& open_files() {
    static std::map<std::string, std::weak_ptr<SharedFile>> files;
    return files;
}

std::string canonical(const std::string& path) {
    std::error_code ec;
    auto p = fs::weakly_canonical(fs::absolute(path), ec);
    return ec ? path : p.string();
}

} // namespace

void SharedFile::open(bool writable, bool create) {
    forget_datasets(); // HDF5 keeps a file open while any of its objects is
    file_.reset();
    writable_ = writable;
    if (create) {
        // A writer killed before its first flush would leave a file HDF5 cannot open: a new file
        // is written under a temporary name and renamed once flushed (publish), so the store's
        // name only ever holds an openable file. A leftover of a killed writer is overwritten.
        creating_ = path_ + ".creating";
        file_ = File(H5Fcreate(creating_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), path_,
                     "creating the HDF5 file");
        return;
    }
    const htri_t is_hdf5 = H5Fis_hdf5(path_.c_str());
    if (is_hdf5 <= 0) {
        take_error_stack();
        throw CorruptDataError(path_ + " is not an HDF5 file (no HDF5 signature)");
    }
    const hid_t id = H5Fopen(path_.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) {
        const std::string stack = take_error_stack();
        if (stack.find("unable to lock file") != std::string::npos)
            throw BackendError(path_ + ": the file is open for writing in another process (HDF5 locks it; " +
                               "HDF5 files have no concurrent readers here): " + stack);
        throw CorruptDataError(path_ + ": cannot open the HDF5 file" + (writable ? " for writing" : "") +
                               ": " + stack);
    }
    file_ = File(id, path_, "H5Fopen");
    recover_allocation_end(writable);
}

// HDF5 writes its superblock, which records where the file's allocated space ends (EOA), last
// in a flush. A writer killed (or out of disk) during a flush can leave objects past the
// recorded end, and HDF5 then refuses to read them although their bytes are in the file. A file
// closed cleanly ends exactly at its EOA; a longer one is extended to its real end, as
// `h5clear --increment` does (a read-only opening does it through a short read-write opening,
// when the file may be written and no writer holds its lock).
void SharedFile::recover_allocation_end(bool writable) {
    haddr_t eoa = 0;
    std::error_code ec;
    const auto eof = fs::file_size(path_, ec);
    if (ec || H5Fget_eoa(file_.get(), &eoa) < 0 || eof <= eoa) {
        take_error_stack();
        return;
    }
    if (writable) {
        check(H5Fincrement_filesize(file_.get(), 0), path_,
              "extending the end of allocation to the file's end");
        return;
    }
    const hid_t repair = H5Fopen(path_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (repair < 0) {
        take_error_stack();
        return; // read what the recorded end allows
    }
    const bool extended = H5Fincrement_filesize(repair, 0) >= 0;
    H5Fclose(repair);
    take_error_stack();
    if (!extended) return;
    file_.reset();
    file_ = File(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path_, "H5Fopen");
}

void SharedFile::publish() {
    if (creating_.empty()) return;
    std::error_code ec;
    fs::rename(creating_, path_, ec);
    if (ec) throw BackendError(path_ + ": cannot rename the new file " + creating_ + ": " + ec.message());
    creating_.clear();
}

Dataset SharedFile::dataset(const std::string& full_path, const std::string& where) {
    auto it = datasets_.find(full_path);
    if (it == datasets_.end()) {
        // 8 MiB of chunk cache (HDF5's default is 1 MiB): the 16 chunks of a 1000-frame,
        // 200-atom padded column fit, so random reads inflate each chunk once. Chunks larger
        // than the cache bypass it, as before.
        PropertyList dapl(H5Pcreate(H5P_DATASET_ACCESS), where, "H5Pcreate");
        check(H5Pset_chunk_cache(dapl.get(), 1009, std::size_t{8} << 20, H5D_CHUNK_CACHE_W0_DEFAULT), where,
              "H5Pset_chunk_cache");
        const hid_t id = H5Dopen2(file_.get(), full_path.c_str(), dapl.get());
        if (id < 0) {
            const std::string stack = take_error_stack();
            throw CorruptDataError(where + ": cannot open the dataset: " + stack);
        }
        it = datasets_.emplace(full_path, Dataset(id, where, "H5Dopen2")).first;
    }
    check(H5Iinc_ref(it->second.get()), where, "H5Iinc_ref");
    return Dataset(it->second.get(), where, "H5Iinc_ref");
}

SharedFile::~SharedFile() {
    forget_datasets();
    file_.reset();
    std::error_code ec; // a destructor does not throw: the file keeps its temporary name
    if (!creating_.empty()) fs::rename(creating_, path_, ec);
}

Hdf5Store::Hdf5Store(const std::string& path, const std::string& group, const std::string& root,
                     bool writable, StoreSettings settings, Unchecked)
    : path_(path), group_(group), root_(root), settings_(settings) {
    silence_errors();
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    if (group.empty() || group.find('/') != std::string::npos || group == "." || group == "..")
        throw Error("invalid group name '" + group + "' for " + path +
                    " (it must be one HDF5 name, without '/')");
    if (settings_.mpi_comm)
        open_collective(writable);
    else
        open_shared(writable);
}

Hdf5Store::Hdf5Store(const std::string& path, const std::string& group, bool writable, StoreSettings settings)
    : Hdf5Store(path, group, group, writable, settings, Unchecked{}) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string where = location();
    const htri_t exists = H5Lexists(file_id(), group_.c_str(), H5P_DEFAULT);
    if (exists > 0) {
        H5O_info_t info;
        check(H5Oget_info_by_name2(file_id(), group_.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), where,
              "H5Oget_info");
        if (info.type != H5O_TYPE_GROUP)
            throw CorruptDataError(where + ": '" + group_ + "' is not an HDF5 group");
        return;
    }
    take_error_stack();
    if (!writable) {
        std::string known;
        for (const auto& g : list_groups(path))
            known += (known.empty() ? "" : ", ") + g;
        throw Error(where + ": no such group in the file (groups: " + (known.empty() ? "none" : known) + ")");
    }
    Group(H5Gcreate2(file_id(), group_.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), where, "H5Gcreate2");
}

void Hdf5Store::open_shared(bool writable) {
    const std::string key = canonical(path_);
    auto& files = open_files();
    file_ = files[key].lock();
    if (!file_) {
        const bool exists = fs::exists(path_); // (a file of this process not yet flushed is in `files`)
        if (!exists && !writable) throw Error("no such file: " + path_);
        file_ = std::make_shared<SharedFile>(path_, writable);
        file_->open(writable, !exists);
        files[key] = file_;
    } else if (writable && !file_->writable()) {
        try {
            file_->open(true, false);
        } catch (...) {
            file_->open(false, false);
            throw;
        }
    }
}

// Every rank of the communicator opens the file with the MPI-IO driver. Rank 0 decides whether
// it exists, so that all ranks either create or open it (both are collective).
void Hdf5Store::open_collective(bool writable) {
    MPI_Comm comm = *static_cast<const MPI_Comm*>(settings_.mpi_comm.get());
    MPI_Comm_rank(comm, &rank_);
    int exists = rank_ == 0 && fs::exists(path_) ? 1 : 0;
    MPI_Bcast(&exists, 1, MPI_INT, 0, comm);
    if (!exists && !writable) throw Error("no such file: " + path_);
    PropertyList fapl(H5Pcreate(H5P_FILE_ACCESS), path_, "H5Pcreate");
    check(H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL), path_, "H5Pset_fapl_mpio");
    if (exists)
        own_file_ = File(H5Fopen(path_.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get()), path_,
                         "opening the HDF5 file on every rank");
    else
        own_file_ = File(H5Fcreate(path_.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), path_,
                         "creating the HDF5 file on every rank");
    collective_write_ = PropertyList(H5Pcreate(H5P_DATASET_XFER), path_, "H5Pcreate");
    check(H5Pset_dxpl_mpio(collective_write_.get(), H5FD_MPIO_COLLECTIVE), path_, "H5Pset_dxpl_mpio");
}

Hdf5Store::~Hdf5Store() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    file_.reset();
}

bool Hdf5Store::file_exists(const std::string& path) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const auto open = open_files().find(canonical(path));
    return fs::exists(path) || (open != open_files().end() && !open->second.expired());
}

std::vector<std::string> Hdf5Store::list_groups(const std::string& path) {
    silence_errors();
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    if (!file_exists(path)) return {};
    std::shared_ptr<SharedFile> file = open_files()[canonical(path)].lock();
    if (!file) {
        file = std::make_shared<SharedFile>(path, false);
        file->open(false, false);
    }
    std::vector<std::string> out;
    for (const auto& [name, type] : links_of(file->id(), path))
        if (type == H5O_TYPE_GROUP) out.push_back(name);
    return out;
}

hid_t Hdf5Store::file_id() const { return own_file_ ? own_file_.get() : file_->id(); }
std::string Hdf5Store::location() const { return path_ + ", group '" + group_ + "'"; }
std::string Hdf5Store::where(const std::string& name) const {
    return path_ + ", dataset '/" + dataset_path(name) + "'";
}

Group Hdf5Store::open_group() const {
    return Group(H5Gopen2(file_id(), root_.c_str(), H5P_DEFAULT), location(), "H5Gopen2");
}

// H5Lexists fails (rather than saying no) when an intermediate group is missing: each step.
bool Hdf5Store::path_exists(const std::string& path) const {
    std::size_t from = 0;
    while (true) {
        const auto slash = path.find('/', from);
        const std::string prefix = path.substr(0, slash);
        if (H5Lexists(file_id(), prefix.c_str(), H5P_DEFAULT) <= 0) {
            take_error_stack();
            return false;
        }
        if (slash == std::string::npos) return true;
        from = slash + 1;
    }
}

Dataset Hdf5Store::open_dataset(const std::string& name) const {
    const std::string full = dataset_path(name);
    if (!own_file_) return file_->dataset(full, where(name));
    const hid_t id = H5Dopen2(file_id(), full.c_str(), H5P_DEFAULT);
    if (id < 0) {
        const std::string stack = take_error_stack();
        if (stack.find("unable to lock file") != std::string::npos)
            throw BackendError(path_ + ": the file is open for writing in another process (HDF5 locks it; " +
                               "HDF5 files have no concurrent readers here): " + stack);
        throw CorruptDataError(where(name) + ": cannot open the dataset: " + stack);
    }
    return Dataset(id, where(name), "H5Dopen2");
}

std::vector<std::string> Hdf5Store::list_arrays() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    std::vector<std::string> out;
    for (const auto& [name, type] : links_of(open_group().get(), location()))
        if (type == H5O_TYPE_DATASET) out.push_back(name);
    return out;
}

bool Hdf5Store::has_array(const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    return path_exists(dataset_path(name));
}

ArrayInfo Hdf5Store::info(const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Dataset d = open_dataset(name);
    Datatype t(H5Dget_type(d.get()), where(name), "H5Dget_type");
    return ArrayInfo{dtype_of(t.get(), where(name)), extent_of(d.get(), where(name))};
}

NdArray Hdf5Store::read_rows(const std::string& name, std::int64_t start, std::int64_t stop) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string w = where(name);
    Dataset d = open_dataset(name);
    Datatype stored(H5Dget_type(d.get()), w, "H5Dget_type");
    const std::string dtype = dtype_of(stored.get(), w);
    if (dtype == kString) throw TypeError(w + ": a string dataset read as numbers");
    auto [file, memory] = row_spaces(d.get(), start, stop - start, w);
    auto shape = extent_of(d.get(), w);
    shape[0] = stop - start;
    std::size_t n = 1;
    for (auto s : shape)
        n *= static_cast<std::size_t>(s);
    Datatype memtype = type_of(dtype, w);
    std::vector<std::uint8_t> bytes(n * itemsize_of(dtype));
    // Large reads of compressed datasets: we inflate the chunks (hdf5_direct_chunks.hpp).
    if (const auto direct =
            direct_chunks(!settings_.mpi_comm, d.get(), memtype.get(), stop - start, bytes.size(), w)) {
        direct->read(d.get(), start, stop - start, bytes.data(), file_->writable(), w);
        return NdArray(dtype, std::move(shape), std::move(bytes));
    }
    if (n)
        check(H5Dread(d.get(), memtype.get(), memory.get(), file.get(), H5P_DEFAULT, bytes.data()), w,
              "H5Dread");
    return NdArray(dtype, std::move(shape), std::move(bytes));
}

std::vector<std::string> Hdf5Store::read_strings(const std::string& name, std::int64_t start,
                                                 std::int64_t stop) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string w = where(name);
    Dataset d = open_dataset(name);
    Datatype stored(H5Dget_type(d.get()), w, "H5Dget_type");
    if (dtype_of(stored.get(), w) != kString) throw TypeError(w + ": a numeric dataset read as strings");
    if (extent_of(d.get(), w).size() != 1)
        throw CorruptDataError(w + ": string datasets must be one-dimensional");
    auto [file, memory] = row_spaces(d.get(), start, stop - start, w);
    Datatype memtype = utf8_string_type(w);
    std::vector<char*> raw(static_cast<std::size_t>(stop - start), nullptr);
    std::vector<std::string> out;
    if (raw.empty()) return out;
    check(H5Dread(d.get(), memtype.get(), memory.get(), file.get(), H5P_DEFAULT, raw.data()), w, "H5Dread");
    for (char* s : raw)
        out.emplace_back(s ? s : "");
    H5Dvlen_reclaim(memtype.get(), memory.get(), H5P_DEFAULT, raw.data());
    return out;
}

void Hdf5Store::create(const std::string& name, const std::string& dtype,
                       const std::vector<std::int64_t>& row_shape, const std::vector<std::uint8_t>& fill,
                       std::int64_t expected_rows, RowAxis axis) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string w = where(name);
    Datatype type = type_of(dtype, w);
    std::vector<hsize_t> dims{0}, maxdims{H5S_UNLIMITED};
    for (auto s : row_shape) {
        dims.push_back(static_cast<hsize_t>(s));
        maxdims.push_back(H5S_UNLIMITED);
    }
    // Strings are variable-length: their rows count as pointers, as HDF5 stores them.
    const std::int64_t item = dtype == kString ? 16 : static_cast<std::int64_t>(itemsize_of(dtype));
    const auto shape = chunk_shape(item, row_shape, expected_rows,
                                   static_cast<std::int64_t>(settings_.hdf5.chunk_frames), axis);
    const std::vector<hsize_t> chunk(shape.begin(), shape.end());
    Dataspace space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxdims.data()), w,
                    "H5Screate_simple");
    PropertyList dcpl(H5Pcreate(H5P_DATASET_CREATE), w, "H5Pcreate");
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), w, "H5Pset_chunk");
    // h5py allocates fill values with the chunks (FILL_TIME_ALLOC); golden files show it.
    check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_ALLOC), w, "H5Pset_fill_time");
    if (settings_.hdf5.gzip_level && is_numeric(dtype))
        check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(*settings_.hdf5.gzip_level)), w,
              "H5Pset_deflate");
    const char* empty = "";
    if (dtype == kString && settings_.empty_string_fill)
        check(H5Pset_fill_value(dcpl.get(), type.get(), &empty), w, "H5Pset_fill_value");
    else if (!fill.empty())
        check(H5Pset_fill_value(dcpl.get(), type.get(), fill.data()), w, "H5Pset_fill_value");
    PropertyList lcpl(H5Pcreate(H5P_LINK_CREATE), w, "H5Pcreate");
    check(H5Pset_create_intermediate_group(lcpl.get(), 1), w, "H5Pset_create_intermediate_group");
    const std::string full = dataset_path(name);
    Dataset(H5Dcreate2(file_id(), full.c_str(), type.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT),
            w, "H5Dcreate2");
}

void Hdf5Store::resize(const std::string& name, const std::vector<std::int64_t>& shape) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Dataset d = open_dataset(name);
    const auto dims = to_hsize(shape);
    check(H5Dset_extent(d.get(), dims.data()), where(name), "H5Dset_extent");
}

void Hdf5Store::write_rows(const std::string& name, std::int64_t start, const NdArray& rows) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string w = where(name);
    Dataset d = open_dataset(name);
    const std::int64_t count = rows.ndim() ? rows.shape()[0] : 1;
    if (count == 0) return;
    auto [file, memory] = row_spaces(d.get(), start, count, w);
    if (!writes_rows()) {
        H5Sselect_none(file.get());
        H5Sselect_none(memory.get());
    }
    Datatype memtype = type_of(rows.typestr(), w);
    unflushed_bytes_ += rows.nbytes();
    // Large serial writes into compressed datasets: we compress the chunks (hdf5_direct_chunks.hpp).
    if (const auto direct =
            direct_chunks(!settings_.mpi_comm, d.get(), memtype.get(), count, rows.nbytes(), w)) {
        direct->write(d.get(), start, count, rows.bytes(), w);
        return;
    }
    check(H5Dwrite(d.get(), memtype.get(), memory.get(), file.get(), write_plist(), rows.bytes()), w,
          "H5Dwrite");
}

void Hdf5Store::write_strings(const std::string& name, std::int64_t start,
                              const std::vector<std::string>& rows) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    if (rows.empty()) return;
    const std::string w = where(name);
    Dataset d = open_dataset(name);
    auto [file, memory] = row_spaces(d.get(), start, static_cast<std::int64_t>(rows.size()), w);
    Datatype memtype = utf8_string_type(w);
    std::vector<const char*> raw;
    raw.reserve(rows.size());
    for (const auto& s : rows)
        raw.push_back(s.c_str());
    if (settings_.mpi_comm) // HDF5 1.10 cannot write variable-length data with MPI-IO
        throw NotSupportedError(w +
                                ": strings (JSON values) cannot be written collectively by parallel HDF5");
    for (const auto& r : rows)
        unflushed_bytes_ += r.size() + 16; // and a global heap entry each
    check(H5Dwrite(d.get(), memtype.get(), memory.get(), file.get(), H5P_DEFAULT, raw.data()), w, "H5Dwrite");
}

void Hdf5Store::write_scattered(const std::string& name,
                                const std::vector<std::vector<std::int64_t>>& leading, const NdArray& rows) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string w = where(name);
    Dataset d = open_dataset(name);
    const auto extent = extent_of(d.get(), w);
    Dataspace file(H5Dget_space(d.get()), w, "H5Dget_space");
    check(H5Sselect_none(file.get()), w, "H5Sselect_none");
    // HDF5 pairs memory and file elements in increasing file order: sort the cells by position
    // and merge neighbours along the last leading axis into one hyperslab each.
    std::vector<std::size_t> order(leading.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return leading[a] < leading[b]; });
    const std::size_t row_bytes = leading.empty() ? 0 : rows.nbytes() / leading.size();
    std::vector<std::uint8_t> sorted(rows.nbytes());
    for (std::size_t k = 0; k < order.size(); ++k)
        std::memcpy(sorted.data() + k * row_bytes, rows.bytes() + order[k] * row_bytes, row_bytes);
    // Runs of neighbouring cells: a few become a union of hyperslabs; many (atoms spread over
    // the ranks one by one) a point selection, since HDF5 1.10 merges hyperslab unions in
    // quadratic time.
    std::vector<std::pair<std::size_t, std::size_t>> runs; // (first sorted cell, length)
    for (std::size_t k = 0; k < order.size();) {
        const auto& first = leading[order[k]];
        std::size_t run = 1;
        while (k + run < order.size()) {
            auto next = leading[order[k + run]];
            next.back() -= static_cast<std::int64_t>(run);
            if (next != first) break;
            ++run;
        }
        runs.emplace_back(k, run);
        k += run;
    }
    constexpr std::size_t kMostHyperslabs = 64;
    if (runs.size() <= kMostHyperslabs) {
        for (const auto& [k, run] : runs) {
            const auto& first = leading[order[k]];
            std::vector<hsize_t> start(extent.size(), 0), count(extent.begin(), extent.end());
            for (std::size_t a = 0; a < first.size(); ++a) {
                start[a] = static_cast<hsize_t>(first[a]);
                count[a] = 1;
            }
            count[first.size() - 1] = run;
            check(
                H5Sselect_hyperslab(file.get(), H5S_SELECT_OR, start.data(), nullptr, count.data(), nullptr),
                w, "H5Sselect_hyperslab");
        }
    } else {
        select_points(file.get(), extent, leading, order, w);
    }
    const hsize_t elements = std::max<hsize_t>(1, static_cast<hsize_t>(rows.size()));
    Dataspace memory(H5Screate_simple(1, &elements, nullptr), w, "H5Screate_simple");
    if (rows.size() == 0) check(H5Sselect_none(memory.get()), w, "H5Sselect_none");
    Datatype memtype = type_of(rows.typestr(), w);
    check(H5Dwrite(d.get(), memtype.get(), memory.get(), file.get(), write_plist(), sorted.data()), w,
          "H5Dwrite");
}

void Hdf5Store::remove_array(const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    unlink(dataset_path(name), where(name));
}

void Hdf5Store::unlink(const std::string& path, const std::string& where) {
    if (file_) file_->forget_datasets();
    check(H5Ldelete(file_id(), path.c_str(), H5P_DEFAULT), where, "H5Ldelete");
}

std::optional<std::int64_t> Hdf5Store::get_int_attr(const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Group g = open_group();
    if (!attribute_exists(g.get(), name, location())) return std::nullopt;
    Attribute a(H5Aopen(g.get(), name.c_str(), H5P_DEFAULT), location(), "H5Aopen " + name);
    Datatype t(H5Aget_type(a.get()), location(), "H5Aget_type");
    if (H5Tget_class(t.get()) != H5T_INTEGER)
        throw CorruptDataError(location() + ": attribute '" + name + "' is not an integer");
    std::int64_t v = 0;
    check(H5Aread(a.get(), H5T_NATIVE_INT64, &v), location(), "H5Aread " + name);
    return v;
}

std::optional<std::vector<std::string>> Hdf5Store::get_strings_attr(const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Group g = open_group();
    if (!attribute_exists(g.get(), name, location())) return std::nullopt;
    return read_string_attribute(g.get(), name, location());
}

void Hdf5Store::set_int_attr(const std::string& name, std::int64_t value) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const auto stored = get_int_attr(name);
    if (stored == value) return; // unchanged: nothing for a flush to write (see flush)
    if (name == kFramesAttr && !flushed_frames_) flushed_frames_ = stored.value_or(0);
    Group g = open_group();
    Dataspace scalar(H5Screate(H5S_SCALAR), location(), "H5Screate");
    Datatype t(H5Tcopy(H5T_STD_I64LE), location(), "H5Tcopy");
    write_attribute(g.get(), name, t.get(), scalar, &value, location());
}

void Hdf5Store::set_string_attr(const std::string& name, const std::string& value) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    if (get_strings_attr(name) == std::vector<std::string>{value}) return; // unchanged
    Group g = open_group();
    Dataspace scalar(H5Screate(H5S_SCALAR), location(), "H5Screate");
    Datatype t = utf8_string_type(location());
    const char* raw = value.c_str();
    write_attribute(g.get(), name, t.get(), scalar, &raw, location());
}

void Hdf5Store::set_strings_attr(const std::string& name, const std::vector<std::string>& values) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    // Unchanged lists are not rewritten: a rewrite puts new strings in HDF5's global heap, which a
    // flush cut short (a kill, a full disk) can leave referenced but unwritten.
    if (get_strings_attr(name) == values) return;
    Group g = open_group();
    const hsize_t n = values.size();
    Dataspace space(H5Screate_simple(1, &n, nullptr), location(), "H5Screate_simple");
    Datatype t = utf8_string_type(location());
    std::vector<const char*> raw;
    for (const auto& v : values)
        raw.push_back(v.c_str());
    const char* none = nullptr;
    write_attribute(g.get(), name, t.get(), space, raw.empty() ? &none : raw.data(), location());
}

std::optional<std::string> Hdf5Store::get_array_attr(const std::string& array, const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Dataset d = open_dataset(array);
    if (!attribute_exists(d.get(), name, where(array))) return std::nullopt;
    auto values = read_string_attribute(d.get(), name, where(array));
    if (values.size() != 1)
        throw CorruptDataError(where(array) + ": attribute '" + name + "' is not one string");
    return values[0];
}

void Hdf5Store::set_array_attr(const std::string& array, const std::string& name, const std::string& value) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Dataset d = open_dataset(array);
    Dataspace scalar(H5Screate(H5S_SCALAR), where(array), "H5Screate");
    Datatype t = utf8_string_type(where(array));
    const char* raw = value.c_str();
    write_attribute(d.get(), name, t.get(), scalar, &raw, where(array));
}

std::vector<std::string> Hdf5Store::attr_names() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    Group g = open_group();
    H5O_info_t info;
    check(H5Oget_info2(g.get(), &info, H5O_INFO_NUM_ATTRS), location(), "H5Oget_info2");
    std::vector<std::string> out;
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        Attribute a(H5Aopen_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
                    location(), "H5Aopen_by_idx");
        const ssize_t len = check(H5Aget_name(a.get(), 0, nullptr), location(), "H5Aget_name");
        std::string name(static_cast<std::size_t>(len) + 1, '\0');
        H5Aget_name(a.get(), name.size(), name.data());
        name.resize(static_cast<std::size_t>(len));
        out.push_back(name);
    }
    return out;
}

void Hdf5Store::clear_group() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    flushed_frames_.reset();
    unlink(root_, location());
    Group(H5Gcreate2(file_id(), root_.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), location(),
          "H5Gcreate2");
}

void Hdf5Store::remove_group() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    flushed_frames_.reset();
    unlink(root_, location());
}

// The group's frame count (attribute n_frames, which Python asebytes reads as well) is the
// commit marker: frames that grew it are written, with the marker still at the last flush's
// count, before the new count is. A writer stopped during the first write leaves the old count
// over complete frames; during the second, one count or the other. Then fsync, as LMDB syncs.
// A flush cut short by a full disk leaves a file HDF5 cannot read (it writes metadata in no
// particular order, the superblock last). So the room a flush may need is allocated first, past
// the end of allocation where HDF5 puts new objects: no room, and the flush fails before it
// writes anything. The bound is generous: the data written since the last flush, twice, and
// 1 MiB of metadata.
void Hdf5Store::reserve_flush_space() {
    haddr_t eoa = 0;
    void* handle = nullptr;
    check(H5Fget_eoa(file_id(), &eoa), location(), "H5Fget_eoa");
    check(H5Fget_vfd_handle(file_id(), H5P_DEFAULT, &handle), location(), "H5Fget_vfd_handle");
    const auto room = static_cast<off_t>(2 * unflushed_bytes_ + (std::size_t{1} << 20));
    const int rc = posix_fallocate(*static_cast<int*>(handle), static_cast<off_t>(eoa), room);
    if (rc != 0)
        throw BackendError(location() + ": no room to flush " + std::to_string(unflushed_bytes_) +
                           " bytes of new data (" + std::strerror(rc) + "; is the disk full?)");
    unflushed_bytes_ = 0;
}

void Hdf5Store::flush() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    if (!settings_.mpi_comm) reserve_flush_space();
    if (flushed_frames_ && path_exists(root_)) { // the group may have been removed since
        const auto frames = get_int_attr(kFramesAttr);
        if (frames && *frames > *flushed_frames_) {
            set_int_attr(kFramesAttr, *flushed_frames_);
            check(H5Fflush(file_id(), H5F_SCOPE_GLOBAL), location(), "H5Fflush");
            set_int_attr(kFramesAttr, *frames);
        }
        flushed_frames_.reset();
    }
    check(H5Fflush(file_id(), H5F_SCOPE_GLOBAL), location(), "H5Fflush");
    if (settings_.mpi_comm) return; // MPI-IO syncs in its own close
    void* handle = nullptr;
    check(H5Fget_vfd_handle(file_id(), H5P_DEFAULT, &handle), location(), "H5Fget_vfd_handle");
    if (fsync(*static_cast<int*>(handle)) != 0)
        throw BackendError(location() + ": fsync failed: " + std::strerror(errno));
    file_->publish();
}

} // namespace asebytes::columnar
