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
    ax.legend(fontsize=8)
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
