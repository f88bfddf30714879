#pragma once
// Placement of the writer thread. mpirun binds each rank to a core (OpenMPI's default for
// np <= 2 is --bind-to core) and a new thread inherits that binding, so the writer would share
// its rank's core and take turns with the MD thread: bench_mpi_writer measured write() at 2.5 ms
// bound vs 0.03 ms unbound for a 32k-atom frame. Letting the writer thread run on any CPU of the
// job's cpuset, at batch priority (no wakeup preemption of the MD thread), puts its encoding
// and I/O on idle cores and hyperthreads when there are any, and costs nothing when there are not.
namespace asebytes::mpi {

/// Widens the calling thread's CPU affinity to every CPU the process may use and marks it as a
/// batch thread. Best effort: a platform or container that refuses either keeps the defaults.
void release_to_idle_cpus() noexcept;

} // namespace asebytes::mpi
