// One writer of a fleet: appends FRAMES rows {"writer": ID, "seq": k, "arrays.positions": ...}
// to one group in batches of BATCH, and after every append the server acknowledged, appends the
// number of its rows acknowledged so far to ACK_LOG (one number a line). Until done or killed.
//   fleet_writer URI ID FRAMES BATCH ACK_LOG [OPTION=VALUE ...]   (backend options)
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"
#include "fleet_rows.hpp"
#include "golden.hpp"

int main(int argc, char** argv) {
    if (argc < 6) {
        std::cerr << "usage: fleet_writer URI ID FRAMES BATCH ACK_LOG [OPTION=VALUE ...]\n";
        return 2;
    }
    try {
        asebytes::ObjectIO store(argv[1], asebytes::test::options_from_args(argc, argv, 6));
        const int id = std::atoi(argv[2]);
        const int frames = std::atoi(argv[3]), batch = std::atoi(argv[4]);
        std::ofstream log(argv[5], std::ios::app);
        for (int next = 0; next < frames;) {
            std::vector<asebytes::Row> rows;
            for (int k = 0; k < batch && next < frames; ++k)
                rows.push_back(asebytes::test::fleet_row(id, next++));
            store.extend(rows);
            log << next << std::endl;
        }
    } catch (const std::exception& e) {
        std::cerr << "fleet_writer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
