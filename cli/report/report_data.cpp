#include "report_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "asebytes/elements.hpp"

namespace asebytes::cli::report {

namespace {

std::optional<double> number_of(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Float:
    case Value::Kind::Int:
    case Value::Kind::UInt:
        return v.as_double();
    case Value::Kind::Bool:
        return v.as_bool() ? 1.0 : 0.0;
    case Value::Kind::Array:
        if (v.as_array().size() == 1) return v.as_array().to_vector<double>()[0];
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

const Value* find(const Row& row, const std::string& key) {
    const auto it = row.find(key);
    return it == row.end() ? nullptr : &it->second;
}

std::optional<double> number_at(const Row& row, const std::string& key) {
    const Value* v = find(row, key);
    return v ? number_of(*v) : std::nullopt;
}

std::optional<std::vector<double>> doubles_at(const Row& row, const std::string& key) {
    const Value* v = find(row, key);
    if (!v || !v->is_array()) return std::nullopt;
    return v->as_array().to_vector<double>();
}

// How many items a constraint's index list holds (a list or an array).
std::size_t length_of(const Value* v) {
    if (!v) return 0;
    if (v->kind() == Value::Kind::List) return v->as_list().size();
    if (v->is_array()) return v->as_array().size();
    return 0;
}

// The degrees of freedom ASE's get_removed_dof() takes away; nullopt for constraints not known
// here (then no temperature rather than a wrong one).
std::optional<double> removed_dof(const Row& row) {
    const Value* constraints = find(row, "constraints");
    if (!constraints || constraints->kind() != Value::Kind::List) return 0.0;
    double removed = 0;
    for (const Value& c : constraints->as_list()) {
        const Value* name = c.kind() == Value::Kind::Map ? c.find("name") : nullptr;
        if (!name || name->kind() != Value::Kind::String) return std::nullopt;
        const Value* kwargs = c.find("kwargs");
        if (name->as_string() == "FixAtoms" && kwargs && kwargs->kind() == Value::Kind::Map)
            removed += 3.0 * static_cast<double>(length_of(kwargs->find("indices")));
        else if (name->as_string() == "FixCom")
            removed += 3.0;
        else
            return std::nullopt;
    }
    return removed;
}

std::vector<std::int64_t> numbers_of(const Row& row) {
    const Value* v = find(row, "arrays.numbers");
    if (!v || !v->is_array()) return {};
    return v->as_array().to_vector<std::int64_t>();
}

std::optional<double> temperature_or_unknown(const Row& row, bool& unknown_constraint) {
    unknown_constraint = false;
    const auto momenta = doubles_at(row, "arrays.momenta");
    const auto numbers = numbers_of(row);
    if (!momenta || numbers.empty() || momenta->size() != 3 * numbers.size()) return std::nullopt;
    const auto masses = doubles_at(row, "arrays.masses");
    double kinetic = 0;
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        const double m = masses && masses->size() == numbers.size()
                             ? (*masses)[i]
                             : asebytes::standard_mass(static_cast<int>(numbers[i]));
        if (!(m > 0)) return std::nullopt;
        const double* p = momenta->data() + 3 * i;
        kinetic += 0.5 * (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]) / m;
    }
    const auto removed = removed_dof(row);
    if (!removed) {
        unknown_constraint = true;
        return std::nullopt;
    }
    const double dof = 3.0 * static_cast<double>(numbers.size()) - *removed;
    if (!(dof > 0)) return std::nullopt;
    return 2 * kinetic / (dof * kBoltzmann);
}

// calc.stress as Voigt xx yy zz yz xz xy, from 6 values or a 3x3 tensor.
std::optional<std::array<double, 6>> voigt_stress(const Row& row) {
    const auto s = doubles_at(row, "calc.stress");
    if (!s) return std::nullopt;
    if (s->size() == 6) return std::array<double, 6>{(*s)[0], (*s)[1], (*s)[2], (*s)[3], (*s)[4], (*s)[5]};
    if (s->size() == 9) return std::array<double, 6>{(*s)[0], (*s)[4], (*s)[8], (*s)[5], (*s)[2], (*s)[1]};
    return std::nullopt;
}

std::optional<double> cell_volume(const Row& row) {
    const auto c = doubles_at(row, "cell");
    if (!c || c->size() != 9) return std::nullopt;
    const auto& a = *c;
    const double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
                       a[2] * (a[3] * a[7] - a[4] * a[6]);
    if (!(std::abs(det) > 0)) return std::nullopt; // no cell (molecules)
    return std::abs(det);
}

} // namespace

std::optional<double> temperature_of(const Row& row) {
    bool unknown = false;
    return temperature_or_unknown(row, unknown);
}

void TopK::add(const Outlier& o) {
    if (!std::isfinite(o.value) || k_ == 0) return;
    const auto before = [this](const Outlier& a, const Outlier& b) {
        return largest_ ? a.value > b.value : a.value < b.value;
    };
    if (items_.size() == k_ && !before(o, items_.back())) return;
    items_.insert(std::upper_bound(items_.begin(), items_.end(), o, before), o);
    if (items_.size() > k_) items_.pop_back();
}

std::string value_label(const Value& v) {
    char buf[32];
    switch (v.kind()) {
    case Value::Kind::String:
        return v.as_string();
    case Value::Kind::Bool:
        return v.as_bool() ? "True" : "False";
    case Value::Kind::Int:
        return std::to_string(v.as_int());
    case Value::Kind::UInt:
        return std::to_string(v.as_uint());
    case Value::Kind::Float:
        std::snprintf(buf, sizeof buf, "%g", v.as_double());
        return buf;
    case Value::Kind::Nil:
        return "None";
    default:
        break;
    }
    if (auto x = number_of(v)) {
        std::snprintf(buf, sizeof buf, "%g", *x);
        return buf;
    }
    return v.type_name();
}

ReportData::ReportData(ReportOptions options)
    : options_(std::move(options)), top_force_(options_.top_k, true), low_energy_(options_.top_k, false),
      high_energy_(options_.top_k, true) {}

SeriesData& ReportData::series_for(const std::string& group, const Row& row) {
    std::string name = group;
    if (options_.by) {
        const Value* v = find(row, *options_.by);
        const std::string label = v ? value_label(*v) : "(none)";
        name = options_.series_per_group ? group + " / " + label : label;
    }
    if (auto it = series_index_.find(name); it != series_index_.end()) return series_[it->second];
    constexpr std::size_t kNamedSeries = 7; // the eighth colour is "other"
    if (series_.size() >= kNamedSeries) {
        folded_ = true;
        name = "other";
        if (auto it = series_index_.find(name); it != series_index_.end()) return series_[it->second];
    }
    series_index_[name] = series_.size();
    series_.emplace_back();
    series_.back().name = name;
    return series_.back();
}

void ReportData::add_forces(SeriesData& s, const Row& row, const std::vector<std::int64_t>& numbers,
                            const Outlier& where) {
    const auto f = doubles_at(row, "calc.forces");
    if (!f || f->size() < 3) return;
    const std::size_t atoms = f->size() / 3;
    double largest = 0;
    for (std::size_t i = 0; i < atoms; ++i) {
        const double* v = f->data() + 3 * i;
        const double norm = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        largest = std::max(largest, norm);
        const int z = numbers.size() == atoms ? static_cast<int>(numbers[i]) : 0;
        s.force_by_element[z].add(norm);
    }
    s.max_force.push_back(largest);
    Outlier o = where;
    o.value = largest;
    top_force_.add(o);
}

void ReportData::add(const std::string& group, std::size_t index, const std::optional<Row>& row) {
    if (!row) return;
    SeriesData& s = series_for(group, *row);
    ++s.frames;
    const Outlier where{0, group, index, s.name};
    const auto numbers = numbers_of(*row);
    const double n = static_cast<double>(numbers.size());
    if (find(*row, "arrays.numbers")) s.natoms.push_back(n);
    for (auto z : numbers)
        ++s.species[static_cast<int>(z)];
    const auto step = number_at(*row, "info.step");
    (step ? steps_seen_ : rows_without_step_) = true;
    const double x = step ? *step : static_cast<double>(index);
    if (const auto e = number_at(*row, "calc.energy")) {
        s.energy_x.push_back(x);
        s.energy_y.push_back(*e);
        if (n > 0) {
            s.energy_per_atom.push_back(*e / n);
            Outlier o = where;
            o.value = *e / n;
            low_energy_.add(o);
            high_energy_.add(o);
        }
    }
    add_forces(s, *row, numbers, where);
    if (const auto stress = voigt_stress(*row))
        for (std::size_t c = 0; c < 6; ++c)
            s.stress[c].push_back((*stress)[c]);
    if (const auto volume = cell_volume(*row); volume && n > 0) s.volume_per_atom.push_back(*volume / n);
    bool unknown = false;
    if (const auto t = temperature_or_unknown(*row, unknown)) {
        s.temperature_x.push_back(x);
        s.temperature_y.push_back(*t);
    }
    if (unknown) ++unknown_constraints_;
    for (const auto& key : options_.extra_keys)
        if (const auto v = number_at(*row, key)) s.extra[key].push_back(*v);
}

} // namespace asebytes::cli::report
