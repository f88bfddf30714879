// lmp_asebytes: the `lmp` executable with `fix asebytes` built in. Debian's LAMMPS has no PLUGIN
// package, so the fix cannot be loaded at run time there; this launcher takes every `lmp`
// command-line option and runs the input exactly as lmp does (LAMMPS's own src/main.cpp),
// after registering the fix style in the instance.
#include <mpi.h>

#include <cstdio>

#include "fix_asebytes.h"
#include "input.h"
#include "lammps.h"
#include "modify.h"

int main(int argc, char **argv)
{
  // The asebytes writer thread makes no MPI call: FUNNELED is all it needs.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  {
    LAMMPS_NS::LAMMPS lammps(argc, argv, MPI_COMM_WORLD);
    (*lammps.modify->fix_map)["asebytes"] = &LAMMPS_NS::FixASEBytes::create;
    lammps.input->file();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
