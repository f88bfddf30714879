// A plain streaming writer for the crash tests: appends crash_frame(i) in batches to STORE,
// flushes after each batch and only then appends the store's length to FLUSH_LOG (one number a
// line), until it has FRAMES frames or is killed. It resumes where the store ends, so a store
// can be killed and reopened again and again.
//   crash_writer STORE FLUSH_LOG BATCH FRAMES [OPTION=VALUE ...]   (backend options)
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"
#include "crash_frames.hpp"
#include "golden.hpp"

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: crash_writer STORE FLUSH_LOG BATCH FRAMES [OPTION=VALUE ...]\n";
        return 2;
    }
    try {
        asebytes::ObjectIO store(argv[1], asebytes::test::options_from_args(argc, argv, 5));
        std::ofstream log(argv[2], std::ios::app);
        const std::size_t batch = std::strtoul(argv[3], nullptr, 10),
                          frames = std::strtoul(argv[4], nullptr, 10);
        for (std::size_t next = store.size(); next < frames;) {
            std::vector<asebytes::Row> rows;
            for (std::size_t k = 0; k < batch && next < frames; ++k)
                rows.push_back(asebytes::test::crash_frame(next++));
            store.extend(rows);
            store.flush();
            log << store.size() << std::endl; // after flush() returned: these frames are durable
        }
    } catch (const std::exception& e) {
        std::cerr << "crash_writer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
