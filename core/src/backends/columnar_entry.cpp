// The columnar stores' descriptions and registry entries (*.h5 ragged, *.h5p padded, and their
// Zarr twins *.zarr and *.zarrp).
#include <algorithm>
#include <memory>

#include "asebytes/adapters.hpp"
#include "asebytes/backends/h5md.hpp"
#include "columnar_impl.hpp"
#include "columnar_values.hpp"
#include "h5md_store.hpp"
#include "hdf5_options.hpp"
#include "hdf5_store.hpp"
#include "python_json.hpp"
#include "zarr_store.hpp"

namespace asebytes {

using namespace columnar;
using Lock = std::lock_guard<std::recursive_mutex>;

// ---------------------------------------------------------------------------------------------

namespace {

BackendMetadata make_metadata(ColumnarLayout layout, ColumnarFormat format) {
    BackendMetadata d;
    const bool ragged = layout == ColumnarLayout::Ragged, zarr = format == ColumnarFormat::Zarr;
    d.repairs_uncommitted = true; // cut_uncommitted
    d.native_tier = Tier::Object;
    if (zarr) {
        d.name = ragged ? "zarr" : "zarrp";
        d.description =
            ragged ? "columnar Zarr v3 directory, per-atom data concatenated (Python asebytes' *.zarr)"
                   : "columnar Zarr v3 directory, per-atom data padded (Python asebytes' *.zarrp)";
        d.extensions = {ragged ? ".zarr" : ".zarrp"};
        d.storage = Storage::Directory;
        return d;
    }
    d.parallel_writes = true; // open_collective: every rank writes its own atoms
    d.name = ragged ? "h5" : "h5p";
    d.description =
        ragged ? "columnar HDF5, per-atom data concatenated with _offsets/_lengths (Python asebytes' *.h5)"
               : "columnar HDF5, per-atom data padded to the largest frame (Python asebytes' *.h5p)";
    d.extensions = {ragged ? ".h5" : ".h5p"};
    return d;
}

// The Zarr options (upstream ZarrStore's constructor arguments), and chunk_frames.
ZarrSettings read_zarr_options(OptionReader& reader, const std::string& backend, Hdf5Settings& hdf5) {
    ZarrSettings z;
    z.compressor = reader.get("compressor", z.compressor);
    z.clevel = static_cast<int>(reader.get_size("clevel", 5));
    z.shuffle = reader.get_bool("shuffle", true);
    hdf5.chunk_frames = reader.get_size("chunk_frames", hdf5.chunk_frames);
    static const char* const cnames[] = {"lz4", "lz4hc", "blosclz", "zlib", "zstd", "none"};
    if (std::find(std::begin(cnames), std::end(cnames), z.compressor) == std::end(cnames))
        throw Error(backend + " option 'compressor' must be lz4, lz4hc, blosclz, zlib, zstd or none, got '" +
                    z.compressor + "'");
    if (z.clevel > 9)
        throw Error(backend + " option 'clevel' is a level 0-9, got " + std::to_string(z.clevel));
    if (hdf5.chunk_frames == 0) throw Error(backend + " option 'chunk_frames' must be at least 1");
    return z;
}

ColumnarSettings settings_from(const OpenOptions& options, ColumnarLayout layout, ColumnarFormat format) {
    const std::string name = ColumnarBackend::describe(layout, format).name;
    OptionReader reader(options, name);
    ColumnarSettings s;
    s.layout = layout;
    s.format = format;
    s.readonly = options.readonly;
    if (format == ColumnarFormat::Zarr)
        s.zarr = read_zarr_options(reader, name, s.hdf5);
    else
        s.hdf5 = read_hdf5_options(reader, name);
    reader.finish();
    return s;
}

// The store as every opening of the entry opens it: serial, or on every rank of `mpi_comm`.
std::shared_ptr<ColumnarBackend> open_store(const std::string& path, const OpenOptions& options,
                                            ColumnarLayout layout, ColumnarFormat format,
                                            std::shared_ptr<const void> mpi_comm = {}) {
    ColumnarSettings s = settings_from(options, layout, format);
    s.mpi_comm = std::move(mpi_comm);
    return std::make_shared<ColumnarBackend>(
        path, options.group.value_or(ColumnarBackend::describe(layout, format).default_group), s);
}

BackendEntry make_entry(ColumnarLayout layout, ColumnarFormat format) {
    BackendEntry e;
    e.metadata = &ColumnarBackend::describe(layout, format);
    e.open_object = [layout, format](const std::string& path,
                                     const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        return open_store(path, options, layout, format);
    };
    e.list_groups = format == ColumnarFormat::Zarr ? &ZarrStore::list_groups : &ColumnarBackend::list_groups;
    e.repair = [layout, format](const std::string& path, const OpenOptions& options) {
        open_store(path, options, layout, format)->cut_uncommitted();
    };
    if (e.metadata->parallel_writes)
        e.open_collective = [layout, format](const std::string& path, const OpenOptions& options,
                                             std::shared_ptr<const void> mpi_comm) {
            return open_store(path, options, layout, format, std::move(mpi_comm));
        };
    return e;
}

} // namespace

const BackendMetadata& ColumnarBackend::describe(ColumnarLayout layout, ColumnarFormat format) {
    static const BackendMetadata ragged = make_metadata(ColumnarLayout::Ragged, ColumnarFormat::Hdf5);
    static const BackendMetadata padded = make_metadata(ColumnarLayout::Padded, ColumnarFormat::Hdf5);
    static const BackendMetadata zarr_ragged = make_metadata(ColumnarLayout::Ragged, ColumnarFormat::Zarr);
    static const BackendMetadata zarr_padded = make_metadata(ColumnarLayout::Padded, ColumnarFormat::Zarr);
    if (layout == ColumnarLayout::H5md) return H5mdBackend::describe();
    if (format == ColumnarFormat::Zarr) return layout == ColumnarLayout::Ragged ? zarr_ragged : zarr_padded;
    return layout == ColumnarLayout::Ragged ? ragged : padded;
}

BackendEntry ColumnarBackend::ragged_entry() {
    return make_entry(ColumnarLayout::Ragged, ColumnarFormat::Hdf5);
}
BackendEntry ColumnarBackend::padded_entry() {
    return make_entry(ColumnarLayout::Padded, ColumnarFormat::Hdf5);
}
BackendEntry ColumnarBackend::zarr_ragged_entry() {
    return make_entry(ColumnarLayout::Ragged, ColumnarFormat::Zarr);
}
BackendEntry ColumnarBackend::zarr_padded_entry() {
    return make_entry(ColumnarLayout::Padded, ColumnarFormat::Zarr);
}

std::vector<std::string> ColumnarBackend::list_groups(const std::string& path) {
    return Hdf5Store::list_groups(path);
}

} // namespace asebytes
