// asebytes-demo: a small Lennard-Jones MD writes training frames (energy, forces, stress) into an
// asebytes store, then reads them back lazily and prints a summary.
//   build/bin/asebytes-demo [STORE]      (default demo.lmdb; any registered path or URI)
// Python reads the result as it is: asebytes.ASEIO("demo.lmdb")[0].get_potential_energy()
#include <asebytes/asebytes.hpp>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>

namespace {

// Lennard-Jones copper-ish in eV and Angstrom, minimum-image cubic box.
struct LennardJones {
    double epsilon = 0.4, sigma = 2.3, cutoff = 5.5;

    // Fills forces, returns the energy and adds the virial (sum r_ij (x) f_ij) to `virial`.
    double compute(const std::vector<double>& x, double box, std::vector<double>& f,
                   std::array<double, 6>& virial) const {
        const std::size_t n = x.size() / 3;
        std::fill(f.begin(), f.end(), 0.0);
        virial.fill(0.0);
        double energy = 0.0;
        const double shift = 4 * epsilon * (std::pow(sigma / cutoff, 12) - std::pow(sigma / cutoff, 6));
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = i + 1; j < n; ++j) {
                double d[3];
                for (int k = 0; k < 3; ++k) {
                    d[k] = x[3 * i + k] - x[3 * j + k];
                    d[k] -= box * std::round(d[k] / box);
                }
                const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if (r2 > cutoff * cutoff) continue;
                const double s6 = std::pow(sigma * sigma / r2, 3);
                energy += 4 * epsilon * (s6 * s6 - s6) - shift;
                const double fr = 24 * epsilon * (2 * s6 * s6 - s6) / r2; // |F|/r
                for (int k = 0; k < 3; ++k) {
                    f[3 * i + k] += fr * d[k];
                    f[3 * j + k] -= fr * d[k];
                }
                const int a[6] = {0, 1, 2, 1, 0, 0}, b[6] = {0, 1, 2, 2, 2, 1}; // Voigt xx yy zz yz xz xy
                for (int v = 0; v < 6; ++v)
                    virial[v] += fr * d[a[v]] * d[b[v]];
            }
        }
        return energy;
    }
};

asebytes::Frame make_frame(const std::vector<double>& x, const std::vector<double>& f, double energy,
                           const std::array<double, 6>& virial, double box, int step) {
    asebytes::Frame frame;
    frame.numbers.assign(x.size() / 3, 29); // Cu
    frame.positions = x;
    frame.cell = {box, 0, 0, 0, box, 0, 0, 0, box};
    frame.pbc = {true, true, true};
    frame.set_energy(energy);
    frame.set_forces(f);
    std::array<double, 6> stress{}; // ASE sign: -virial / volume (no kinetic part)
    for (int v = 0; v < 6; ++v)
        stress[v] = -virial[v] / (box * box * box);
    frame.set_stress(stress);
    frame.info["step"] = step;
    frame.info["config_type"] = "lj-md";
    return frame;
}

std::vector<asebytes::Frame> run_md(int steps, int every) {
    const int cells = 3;
    const double a = 3.6, box = cells * a, dt = 0.002 /* ps */,
                 mass = 63.546 * 1.0364269e-4 /* eV ps^2/A^2 */;
    std::vector<double> x;
    for (int i = 0; i < cells; ++i)
        for (int j = 0; j < cells; ++j)
            for (int k = 0; k < cells; ++k)
                for (auto [u, v, w] :
                     {std::array<double, 3>{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}})
                    x.insert(x.end(), {(i + u) * a, (j + v) * a, (k + w) * a});
    std::mt19937 rng(42);
    std::normal_distribution<double> kick(0.0, 2.0); // Angstrom/ps
    std::vector<double> v(x.size()), f(x.size());
    for (auto& c : v)
        c = kick(rng);
    LennardJones lj;
    std::array<double, 6> virial{};
    double energy = lj.compute(x, box, f, virial);
    std::vector<asebytes::Frame> frames;
    for (int step = 0; step <= steps; ++step) {
        if (step % every == 0) frames.push_back(make_frame(x, f, energy, virial, box, step));
        for (std::size_t i = 0; i < x.size(); ++i) {
            v[i] += 0.5 * dt * f[i] / mass;
            x[i] += dt * v[i];
        }
        energy = lj.compute(x, box, f, virial);
        for (std::size_t i = 0; i < x.size(); ++i)
            v[i] += 0.5 * dt * f[i] / mass;
    }
    return frames;
}

} // namespace

int main(int argc, char** argv) try {
    const std::string store = argc > 1 ? argv[1] : "demo.lmdb";
    if (store.find("://") == std::string::npos) std::filesystem::remove_all(store);

    const auto frames = run_md(500, 5);
    {
        asebytes::AtomsIO io(store);
        for (std::size_t i = 0; i < frames.size(); i += 25) // appended in batches, as an MD writer does
            io.extend({frames.begin() + static_cast<std::ptrdiff_t>(i),
                       frames.begin() + static_cast<std::ptrdiff_t>(std::min(i + 25, frames.size()))});
    }

    asebytes::OpenOptions read_only;
    read_only.readonly = true;
    asebytes::AtomsIO io(store, read_only);
    std::cout << "asebytes-demo: wrote " << frames.size() << " frames of a " << frames[0].natoms()
              << "-atom Lennard-Jones MD to " << store << " (" << io.backend_ptr()->metadata().name << ")\n";

    std::cout << "keys of frame 0:";
    for (const auto& k : io.keys(0))
        std::cout << ' ' << k;
    std::cout << '\n';

    // Column view: reads only calc.energy.
    double emin = 1e300, emax = -1e300;
    for (const auto& e : io.column("calc.energy").to_list()) {
        emin = std::min(emin, e->as_double());
        emax = std::max(emax, e->as_double());
    }
    // Row view in chunks: frames are decoded 32 at a time.
    double fmax = 0.0;
    for (const auto& chunk : io.rows().chunked(32))
        for (const auto& frame : chunk)
            for (std::size_t i = 0; i < frame->natoms(); ++i) {
                const auto f = *frame->forces();
                fmax = std::max(fmax, std::sqrt(f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] +
                                                f[3 * i + 2] * f[3 * i + 2]));
            }
    const auto last = *io.get(-1);
    std::cout << std::fixed << std::setprecision(4) << "frames: " << io.size() << "\n"
              << "energy: " << emin << " .. " << emax << " eV\n"
              << "max |force|: " << fmax << " eV/Angstrom\n"
              << "last frame: step " << last.info.at("step").as_int()
              << ", stress xx yy zz = " << std::setprecision(6) << (*last.stress())[0] << ' '
              << (*last.stress())[1] << ' ' << (*last.stress())[2] << " eV/Angstrom^3\n"
              << "steps of the last 3 frames:";
    for (const auto& s : io.rows(asebytes::Slice(-3, std::nullopt)).column("info.step").to_list())
        std::cout << ' ' << s->as_int();
    std::cout << "\nread it from Python: asebytes.ASEIO(\"" << store << "\")\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "asebytes-demo: error: " << e.what() << '\n';
    return 1;
}
