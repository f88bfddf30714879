// asebytes-summary: what a training-set builder checks first about a store of frames.
//   build/bin/asebytes-summary STORE [--group G]
// Prints frames, atom counts, species, energy range (and per atom), largest force, steps.
#include <asebytes/asebytes.hpp>

#include <cmath>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>

int main(int argc, char** argv) try {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::cerr << "usage: asebytes-summary STORE [--group G]\n"
                     "Frames, atoms, species, energy range and largest force of an asebytes store.\n";
        return argc < 2 ? 2 : 0;
    }
    asebytes::OpenOptions options;
    options.readonly = true;
    if (argc == 4 && std::strcmp(argv[2], "--group") == 0) options.group = argv[3];
    asebytes::AtomsIO io(argv[1], options);

    std::size_t frames = 0, min_atoms = SIZE_MAX, max_atoms = 0;
    std::map<std::int64_t, std::size_t> species; // atomic number -> atoms, over all frames
    double emin = INFINITY, emax = -INFINITY, epa_min = INFINITY, epa_max = -INFINITY, fmax = 0;
    std::int64_t first_step = -1, last_step = -1;
    for (const auto& chunk : io.rows().chunked(256)) {
        for (const auto& frame : chunk) {
            if (!frame) continue; // placeholder row
            ++frames;
            const std::size_t n = frame->natoms();
            min_atoms = std::min(min_atoms, n);
            max_atoms = std::max(max_atoms, n);
            for (auto z : frame->numbers)
                ++species[z];
            if (auto e = frame->energy()) {
                emin = std::min(emin, *e);
                emax = std::max(emax, *e);
                if (n) {
                    epa_min = std::min(epa_min, *e / static_cast<double>(n));
                    epa_max = std::max(epa_max, *e / static_cast<double>(n));
                }
            }
            if (auto f = frame->forces())
                for (std::size_t i = 0; i + 2 < f->size(); i += 3)
                    fmax = std::max(fmax, std::sqrt((*f)[i] * (*f)[i] + (*f)[i + 1] * (*f)[i + 1] +
                                                    (*f)[i + 2] * (*f)[i + 2]));
            if (auto s = frame->info.find("step"); s != frame->info.end()) {
                if (first_step < 0) first_step = s->second.as_int();
                last_step = s->second.as_int();
            }
        }
    }
    std::cout << "store:    " << argv[1] << " (" << io.backend_ptr()->metadata().name << ")\n"
              << "frames:   " << frames << " (" << io.size() - frames << " placeholders)\n";
    if (!frames) return 0;
    std::cout << "atoms:    " << min_atoms
              << (min_atoms == max_atoms ? "" : " .. " + std::to_string(max_atoms))
              << " per frame\nspecies: ";
    for (const auto& [z, count] : species)
        std::cout << ' ' << asebytes::element_symbol(static_cast<int>(z)) << " x" << count;
    std::cout << " (atoms over all frames)";
    std::cout << std::setprecision(6) << std::fixed << '\n';
    if (std::isfinite(emin))
        std::cout << "energy:   " << emin << " .. " << emax << " eV (" << epa_min << " .. " << epa_max
                  << " eV/atom)\n";
    std::cout << "max |F|:  " << fmax << " eV/Angstrom\n";
    if (first_step >= 0) std::cout << "steps:    " << first_step << " .. " << last_step << '\n';
    return 0;
} catch (const std::exception& e) {
    std::cerr << "asebytes-summary: error: " << e.what() << '\n';
    return 1;
}
