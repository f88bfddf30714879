#pragma once
// What `asebytes report` gathers while it streams a store: per-frame scalars (one number per
// frame and plot), per-atom |F| only as fixed-memory histograms per element, species counts and
// the top-k outliers. Frames are sorted into series (a group, or a value of --by info.KEY) that
// the plots overlay.
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/value.hpp"
#include "plot.hpp"

namespace asebytes::cli::report {

/// Boltzmann's constant in eV/K as ASE's ase.units.kB (CODATA 2014, ASE's default).
constexpr double kBoltzmann = 1.38064852e-23 / 1.6021766208e-19;

/// The temperature of a frame as ASE's Atoms.get_temperature(): 2 KE / (dof kB), KE = sum
/// p^2 / 2m, dof = 3N less what FixAtoms (3 per atom) and FixCom (3) remove; nullopt without
/// arrays.momenta, or with a constraint whose removed degrees of freedom are not known here.
std::optional<double> temperature_of(const Row& row);

/// One row that stands out, by its group and position in the group.
struct Outlier {
    double value = 0;
    std::string group;
    std::size_t row = 0;
    std::string series;
};

/// The k largest (or smallest) values seen, in order, in O(k) memory.
class TopK {
public:
    TopK(std::size_t k, bool largest) : k_(k), largest_(largest) {}
    void add(const Outlier& o);
    const std::vector<Outlier>& items() const { return items_; }

private:
    std::size_t k_;
    bool largest_;
    std::vector<Outlier> items_;
};

/// The frames of one series.
struct SeriesData {
    std::string name;
    std::size_t frames = 0;
    std::vector<double> energy_per_atom, max_force, natoms, volume_per_atom;
    std::array<std::vector<double>, 6> stress; ///< Voigt xx yy zz yz xz xy
    std::vector<double> energy_x, energy_y;    ///< calc.energy against step (or row)
    std::vector<double> temperature_x, temperature_y;
    std::map<int, std::size_t> species;                 ///< atoms per element
    std::map<int, StreamingHistogram> force_by_element; ///< |F_i| per element
    std::map<std::string, std::vector<double>> extra;   ///< --keys
};

struct ReportOptions {
    std::optional<std::string> by; ///< info.KEY whose value names a frame's series
    std::vector<std::string> extra_keys;
    std::size_t top_k = 10;
    bool series_per_group = false; ///< without --by: one series per group
};

/// Everything the report plots, filled row by row.
class ReportData {
public:
    explicit ReportData(ReportOptions options);
    /// Folds in row `index` of `group` (nullopt: a placeholder, which adds nothing).
    void add(const std::string& group, std::size_t index, const std::optional<Row>& row);

    const std::vector<SeriesData>& series() const { return series_; }
    const TopK& top_force() const { return top_force_; }
    const TopK& low_energy() const { return low_energy_; }
    const TopK& high_energy() const { return high_energy_; }
    bool steps_seen() const { return steps_seen_; }
    bool rows_without_step() const { return rows_without_step_; }
    std::size_t unknown_constraints() const { return unknown_constraints_; }
    /// Series beyond the palette's eight, folded into "other".
    bool folded_series() const { return folded_; }

private:
    SeriesData& series_for(const std::string& group, const Row& row);
    void add_forces(SeriesData& s, const Row& row, const std::vector<std::int64_t>& numbers,
                    const Outlier& where);

    ReportOptions options_;
    std::vector<SeriesData> series_;
    std::map<std::string, std::size_t> series_index_;
    TopK top_force_, low_energy_, high_energy_;
    bool steps_seen_ = false, rows_without_step_ = false, folded_ = false;
    std::size_t unknown_constraints_ = 0;
};

/// A value as a short label: strings as they are, numbers and bools as Python prints them.
std::string value_label(const Value& v);

} // namespace asebytes::cli::report
