// Writes the bad-input corpus (README.md beside this file): for every persistent backend a valid
// store and damaged copies of it, foreign files under its extension, and malformed msgpack values
// as files and inside an LMDB store. Deterministic: the same files on every run and platform.
//
// Usage: make_bad_corpus GOLDEN_DIR OUT_DIR
#include <hdf5.h>
#include <lmdb.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"
#include "bad_msgpack.hpp"
#include "hdf5_handles.hpp"

namespace fs = std::filesystem;
using namespace asebytes;
using MaybeRow = ObjectReadBackend::MaybeRow;

namespace {

struct BackendKind {
    std::string name;      ///< folder and file-name prefix
    std::string extension; ///< how the registry recognises it
    bool text = false;     ///< a cut file can still be a valid, shorter file
    /// The file the damage goes into, relative to the store: the store itself, or for a store
    /// that is a directory the largest file a valid store has (LMDB: default/data.mdb).
    fs::path data_file;
    /// A store that is a directory: the valid one, whose other files every case shares (Zarr's
    /// zarr.json documents and chunks), without LMDB's lock files.
    fs::path valid_dir;
    /// Read only: the valid store is the golden file, not written here.
    bool readonly = false;
};

// Every backend of the registry whose stores are files, so a new one is in the corpus unasked. A
// read-only backend cannot write its valid store: its golden file `ethanol<extension>` (written
// by the format's own writer, the first 4 ethanol frames) is the valid store.
std::vector<BackendKind> backends_on_disk() {
    std::vector<BackendKind> out;
    for (const auto& e : backends()) {
        const BackendMetadata& m = *e.metadata;
        if (m.storage == Storage::None || (!m.writable && m.storage != Storage::File)) continue;
        out.push_back({m.name, m.extensions.front(), m.text, {}, {}, !m.writable});
    }
    return out;
}

// The largest regular file below `dir`, relative to it.
fs::path largest_file(const fs::path& dir) {
    fs::path best;
    std::uintmax_t best_size = 0;
    for (const auto& f : fs::recursive_directory_iterator(dir))
        if (f.is_regular_file() && (best.empty() || f.file_size() > best_size)) {
            best = fs::relative(f.path(), dir);
            best_size = f.file_size();
        }
    if (best.empty()) throw Error("no file in " + dir.string());
    return best;
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

/// Where the bytes of a store live.
fs::path data_file(const BackendKind& kind, const fs::path& store) {
    return kind.data_file.empty() ? store : store / kind.data_file;
}

/// A store of `kind` at `path` whose data file holds `bytes`.
void write_store(const BackendKind& kind, const fs::path& path, const std::string& bytes) {
    if (!kind.valid_dir.empty()) {
        fs::remove_all(path);
        fs::create_directories(path.parent_path());
        fs::copy(kind.valid_dir, path, fs::copy_options::recursive);
        for (const auto& f : fs::recursive_directory_iterator(path))
            if (f.path().filename() == "lock.mdb") fs::remove(f.path());
    }
    write_bytes(data_file(kind, path), bytes);
}

/// ASE's reading of the golden file keeps some results twice (info.stress and calc.stress); H5MD
/// stores one dataset per quantity, so the copies outside calc.* go.
void drop_shadowed_results(Row& row) {
    for (auto it = row.begin(); it != row.end();) {
        const auto dot = it->first.find('.');
        const bool shadowed = dot != std::string::npos && it->first.compare(0, dot, "calc") != 0 &&
                              row.count("calc" + it->first.substr(dot));
        it = shadowed ? row.erase(it) : std::next(it);
    }
}

/// The bytes of a valid store of `kind` holding `rows`, written through the library (a read-only
/// backend's: its golden file).
std::string valid_store_bytes(BackendKind& kind, const std::vector<MaybeRow>& rows, const fs::path& scratch,
                              const fs::path& golden) {
    if (kind.readonly) {
        const std::string bytes = read_bytes(golden / ("ethanol" + kind.extension));
        if (bytes.empty())
            throw Error("read-only backend " + kind.name + " has no golden file ethanol" + kind.extension);
        return bytes;
    }
    const fs::path path = scratch / ("valid" + kind.extension);
    fs::remove_all(path);
    OpenOptions options;
    if (kind.name == "lmdb") options.options["map_size"] = "1048576"; // keeps data.mdb small
    {
        auto store =
            std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(path.string(), options));
        store->extend(rows);
    }
    if (fs::is_directory(path)) {
        kind.data_file = largest_file(path);
        kind.valid_dir = path;
    }
    return read_bytes(data_file(kind, path));
}

// A minimal PNG (signature, IHDR, IEND) and an SQLite header page: files users mix up with stores.
std::string png_bytes() {
    return std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde"
                       "\0\0\0\0IEND\xae\x42\x60\x82",
                       45);
}

std::string sqlite_bytes() {
    std::string page(4096, '\0');
    const std::string magic("SQLite format 3\0", 16);
    page.replace(0, magic.size(), magic);
    page[16] = 0x10; // page size 4096, big-endian
    page[18] = page[19] = 1;
    return page;
}

/// An HDF5 file of another layout: one group holding one dataset, as any HDF5 writer might make.
std::string foreign_hdf5_bytes(const fs::path& scratch) {
    const fs::path path = scratch / "foreign.hdf5";
    hdf5::silence_errors();
    {
        const std::string where = path.string();
        hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), where, "H5Fcreate");
        hdf5::Group group(H5Gcreate2(file.get(), "measurements", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                          where, "H5Gcreate2");
        const hsize_t dims[1] = {4};
        hdf5::Dataspace space(H5Screate_simple(1, dims, nullptr), where, "H5Screate_simple");
        hdf5::Dataset data(H5Dcreate2(group.get(), "temperature", H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT,
                                      H5P_DEFAULT, H5P_DEFAULT),
                           where, "H5Dcreate2");
        const double values[4] = {293.0, 294.5, 296.0, 297.5};
        hdf5::check(H5Dwrite(data.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), where,
                    "H5Dwrite");
    }
    return read_bytes(path);
}

/// The first bytes a reader checks to recognise the format, overwritten.
std::string with_wrong_magic(const BackendKind& kind, std::string bytes) {
    if (kind.text) return "ethanol\n" + bytes; // the atom-count line is not a number
    if (kind.name == "lmdb") {
        // MDB_meta.mm_magic follows the 16-byte page header of both meta pages (pages 0 and 1).
        const std::size_t page = bytes.size() >= 8192 ? 4096 : bytes.size() / 2;
        for (std::size_t at : {std::size_t{16}, page + 16})
            bytes.replace(at, 4, "JUNK");
        return bytes;
    }
    // HDF5's signature "\x89HDF\r\n\x1a\n"; ULM's (.traj) "- of Ulm" is there too.
    bytes.replace(0, 8, "NOT-HDF5");
    return bytes;
}

/// Byte ranges [first, last) a bit flip may hit.
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// mt19937_64's output is fixed by the C++ standard (unlike the distributions), so the flipped
// positions are the same everywhere.
std::string with_flipped_bits(std::string bytes, std::uint64_t seed, int flips, const Ranges& ranges) {
    std::size_t total = 0;
    for (const auto& [first, last] : ranges)
        total += last - first;
    std::mt19937_64 random(seed);
    for (int i = 0; i < flips; ++i) {
        const std::uint64_t r = random();
        std::size_t at = (r >> 3) % total;
        for (const auto& [first, last] : ranges) {
            if (at < last - first) {
                bytes[first + at] ^= static_cast<char>(1u << (r & 7));
                break;
            }
            at -= last - first;
        }
    }
    return bytes;
}

/// Where flips go: anywhere, but in LMDB only in the two meta records (MDB_meta after the 16-byte
/// header of pages 0 and 1), which are checked when a store opens. LMDB 0.9 follows the page
/// numbers of other pages without checking them against the file (README, Reliability).
Ranges flippable(const BackendKind& kind, std::size_t size) {
    if (kind.name != "lmdb") return {{0, size}};
    constexpr std::size_t kPage = 4096, kMetaRecord = 136;
    return {{16, 16 + kMetaRecord}, {kPage + 16, kPage + 16 + kMetaRecord}};
}

/// The records of the LMDB environment in `dir` in fuzz_lmdb_records' input format (one-byte key
/// length - 1, key, two-byte value length, value): that fuzz target's seed.
std::string lmdb_records_seed(const fs::path& dir) {
    MDB_env* env = nullptr;
    MDB_txn* txn = nullptr;
    MDB_dbi dbi = 0;
    MDB_cursor* cursor = nullptr;
    std::string seed;
    if (mdb_env_create(&env) == MDB_SUCCESS &&
        mdb_env_open(env, dir.c_str(), MDB_RDONLY | MDB_NOLOCK, 0644) == MDB_SUCCESS &&
        mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn) == MDB_SUCCESS &&
        mdb_dbi_open(txn, nullptr, 0, &dbi) == MDB_SUCCESS &&
        mdb_cursor_open(txn, dbi, &cursor) == MDB_SUCCESS) {
        MDB_val key, value;
        for (int op = MDB_FIRST;
             mdb_cursor_get(cursor, &key, &value, static_cast<MDB_cursor_op>(op)) == MDB_SUCCESS;
             op = MDB_NEXT) {
            if (key.mv_size == 0 || key.mv_size > 64 || value.mv_size > 0xffff) continue;
            seed.push_back(static_cast<char>(key.mv_size - 1));
            seed.append(static_cast<const char*>(key.mv_data), key.mv_size);
            seed.push_back(static_cast<char>(value.mv_size & 0xff));
            seed.push_back(static_cast<char>(value.mv_size >> 8));
            seed.append(static_cast<const char*>(value.mv_data), value.mv_size);
        }
    }
    if (cursor) mdb_cursor_close(cursor);
    if (txn) mdb_txn_abort(txn);
    if (env) mdb_env_close(env);
    if (seed.empty()) throw Error("cannot read the records of " + dir.string());
    return seed;
}

struct Corpus {
    fs::path out;
    int written = 0;

    /// `expect` is the folder: must_fail (an asebytes::Error naming the path), may_read (an
    /// error or rows, never a crash), valid (reads without error), hdf5_crashes (not tested).
    void add(const std::string& expect, const BackendKind& kind, const std::string& name,
             const std::string& bytes) {
        write_store(kind, out / expect / kind.name / (name + kind.extension), bytes);
        ++written;
    }
};

/// Flipped files on which HDF5 1.10.8 itself crashes (h5ls -r too): kept apart, out of the test
/// (README.md, HDF5's own crashes).
bool crashes_hdf5(const BackendKind& kind, std::uint64_t seed) { return kind.name == "h5md" && seed == 16; }

void add_backend_cases(Corpus& corpus, const BackendKind& kind, const std::string& valid,
                       const std::vector<std::pair<std::string, std::string>>& foreign) {
    corpus.add("valid", kind, "valid", valid);
    // A text file cut anywhere can still be a shorter, valid file; a binary store must notice.
    const std::string cut = kind.text ? "may_read" : "must_fail";
    for (const auto& [name, keep] :
         std::vector<std::pair<std::string, std::size_t>>{{"truncated-to-1-byte", 1},
                                                          {"truncated-to-a-quarter", valid.size() / 4},
                                                          {"truncated-to-half", valid.size() / 2},
                                                          {"truncated-by-1-byte", valid.size() - 1}})
        corpus.add(cut, kind, name, valid.substr(0, keep));
    corpus.add(kind.text ? "may_read" : "must_fail", kind, "zero-length", "");
    corpus.add("must_fail", kind, "wrong-magic", with_wrong_magic(kind, valid));
    for (const auto& [name, bytes] : foreign)
        corpus.add("must_fail", kind, "foreign-" + name, bytes);
    for (std::uint64_t seed = 1; seed <= 24; ++seed)
        corpus.add(crashes_hdf5(kind, seed) ? "hdf5_crashes" : "may_read", kind,
                   "flipped-4-bits-seed-" + std::to_string(seed),
                   with_flipped_bits(valid, seed, 4, flippable(kind, valid.size())));
}

/// Malformed values as raw files (for the decoder's fuzz target), and each inside an LMDB store
/// as the value of one key of an otherwise good row.
void add_msgpack_cases(Corpus& corpus, const std::vector<MaybeRow>& rows, const fs::path& scratch) {
    for (const auto& bad : test::bad_msgpack_values()) {
        write_bytes(corpus.out / "msgpack" / (bad.name + ".msgpack"), bad.bytes);
        const fs::path path = scratch / ("value-" + bad.name + ".lmdb");
        fs::remove_all(path);
        OpenOptions options;
        options.options["map_size"] = "1048576";
        BlobIO store(path.string(), options);
        BlobRow row = encode_row(*rows.front());
        row["calc.energy"] = bad.bytes;
        store.extend(std::vector<BlobRow>{row});
        fs::remove(path / "default" / "lock.mdb");
        fs::copy(path, corpus.out / "must_fail" / "lmdb" / ("bad-value-" + bad.name + ".lmdb"),
                 fs::copy_options::recursive);
        ++corpus.written;
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_bad_corpus GOLDEN_DIR OUT_DIR\n";
        return 2;
    }
    try {
        Corpus corpus{argv[2]};
        fs::remove_all(corpus.out);
        const fs::path scratch = corpus.out / "scratch";
        fs::create_directories(scratch);
        OpenOptions readonly;
        readonly.readonly = true;
        auto golden = open_object_backend((fs::path(argv[1]) / "ethanol.xyz").string(), readonly);
        auto rows = golden->get_many(Indices{0, 1, 2, 3});
        for (auto& row : rows)
            drop_shadowed_results(*row);
        const std::vector<std::pair<std::string, std::string>> foreign = {
            {"png", png_bytes()},
            {"sqlite", sqlite_bytes()},
            {"hdf5-of-another-layout", foreign_hdf5_bytes(scratch)},
            {"text", "This is a README, not a store.\n"}};
        for (auto& kind : backends_on_disk()) {
            const std::string valid = valid_store_bytes(kind, rows, scratch, argv[1]);
            add_backend_cases(corpus, kind, valid, foreign);
        }
        write_bytes(corpus.out / "fuzz_seeds" / "lmdb_records" / "valid.records",
                    lmdb_records_seed(scratch / "valid.lmdb" / "default"));
        add_msgpack_cases(corpus, rows, scratch);
        fs::remove_all(scratch);
        std::cout << "make_bad_corpus: " << corpus.written << " stores in " << corpus.out.string() << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "make_bad_corpus: " << e.what() << "\n";
        return 1;
    }
}
