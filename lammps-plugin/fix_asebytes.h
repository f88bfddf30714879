/* fix asebytes: stream training frames (species, positions, cell, pbc, energy, forces, stress,
   and more) from a LAMMPS run into an asebytes store, in ASE units, while the run goes on.
   See README.md in this folder for the documentation page. */
#ifndef LMP_FIX_ASEBYTES_H
#define LMP_FIX_ASEBYTES_H

#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "asebytes/backend.hpp"
#include "asebytes/registry.hpp"
#include "asebytes/value.hpp"
#include "fix.h"

namespace asebytes {
namespace mpi {
class FrameWriter;
} // namespace mpi
namespace lammps {
struct FixOptions;
struct AseUnits;
} // namespace lammps
} // namespace asebytes

namespace LAMMPS_NS {

class OutputStage;

class FixASEBytes : public Fix {
public:
    FixASEBytes(class LAMMPS*, int, char**);
    ~FixASEBytes() override;
    int setmask() override;
    void init() override;
    void setup_pre_reverse(int, int) override;
    void pre_reverse(int, int) override;
    void post_run() override;
    int pack_reverse_comm(int, int, double*) override;
    void unpack_reverse_comm(int, int*, double*) override;

    /// The creator LAMMPS's fix_map and plugin loader expect.
    static Fix* create(LAMMPS* lmp, int narg, char** arg);

private:
    struct Source;     // where a per-atom or per-frame extra value comes from
    struct AtomColumn; // one per-atom column of the frame: the gatherer's and the packing's table

    void open_store();
    asebytes::OpenOptions open_options() const;
    void resolve_species();
    Source resolve(const std::string& source, bool per_atom);
    void build_columns();
    void record(); // at LAMMPS's output stage (output_stage.h)
    void write_frame();
    void copy_potential_forces();
    const double* potential_force(int i);
    void pack_local();
    void add_globals(asebytes::Row& row);
    void schedule_next();
    void fail_all(const std::string& message);
    std::string stats_line() const;
    std::string skipped_text() const;
    void flushed(); // after every flush: the durable frame count to the flushlog file

    std::unique_ptr<asebytes::lammps::FixOptions> opt_;
    std::unique_ptr<asebytes::lammps::AseUnits> units_;
    std::string store_;      // the path actually opened
    std::string in_use_key_; // its key in the stores this process's fixes write ("" until it is one)
    std::string id_pe_, id_press_, id_peatom_; // computes the fix owns (README.md, Labels)
    std::vector<long long> type_to_z_;
    std::vector<Source> array_sources_, info_sources_;
    std::vector<AtomColumn> columns_;
    std::vector<int> mine_;             // local indices of this rank's atoms of the group
    std::vector<std::int64_t> ids_;     // their atom IDs
    std::vector<const void*> pointers_; // one per column, this frame's values
    std::unique_ptr<OutputStage> output_stage_;
    // labels potential: the forces of this rank's owned and ghost atoms at pre_reverse, with the
    // ghosts' parts summed into their owners, the owners' IDs and the step
    std::vector<double> potential_f_;
    std::vector<tagint> potential_tags_;
    bigint potential_step_ = -1;
    std::unordered_map<tagint, int> potential_rows_;           // by ID, when atoms moved since the copy
    std::shared_ptr<asebytes::ObjectReadWriteBackend> opened_; // rank 0, until the writer has it
    std::unique_ptr<asebytes::mpi::FrameWriter> writer_;
    bigint last_step_ = -1; // last step written or found in the store (append)
    bigint last_flush_ = -1;
    std::size_t frames_before_ = 0; // frames the store held when the fix opened it (rank 0)
    std::ofstream flush_log_;       // rank 0, keyword flushlog
    long long frames_this_run_ = 0;
    long long skipped_repeat_ = 0, skipped_if_ = 0,
              skipped_minimize_ = 0; // this run's frames not stored, by reason
    // rank 0: positions, cell and pbc of the last stored frame, to recognise a repeat of it
    std::optional<asebytes::Row> last_stored_;
    int ivar_if_ = -1;
};

} // namespace LAMMPS_NS

#endif
