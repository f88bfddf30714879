/* fix asebytes at LAMMPS's output stage: see output_stage.h. */
#include "output_stage.h"

#include <algorithm>

#include "atom.h"
#include "error.h"
#include "modify.h"
#include "output.h"
#include "update.h"

using namespace LAMMPS_NS;

static const char* const STYLE = "asebytes/output";

ComputeASEBytesOutput::ComputeASEBytesOutput(LAMMPS* lmp, int narg, char** arg) : Compute(lmp, narg, arg) {
    if (narg != 3)
        error->all(FLERR,
                   std::string("compute asebytes/output is fix asebytes's own and takes no arguments"));
    peratom_flag = 1;
    size_peratom_cols = 0;
}

void ComputeASEBytesOutput::compute_peratom() {
    invoked_peratom = update->ntimestep;
    zeros_.assign(static_cast<std::size_t>(std::max(atom->nmax, 1)), 0.0);
    vector_atom = zeros_.data();
    if (record) record();
}

double ComputeASEBytesOutput::memory_usage() {
    return static_cast<double>(zeros_.capacity() * sizeof(double));
}

namespace {
// The index of dump `id` in Output's arrays, or -1 (Output::find_dump went in LAMMPS 20220915).
int dump_index(Output* output, const std::string& id) {
#if LAMMPS_VERSION_NUMBER >= 20220602
    const Dump* d = output->get_dump_by_id(id);
    for (int i = 0; d && i < output->ndump; ++i)
        if (output->dump[i] == d) return i;
    return -1;
#else
    return output->find_dump(id.c_str());
#endif
}

Compute* create_output_compute(LAMMPS* lmp, int narg, char** arg) {
    return new ComputeASEBytesOutput(lmp, narg, arg); // LAMMPS owns computes and deletes them itself
}

// Output's and Modify's commands take (narg, char **): words kept alive for the call.
struct Words {
    explicit Words(std::vector<std::string> w) : words(std::move(w)) {
        for (auto& s : words)
            pointers.push_back(&s[0]);
    }
    int narg() const { return static_cast<int>(pointers.size()); }
    std::vector<std::string> words;
    std::vector<char*> pointers;
};
} // namespace

OutputStage::OutputStage(LAMMPS* lmp, const std::string& fix_id, int every, std::function<void()> record)
    : lmp_(lmp), id_(fix_id + "_asebytes_output") {
    // The style exists only while the compute is created: nobody can name it in an input.
    auto& styles = *lmp->modify->compute_map;
    styles[STYLE] = &create_output_compute;
    Compute* c = lmp->modify->add_compute(id_ + " all " + STYLE);
    styles.erase(STYLE);
    static_cast<ComputeASEBytesOutput*>(c)->record = std::move(record);

    Words dump({id_, "all", "custom", std::to_string(every), "/dev/null", "c_" + id_});
    lmp->output->add_dump(dump.narg(), dump.pointers.data());
    Words modify({id_, "thresh", "c_" + id_, ">", "0", "first", "yes", "flush", "no"});
    lmp->output->modify_dump(modify.narg(), modify.pointers.data());
}

OutputStage::~OutputStage() {
    // LAMMPS's own teardown (exit, `clear`) deletes Output, and with it the dump, before the fixes.
    if (lmp_->output && dump_index(lmp_->output, id_) >= 0) lmp_->output->delete_dump(&id_[0]);
    if (lmp_->modify && lmp_->modify->find_compute(id_) >= 0) lmp_->modify->delete_compute(id_);
}

void OutputStage::arm() {
    const int i = dump_index(lmp_->output, id_);
    if (i >= 0) lmp_->output->last_dump[i] = -1;
}
