// lmp_asebytes: the `lmp` executable with `fix asebytes` built in. Debian's LAMMPS has no PLUGIN
// package, so the fix cannot be loaded at run time there; this launcher takes every `lmp`
// command-line option and runs the input exactly as lmp does (LAMMPS's own src/main.cpp). The
// styles are registered in every instance, also after `clear` (style_registration.cpp).
#include <mpi.h>

#include "input.h"
#include "lammps.h"
#include "style_registration.h"

int main(int argc, char** argv) {
    // The asebytes writer thread makes no MPI call: FUNNELED is all it needs.
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    {
        LAMMPS_NS::LAMMPS lammps(argc, argv, MPI_COMM_WORLD);
        asebytes::lammps::register_styles(&lammps); // in case the linker bound post_create elsewhere
        lammps.input->file();
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
