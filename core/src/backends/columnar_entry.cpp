// The columnar stores' descriptions and registry entries (*.h5 ragged, *.h5p padded).
#include <memory>

#include "asebytes/adapters.hpp"
#include "asebytes/backends/h5md.hpp"
#include "columnar_impl.hpp"
#include "columnar_values.hpp"
#include "h5md_store.hpp"
#include "hdf5_options.hpp"
#include "hdf5_store.hpp"
#include "python_json.hpp"

namespace asebytes {

using namespace columnar;
using Lock = std::lock_guard<std::recursive_mutex>;

// ---------------------------------------------------------------------------------------------

namespace {

BackendMetadata make_metadata(ColumnarLayout layout) {
    BackendMetadata d;
    d.parallel_writes = true;     // open_collective: every rank writes its own atoms
    d.repairs_uncommitted = true; // cut_uncommitted
    const bool ragged = layout == ColumnarLayout::Ragged;
    d.name = ragged ? "h5" : "h5p";
    d.description =
        ragged ? "columnar HDF5, per-atom data concatenated with _offsets/_lengths (Python asebytes' *.h5)"
               : "columnar HDF5, per-atom data padded to the largest frame (Python asebytes' *.h5p)";
    d.extensions = {ragged ? ".h5" : ".h5p"};
    d.native_tier = Tier::Object;
    return d;
}

ColumnarSettings settings_from(const OpenOptions& options, ColumnarLayout layout) {
    const std::string name = ColumnarBackend::describe(layout).name;
    OptionReader reader(options, name);
    ColumnarSettings s;
    s.layout = layout;
    s.readonly = options.readonly;
    s.hdf5 = read_hdf5_options(reader, name);
    reader.finish();
    return s;
}

// The store as every opening of the entry opens it: serial, or on every rank of `mpi_comm`.
std::shared_ptr<ColumnarBackend> open_store(const std::string& path, const OpenOptions& options,
                                            ColumnarLayout layout,
                                            std::shared_ptr<const void> mpi_comm = {}) {
    ColumnarSettings s = settings_from(options, layout);
    s.mpi_comm = std::move(mpi_comm);
    return std::make_shared<ColumnarBackend>(
        path, options.group.value_or(ColumnarBackend::describe(layout).default_group), s);
}

BackendEntry make_entry(ColumnarLayout layout) {
    BackendEntry e;
    e.metadata = &ColumnarBackend::describe(layout);
    e.open_object = [layout](const std::string& path,
                             const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        return open_store(path, options, layout);
    };
    e.list_groups = &ColumnarBackend::list_groups;
    e.repair = [layout](const std::string& path, const OpenOptions& options) {
        open_store(path, options, layout)->cut_uncommitted();
    };
    e.open_collective = [layout](const std::string& path, const OpenOptions& options,
                                 std::shared_ptr<const void> mpi_comm) {
        return open_store(path, options, layout, std::move(mpi_comm));
    };
    return e;
}

} // namespace

const BackendMetadata& ColumnarBackend::describe(ColumnarLayout layout) {
    static const BackendMetadata ragged = make_metadata(ColumnarLayout::Ragged);
    static const BackendMetadata padded = make_metadata(ColumnarLayout::Padded);
    if (layout == ColumnarLayout::H5md) return H5mdBackend::describe();
    return layout == ColumnarLayout::Ragged ? ragged : padded;
}

BackendEntry ColumnarBackend::ragged_entry() { return make_entry(ColumnarLayout::Ragged); }
BackendEntry ColumnarBackend::padded_entry() { return make_entry(ColumnarLayout::Padded); }

std::vector<std::string> ColumnarBackend::list_groups(const std::string& path) {
    return Hdf5Store::list_groups(path);
}

} // namespace asebytes
