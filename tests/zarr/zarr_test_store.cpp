#include "zarr_test_store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "asebytes/asebytes.hpp"
#include "zarr_store.hpp"

namespace asebytes::test {

void write_two_frames(const std::string& store, const std::map<std::string, std::string>& options) {
    OpenOptions o;
    o.options = options;
    ObjectIO io(store, o);
    io.extend({Row{{"calc.energy", -1.5},
                   {"arrays.positions", NdArray::from<double>({3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8})},
                   {"arrays.numbers", NdArray::from<std::int64_t>({1, 8, 1})},
                   {"pbc", NdArray::from<bool>({false, false, false})},
                   {"info.label", "bulk"}},
               Row{{"calc.energy", -2.5},
                   {"arrays.positions", NdArray::from<double>({2, 3}, {9, 10, 11, 12, 13, 14})},
                   {"arrays.numbers", NdArray::from<std::int64_t>({6, 6})},
                   {"pbc", NdArray::from<bool>({false, false, false})},
                   {"info.label", "mol"}}});
}

namespace {

Json element(const NdArray& a, std::size_t i) {
    switch (a.dtype()) {
    case DType::Bool:
        return Json(a.to_vector<bool>()[i]);
    case DType::Float32:
    case DType::Float64: {
        const double d = a.to_vector<double>()[i];
        if (std::isnan(d)) return Json("NaN");
        if (std::isinf(d)) return Json(d > 0 ? "Infinity" : "-Infinity");
        return Json(d);
    }
    case DType::Int64:
        return Json(std::to_string(a.to_vector<std::int64_t>()[i]));
    case DType::UInt64:
        return Json(std::to_string(a.to_vector<std::uint64_t>()[i]));
    default:
        return Json(a.to_vector<std::int64_t>()[i]);
    }
}

void add_arrays(columnar::ZarrStore& store, const fs::path& dir, const std::string& prefix, Json& out) {
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_directory() || !fs::exists(entry.path() / "zarr.json")) continue;
        const std::string name = prefix + entry.path().filename().string();
        if (load_json(entry.path() / "zarr.json")["node_type"] == "group") {
            add_arrays(store, entry.path(), name + "/", out);
            continue;
        }
        const auto info = store.info(name);
        Json values = Json::array();
        if (info.dtype == columnar::kString) {
            for (const auto& s : store.read_strings(name, 0, info.shape[0]))
                values.push_back(s);
        } else {
            const NdArray a = store.read_rows(name, 0, info.shape[0]);
            for (std::size_t i = 0; i < a.size(); ++i)
                values.push_back(element(a, i));
        }
        out[name] = {{"shape", info.shape}, {"values", values}};
    }
}

} // namespace

Json arrays_as_we_read_them(const std::string& store, const std::string& group) {
    columnar::ZarrStore zarr(store, group, false, {}, {});
    Json out = Json::object();
    add_arrays(zarr, fs::path(store) / group, "", out);
    return out;
}

std::string run_zarrita(const std::vector<std::string>& args) {
    const fs::path dir = ASEBYTES_ZARR_JS_DIR;
    if (!fs::exists(dir / "node_modules" / "zarrita")) {
        ADD_FAILURE() << "zarrita is not installed in " << dir << ": run scripts/setup";
        return {};
    }
    std::string cmd = "cd '" + dir.string() + "' && node zarrita.mjs";
    for (const auto& a : args)
        cmd += " '" + a + "'";
    cmd += " 2>" + (dir / "stderr.txt").string();
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buffer[65536];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, p)) > 0;)
            out.append(buffer, n);
        if (pclose(p) != 0) {
            std::ifstream err(dir / "stderr.txt");
            std::stringstream s;
            s << err.rdbuf();
            ADD_FAILURE() << cmd << " failed:\n" << s.str();
        }
    }
    return out;
}

} // namespace asebytes::test
