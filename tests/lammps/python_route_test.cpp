// fix asebytes in LAMMPS driven from Python: Debian's python3-lammps with the module
// build/python/asebytes_lammps.py, an MD loop of `run` commands, `clear`, on 1 and 2 ranks
// (mpi4py); the stores read back with Python asebytes equal the dump (python_route.py).
#include <gtest/gtest.h>

#include "python.hpp"

namespace asebytes::test {
namespace {

class PythonRoute : public PythonTest, public ::testing::WithParamInterface<int> {};

TEST_P(PythonRoute, AnMdLoopFromPythonWritesTheDumpsFramesAlsoAfterClear) {
    const int np = GetParam();
    const std::string launcher =
        np > 1 ? "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader '" +
                     std::string(ASEBYTES_MPIEXEC) + "' -np " + std::to_string(np) + " --oversubscribe"
               : "";
    ASSERT_PYTHON_OK(run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "lammps" / "python_route.py",
                                       {ASEBYTES_PYTHON_MODULE_DIR, dir_.path().string(), std::to_string(np)},
                                       launcher));
}

INSTANTIATE_TEST_SUITE_P(Ranks, PythonRoute, ::testing::Values(1, 2),
                         [](const auto& info) { return "np" + std::to_string(info.param); });

} // namespace
} // namespace asebytes::test
