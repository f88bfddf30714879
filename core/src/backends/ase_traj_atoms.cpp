// The row of one .traj item, as ASE's TrajectoryReader.__getitem__ / read_atoms build the Atoms
// (with a SinglePointCalculator) and asebytes' atoms_to_dict flattens them: every value gets the
// type and dtype the Atoms constructor gives it (numbers int64, positions and momenta float64...).
#include <optional>

#include "ase_traj_format.hpp"

namespace asebytes::traj {
namespace {

// ase.calculators.calculator.all_properties: the results TrajectoryReader reads back.
constexpr const char* kAllProperties[] = {"energy",  "forces", "stress",  "stresses",    "dipole",
                                          "charges", "magmom", "magmoms", "free_energy", "energies"};

bool is_scalar_property(const std::string& p) { return p == "energy" || p == "magmom" || p == "free_energy"; }

// What ulm's Reader holds under `name`: an array stored under "name." or a JSON value under
// "name" (the later one wins, as in its dict).
struct Field {
    const Value* value = nullptr;
    bool stored_array = false;
    explicit operator bool() const { return value != nullptr; }
};

Field field(const Map& data, const std::string& name) {
    Field f;
    for (const auto& [k, v] : data) {
        if (k == name)
            f = {&v, false};
        else if (k.size() == name.size() + 1 && k.back() == '.' && k.compare(0, name.size(), name) == 0)
            f = {&v, v.kind() == Value::Kind::Map && v.find("ndarray") != nullptr};
    }
    return f;
}

// f(), its errors naming the field.
template <class F> auto in(const std::string& name, F&& f) {
    try {
        return f();
    } catch (const FormatError& e) {
        throw FormatError("'" + name + "': " + e.what());
    }
}

// Reads one item's fields, naming the field in every error.
class ItemReader {
public:
    ItemReader(UlmFile& file, const Item& item) : file_(file), item_(item) {}

    Field get(const std::string& name) const { return field(item_.data, name); }
    Field require(const std::string& name) const {
        Field f = get(name);
        if (!f) throw FormatError("it has no '" + name + "'");
        return f;
    }
    /// The field's shape without reading its bytes.
    std::vector<std::int64_t> shape(const Field& f, const std::string& name) const {
        return in(name, [&] {
            return f.stored_array ? array_spec(*f.value).shape
                                  : numpy_array(*f.value, DType::Float64).shape();
        });
    }
    /// np.array(field, dtype).
    NdArray load(const Field& f, DType dtype, const std::string& name) const {
        return in(name, [&] { return numpy_array(raw(f), dtype); });
    }
    /// The field as ulm returns it: a stored array as it is, a JSON value unchanged.
    Value raw(const Field& f) const {
        if (f.stored_array) return Value(file_.array(*f.value, item_.little_endian));
        return *f.value;
    }

private:
    UlmFile& file_;
    const Item& item_;
};

// Atoms.new_array's check: an array of N atoms, each of `per_atom` shape (any when nullptr).
void check_atoms(const std::vector<std::int64_t>& shape, std::int64_t natoms, const std::string& name,
                 const std::vector<std::int64_t>* per_atom) {
    const bool ok = !shape.empty() && shape[0] == natoms &&
                    (!per_atom || std::vector<std::int64_t>(shape.begin() + 1, shape.end()) == *per_atom);
    if (!ok)
        throw FormatError("'" + name + "' has shape " + shape_text(shape) + ", not that of " +
                          std::to_string(natoms) + " atoms" + (per_atom ? " " + shape_text(*per_atom) : ""));
}

NdArray cell_of(const ItemReader& r) {
    const Field f = r.require("cell");
    if (f.value->is_nil()) return NdArray::zeros(DType::Float64, {3, 3}); // Cell.new(None)
    NdArray cell = r.load(f, DType::Float64, "cell");
    if (cell.shape() == std::vector<std::int64_t>{3, 3}) return cell;
    if (cell.shape() == std::vector<std::int64_t>{3}) { // lengths of an orthorhombic cell
        const auto l = cell.to_vector<double>();
        return NdArray::from<double>({3, 3}, {l[0], 0, 0, 0, l[1], 0, 0, 0, l[2]});
    }
    throw FormatError("'cell' has shape " + shape_text(cell.shape()) + ", not (3, 3)");
}

NdArray pbc_of(const ItemReader& r) {
    NdArray pbc = r.load(r.require("pbc"), DType::Bool, "pbc");
    if (pbc.size() == 1) return NdArray::from<bool>(std::vector<bool>(3, pbc.to_vector<bool>()[0]));
    if (pbc.shape() != std::vector<std::int64_t>{3})
        throw FormatError("'pbc' has shape " + shape_text(pbc.shape()));
    return pbc;
}

// decode(constraints): ASE's JSON of [{"name": ..., "kwargs": ...}, ...], which atoms_to_dict
// gives back as the constraints' todict().
std::optional<Value> constraints_of(const ItemReader& r) {
    const Field f = r.get("constraints");
    if (!f) return std::nullopt;
    if (f.value->kind() != Value::Kind::String) throw FormatError("'constraints' is not a JSON string");
    Value list;
    try {
        list = decode_json(f.value->as_string());
    } catch (const FormatError& e) {
        throw FormatError(std::string("'constraints': ") + e.what());
    }
    if (list.kind() != Value::Kind::List) throw FormatError("'constraints' is not a JSON list");
    for (const auto& c : list.as_list())
        if (c.kind() != Value::Kind::Map || !c.find("name") || !c.find("kwargs"))
            throw FormatError("'constraints' holds something other than {\"name\", \"kwargs\"} objects");
    if (list.as_list().empty()) return std::nullopt;
    return list;
}

void add_calculator(UlmFile& file, const Item& item, const KeyWanted& wanted, Row& row) {
    const Field c = field(item.data, "calculator");
    if (!c) return;
    if (c.stored_array || c.value->kind() != Value::Kind::Map)
        throw FormatError("'calculator' is not an object");
    Item child;
    child.data = c.value->as_map();
    child.little_endian = item.little_endian; // ulm's child readers take their parent's byte order
    const ItemReader r(file, child);
    for (const char* name : kAllProperties) {
        const std::string p = name;
        const Field f = r.get(p);
        // SinglePointCalculator drops None; energies stay as they are, the rest become float64.
        if (!f || f.value->is_nil() || !wanted("calc." + p)) continue;
        row.emplace("calc." + p,
                    is_scalar_property(p) ? r.raw(f) : Value(r.load(f, DType::Float64, "calculator." + p)));
    }
}

void add_info(const ItemReader& r, const KeyWanted& wanted, Row& row) {
    const Field f = r.get("info");
    if (!f || f.value->is_nil()) return;
    if (f.stored_array || f.value->kind() != Value::Kind::Map) throw FormatError("'info' is not an object");
    for (const auto& [k, v] : f.value->as_map())
        if (wanted("info." + k)) row.insert_or_assign("info." + k, v);
}

} // namespace

void check_header_item(const Item& header) {
    for (const char* name : {"version", "pbc", "numbers"})
        if (!field(header.data, name))
            throw FormatError(std::string("item 0 has no '") + name + "' (not written by ASE's Trajectory)");
}

Row read_row(UlmFile& file, const Item& item, const Item& header, const KeyWanted& wanted) {
    const ItemReader r(file, item);
    // An item that repeats numbers has all of the header; the others take item 0's.
    const ItemReader h(file, r.get("numbers") ? item : header);
    Row row;
    const Field numbers = h.require("numbers");
    const auto numbers_shape = h.shape(numbers, "numbers");
    if (numbers_shape.size() != 1) throw FormatError("'numbers' has shape " + shape_text(numbers_shape));
    const std::int64_t natoms = numbers_shape[0];
    if (wanted("arrays.numbers")) row.emplace("arrays.numbers", h.load(numbers, DType::Int64, "numbers"));

    // Every per-atom field: its name in the file, its key, its dtype, its shape per atom.
    static const std::vector<std::int64_t> kVector{3}, kScalar{};
    struct PerAtom {
        const ItemReader& from;
        const char* name;
        const char* key;
        DType dtype;
        const std::vector<std::int64_t>* per_atom;
        bool required;
    };
    const PerAtom per_atom[] = {
        {r, "positions", "arrays.positions", DType::Float64, &kVector, true},
        {h, "masses", "arrays.masses", DType::Float64, &kScalar, false},
        {r, "tags", "arrays.tags", DType::Int64, &kScalar, false},
        {r, "momenta", "arrays.momenta", DType::Float64, &kVector, false},
        {r, "magmoms", "arrays.initial_magmoms", DType::Float64, nullptr, false},
        {r, "charges", "arrays.initial_charges", DType::Float64, &kScalar, false},
    };
    for (const auto& a : per_atom) {
        const Field f = a.required ? a.from.require(a.name) : a.from.get(a.name);
        if (!f || f.value->is_nil()) continue; // Atoms(tags=None): no such array
        check_atoms(a.from.shape(f, a.name), natoms, a.name, a.per_atom);
        if (wanted(a.key)) row.emplace(a.key, a.from.load(f, a.dtype, a.name));
    }
    if (wanted("cell"))
        row.emplace("cell", cell_of(r));
    else
        r.require("cell");
    const NdArray pbc = pbc_of(h);
    if (wanted("pbc")) row.emplace("pbc", pbc);
    if (auto constraints = constraints_of(h); constraints && wanted("constraints"))
        row.emplace("constraints", std::move(*constraints));
    add_info(r, wanted, row);
    add_calculator(file, item, wanted, row);
    return row;
}

} // namespace asebytes::traj
