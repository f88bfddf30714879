#include "asebytes/backends/h5md.hpp"

#include "asebytes/adapters.hpp"
#include "columnar_values.hpp"
#include "h5md_store.hpp"
#include "hdf5_options.hpp"
#include "python_json.hpp"

namespace asebytes {

namespace {

// Upstream H5MDBackend.extend keeps constraints as JSON text in this info column.
const std::string kConstraintsKey = "info.constraints_json";

// What the columnar table stores for a row (upstream H5MDBackend.extend / set): species as
// float64 (znh5md stores them so), non-empty constraints as JSON text.
Row to_stored(Row row, const std::string& where) {
    auto numbers = row.find("arrays.numbers");
    if (numbers != row.end() && numbers->second.is_array()) {
        const NdArray& a = numbers->second.as_array();
        if (a.dtype() != DType::Float64 && !a.is_scalar())
            numbers->second = Value(NdArray::from<double>(a.shape(), a.to_vector<double>()));
    }
    auto constraints = row.find("constraints");
    if (constraints != row.end()) {
        const Value c = constraints->second;
        row.erase(constraints);
        const bool empty = c.is_nil() || (c.kind() == Value::Kind::List && c.as_list().empty());
        if (!empty) row[kConstraintsKey] = Value(python_json::dumps(c, where + ", key 'constraints'"));
    }
    return row;
}

std::optional<Row> to_stored(const std::optional<Row>& row, const std::string& where) {
    if (!row) return std::nullopt;
    return to_stored(*row, where);
}

// The row as upstream H5MDBackend.get returns it: integer species, constraints parsed back.
std::optional<Row> from_stored(std::optional<Row> row) {
    if (!row) return row;
    auto numbers = row->find("arrays.numbers");
    if (numbers != row->end() && numbers->second.is_array()) {
        const NdArray& a = numbers->second.as_array();
        if (a.dtype() == DType::Float64 || a.dtype() == DType::Float32)
            numbers->second = Value(NdArray::from<std::int64_t>(a.shape(), a.to_vector<std::int64_t>()));
    }
    auto constraints = row->find(kConstraintsKey);
    if (constraints != row->end()) {
        Value text = constraints->second;
        row->erase(constraints);
        if (text.kind() == Value::Kind::String && !text.as_string().empty())
            (*row)["constraints"] = columnar::from_json(text.as_string());
    }
    return row;
}

std::optional<Keys> stored_keys(const std::optional<Keys>& keys) {
    if (!keys) return keys;
    Keys out;
    for (const auto& k : *keys)
        out.push_back(k == "constraints" ? kConstraintsKey : k);
    return out;
}

} // namespace

const BackendMetadata& H5mdBackend::describe() {
    static const BackendMetadata d = [] {
        BackendMetadata m;
        m.name = "h5md";
        m.description = "H5MD 1.1 trajectories as Python asebytes and znh5md write them (particles, "
                        "observables, per-frame box and pbc, padded variable atom counts)";
        m.extensions = {".h5md"};
        m.native_tier = Tier::Object;
        m.default_group = "atoms";
        m.parallel_writes = true;     // open_collective: the padded table, every rank its own atoms
        m.repairs_uncommitted = true; // cut_uncommitted
        return m;
    }();
    return d;
}

H5mdSettings H5mdBackend::settings_from(const OpenOptions& options) {
    const std::string name = describe().name;
    OptionReader reader(options, name);
    H5mdSettings s;
    s.readonly = options.readonly;
    s.author = reader.get("author", "");
    s.hdf5 = read_hdf5_options(reader, name);
    reader.finish();
    return s;
}

BackendEntry H5mdBackend::entry() {
    BackendEntry e;
    e.metadata = &describe();
    e.open_object = [](const std::string& path,
                       const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        return std::make_shared<H5mdBackend>(path, options.group.value_or(describe().default_group),
                                             settings_from(options));
    };
    e.list_groups = &H5mdBackend::list_groups;
    e.repair = [](const std::string& path, const OpenOptions& options) {
        H5mdBackend(path, options.group.value_or(describe().default_group), settings_from(options))
            .cut_uncommitted();
    };
    e.open_collective = [](const std::string& path, const OpenOptions& options,
                           std::shared_ptr<const void> mpi_comm) {
        ColumnarSettings s = columnar_settings(settings_from(options));
        s.mpi_comm = std::move(mpi_comm);
        return std::make_shared<ColumnarBackend>(path, options.group.value_or(describe().default_group), s);
    };
    return e;
}

std::vector<std::string> H5mdBackend::list_groups(const std::string& path) {
    return columnar::H5mdStore::list_groups(path);
}

ColumnarSettings H5mdBackend::columnar_settings(const H5mdSettings& s) {
    ColumnarSettings c;
    c.layout = ColumnarLayout::H5md;
    c.hdf5 = s.hdf5;
    c.readonly = s.readonly;
    c.author = s.author;
    return c;
}

H5mdBackend::H5mdBackend(const std::string& path, const std::string& group, H5mdSettings settings)
    : table_(std::make_unique<ColumnarBackend>(path, group, columnar_settings(settings))) {}

H5mdBackend::MaybeRow H5mdBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    return from_stored(table_->get(index, stored_keys(keys)));
}

std::vector<H5mdBackend::MaybeRow> H5mdBackend::get_many(const Indices& indices,
                                                         const std::optional<Keys>& keys) {
    auto rows = table_->get_many(indices, stored_keys(keys));
    for (auto& r : rows)
        r = from_stored(std::move(r));
    return rows;
}

Keys H5mdBackend::keys(std::size_t index) {
    Keys out;
    if (auto row = get(index))
        for (const auto& kv : *row)
            out.push_back(kv.first);
    return out;
}

std::size_t H5mdBackend::extend(const std::vector<MaybeRow>& rows) {
    std::vector<MaybeRow> stored;
    stored.reserve(rows.size());
    for (const auto& r : rows)
        stored.push_back(to_stored(r, location()));
    return table_->extend(stored);
}

std::size_t H5mdBackend::extend_collective(const std::vector<LocalFrame>& frames) {
    std::vector<LocalFrame> stored = frames;
    for (auto& f : stored) {
        f.global = to_stored(std::move(f.global), location());
        f.local = to_stored(std::move(f.local), location());
    }
    return table_->extend_collective(stored);
}

void H5mdBackend::set(std::size_t index, const MaybeRow& row) {
    table_->set(index, to_stored(row, location()));
}

void H5mdBackend::insert(std::size_t index, const MaybeRow& row) {
    table_->insert(index, to_stored(row, location()));
}

void H5mdBackend::update(std::size_t index, const RowType& fields) { update_many(index, {fields}); }

void H5mdBackend::set_many(std::size_t start, const std::vector<MaybeRow>& rows) {
    std::vector<MaybeRow> stored;
    for (const auto& r : rows)
        stored.push_back(to_stored(r, location()));
    table_->set_many(start, stored);
}

void H5mdBackend::update_many(std::size_t start, const std::vector<RowType>& rows) {
    std::vector<RowType> stored;
    for (const auto& r : rows) {
        RowType s = to_stored(r, location());
        // An update that empties the constraints must clear the stored text too.
        auto c = r.find("constraints");
        if (c != r.end() && !s.count(kConstraintsKey)) s[kConstraintsKey] = Value();
        stored.push_back(std::move(s));
    }
    table_->update_many(start, stored);
}

void H5mdBackend::set_column(const std::string& key, std::size_t start, const std::vector<Value>& values) {
    std::vector<RowType> rows;
    for (const auto& v : values)
        rows.push_back(RowType{{key, v}});
    update_many(start, rows);
}

void H5mdBackend::drop_keys(const Keys& keys, const std::optional<Indices>& indices) {
    table_->drop_keys(*stored_keys(keys), indices);
}

} // namespace asebytes
