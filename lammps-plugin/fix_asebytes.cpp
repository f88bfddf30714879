/* fix asebytes: see fix_asebytes.h and README.md. The fix stays thin: it reads LAMMPS's data on
   output steps, converts units, and hands the rest to asebytes::mpi (FrameGatherer, then a
   BufferedWriter on rank 0 that writes to any asebytes backend; with `parallel yes`, for HDF5
   stores under mpirun, a CollectiveColumnarWriter with which every rank writes its own atoms). */
#include "fix_asebytes.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "ase_units.hpp"
#include "asebytes/backend.hpp"
#include "asebytes/elements.hpp"
#include "asebytes/mpi/frame_writer.hpp"
#include "asebytes/registry.hpp"
#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "domain.h"
#include "error.h"
#include "fix_options.hpp"
#include "force.h"
#include "frame_repeat.hpp"
#include "input.h"
#include "modify.h"
#include "output_stage.h"
#include "update.h"
#include "utils.h"
#include "variable.h"

using namespace LAMMPS_NS;
using namespace FixConst;
using asebytes::DType;
using asebytes::NdArray;
using asebytes::Row;
using asebytes::Value;

// Where an `array` or `info` value comes from, resolved in init() for each run.
struct FixASEBytes::Source {
    enum Kind { COMPUTE, FIX, VARIABLE, INT_CUSTOM, DOUBLE_CUSTOM } kind = COMPUTE;
    std::string key, id; // flat key; compute/fix/variable/property name
    int index = -1;      // compute, fix, variable or custom-property index
    int column = 0;      // 1-based column or vector element, 0 for all of it
    int width = 0;       // per-atom: 0 for (N,), else columns; per-frame: 0 scalar, else length
};

// One per-atom column of the frame: what the gatherer knows of it (key, dtype, width) and how
// this rank's atoms of the group fill it, out[k * max(width, 1) + c] for atom mine[k]. One table,
// so that the gatherer's columns and the packed values cannot disagree.
struct FixASEBytes::AtomColumn {
    asebytes::mpi::Column column;
    std::function<void(const std::vector<int>& mine, double* out)> doubles;    // Float64
    std::function<void(const std::vector<int>& mine, std::int64_t* out)> ints; // Int64
    std::vector<double> d; // this frame's values, kept from frame to frame
    std::vector<std::int64_t> i;
};

static std::string store_path(const std::string& store);

// Stores the fixes of this process write, by path, with the ID of the fix writing each: two
// fixes on one store would interleave their frames.
static std::map<std::string, std::string>& stores_in_use() {
    static std::map<std::string, std::string> in_use;
    return in_use;
}

static std::string store_key(const std::string& store) {
    if (store.find("://") != std::string::npos) return store;
    std::error_code ec;
    const auto path = std::filesystem::weakly_canonical(std::filesystem::absolute(store), ec);
    return ec ? store : path.string();
}

Fix* FixASEBytes::create(LAMMPS* lmp, int narg, char** arg) {
    return new FixASEBytes(lmp, narg, arg); // LAMMPS owns fixes and deletes them itself
}

FixASEBytes::FixASEBytes(LAMMPS* lmp, int narg, char** arg) : Fix(lmp, narg, arg) {
    std::vector<std::string> args(arg + 3, arg + narg);
    try {
        opt_ = std::make_unique<asebytes::lammps::FixOptions>(
            asebytes::lammps::FixOptions::parse(args, atom->ntypes));
    } catch (const std::exception& e) {
        error->all(FLERR, std::string("fix asebytes: ") + e.what());
    }
    nevery = opt_->every;

    const std::string style = update->unit_style;
    if (opt_->ase_units) {
        auto u = asebytes::lammps::AseUnits::for_style(style);
        if (!u)
            error->all(FLERR,
                       "fix asebytes: units " + style +
                           " has no conversion to ASE units: add 'units native' to store LAMMPS's own units");
        units_ = std::make_unique<asebytes::lammps::AseUnits>(*u);
    } else {
        units_ = std::make_unique<asebytes::lammps::AseUnits>(asebytes::lammps::AseUnits::native());
    }
    // The potential energy (and virial) of a subset of the atoms is not defined: LAMMPS's computes
    // give the whole system's, which stored with the group's atoms would be a wrong label.
    if (igroup != 0 && (opt_->energy || opt_->stress))
        fail_all(std::string("group ") + arg[1] +
                 " is not all: LAMMPS's energy and stress are the whole system's, not the group's; "
                 "store the group's atoms with 'energy no stress no'");
    if (opt_->charges && !atom->q_flag)
        fail_all("keyword 'charges yes' needs an atom style with charges (q)");

    // Computes the fix owns (README.md, Labels). labels potential: the force field's terms only,
    // the ones whose forces pre_reverse copies; labels total: everything, fixes included, as thermo.
    const std::string terms = opt_->potential_labels ? " pair bond angle dihedral improper kspace" : "";
    if (opt_->energy && opt_->pe_compute.empty()) {
        if (opt_->potential_labels) {
            id_pe_ = std::string(id) + "_asebytes_pe";
            modify->add_compute(id_pe_ + " all pe" + terms);
            opt_->pe_compute = id_pe_;
        } else {
            opt_->pe_compute = "thermo_pe";
        }
    }
    if (opt_->stress) {
        id_press_ = std::string(id) + "_asebytes_press";
        const std::string kinetic = opt_->potential_labels ? "thermo_temp ke" + terms : "thermo_temp";
        modify->add_compute(id_press_ + " all pressure " +
                            (opt_->kinetic_stress     ? kinetic
                             : opt_->potential_labels ? "NULL" + terms
                                                      : "NULL virial"));
    }
    if (opt_->peratom_energy) {
        id_peatom_ = std::string(id) + "_asebytes_peatom";
        modify->add_compute(id_peatom_ + " all pe/atom" + terms);
    }
    if (opt_->forces && opt_->potential_labels) comm_reverse = 3; // ghosts' forces to their owners

    try {
        store_ = store_path(opt_->store);
    } catch (const std::exception& e) {
        fail_all(e.what());
    }
    if (opt_->parallel && !asebytes::backend_for(store_).metadata->parallel_writes)
        fail_all("keyword 'parallel yes' needs a store every rank can write (.h5, .h5p, .h5md); " + store_ +
                 " is backend " + asebytes::backend_for(store_).metadata->name);
    // Rank 0 opens the store; everybody learns whether that worked, so the error is collective.
    std::string failure;
    if (comm->me == 0) {
        try {
            open_store();
        } catch (const std::exception& e) {
            failure = e.what();
        }
    }
    int len = static_cast<int>(failure.size());
    MPI_Bcast(&len, 1, MPI_INT, 0, world);
    failure.resize(static_cast<std::size_t>(len));
    MPI_Bcast(failure.data(), len, MPI_CHAR, 0, world);
    if (!failure.empty()) error->all(FLERR, "fix asebytes: " + failure);
    in_use_key_ = store_key(store_);
    stores_in_use()[in_use_key_] = id;
    MPI_Bcast(&last_step_, 1, MPI_LMP_BIGINT, 0, world);
    asebytes::mpi::WriterLimits limits;
    limits.max_frames = opt_->buffer_frames;
    limits.max_bytes = opt_->buffer_bytes;
    limits.batch_frames = std::max<std::size_t>(1, std::min<std::size_t>(limits.max_frames, 64));
    try {
        writer_ = asebytes::mpi::open_frame_writer(world, store_, open_options(), limits, std::move(opened_),
                                                   opt_->parallel ? asebytes::mpi::ParallelWrites::EveryRank
                                                                  : asebytes::mpi::ParallelWrites::Gather);
    } catch (const std::exception& e) {
        error->one(FLERR, "fix asebytes: opening " + store_ + " for writing failed: " + e.what());
    }
    output_stage_ = std::make_unique<OutputStage>(lmp, id, nevery, [this] { record(); });
    // The next run does its setup even with `pre no`, as the very first run does (Run::command):
    // the fix (and its output stage) are initialised there. A run without it would leave them,
    // like any dump defined since the last run, uninitialised.
    update->first_update = 0;
}

FixASEBytes::~FixASEBytes() {
    output_stage_.reset();
    if (!in_use_key_.empty()) stores_in_use().erase(in_use_key_);
    if (writer_) {
        try {
            writer_->close();
        } catch (const std::exception& e) {
            if (screen)
                fprintf(screen, "WARNING: fix asebytes: closing %s failed: %s\n", store_.c_str(), e.what());
        }
    }
    for (const auto& cid : {id_pe_, id_press_, id_peatom_})
        if (!cid.empty() && modify->find_compute(cid) >= 0) modify->delete_compute(cid);
}

// Frames are recorded at the output stage (output_stage.h); the fix's own hook is pre_reverse,
// where the force field's forces are complete and no fix has changed them yet.
int FixASEBytes::setmask() { return opt_->forces && opt_->potential_labels ? PRE_REVERSE : 0; }

// A bare path becomes an LMDB store (the embedded default), with the extension Python expects.
static std::string store_path(const std::string& store) {
    if (store.find("://") != std::string::npos) return store;
    try {
        asebytes::backend_for(store);
        return store;
    } catch (const asebytes::Error&) {
        const auto slash = store.find_last_of('/');
        const std::string name = slash == std::string::npos ? store : store.substr(slash + 1);
        if (name.find('.') == std::string::npos) return store + ".lmdb";
        throw;
    }
}

asebytes::OpenOptions FixASEBytes::open_options() const {
    asebytes::OpenOptions o;
    o.group = opt_->store_group;
    o.options = opt_->backend_options;
    return o;
}

// Rank 0: the store as it is (an error when it holds frames and neither append nor overwrite
// says what to do), and, with append, what the repeat rule needs of its last frame.
void FixASEBytes::open_store() {
    const auto user = stores_in_use().find(store_key(store_));
    if (user != stores_in_use().end())
        throw asebytes::Error(
            store_ + " is already written by fix " + user->second + " (fix " + id +
            " would interleave its frames with it): give each fix its own store, or unfix " + user->second +
            " first");
    auto backend = std::dynamic_pointer_cast<asebytes::ObjectReadWriteBackend>(
        asebytes::open_object_backend(store_, open_options()));
    if (!backend) throw asebytes::Error(store_ + " cannot be written");
    const std::size_t n = backend->size();
    frames_before_ = opt_->overwrite ? 0 : n;
    if (!opt_->flush_log.empty()) {
        flush_log_.open(opt_->flush_log, std::ios::app);
        if (!flush_log_) throw asebytes::Error("cannot open the flushlog file " + opt_->flush_log);
    }
    if (n > 0) {
        if (opt_->overwrite) {
            backend->clear();
        } else if (opt_->append) {
            auto last = backend->get_column("info.step", {n - 1}).front();
            if (last) {
                last_step_ = last->as_int();
                last_stored_ = backend->get(n - 1, asebytes::lammps::configuration_keys());
            }
        } else {
            throw asebytes::Error(
                backend->location() + " already holds " + std::to_string(n) +
                " frames: use 'append yes' to add to them or 'overwrite yes' to replace them");
        }
    }
    opened_ = std::move(backend);
}

void FixASEBytes::fail_all(const std::string& message) { error->all(FLERR, "fix asebytes: " + message); }

void FixASEBytes::init() {
    // rRESPA computes the forces level by level (pre_reverse sees one level's at a time) and sums
    // them only at the end: the force field's forces are never whole where the fix could take them.
    if (opt_->forces && opt_->potential_labels && utils::strmatch(update->integrate_style, "^respa"))
        fail_all(
            "run_style " + std::string(update->integrate_style) +
            " splits the forces by level: 'labels potential' cannot take the force field's forces there; use "
            "'labels total' (forces as dump fx) or 'forces no'");
        // The GPU package adds the device's pair forces to atom->f only in its own post_force, after
        // pre_reverse (LAMMPS's src/GPU/fix_gpu.cpp); not testable with Debian's LAMMPS, which has no GPU.
#if LAMMPS_VERSION_NUMBER >= 20211214
    const bool gpu = !modify->get_fix_by_style("^GPU$").empty();
#else
    const bool gpu = modify->find_fix_by_style("^GPU$") >= 0;
#endif
    if (opt_->forces && opt_->potential_labels && gpu)
        fail_all("the GPU package adds the pair forces after the fix could take them: 'labels potential' "
                 "cannot be "
                 "used with it; use 'labels total' (forces as dump fx) or 'forces no'");
    if (opt_->energy) {
        const int ipe = modify->find_compute(opt_->pe_compute);
        if (ipe < 0) fail_all("energy compute '" + opt_->pe_compute + "' does not exist");
        if (!modify->compute[ipe]->peflag)
            fail_all("compute '" + opt_->pe_compute + "' (style " + modify->compute[ipe]->style +
                     ") does not compute a potential energy");
    }
    if (!opt_->if_variable.empty()) {
        ivar_if_ = input->variable->find(opt_->if_variable.c_str());
        if (ivar_if_ < 0) fail_all("keyword 'if': variable '" + opt_->if_variable + "' does not exist");
        if (!input->variable->equalstyle(ivar_if_))
            fail_all("keyword 'if': variable '" + opt_->if_variable + "' is not equal-style");
    }
    resolve_species();
    array_sources_.clear();
    info_sources_.clear();
    for (const auto& a : opt_->arrays) {
        array_sources_.push_back(resolve(a.source, true));
        array_sources_.back().key = "arrays." + a.key;
    }
    for (const auto& i : opt_->infos) {
        info_sources_.push_back(resolve(i.source, false));
        info_sources_.back().key = "info." + i.key;
    }
    build_columns();
}

// type -> atomic number, from `elements` or from the per-type masses.
void FixASEBytes::resolve_species() {
    type_to_z_.assign(atom->ntypes + 1, 0);
    if (!opt_->elements.empty()) {
        for (int t = 1; t <= atom->ntypes; ++t)
            type_to_z_[t] = asebytes::atomic_number(opt_->elements[t - 1]);
        return;
    }
    const auto amu = asebytes::lammps::AseUnits::for_style(update->unit_style);
    if (!amu)
        fail_all("units " + std::string(update->unit_style) + ": give the species with 'elements E1 E2 ...'");
    if (!atom->mass || atom->rmass_flag)
        fail_all("per-atom masses: give the species with 'elements E1 E2 ...'");
    for (int t = 1; t <= atom->ntypes; ++t) {
        if (!atom->mass_setflag[t])
            fail_all("atom type " + std::to_string(t) + " has no mass: use 'elements'");
        const double m = atom->mass[t] * amu->mass;
        const auto guess = asebytes::guess_element(m);
        if (!guess.number)
            fail_all("atom type " + std::to_string(t) + " has mass " + std::to_string(m) +
                     " amu, which is no element's: give the species with 'elements E1 E2 ...'");
        if (guess.ambiguous_with)
            fail_all("atom type " + std::to_string(t) + " has mass " + std::to_string(m) +
                     " amu: " + asebytes::element_symbol(guess.number) + " or " +
                     asebytes::element_symbol(guess.ambiguous_with) + "? Give the species with 'elements'");
        type_to_z_[t] = guess.number;
    }
}

// What is wrong with a compute's or fix's output for `array` (per_atom) or `info`, or "" (both
// name their outputs alike); sets the width of a whole per-atom array or global vector.
template <class T> static std::string output_problem(const T& o, bool per_atom, int column, int& width) {
    if (per_atom) {
        if (!o.peratom_flag) return "has no per-atom values";
        if (column > o.size_peratom_cols) return "has " + std::to_string(o.size_peratom_cols) + " columns";
        if (column == 0) width = o.size_peratom_cols;
        return "";
    }
    if (column > 0)
        return o.vector_flag && column <= o.size_vector
                   ? ""
                   : "has no global vector element " + std::to_string(column);
    if (o.scalar_flag) return "";
    if (!o.vector_flag) return "has no global scalar or vector";
    width = o.size_vector;
    return "";
}

FixASEBytes::Source FixASEBytes::resolve(const std::string& text, bool per_atom) {
    Source s;
    const auto open = text.find('[');
    s.id = text.substr(2, open == std::string::npos ? std::string::npos : open - 2);
    if (open != std::string::npos) s.column = std::stoi(text.substr(open + 1));
    const std::string what = (per_atom ? "keyword 'array' " : "keyword 'info' ") + text + ": ";
    switch (text[0]) {
    case 'c': {
        s.kind = Source::COMPUTE;
        s.index = modify->find_compute(s.id);
        if (s.index < 0) fail_all(what + "compute '" + s.id + "' does not exist");
        const std::string problem = output_problem(*modify->compute[s.index], per_atom, s.column, s.width);
        if (!problem.empty()) fail_all(what + "compute '" + s.id + "' " + problem);
        break;
    }
    case 'f': {
        s.kind = Source::FIX;
        s.index = modify->find_fix(s.id);
        if (s.index < 0) fail_all(what + "fix '" + s.id + "' does not exist");
        const Fix& f = *modify->fix[s.index];
        const std::string problem = output_problem(f, per_atom, s.column, s.width);
        if (!problem.empty()) fail_all(what + "fix '" + s.id + "' " + problem);
        if (nevery % (per_atom ? f.peratom_freq : f.global_freq))
            fail_all(what + "fix '" + s.id + "' is not ready every " + std::to_string(nevery) + " steps");
        break;
    }
    case 'v': {
        s.kind = Source::VARIABLE;
        s.index = input->variable->find(s.id.c_str());
        if (s.index < 0) fail_all(what + "variable '" + s.id + "' does not exist");
        if (per_atom ? !input->variable->atomstyle(s.index) : !input->variable->equalstyle(s.index))
            fail_all(what + "variable '" + s.id + "' is not " + (per_atom ? "atom" : "equal") + "-style");
        break;
    }
    default: { // i_name, d_name
        int flag = 0, cols = 0;
        s.index = atom->find_custom(s.id.c_str(), flag, cols);
        const bool want_int = text[0] == 'i';
        if (s.index < 0 || flag != (want_int ? 0 : 1) || cols != 0)
            fail_all(what + "no per-atom " + (want_int ? "integer" : "floating-point") + " vector '" + s.id +
                     "'");
        s.kind = want_int ? Source::INT_CUSTOM : Source::DOUBLE_CUSTOM;
    }
    }
    return s;
}

static Compute* invoked_peratom(Compute* c) {
    if (!(c->invoked_flag & Compute::INVOKED_PERATOM)) {
        c->compute_peratom();
        c->invoked_flag |= Compute::INVOKED_PERATOM;
    }
    return c;
}

void FixASEBytes::build_columns() {
    columns_.clear();
    using Atoms = const std::vector<int>&;
    auto doubles = [this](std::string key, std::size_t width, std::function<void(Atoms, double*)> fill) {
        columns_.push_back({{std::move(key), DType::Float64, width}, std::move(fill), nullptr, {}, {}});
    };
    auto ints = [this](std::string key, std::function<void(Atoms, std::int64_t*)> fill) {
        columns_.push_back({{std::move(key), DType::Int64, 0}, nullptr, std::move(fill), {}, {}});
    };
    auto mass = [this](int i) {
        return (atom->rmass_flag ? atom->rmass[i] : atom->mass[atom->type[i]]) * units_->mass;
    };
    // Each per-atom column: key, dtype, width and how it is filled.
    ints("arrays.numbers", [this](Atoms mine, std::int64_t* out) {
        for (std::size_t k = 0; k < mine.size(); ++k)
            out[k] = type_to_z_[atom->type[mine[k]]];
    });
    doubles("arrays.positions", 3, [this](Atoms mine, double* out) {
        for (std::size_t k = 0; k < mine.size(); ++k)
            for (int d = 0; d < 3; ++d)
                out[3 * k + d] = (atom->x[mine[k]][d] - domain->boxlo[d]) * units_->distance;
    });
    if (opt_->forces)
        doubles("calc.forces", 3, [this](Atoms mine, double* out) {
            for (std::size_t k = 0; k < mine.size(); ++k) {
                const double* f = opt_->potential_labels ? potential_force(mine[k]) : atom->f[mine[k]];
                for (int d = 0; d < 3; ++d)
                    out[3 * k + d] = f[d] * units_->force();
            }
        });
    if (opt_->velocities) {
        doubles("arrays.momenta", 3, [this, mass](Atoms mine, double* out) {
            for (std::size_t k = 0; k < mine.size(); ++k)
                for (int d = 0; d < 3; ++d)
                    out[3 * k + d] = mass(mine[k]) * atom->v[mine[k]][d] * units_->velocity;
        });
        doubles("arrays.masses", 0, [mass](Atoms mine, double* out) {
            for (std::size_t k = 0; k < mine.size(); ++k)
                out[k] = mass(mine[k]);
        });
    }
    if (opt_->peratom_energy)
        doubles("calc.energies", 0, [this](Atoms mine, double* out) {
            const double* pe =
                invoked_peratom(modify->compute[modify->find_compute(id_peatom_)])->vector_atom;
            for (std::size_t k = 0; k < mine.size(); ++k)
                out[k] = pe[mine[k]] * units_->energy;
        });
    if (opt_->charges)
        doubles("arrays.initial_charges", 0, [this](Atoms mine, double* out) {
            for (std::size_t k = 0; k < mine.size(); ++k)
                out[k] = atom->q[mine[k]] * units_->charge;
        });
    for (const Source& s : array_sources_) {
        if (s.kind == Source::INT_CUSTOM) {
            ints(s.key, [this, s](Atoms mine, std::int64_t* out) {
                for (std::size_t k = 0; k < mine.size(); ++k)
                    out[k] = atom->ivector[s.index][mine[k]];
            });
            continue;
        }
        doubles(s.key, static_cast<std::size_t>(s.width), [this, s](Atoms mine, double* out) {
            const std::size_t w = static_cast<std::size_t>(std::max(s.width, 1));
            const double* vec = nullptr;
            double* const* arr = nullptr;
            std::vector<double> atom_values;
            if (s.kind == Source::COMPUTE) {
                Compute* c = invoked_peratom(modify->compute[s.index]);
                if (c->size_peratom_cols == 0)
                    vec = c->vector_atom;
                else
                    arr = c->array_atom;
            } else if (s.kind == Source::FIX) {
                Fix* f = modify->fix[s.index];
                if (f->size_peratom_cols == 0)
                    vec = f->vector_atom;
                else
                    arr = f->array_atom;
            } else if (s.kind == Source::VARIABLE) {
                atom_values.resize(static_cast<std::size_t>(std::max(atom->nlocal, 1)));
                input->variable->compute_atom(s.index, igroup, atom_values.data(), 1, 0);
                vec = atom_values.data();
            } else {
                vec = atom->dvector[s.index];
            }
            for (std::size_t k = 0; k < mine.size(); ++k)
                for (std::size_t c = 0; c < w; ++c)
                    out[w * k + c] =
                        vec ? vec[mine[k]] : arr[mine[k]][s.column > 0 ? s.column - 1 : static_cast<int>(c)];
        });
    }
    std::vector<asebytes::mpi::Column> cols;
    for (const auto& c : columns_)
        cols.push_back(c.column);
    writer_->set_columns(std::move(cols));
}

// The name of the command LAMMPS is running. Input::command is protected; a pointer to it
// taken through a derived class is the standard's way to read it.
namespace {
struct RunningCommand : Input {
    static const char* of(Input* input) { return input->*(&RunningCommand::command); }
};
} // namespace

// At the output stage: on multiples of N and on the first step of every run (the stage is armed
// at construction and after every run), as `dump custom N` with `dump_modify first yes`.
void FixASEBytes::record() {
    if (update->whichflag == 2) { // minimize: no frames (README.md, Steps)
        ++skipped_minimize_;
        return;
    }
    // rerun sets up every snapshot as a run of its own: its frames are the snapshots on multiples of N.
    const char* command = RunningCommand::of(input);
    if (command && strcmp(command, "rerun") == 0 && update->ntimestep % nevery != 0) return;
    write_frame();
}

// labels potential: the forces once the force field has computed them (pair, bonded, kspace),
// before any fix changes them; on the steps that can become frames (multiples of N, the run's
// setup, and its last step, the first of a next `run N pre no`).
void FixASEBytes::setup_pre_reverse(int, int) { copy_potential_forces(); }

void FixASEBytes::pre_reverse(int, int) {
    const bigint step = update->ntimestep;
    if (step % nevery == 0 || step == update->laststep) copy_potential_forces();
}

void FixASEBytes::copy_potential_forces() {
    const int nall = atom->nlocal + atom->nghost;
    potential_f_.resize(3 * static_cast<std::size_t>(nall));
    if (nall > 0) std::copy(&atom->f[0][0], &atom->f[0][0] + 3 * nall, potential_f_.data());
    // With newton on, part of an owned atom's force sits on its ghost copies on other ranks: the
    // same sum comm->reverse_comm() is about to do for atom->f.
    if (force->newton) {
#if LAMMPS_VERSION_NUMBER >= 20220324
        comm->reverse_comm(this, 3);
#else
        comm->reverse_comm_fix(this, 3);
#endif
    }
    potential_tags_.assign(atom->tag, atom->tag + atom->nlocal);
    potential_step_ = update->ntimestep;
    potential_rows_.clear();
}

int FixASEBytes::pack_reverse_comm(int n, int first, double* buf) {
    int m = 0;
    for (int i = first; i < first + n; ++i)
        for (int d = 0; d < 3; ++d)
            buf[m++] = potential_f_[3 * static_cast<std::size_t>(i) + d];
    return m;
}

void FixASEBytes::unpack_reverse_comm(int n, int* list, double* buf) {
    int m = 0;
    for (int k = 0; k < n; ++k)
        for (int d = 0; d < 3; ++d)
            potential_f_[3 * static_cast<std::size_t>(list[k]) + d] += buf[m++];
}

// The potential's force on local atom i for this step's frame. Atoms move between ranks only
// before forces are computed, so they sit where the copy has them, except when a `run N pre no`
// follows commands that moved them (LAMMPS's own atom->f is then stale too).
const double* FixASEBytes::potential_force(int i) {
    if (potential_step_ != update->ntimestep)
        error->one(FLERR, "fix asebytes: no forces were computed on step " +
                              std::to_string(update->ntimestep) +
                              " (run N pre no after changing the system?): use pre yes");
    const tagint tag = atom->tag[i];
    if (static_cast<std::size_t>(i) < potential_tags_.size() && potential_tags_[i] == tag)
        return &potential_f_[3 * static_cast<std::size_t>(i)];
    if (potential_rows_.empty())
        for (std::size_t j = 0; j < potential_tags_.size(); ++j)
            potential_rows_[potential_tags_[j]] = static_cast<int>(j);
    const auto row = potential_rows_.find(tag);
    if (row == potential_rows_.end())
        error->one(FLERR, "fix asebytes: atom " + std::to_string(tag) +
                              " moved to this rank after the forces of step " +
                              std::to_string(update->ntimestep) +
                              " were computed (run N pre no after changing the system?): use pre yes");
    return &potential_f_[3 * static_cast<std::size_t>(row->second)];
}

// Asks the computes to be ready on the next output step: the ones invoked now (also through
// variables), and ours by name, which a skipped step did not invoke.
void FixASEBytes::schedule_next() {
    const bigint next = (update->ntimestep / nevery) * nevery + nevery;
    modify->addstep_compute(next);
    std::vector<std::string> ids{id_press_, id_peatom_};
    if (opt_->energy) ids.push_back(opt_->pe_compute);
    for (const auto* sources : {&array_sources_, &info_sources_})
        for (const auto& s : *sources)
            if (s.kind == Source::COMPUTE) ids.push_back(s.id);
    for (const auto& cid : ids) {
        const int i = cid.empty() ? -1 : modify->find_compute(cid);
        if (i < 0 || !modify->compute[i]->timeflag) continue;
        modify->compute[i]->addstep(next);
        // the last step of the run is the first frame of a next `run N pre no`
        if (update->laststep > update->ntimestep && update->laststep < next)
            modify->compute[i]->addstep(update->laststep);
    }
}

void FixASEBytes::pack_local() {
    const int* mask = atom->mask;
    mine_.clear();
    for (int i = 0; i < atom->nlocal; ++i)
        if (mask[i] & groupbit) mine_.push_back(i);
    ids_.resize(mine_.size());
    for (std::size_t k = 0; k < mine_.size(); ++k)
        ids_[k] = atom->tag[mine_[k]];
    pointers_.clear();
    for (auto& c : columns_) {
        const std::size_t n = mine_.size() * std::max<std::size_t>(c.column.width, 1);
        if (c.column.dtype == DType::Int64) {
            c.i.resize(n);
            c.ints(mine_, c.i.data());
            pointers_.push_back(c.i.data());
        } else {
            c.d.resize(n);
            c.doubles(mine_, c.d.data());
            pointers_.push_back(c.d.data());
        }
    }
}

// Per-frame values: computed on every rank (computes are collective), kept on rank 0.
void FixASEBytes::add_globals(Row& row) {
    const double dist = units_->distance;
    const double cell[9] = {domain->xprd, 0,          0,           domain->xy, domain->yprd, 0,
                            domain->xz,   domain->yz, domain->zprd};
    std::vector<double> c(cell, cell + 9);
    for (auto& x : c)
        x *= dist;
    row["cell"] = NdArray::from<double>({3, 3}, c);
    row["pbc"] =
        NdArray::from<bool>({domain->xperiodic != 0, domain->yperiodic != 0, domain->zperiodic != 0});
    if (opt_->energy) {
        Compute* pe = modify->compute[modify->find_compute(opt_->pe_compute)];
        if (!(pe->invoked_flag & Compute::INVOKED_SCALAR)) {
            pe->compute_scalar();
            pe->invoked_flag |= Compute::INVOKED_SCALAR;
        }
        row["calc.energy"] = pe->scalar * units_->energy;
    }
    if (opt_->stress) {
        Compute* p = modify->compute[modify->find_compute(id_press_)];
        if (!(p->invoked_flag & Compute::INVOKED_VECTOR)) {
            p->compute_vector();
            p->invoked_flag |= Compute::INVOKED_VECTOR;
        }
        // LAMMPS: pxx pyy pzz pxy pxz pyz in pressure units; ASE: -(virial/V), xx yy zz yz xz xy.
        const double k = -units_->pressure() / force->nktv2p;
        const double* v = p->vector;
        row["calc.stress"] =
            NdArray::from<double>({k * v[0], k * v[1], k * v[2], k * v[5], k * v[4], k * v[3]});
    }
    const bigint step = update->ntimestep;
    row["info.step"] = static_cast<long long>(step);
    const double time = update->atime + static_cast<double>(step - update->atimestep) * update->dt;
    row["info.time"] = opt_->ase_units ? time * units_->time_ps() : time;
    for (const auto& s : info_sources_) {
        if (s.kind == Source::VARIABLE) {
            row[s.key] = input->variable->compute_equal(s.index);
        } else if (s.kind == Source::COMPUTE) {
            Compute* c = modify->compute[s.index];
            if (s.column == 0 && c->scalar_flag) {
                if (!(c->invoked_flag & Compute::INVOKED_SCALAR)) {
                    c->compute_scalar();
                    c->invoked_flag |= Compute::INVOKED_SCALAR;
                }
                row[s.key] = c->scalar;
                continue;
            }
            if (!(c->invoked_flag & Compute::INVOKED_VECTOR)) {
                c->compute_vector();
                c->invoked_flag |= Compute::INVOKED_VECTOR;
            }
            if (s.column > 0)
                row[s.key] = c->vector[s.column - 1];
            else
                row[s.key] =
                    NdArray::from<double>(std::vector<double>(c->vector, c->vector + c->size_vector));
        } else {
            Fix* f = modify->fix[s.index];
            if (s.column > 0) {
                row[s.key] = f->compute_vector(s.column - 1);
            } else if (s.width == 0) {
                row[s.key] = f->compute_scalar();
            } else {
                std::vector<double> v(static_cast<std::size_t>(s.width));
                for (int i = 0; i < s.width; ++i)
                    v[static_cast<std::size_t>(i)] = f->compute_vector(i);
                row[s.key] = NdArray::from<double>(v);
            }
        }
    }
}

void FixASEBytes::write_frame() {
    const bigint step = update->ntimestep;
    if (ivar_if_ >= 0 && input->variable->compute_equal(ivar_if_) == 0.0) {
        ++skipped_if_;
        schedule_next();
        return;
    }
    Row row; // the output stage has cleared the computes' invoked flags (clearstep)
    add_globals(row);
    pack_local();
    // rank 0: the run-boundary duplicate, or a restart continuing from the last stored step
    // (README.md, Steps); where every rank writes its own atoms nothing is gathered, and the step
    // alone tells.
    std::optional<Row> stored;
    auto is_repeat = [&](const Row& frame) {
        const bool gathered = frame.count("arrays.positions") > 0;
        const bool repeat =
            step == last_step_ &&
            (!gathered || (last_stored_ && asebytes::lammps::same_configuration(*last_stored_, frame)));
        if (!repeat && gathered) stored = asebytes::lammps::configuration_of(frame);
        return repeat;
    };
    try {
        if (!writer_->write(std::move(row), ids_.size(), ids_.data(), pointers_, is_repeat)) {
            ++skipped_repeat_;
            schedule_next();
            return;
        }
        if (stored) last_stored_ = std::move(stored);
        if (opt_->flush_every > 0 && step - last_flush_ >= opt_->flush_every) {
            writer_->flush();
            flushed();
            last_flush_ = step;
        }
    } catch (const std::exception& e) {
        error->one(FLERR, "fix asebytes: writing to " + store_ + " failed: " + e.what());
    }
    last_step_ = step;
    ++frames_this_run_;
    schedule_next();
}

std::string FixASEBytes::stats_line() const {
    return "fix asebytes " + std::string(id) + ": " + std::to_string(frames_this_run_) + " frames this run" +
           skipped_text() + ", " + std::to_string(writer_->stats().frames) + " in all " +
           writer_->summary(store_) + "\n";
}

// ", 1 skipped (repeat of the last stored frame)": every frame not stored is counted, with why.
std::string FixASEBytes::skipped_text() const {
    std::string text;
    auto add = [&](long long n, const char* why) {
        if (n) text += ", " + std::to_string(n) + " skipped (" + why + ")";
    };
    add(skipped_repeat_, "repeat of the last stored frame");
    add(skipped_if_, "'if' variable was 0");
    add(skipped_minimize_, "during minimize");
    return text;
}

// Written only after flush() returned, so a reader of the log may count on these frames.
void FixASEBytes::flushed() {
    if (comm->me != 0 || !flush_log_.is_open()) return;
    flush_log_ << frames_before_ + writer_->stats().frames << std::endl;
}

void FixASEBytes::post_run() {
    try {
        writer_->flush(); // every frame of the run is durable when the run returns
        flushed();
    } catch (const std::exception& e) {
        error->one(FLERR, "fix asebytes: writing to " + store_ + " failed: " + e.what());
    }
    if (comm->me == 0) utils::logmesg(lmp, stats_line());
    frames_this_run_ = skipped_repeat_ = skipped_if_ = skipped_minimize_ = 0;
    output_stage_->arm(); // the next run's first step is a frame, also with `pre no`
}
