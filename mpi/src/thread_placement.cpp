#include "thread_placement.hpp"

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

namespace asebytes::mpi {

void release_to_idle_cpus() noexcept {
#ifdef __linux__
    // Every bit set: the kernel keeps only the CPUs of the process's cpuset (cgroup, taskset).
    cpu_set_t all;
    CPU_ZERO(&all);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        CPU_SET(cpu, &all);
    (void)pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
    sched_param batch{};
    batch.sched_priority = 0;
    (void)pthread_setschedparam(pthread_self(), SCHED_BATCH, &batch);
#endif
}

} // namespace asebytes::mpi
