#pragma once
// Writer memory over the length of a run: fix asebytes' rank-0 path (FrameGatherer +
// BufferedWriter into an LMDB store) run back to back for thousands of frames, so that the
// writer thread falls behind and the queue stays full, while rank 0 samples its resident memory
// (/proc/self/status). The curve shows whether memory stays bounded by the buffer limit.
#include <mpi.h>

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace asebytes::bench {

struct WriterMemoryConfig {
    std::size_t atoms = 32000;
    std::size_t frames = 2000;
    std::size_t buffer_bytes = std::size_t{64} << 20; ///< WriterLimits::max_bytes (the binding limit)
    std::size_t samples = 200;                        ///< points of the curve (about)
    std::string tmp_root;                             ///< where the scratch store goes
};

/// Collective over `comm`; returns the results on rank 0 (null elsewhere) and prints a summary.
nlohmann::json measure_writer_memory(const WriterMemoryConfig& cfg, MPI_Comm comm);

} // namespace asebytes::bench
