/* Where fix asebytes records its frames: LAMMPS's output stage, where dumps and thermo are
   written, after every fix of the step (or of the run's setup) has done its work. A frame then
   holds what `dump custom` writes for that step, wherever the fix stands among the fixes and
   whatever fixes are added or removed between runs (README.md, Order).

   LAMMPS's Dump class is not among the headers a LAMMPS installation provides (Debian's
   liblammps-dev, `make install` of a source build), so the stage is reached through public parts
   only: an internal `dump custom` of an internal per-atom compute, which LAMMPS invokes when it
   writes its dumps. The dump selects no atoms (thresh) and writes its few header lines to
   /dev/null; the compute calls back into the fix. */
#ifndef LMP_ASEBYTES_OUTPUT_STAGE_H
#define LMP_ASEBYTES_OUTPUT_STAGE_H

#include <functional>
#include <string>
#include <vector>

#include "compute.h"

namespace LAMMPS_NS {

/// The internal compute: its per-atom values are zeros; being invoked is what it is for.
class ComputeASEBytesOutput : public Compute {
public:
    ComputeASEBytesOutput(LAMMPS* lmp, int narg, char** arg);
    void init() override {}
    void compute_peratom() override;
    double memory_usage() override;

    std::function<void()> record;

private:
    std::vector<double> zeros_;
};

/// The compute and dump of one fix, removed with it. Like a dump with `dump_modify first yes`,
/// it records on the first step of the run after it is created or armed.
class OutputStage {
public:
    OutputStage(LAMMPS* lmp, const std::string& fix_id, int every, std::function<void()> record);
    ~OutputStage();
    OutputStage(const OutputStage&) = delete;
    OutputStage& operator=(const OutputStage&) = delete;

    /// The next Output::setup (the first step of the next run, also with `pre no`) records.
    void arm();

private:
    LAMMPS* lmp_;
    std::string id_; // of both the compute and the dump
};

} // namespace LAMMPS_NS

#endif
