#!/usr/bin/env python3
"""report: turns the JSON results under bench/results/ into docs/benchmarks.md with PNG plots in
docs/benchmarks/, and refreshes the headline ratios in README.md (between the markers
<!-- bench:headline:begin --> and <!-- bench:headline:end -->).

Every section comes from one results file; a file that is missing (that benchmark was not run)
gives a line saying so instead of its section. Every figure in the report is a median over
repetitions with [min, max], and every headline is a ratio against a reference measured in the
same run, so numbers from different machines compare as ratios, not as seconds.

usage: bench/report.py [--results DIR] [--docs DIR] [--readme FILE] [--no-readme]
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:  # Debian: python3-matplotlib (scripts/setup installs it)
    plt = None


# ---------------------------------------------------------------------------------------------
# Small helpers


def load(results, name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def mmm(s, scale=1.0, fmt="%.3g"):
    """'median [min, max]' of a {median, min, max} dict."""
    if not s:
        return "n/a"
    return (fmt + " [" + fmt + ", " + fmt + "]") % (scale * s["median"], scale * s["min"], scale * s["max"])


def pct(s):
    return mmm(s, 100.0, "%.2f") + " %" if s else "n/a"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem, "kernel": platform.release(), "commit": commit}


class Report:
    def __init__(self, docs):
        self.docs = docs
        self.img_dir = os.path.join(docs, "benchmarks")
        self.sections = []
        self.headlines = []  # (claim, ratio text, source)

    def figure(self, fig, name, alt):
        if fig is None:
            return ""
        os.makedirs(self.img_dir, exist_ok=True)
        fig.tight_layout()
        fig.savefig(os.path.join(self.img_dir, name), dpi=110)
        plt.close(fig)
        return "![%s](benchmarks/%s)\n\n" % (alt, name)

    def missing(self, title, command):
        self.sections.append("## %s\n\nNot measured in this run (`%s`).\n" % (title, command))


def bars(groups, series, values, errors, ylabel, title, log=False):
    """Grouped bars: values[s][g] with errors[s][g] = (low, high) around it."""
    if plt is None:
        return None
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(groups) + 2), 4))
    width = 0.8 / max(1, len(series))
    for i, s in enumerate(series):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        v = values[s]
        lo = [max(0.0, v[g] - errors[s][g][0]) for g in range(len(groups))]
        hi = [max(0.0, errors[s][g][1] - v[g]) for g in range(len(groups))]
        ax.bar(xs, v, width, yerr=[lo, hi], capsize=2, label=s)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if log:
        ax.set_yscale("log")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the bars, not over them
    ax.grid(axis="y", alpha=0.3)
    return fig


# ---------------------------------------------------------------------------------------------
# LAMMPS: fix asebytes against stock dumps (bench/lammps_fix_bench.py)


def lammps_section(rep, doc, system_title, png):
    res = doc["results"]
    nps = [str(n) for n in doc["nps"]]
    text = ["## fix asebytes in a LAMMPS run: %s\n" % system_title,
            "`bench/lammps_fix_bench.py --system %s`: %d steps, %d repetitions per variant, variants interleaved; "
            "overhead = (loop time - loop time without output, same repetition) / loop time without output. "
            "*In-call* counts only LAMMPS's own Modify + Output timers (the time spent inside fixes and dumps).\n"
            % (doc.get("system", "lj"), doc["steps"], doc["reps"])]
    if doc.get("skipped"):
        text.append("Skipped: " + "; ".join("%s (%s)" % kv for kv in doc["skipped"].items()) + "\n")
    rows = []
    variants = [v for v in doc["variants"] if v != "none"]
    for v in variants:
        row = [v.replace("_", " ")]
        for n in nps:
            e = res[n]["variants"].get(v)
            row += [pct(e["overhead_fraction"]), pct(e["incall_overhead_fraction"])] if e else ["n/a", "n/a"]
        rows.append(row)
    header = ["variant"] + sum((["np %s loop overhead" % n, "np %s in-call" % n] for n in nps), [])
    text.append(table(header, rows))
    for n in nps:
        g = res[n]["goals"]
        r10 = g.get("ratio_fix_over_dump_10")
        if r10:
            rep.headlines.append(("fix asebytes every 10 steps, overhead vs `dump custom` every 10 (%s, np %s)"
                                  % (system_title, n),
                                  "%.2fx loop time (in-call %.2fx)" % (r10["loop"]["ratio_of_medians"],
                                                                        r10["incall"]["ratio_of_medians"]),
                                  "lammps_fix_bench"))
        f100 = res[n]["variants"].get("fix_asebytes_100")
        if f100:
            rep.headlines.append(("fix asebytes every 100 steps, share of the loop time (%s, np %s)" % (system_title, n),
                                  "%.2f %% (in-call %.2f %%)" % (100 * f100["overhead_fraction"]["median"],
                                                                  100 * f100["incall_overhead_fraction"]["median"]),
                                  "lammps_fix_bench"))
        text.append("np %s: no-output loop times spread %.1f %% between repetitions (the noise floor of the "
                    "loop overhead column).\n" % (n, 100 * g["noise_none_loop_spread"]))
    if plt is not None:
        values, errors = {}, {}
        for n in nps:
            s = "np %s" % n
            values[s], errors[s] = [], []
            for v in variants:
                o = res[n]["variants"].get(v, {}).get("overhead_fraction") or {"median": 0, "min": 0, "max": 0}
                values[s].append(100 * o["median"])
                errors[s].append((100 * o["min"], 100 * o["max"]))
        fig = bars([v.replace("_", " ") for v in variants], list(values), values, errors,
                   "loop-time overhead, % (median, min-max)", "Output cost in a 32,000-atom %s run" % system_title)
        text.append(rep.figure(fig, png, "loop-time overhead per output variant"))
    rep.sections.append("\n".join(text))


# ---------------------------------------------------------------------------------------------
# The MPI writer path (bench/mpi_writer_bench.cpp)


def mpi_writer_section(rep, docs):
    text = ["## The MD thread's cost of one frame (bench_mpi_writer)\n",
            "`mpirun -np N build/bin/bench_mpi_writer`: a 32,000-atom frame (%.2f MB) packed, gathered to rank 0 "
            "and handed to the background writer (async), against writing it on the MD thread (sync, LMDB). "
            "*x memcpy* divides by a memcpy of the same bytes measured in the same run.\n"
            % (docs[0]["frame_payload_bytes"] / 1e6)]
    rows = []
    for d in docs:
        for r in d["regimes"]:
            for mode, m in r["modes"].items():
                rows.append(["np %d" % d["ranks"], r["name"], m["label"], mmm(m["md_thread_ms_per_frame"]),
                             "%.3f / %.3f / %.3f" % (m["pack_ms"], m["gather_ms"], m["write_ms"]),
                             mmm(m.get("effective_ms_per_frame")) if m.get("effective_ms_per_frame") else "",
                             "%.0fx" % m["x_memcpy"]])
    text.append(table(["ranks", "regime", "mode", "MD-thread ms/frame", "pack / gather / write ms",
                       "effective ms/frame", "x memcpy"], rows))
    for d in docs:
        paced = [r for r in d["regimes"] if r["gap_ms"] > 0]
        if paced and "async" in paced[0]["modes"] and "sync" in paced[0]["modes"]:
            a, s = paced[0]["modes"]["async"], paced[0]["modes"]["sync"]
            rep.headlines.append(("MD-thread time per 32k-atom frame, background writer vs synchronous LMDB "
                                  "write (np %d)" % d["ranks"],
                                  "%.2fx" % (a["md_thread_ms_per_frame"]["median"] / s["md_thread_ms_per_frame"]["median"]),
                                  "bench_mpi_writer"))
    rep.sections.append("\n".join(text))


# ---------------------------------------------------------------------------------------------


def build(results, docs):
    rep = Report(docs)
    for doc_name, title, png in (("lammps_fix_bench.json", "LJ melt", "lammps_lj.png"),
                                 ("lammps_fix_bench_cu_eam.json", "Cu EAM", "lammps_cu_eam.png")):
        doc = load(results, doc_name)
        if doc:
            lammps_section(rep, doc, title, png)
        else:
            rep.missing("fix asebytes in a LAMMPS run: " + title, "bench/lammps_fix_bench.py")
    mpi_docs = [d for d in (load(results, "bench_mpi_writer_np%d.json" % n) for n in (1, 2)) if d]
    if mpi_docs:
        mpi_writer_section(rep, mpi_docs)
    else:
        rep.missing("The MD thread's cost of one frame", "mpirun -np 1 build/bin/bench_mpi_writer")
    for builder in EXTRA_SECTIONS:
        builder(rep, results)
    return rep


EXTRA_SECTIONS = []


def results_section(name, title, command):
    """Registers a section built from results file `name` (as build_section(rep, doc)); without that
    file the report says that `command` was not run."""
    def register(build_section):
        def add(rep, results):
            doc = load(results, name)
            if doc:
                build_section(rep, doc)
            else:
                rep.missing(title, command)
        EXTRA_SECTIONS.append(add)
        return build_section
    return register


# ---------------------------------------------------------------------------------------------
# Backends against Python asebytes, ASE, ase.db, h5py (bench_backends)

OPS = ("write", "read_all", "random", "column_energy", "column_positions")
# other tool -> our target it is compared with (the pairs bench_backends prints)
PEERS = {"py/lmdb": "ours/lmdb", "py/h5-gzip": "ours/h5-gzip", "py/h5-none": "ours/h5-none", "py/h5p": "ours/h5p",
         "py/h5md-gzip": "ours/h5md-gzip", "py/h5md-none": "ours/h5md-none", "ase/extxyz": "ours/extxyz",
         "ase.db/sqlite": "ours/lmdb", "h5py/plain": "ours/h5-none",
         # the bare LMDB operations of our layout (bench/lmdb_floor.hpp): below 1, LMDB's share of our time
         "raw/lmdb": "ours/lmdb"}
# Large frames: our store and the references its ratios are read against, for the headlines.
LARGE_FRAME_PAIRS = (("py/lmdb", "ours/lmdb"), ("py/h5-none", "ours/h5-none"), ("py/h5-gzip", "ours/h5-gzip"),
                     ("py/h5p", "ours/h5p"), ("py/h5md-none", "ours/h5md-none"),
                     ("py/h5md-gzip", "ours/h5md-gzip"))


@results_section("backends.json", "Stores against the tools users would pick instead", "build/bin/bench_backends")
def backends_section(rep, doc):
    res = doc["results"]
    get = {(r["workload"], r["target"], r["op"]): r for r in res}
    text = ["## Stores against the tools users would pick instead (bench_backends)\n",
            "`build/bin/bench_backends`: the same generated frames (energy, forces, stress) written and read "
            "through our facades and, in the same run, by Python asebytes 0.3.1, ASE (extxyz, ase.db SQLite) and "
            "h5py writing the same arrays plainly. Operations: write (extend in batches of %d), read every frame, "
            "%d random reads, column reads of `calc.energy` and `arrays.positions`. %d repetitions; medians.\n"
            % (doc["config"]["write_batch"], doc["workloads"][0]["random_reads"], doc["config"]["reps"])]
    for note in doc.get("notes", []):
        text.append("Note: %s.\n" % note)
    for w in ("ethanol", "periodic"):
        wl = next((x for x in doc["workloads"] if x["name"] == w), None)
        if not wl:
            continue
        text.append("### %s: %d frames, %s\n" % (w, wl["frames"], wl["description"]))
        text.append("Other tool's time / ours on the same operation, from the medians (above 1: ours is faster):\n")
        rows = []
        for other, ours in PEERS.items():
            row = ["%s vs %s" % (other, ours)]
            for op in OPS:
                a, b = get.get((w, other, op)), get.get((w, ours, op))
                row.append("%.2fx" % (a["median_s"] / b["median_s"]) if a and b else "n/a")
            rows.append(row)
        text.append(table(["comparison"] + list(OPS), rows))
        ours_rows = []
        for t in sorted({r["target"] for r in res if r["workload"] == w}):
            row = [t]
            for op in OPS:
                r = get.get((w, t, op))
                row.append("%.3g [%.3g, %.3g]" % (1e3 * r["median_s"], 1e3 * r["min_s"], 1e3 * r["max_s"]) if r else "")
            ours_rows.append(row)
        text.append("Milliseconds, median [min, max]:\n")
        text.append(table(["target"] + list(OPS), ours_rows))
        sizes = [[t, "%.2f" % (r["store_bytes"] / 2**20), "%.2f" % (r["store_bytes"] / r["bytes"])]
                 for t in sorted({r["target"] for r in res if r["workload"] == w})
                 for r in [get.get((w, t, "write"))] if r and "store_bytes" in r]
        if sizes:
            text.append("Store sizes after the write (the plain values are %.2f MiB):\n"
                        % (get[(w, sizes[0][0], "write")]["bytes"] / 2**20))
            text.append(table(["store", "MiB on disk", "x plain bytes"], sizes))
        ceiling = []
        for op in OPS:
            py, ours, floor = (get.get((w, t, op)) for t in ("py/lmdb", "ours/lmdb", "raw/lmdb"))
            if py and ours and floor:
                ceiling.append([op, "%.2fx" % (py["median_s"] / ours["median_s"]),
                                "%.2fx" % (py["median_s"] / floor["median_s"]),
                                "%.2f" % (floor["median_s"] / ours["median_s"])])
        if ceiling:
            text.append("How far LMDB itself lets a ratio go: *raw/lmdb* does the LMDB operations of our layout "
                        "(one key per field, the same keys and bytes, commits synced as ours) with nothing encoded "
                        "or decoded (bench/lmdb_floor.hpp). Python asebytes' time over it is the ratio no "
                        "implementation of this format could pass on this machine.\n")
            text.append(table(["op", "Python / ours", "Python / raw/lmdb (ceiling)", "raw/lmdb / ours (LMDB's share)"],
                              ceiling))
        if plt is not None:
            targets = [t for t in ("ours/lmdb", "ours/h5-gzip", "ours/h5md-gzip", "ours/extxyz", "py/lmdb",
                                   "py/h5-gzip", "ase/extxyz", "ase.db/sqlite") if any(
                (w, t, op) in get for op in OPS)]
            values = {t: [1e3 * get[(w, t, op)]["median_s"] if (w, t, op) in get else 0 for op in OPS]
                      for t in targets}
            errors = {t: [(1e3 * get[(w, t, op)]["min_s"], 1e3 * get[(w, t, op)]["max_s"]) if (w, t, op) in get
                          else (0, 0) for op in OPS] for t in targets}
            fig = bars(list(OPS), targets, values, errors, "ms (log scale)", "%s: %d frames" % (w, wl["frames"]),
                       log=True)
            text.append(rep.figure(fig, "backends_%s.png" % w, "time per operation, %s" % w))
        for other, ours, op, claim in (("py/lmdb", "ours/lmdb", "write", "LMDB write vs Python asebytes"),
                                       ("py/lmdb", "ours/lmdb", "read_all", "LMDB read-all vs Python asebytes"),
                                       ("py/lmdb", "ours/lmdb", "random", "LMDB random reads vs Python asebytes"),
                                       ("py/lmdb", "ours/lmdb", "column_energy",
                                        "LMDB calc.energy column vs Python asebytes"),
                                       ("py/h5-gzip", "ours/h5-gzip", "read_all", ".h5 read-all vs Python asebytes"),
                                       ("py/h5-gzip", "ours/h5-gzip", "random", ".h5 random reads vs Python asebytes"),
                                       ("ase/extxyz", "ours/extxyz", "read_all", "extxyz read-all vs ASE"),
                                       ("ase.db/sqlite", "ours/lmdb", "write", "LMDB write vs ase.db (SQLite)")):
            a, b = get.get((w, other, op)), get.get((w, ours, op))
            if a and b:
                rep.headlines.append(("%s (%s)" % (claim, w), "%.2fx faster" % (a["median_s"] / b["median_s"])
                                      if a["median_s"] >= b["median_s"] else
                                      "%.2fx slower" % (b["median_s"] / a["median_s"]), "bench_backends"))
    for w in ("ethanol", "periodic"):
        for op in ("write", "read_all", "column_energy"):
            floor, ours = get.get((w, "raw/lmdb", op)), get.get((w, "ours/lmdb", op))
            if floor and ours:
                rep.headlines.append(("LMDB %s: the bare LMDB operations of our layout, share of our time (%s)"
                                      % (op, w), "%.2f" % (floor["median_s"] / ours["median_s"]), "bench_backends"))
    large_frame_headlines(rep, doc, get)
    scaling_figures(rep, doc, get, text)
    rep.sections.append("\n".join(text))


def large_frame_headlines(rep, doc, get):
    """Python asebytes' time over ours on the largest frames, and uncompressed ours over a raw write/copy."""
    wls = sorted((x for x in doc["workloads"] if x["name"].startswith("atoms-")), key=lambda x: x["atoms"])
    if not wls:
        return
    w = wls[-1]["name"]
    natoms = w[len("atoms-"):]
    for other, ours in LARGE_FRAME_PAIRS:
        for op, what in (("write", "write"), ("random", "read")):
            a, b = get.get((w, other, op)), get.get((w, ours, op))
            if a and b:
                rep.headlines.append(("%s %s vs Python asebytes (%s-atom frames)" % (ours, what, natoms),
                                      "%.2fx faster" % (a["median_s"] / b["median_s"]) if a["median_s"] >= b["median_s"]
                                      else "%.2fx slower" % (b["median_s"] / a["median_s"]), "bench_backends"))
    for ours in ("ours/lmdb", "ours/h5-none", "ours/h5md-none"):
        for op in ("write", "random"):
            r = get.get((w, ours, op))
            if r and "x_reference" in r:
                rep.headlines.append(("%s %s vs %s of the same bytes (%s-atom frames)" % (
                    ours, "write" if op == "write" else "read", r["reference"], natoms),
                    "%.2fx the time" % r["x_reference"], "bench_backends"))


def scaling_figures(rep, doc, get, text):
    """Write and random-read time per frame as frames grow and as atoms per frame grow."""
    for prefix, xlabel in (("frames-", "frames in the store"), ("atoms-", "atoms per frame")):
        wls = sorted((x for x in doc["workloads"] if x["name"].startswith(prefix)),
                     key=lambda x: int(x["name"][len(prefix):]))
        if not wls:
            continue
        targets = sorted({t for (w, t, op) in get if w.startswith(prefix) and op in ("write", "random")})
        rows = []
        for t in targets:
            row = [t]
            for wl in wls:
                cell = []
                for op in ("write", "random"):
                    r = get.get((wl["name"], t, op))
                    n = wl["frames"] if op == "write" else wl["random_reads"]
                    cell.append("%.3g" % (1e6 * r["median_s"] / n) if r else "-")
                row.append(" / ".join(cell))
            rows.append(row)
        text.append("### Scaling with %s\n" % xlabel)
        text.append("Microseconds per frame, write / random read (median):\n")
        text.append(table(["target"] + [wl["name"][len(prefix):] for wl in wls], rows))
        if plt is None:
            continue
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        for ax, op in zip(axes, ("write", "random")):
            for t in targets:
                xs, ys = [], []
                for wl in wls:
                    r = get.get((wl["name"], t, op))
                    if r:
                        n = wl["frames"] if op == "write" else wl["random_reads"]
                        xs.append(int(wl["name"][len(prefix):]))
                        ys.append(1e6 * r["median_s"] / n)
                if xs:
                    ax.plot(xs, ys, marker="o", label=t)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel(xlabel)
            ax.set_ylabel("microseconds per frame (%s)" % ("write" if op == "write" else "random read"))
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=7)
        text.append(rep.figure(fig, "scaling_%s.png" % prefix.rstrip("-"), "scaling with " + xlabel))


# ---------------------------------------------------------------------------------------------
# The asebytes command (bench/cli_bench.py)


@results_section("cli.json", "The asebytes command", "bench/cli_bench.py")
def cli_section(rep, doc):
    a = doc["args"]
    c, v = doc["convert"], doc["verify"]
    sp = lambda part, k: ("%.3f [%.3f, %.3f]" % (part["spread"][k]["median_s"], part["spread"][k]["min_s"],
                                                part["spread"][k]["max_s"]) if k in part.get("spread", {})
                          else "%.3f" % part["seconds"][k])
    text = ["## The asebytes command: convert, verify, extract (cli_bench.py)\n",
            "`bench/cli_bench.py`: %d periodic frames of %d atoms (energy, forces, stress); `asebytes` runs as a "
            "child process (start-up included), ASE and Python asebytes in-process. Seconds, median [min, max] of %d.\n"
            % (a["frames"], a["atoms"], a["reps"])]
    rows = [["convert LMDB -> extxyz", sp(c, "ours_lmdb_to_xyz"), "ASE write %s" % sp(c, "ase_write"),
             "%.2fx" % c["ratios"]["lmdb_to_xyz_vs_ase_write"]],
            ["convert extxyz -> LMDB", sp(c, "ours_xyz_to_lmdb"), "ASE read %s" % sp(c, "ase_read"),
             "%.2fx" % c["ratios"]["xyz_to_lmdb_vs_ase_read"]],
            ["convert extxyz -> extxyz", sp(c, "ours_xyz_to_xyz"), "ASE read + write",
             "%.2fx" % c["ratios"]["xyz_to_xyz_vs_ase_read_write"]]]
    if "lmdb_to_xyz_vs_python" in c["ratios"]:
        rows += [["convert LMDB -> extxyz", sp(c, "ours_lmdb_to_xyz"), "Python asebytes read + ASE write",
                  "%.2fx" % c["ratios"]["lmdb_to_xyz_vs_python"]],
                 ["convert extxyz -> LMDB", sp(c, "ours_xyz_to_lmdb"), "ASE read + Python asebytes write",
                  "%.2fx" % c["ratios"]["xyz_to_lmdb_vs_python"]]]
    rows.append(["verify (%.0f MiB, warm cache)" % (v["store_bytes"] / 2**20), sp(v, "verify"),
                 "cat %s" % sp(v, "cat"), "%.2fx" % v["ratios"]["verify_vs_cat"]])
    if "startup" in v["seconds"]:
        rows.append(["verify's start-up (`asebytes --version`)", sp(v, "startup"), "cat %s" % sp(v, "cat"),
                     "%.2fx" % (v["seconds"]["cat"] / v["seconds"]["startup"])])
    for k, label in (("py_objectio_rows", "Python asebytes ObjectIO rows"), ("py_aseio_frames", "Python ASEIO Atoms")):
        if "verify_vs_" + k in v["ratios"]:
            rows.append(["verify", sp(v, "verify"), "%s %s" % (label, sp(v, k)), "%.2fx" % v["ratios"]["verify_vs_" + k]])
    text.append(table(["command", "ours, s", "reference, s", "reference / ours"], rows))
    rep.headlines.append(("`asebytes convert` LMDB -> extxyz vs ASE write (%d frames)" % a["frames"],
                          "%.2fx faster" % c["ratios"]["lmdb_to_xyz_vs_ase_write"], "cli_bench"))
    rep.headlines.append(("`asebytes convert` extxyz -> LMDB vs ASE read (%d frames)" % a["frames"],
                          "%.2fx faster" % c["ratios"]["xyz_to_lmdb_vs_ase_read"], "cli_bench"))
    b = doc.get("budget")
    if b:
        text.append("A %.0f MiB store (%d rows) under a %.0f MiB page-cache budget (%s), the store's pages dropped "
                    "before each run; one run each:\n" % (b["store_bytes"] / 2**20, b["rows"], b["budget_bytes"] / 2**20,
                                                           b["budget"]["mechanism"]))
        rows = []
        for k, r in b["runs"].items():
            rows.append([k, "%.2f" % r["seconds"], "%.1fx" % (r["seconds"] / b["runs"]["cat"]["seconds"]),
                         "%.0f" % (r["peak_rss_anon_bytes"] / 2**20), "%.0f" % (r["peak_rss_bytes"] / 2**20)])
        text.append(table(["command", "seconds", "x cat", "own memory (RssAnon), MiB", "peak RSS incl. mapped pages, MiB"],
                          rows))
        if "extract" in b["runs"]:
            rep.headlines.append(("`asebytes extract` of a %.0f MiB store under a %.0f MiB budget: own memory"
                                  % (b["store_bytes"] / 2**20, b["budget_bytes"] / 2**20),
                                  "%.0f MiB (%.1f %% of the store)" % (b["runs"]["extract"]["peak_rss_anon_bytes"] / 2**20,
                                                                       100 * b["runs"]["extract"]["peak_rss_anon_bytes"]
                                                                       / b["store_bytes"]), "cli_bench"))
    rep.sections.append("\n".join(text))


# ---------------------------------------------------------------------------------------------
# Redis over loopback against Python asebytes' Redis backend, and fleets of writers (redis_bench.py)


@results_section("redis.json", "Redis over loopback", "bench/redis_bench.py")
def redis_section(rep, doc):
    text = ["## Redis over loopback (redis_bench.py)\n",
            "`bench/redis_bench.py` starts a redis-server %s on 127.0.0.1 (no persistence) and runs ours "
            "(`build/bin/bench_redis`) and Python asebytes 0.3.1 on it: %d frames per workload, appends in batches of "
            "%d, %d random reads; milliseconds, median [min, max] of %d. The floor is as many empty round trips "
            "(LLEN) as random reads.\n" % (doc["redis_server"], doc["frames"], doc["batch"], 100, doc["reps"])]
    rows = []
    ms = lambda s: mmm({"median": s["median_s"], "min": s["min_s"], "max": s["max_s"]}, 1e3)
    for name, w in doc["workloads"].items():
        for op in ("write", "read_all", "random", "column_energy"):
            rows.append([name + " (" + w["description"] + ")", op, ms(w["ours"][op]), ms(w["python"][op]),
                         "%.2fx" % w["python_over_ours"][op]])
        rows.append([name, "floor: empty round trips", ms(w["round_trips"]), "",
                     "random reads take %.2fx the floor" % w["random_over_round_trips"]])
    text.append(table(["workload", "operation", "ours, ms", "Python asebytes, ms", "Python / ours"], rows))
    text.append("Fleets: N writer processes append %d periodic frames each to one group at once; frames/s over the "
                "window in which any of them appended (each process reports its own start and end).\n"
                % doc["fleet_frames"])
    rows = [[n, "%.0f" % f["ours"]["frames_per_s"], "%.0f" % f["python"]["frames_per_s"],
             "%.2fx" % (f["ours"]["frames_per_s"] / f["python"]["frames_per_s"])] for n, f in doc["fleet"].items()]
    text.append(table(["writers", "ours, frames/s", "Python asebytes, frames/s", "ours / Python"], rows))
    for name in doc["workloads"]:
        r = doc["workloads"][name]["python_over_ours"]
        rep.headlines.append(("Redis %s: read all / write vs Python asebytes" % name,
                              "%.1fx / %.1fx faster" % (r["read_all"], r["write"]), "redis_bench"))
    if "4" in doc["fleet"]:
        f = doc["fleet"]["4"]
        rep.headlines.append(("Redis: 4 writer processes into one group, frames/s vs Python asebytes' 4",
                              "%.0f vs %.0f" % (f["ours"]["frames_per_s"], f["python"]["frames_per_s"]), "redis_bench"))
    rep.sections.append("\n".join(text))


# ---------------------------------------------------------------------------------------------
# Collective parallel HDF5 against gather-to-rank-0, and writer memory (parallel_write_bench.py)


@results_section("parallel_write.json", "Parallel HDF5 writes and writer memory", "bench/parallel_write_bench.py")
def parallel_section(rep, doc):
    runs = doc["parallel"]
    first = next(iter(runs.values()))
    text = ["## Parallel HDF5 writes and writer memory (parallel_write_bench.py)\n",
            "`bench/parallel_write_bench.py`: batches of %d frames of %d atoms (%.1f MB each) written by every rank "
            "into one file with collective parallel HDF5, against gathering each frame to rank 0 (FrameGatherer) "
            "and writing it there; both files read back equal. ms per frame, median [min, max]; *x raw* divides by "
            "rank 0 writing the same bytes to a plain file in the same run.\n"
            % (first["frames"], first["atoms"], first["frame_data_bytes"] / 1e6)]
    rows = []
    for np_, run in sorted(runs.items()):
        for c in run["cases"]:
            m = c["methods"]
            store = c["format"] + (" gzip" if c["gzip"] else "")
            rows.append(["%s%s" % (np_, " (oversubscribed)" if run.get("oversubscribed") else ""), store,
                         mmm(m["collective"]["per_frame_ms"]), mmm(m["gathered"]["per_frame_ms"]),
                         mmm(c["ratio_collective_to_gathered"], fmt="%.2f"),
                         "%.0fx / %.0fx" % (m["collective"]["x_raw"], m["gathered"]["x_raw"])])
    text.append(table(["ranks", "store", "collective ms/frame", "gathered ms/frame", "collective / gathered",
                       "x raw (coll. / gath.)"], rows))
    for np_, run in sorted(runs.items()):
        for c in run["cases"]:
            if c["format"] == ".h5" and c["gzip"] and not run.get("oversubscribed"):
                rep.headlines.append(("collective parallel HDF5 vs gather-to-rank-0, %d-atom frames, .h5 gzip, np %s"
                                      % (first["atoms"], np_), "%.2fx the time" % c["ratio_collective_to_gathered"]["median"],
                                      "parallel_write_bench"))
    w = doc.get("writer_memory")
    if w:
        mem = w["memory"]
        text.append("Writer memory: %d frames of %d atoms (%.2f MB each) back to back through FrameGatherer and "
                    "BufferedWriter into LMDB, %d ranks, buffer limit %d frames / %.0f MB: rank 0's RSS grew %.1f MB "
                    "(%.2fx the byte limit); median RSS per quarter of the run %s MB.\n"
                    % (w["frames"], w["atoms"], w["frame_payload_bytes"] / 1e6, w["ranks"], w["limits"]["max_frames"],
                       w["limits"]["max_bytes"] / 1e6, mem["growth_kb"] / 1e3, mem["growth_over_byte_limit"],
                       ", ".join("%.0f" % (x / 1e3) for x in mem["quarter_median_rss_kb"])))
        if plt is not None:
            cv = w["curve"]
            fig, ax = plt.subplots(figsize=(7, 3.5))
            ax.plot(cv["frame"], [x / 1e3 for x in cv["rss_kb"]], label="RSS")
            ax.plot(cv["frame"], [x / 1e3 for x in cv["anon_kb"]], label="anonymous (heap)")
            ax.plot(cv["frame"], [x / 1e3 for x in cv["file_kb"]], label="file-backed (LMDB map)")
            ax.axhline(w["limits"]["max_bytes"] / 1e6, color="grey", ls="--", label="buffer byte limit")
            ax.set_xlabel("frames handed to the writer")
            ax.set_ylabel("MB")
            ax.set_title("Rank 0 memory over a run")
            ax.legend(fontsize=8)
            ax.grid(alpha=0.3)
            text.append(rep.figure(fig, "writer_memory.png", "writer memory over the run"))
        rep.headlines.append(("writer memory growth over %d frames of %d atoms, vs its buffer byte limit"
                              % (w["frames"], w["atoms"]), "%.2fx the limit (bounded)" % mem["growth_over_byte_limit"],
                              "parallel_write_bench"))
    rep.sections.append("\n".join(text))


def write_markdown(rep, docs):
    m = machine()
    now = datetime.date.today().isoformat()
    head = ["# Benchmarks\n",
            "Generated by `scripts/bench` (bench/report.py) on %s, commit %s, on %s (%d cores, %.0f GiB, Linux %s). "
            "Every number is a median over repetitions with [min, max]; every headline is a ratio against a "
            "reference measured in the same run, because shared machines are noisy.\n"
            % (now, m["commit"], m["cpu"], m["cores"], m["mem_gib"], m["kernel"]),
            "## Headline ratios\n",
            table(["claim", "ratio", "benchmark"], rep.headlines) if rep.headlines else "No results yet.\n"]
    os.makedirs(docs, exist_ok=True)
    path = os.path.join(docs, "benchmarks.md")
    with open(path, "w") as f:
        f.write("\n".join(head) + "\n" + "\n".join(rep.sections))
    return path, m, now


def update_readme(readme, rep, m, now):
    begin, end = "<!-- bench:headline:begin -->", "<!-- bench:headline:end -->"
    with open(readme) as f:
        text = f.read()
    if begin not in text or end not in text:
        print("report: %s has no %s ... %s block; not updated" % (readme, begin, end), file=sys.stderr)
        return
    block = ("%s\nMeasured by `scripts/bench` on %s (commit %s) on %s, %d cores; details and plots in "
             "[docs/benchmarks.md](docs/benchmarks.md).\n\n%s%s" %
             (begin, now, m["commit"], m["cpu"], m["cores"],
              table(["claim", "ratio", "benchmark"], rep.headlines) if rep.headlines else "No results yet.\n", end))
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    with open(readme, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=os.path.join(HERE, "results"))
    ap.add_argument("--docs", default=os.path.join(ROOT, "docs"))
    ap.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    ap.add_argument("--no-readme", action="store_true")
    args = ap.parse_args()
    if plt is None:
        print("report: matplotlib is not importable (python3-matplotlib): no plots", file=sys.stderr)
    rep = build(args.results, args.docs)
    path, m, now = write_markdown(rep, args.docs)
    if not args.no_readme:
        update_readme(args.readme, rep, m, now)
    print("report: %s (%d sections, %d headline ratios)" % (os.path.relpath(path, ROOT), len(rep.sections),
                                                          len(rep.headlines)))


if __name__ == "__main__":
    main()
