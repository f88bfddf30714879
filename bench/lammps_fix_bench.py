#!/usr/bin/env python3
"""lammps_fix_bench: what `fix asebytes` costs a LAMMPS run, next to stock dumps, in one run.

Runs build/bin/lmp_asebytes (LAMMPS with `fix asebytes` built in) on a 32,000-atom Lennard-Jones
melt (bench/lammps_fix_bench.in), for every variant below and every rank count, a few times,
variants interleaved and their order rotated from repetition to repetition:

  none              no output
  dump_custom_N     dump custom, id type x y z fx fy fz, every N steps (text)
  fix_asebytes_N    fix asebytes N store.lmdb units native elements Ar (the same data plus
                    energy and stress, into LMDB, through the background writer)
  dump_zstd_10      dump custom/zstd (peer, if this LAMMPS has it)
  dump_mpiio_10     dump custom/mpiio (peer, if this LAMMPS has it)

From LAMMPS's output it takes "Loop time of X" (the timed MD loop: setup and the end-of-run
work, e.g. the fix's final flush, are outside it), the Output and Modify rows of the timing
breakdown, and the fix's own line (how long MD waited for the writer). It also times each whole
mpirun from outside (wall). Overhead = (loop time - loop time of `none` in the same repetition)
/ that `none` loop time; medians over repetitions, with min and max.

The project's goals it checks (and reports, met or not):
  fix overhead at every 10 steps  <= 0.2 x dump custom's at every 10 steps
  fix overhead at every 100 steps <  1% of the loop time

Before every run it waits while a CI run or ctest is running (pgrep -f ci/run, ctest) or other
programs keep the CPUs busy; a run during which other programs took more than 5% of a core (from
/proc/stat and our own rusage) is measured again. --no-idle-wait turns both off.

Outputs go to a private temporary directory, removed after every run. Results: a table on
stdout and JSON in bench/results/lammps_fix_bench.json. Benchmarks are not part of the test run.

usage: bench/lammps_fix_bench.py [--lmp PATH] [--np 1,2] [--steps 1000] [--reps 3]
                                 [--variants a,b,...] [--mpirun-args "..."] [--tmpdir DIR]
                                 [--json FILE] [--no-idle-wait]
"""
import argparse
import datetime
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TEMPLATE = os.path.join(HERE, "lammps_fix_bench.in")
COLUMNS = "id type x y z fx fy fz"

# name -> (family, every, output command; {d} is the scratch directory)
VARIANTS = {
    "none": ("none", None, ""),
    "dump_custom_10": ("dump custom", 10, "dump bench all custom 10 {d}/dump.lammpstrj " + COLUMNS),
    "dump_custom_100": ("dump custom", 100, "dump bench all custom 100 {d}/dump.lammpstrj " + COLUMNS),
    "fix_asebytes_10": ("fix asebytes", 10, "fix bench all asebytes 10 {d}/store.lmdb units native elements Ar"),
    "fix_asebytes_100": ("fix asebytes", 100, "fix bench all asebytes 100 {d}/store.lmdb units native elements Ar"),
    "dump_zstd_10": ("dump custom/zstd", 10, "dump bench all custom/zstd 10 {d}/dump.lammpstrj.zst " + COLUMNS),
    "dump_mpiio_10": ("dump custom/mpiio", 10, "dump bench all custom/mpiio 10 {d}/dump.mpiio " + COLUMNS),
}
PEERS = ("dump_zstd_10", "dump_mpiio_10")
IDLE_PATTERNS = ("ci/run", "ctest")

LOOP_RE = re.compile(r"^Loop time of ([0-9.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms", re.M)
SECTION_RE = re.compile(r"^(Pair|Neigh|Comm|Output|Modify|Other)\s*\|\s*([0-9.eE+-]+)\s*\|\s*([0-9.eE+-]+)\s*\|\s*([0-9.eE+-]+)", re.M)
FIX_RE = re.compile(r"fix asebytes \S+: (\d+) frames this run.*\(([0-9.]+) MB\).*MD waited ([0-9.]+) s for the writer, "
                    r"writer busy ([0-9.]+) s in (\d+) transactions")


def log(msg):
    print("[lammps_fix_bench] " + msg, file=sys.stderr, flush=True)


def busy_processes():
    found = []
    for pat in IDLE_PATTERNS:
        r = subprocess.run(["pgrep", "-f", pat], capture_output=True, text=True)
        found += [p for p in r.stdout.split() if int(p) != os.getpid()]
    return found


def wait_until_idle(enabled):
    """Waits (polling every 30 s) while a CI run or ctest is using the cores."""
    if not enabled or shutil.which("pgrep") is None:
        return 0.0
    waited = 0.0
    while busy_processes():
        if waited == 0.0:
            log("a CI run / ctest is running; waiting for it to finish before measuring")
        time.sleep(30)
        waited += 30
    return waited


# Disturbance guard: the CPU time the machine spent busy (/proc/stat: user, system, irq, steal)
# minus what our mpirun and its ranks used is what other programs took meanwhile. A run where they
# took more than FOREIGN_LIMIT of one core on average is measured again (up to MAX_ATTEMPTS runs).
FOREIGN_LIMIT = 0.05
MAX_ATTEMPTS = 4
QUIET_WAIT_MAX_S = 300


def machine_busy_s():
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, idle, iowait, irq, softirq, steal = v
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def children_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def wait_until_quiet(enabled):
    """Waits (up to QUIET_WAIT_MAX_S) until other programs use less than FOREIGN_LIMIT of a core."""
    if not enabled:
        return 0.0
    waited = 0.0
    while waited < QUIET_WAIT_MAX_S:  # quiet = 3 s in which the machine was busy < FOREIGN_LIMIT of a core
        b0 = machine_busy_s()
        time.sleep(3.0)
        if machine_busy_s() - b0 <= 3 * FOREIGN_LIMIT:
            break
        if waited == 0.0:
            log("other programs are busy; waiting")
        time.sleep(2.0)
        waited += 5.0
    return waited


def mpirun_env():
    env = dict(os.environ)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    return env


def du_bytes(path):
    total = 0
    for base, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(base, f))
            except OSError:
                pass
    return total


def run_lammps(args, variant, np, steps, scratch_root):
    """One LAMMPS run of `variant` in a fresh directory (removed afterwards). Returns a dict."""
    d = tempfile.mkdtemp(prefix="run-", dir=scratch_root)
    try:
        with open(TEMPLATE) as f:
            text = f.read()
        text = text.replace("#OUTPUT#", VARIANTS[variant][2].format(d=d))
        infile = os.path.join(d, "in.lammps")
        with open(infile, "w") as f:
            f.write(text)
        cmd = [args.mpirun] + shlex.split(args.mpirun_args) + ["-np", str(np), args.lmp, "-in", infile,
                                                               "-var", "steps", str(steps), "-log", "none"]
        busy0, own0 = machine_busy_s(), children_cpu_s()
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=d, env=mpirun_env(), capture_output=True, text=True)
        wall = time.perf_counter() - t0
        foreign = max(0.0, (machine_busy_s() - busy0) - (children_cpu_s() - own0))
        out = p.stdout + p.stderr
        loop = LOOP_RE.search(out)
        if p.returncode != 0 or not loop:
            tail = "\n".join(l for l in out.splitlines() if l.strip())[-1500:]
            return {"ok": False, "error": "exit %d: %s" % (p.returncode, tail)}
        res = {"ok": True, "loop_s": float(loop.group(1)), "wall_s": wall, "procs": int(loop.group(2)),
               "steps": int(loop.group(3)), "atoms": int(loop.group(4)),
               "output_bytes": du_bytes(d) - os.path.getsize(infile), "foreign_cpu_s": foreign,
               "foreign_share": foreign / wall}
        for name, tmin, tavg, tmax in SECTION_RE.findall(out):
            res["section_" + name.lower() + "_s"] = float(tavg)
        m = FIX_RE.search(out)
        if m:
            res["fix"] = {"frames": int(m.group(1)), "mb": float(m.group(2)), "md_waited_s": float(m.group(3)),
                          "writer_busy_s": float(m.group(4)), "transactions": int(m.group(5))}
        return res
    finally:
        shutil.rmtree(d, ignore_errors=True)


def stats(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt_pct(s):
    if s is None:
        return "%26s" % "n/a"
    return "%7.2f%% [%6.2f, %6.2f]" % (100 * s["median"], 100 * s["min"], 100 * s["max"])


def fmt_x(s):
    if s is None:
        return "n/a"
    return "%.3fx [%.3f, %.3f]" % (s["median"], s["min"], s["max"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lmp", default=os.environ.get("LMP_ASEBYTES", os.path.join(ROOT, "build", "bin", "lmp_asebytes")))
    ap.add_argument("--mpirun", default="mpirun")
    ap.add_argument("--mpirun-args", default="--oversubscribe",
                    help='extra mpirun arguments (default "--oversubscribe"; e.g. add "--bind-to none")')
    ap.add_argument("--np", default="1,2")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--tmpdir", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("--json", default=os.path.join(HERE, "results", "lammps_fix_bench.json"))
    ap.add_argument("--no-idle-wait", action="store_true",
                    help="do not wait for CI runs / ctest (pgrep -f ci/run, ctest) or other busy programs before "
                         "each run, and do not repeat disturbed runs")
    args = ap.parse_args()
    args.lmp = os.path.abspath(args.lmp)

    if not os.access(args.lmp, os.X_OK):
        sys.exit("lammps_fix_bench: %s is not an executable (build it, or pass --lmp)" % args.lmp)
    nps = [int(x) for x in args.np.split(",") if x]
    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in VARIANTS:
            sys.exit("lammps_fix_bench: unknown variant %r (known: %s)" % (v, ", ".join(VARIANTS)))
    if "none" not in variants:
        variants.insert(0, "none")

    t_start = time.perf_counter()
    scratch = tempfile.mkdtemp(prefix="asebytes-lammps-bench-", dir=args.tmpdir)
    skipped = {}
    runs = []  # every run: variant, np, rep, result
    idle_waited = 0.0
    repeated = 0
    try:
        # Peers: a short trial run; a style this LAMMPS lacks (or refuses) is skipped with the reason.
        for v in [v for v in variants if v in PEERS]:
            r = run_lammps(args, v, 1, 20, scratch)
            if not r["ok"]:
                msgs = [l for l in r["error"].splitlines() if "ERROR" in l or "rror:" in l]
                skipped[v] = (msgs[0] if msgs else r["error"][-300:]).strip()
                log("skipping %s: %s" % (v, skipped[v]))
        variants = [v for v in variants if v not in skipped]

        for rep in range(args.reps):
            for np in nps:
                order = variants[rep % len(variants):] + variants[:rep % len(variants)]
                for v in order:
                    for attempt in range(MAX_ATTEMPTS):
                        idle_waited += wait_until_idle(not args.no_idle_wait)
                        idle_waited += wait_until_quiet(not args.no_idle_wait)
                        log("rep %d/%d np %d %s" % (rep + 1, args.reps, np, v))
                        r = run_lammps(args, v, np, args.steps, scratch)
                        if not r["ok"]:
                            sys.exit("lammps_fix_bench: %s at np %d failed: %s" % (v, np, r["error"]))
                        # Another program (a CI run, a compiler) took CPU meanwhile: measure again.
                        disturbed = r["foreign_share"] > FOREIGN_LIMIT or (not args.no_idle_wait and busy_processes())
                        if args.no_idle_wait or attempt == MAX_ATTEMPTS - 1 or not disturbed:
                            break
                        log("other programs took %.0f%% of a core during this run; repeating it" % (100 * r["foreign_share"]))
                        repeated += 1
                    runs.append({"variant": v, "np": np, "rep": rep, **r})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    total_s = time.perf_counter() - t_start

    # ---- analysis
    def get(v, np):
        rs = sorted((r for r in runs if r["variant"] == v and r["np"] == np), key=lambda r: r["rep"])
        return {r["rep"]: r for r in rs}

    results = {}
    for np in nps:
        base = get("none", np)
        per = {}
        for v in variants:
            rs = get(v, np)
            frac = [(rs[k]["loop_s"] - base[k]["loop_s"]) / base[k]["loop_s"] for k in rs if k in base]
            wall = [(rs[k]["wall_s"] - base[k]["wall_s"]) / base[k]["loop_s"] for k in rs if k in base]
            entry = {"family": VARIANTS[v][0], "every": VARIANTS[v][1], "command": VARIANTS[v][2].format(d="DIR"),
                     "loop_s": stats([r["loop_s"] for r in rs.values()]),
                     "wall_s": stats([r["wall_s"] for r in rs.values()]),
                     "overhead_fraction": stats(frac) if v != "none" else None,
                     "wall_overhead_fraction": stats(wall) if v != "none" else None,
                     "output_s": stats([r.get("section_output_s", 0.0) for r in rs.values()]),
                     "pair_s": stats([r.get("section_pair_s", 0.0) for r in rs.values()]),
                     "modify_s": stats([r.get("section_modify_s", 0.0) for r in rs.values()]),
                     "output_mb": statistics.median([r["output_bytes"] / 1e6 for r in rs.values()]),
                     "per_rep": [{"rep": k, "loop_s": r["loop_s"], "wall_s": r["wall_s"], **({"fix": r["fix"]} if "fix" in r else {})}
                                 for k, r in rs.items()]}
            fixes = [r["fix"] for r in rs.values() if "fix" in r]
            if fixes:
                entry["fix_md_waited_s"] = stats([f["md_waited_s"] for f in fixes])
                entry["fix_writer_busy_s"] = stats([f["writer_busy_s"] for f in fixes])
                entry["fix_frames"] = fixes[0]["frames"]
                entry["fix_transactions"] = stats([f["transactions"] for f in fixes])
            per[v] = entry
        goals = {}
        for every in (10, 100):
            fv, dv = "fix_asebytes_%d" % every, "dump_custom_%d" % every
            if fv in per and dv in per:
                f, dmp = per[fv]["overhead_fraction"], per[dv]["overhead_fraction"]
                pairs = [(get(fv, np)[k]["loop_s"] - base[k]["loop_s"]) / (get(dv, np)[k]["loop_s"] - base[k]["loop_s"])
                         for k in get(fv, np) if k in get(dv, np) and get(dv, np)[k]["loop_s"] != base[k]["loop_s"]]
                goals["ratio_fix_over_dump_%d" % every] = {
                    "ratio_of_medians": f["median"] / dmp["median"] if dmp["median"] else None,
                    "per_rep": stats(pairs)}
        if "fix_asebytes_10" in per and "dump_custom_10" in per:
            # Compared without dividing, so a dump overhead lost in the noise cannot pass it.
            f10, d10 = get("fix_asebytes_10", np), get("dump_custom_10", np)
            reps_ok = [f10[k]["loop_s"] - base[k]["loop_s"] <= 0.2 * (d10[k]["loop_s"] - base[k]["loop_s"])
                       for k in f10 if k in d10 and k in base]
            goals["goal_fix10_le_0.2x_dump10"] = {
                "met_at_median": per["fix_asebytes_10"]["overhead_fraction"]["median"]
                <= 0.2 * per["dump_custom_10"]["overhead_fraction"]["median"],
                "met_in_every_rep": bool(reps_ok) and all(reps_ok)}
        if "fix_asebytes_100" in per:
            o = per["fix_asebytes_100"]["overhead_fraction"]
            goals["goal_fix100_lt_1pct"] = {"met_at_median": o["median"] < 0.01, "met_in_every_rep": o["max"] < 0.01}
        results[str(np)] = {"variants": per, "goals": goals}

    # ---- report
    print("lammps_fix_bench: %s, 32,000-atom LJ melt, %d steps, %d reps per variant, variants interleaved"
          % (os.path.relpath(args.lmp, ROOT) if args.lmp.startswith(ROOT) else args.lmp, args.steps, args.reps))
    print("mpirun %s -np N; scratch on %s; total %.0f s%s%s" % (args.mpirun_args, args.tmpdir, total_s,
          "; waited %.0f s for CI" % idle_waited if idle_waited else "",
          "; %d run(s) repeated (other programs took CPU meanwhile)" % repeated if repeated else ""))
    worst = max(r["foreign_share"] for r in runs)
    print("disturbance: other programs took at most %.1f%% of a core during a kept run (limit %.0f%%)"
          % (100 * worst, 100 * FOREIGN_LIMIT))
    if skipped:
        for v, why in skipped.items():
            print("skipped %s: %s" % (v, why))
    print("overhead = (loop time - no-output loop time, same rep) / no-output loop time: median [min, max] over reps")
    print("wall = the same from the whole mpirun timed outside (includes setup and the end-of-run flush)")
    print("Pair/Output/Modify: LAMMPS's timing breakdown (avg over ranks); fix asebytes' MD-thread work is in Modify")
    for np in nps:
        per = results[str(np)]["variants"]
        print("\n== np %d ==" % np)
        print("  %-18s %5s %8s %26s %26s %8s %8s %8s %7s %s"
              % ("variant", "every", "loop s", "loop overhead", "wall overhead", "Pair s", "Output s", "Modify s",
                 "out MB", "fix: MD waited / writer busy s"))
        for v in variants:
            e = per[v]
            extra = ""
            if "fix_md_waited_s" in e:
                extra = "%.3f / %.3f (%d frames, %.0f txns)" % (e["fix_md_waited_s"]["median"], e["fix_writer_busy_s"]["median"],
                                                               e["fix_frames"], e["fix_transactions"]["median"])
            print("  %-18s %5s %8.3f %26s %26s %8.3f %8.3f %8.3f %7.1f %s"
                  % (v, e["every"] or "-", e["loop_s"]["median"],
                     fmt_pct(e["overhead_fraction"]) if v != "none" else "%26s" % "(reference)",
                     fmt_pct(e["wall_overhead_fraction"]) if v != "none" else "%26s" % "",
                     e["pair_s"]["median"], e["output_s"]["median"], e["modify_s"]["median"], e["output_mb"], extra))
        g = results[str(np)]["goals"]
        for every in (10, 100):
            k = "ratio_fix_over_dump_%d" % every
            if k in g:
                r = g[k]
                print("  fix asebytes / dump custom overhead, every %3d: ratio of medians %s; per rep %s"
                      % (every, "%.3fx" % r["ratio_of_medians"] if r["ratio_of_medians"] is not None else "n/a",
                         fmt_x(r["per_rep"])))
        if "goal_fix10_le_0.2x_dump10" in g:
            m = g["goal_fix10_le_0.2x_dump10"]
            print("  goal fix(10) <= 0.2 x dump custom(10): %s at the median, %s in every rep"
                  % ("MET" if m["met_at_median"] else "NOT MET", "met" if m["met_in_every_rep"] else "not met"))
        if "goal_fix100_lt_1pct" in g:
            m = g["goal_fix100_lt_1pct"]
            print("  goal fix(100) < 1%% of loop time:       %s at the median, %s in every rep"
                  % ("MET" if m["met_at_median"] else "NOT MET", "met" if m["met_in_every_rep"] else "not met"))

    doc = {"benchmark": "lammps_fix_bench", "date": datetime.datetime.now().isoformat(timespec="seconds"),
           "lmp": args.lmp, "mpirun_args": args.mpirun_args, "steps": args.steps, "reps": args.reps,
           "atoms": 32000, "nps": nps, "variants": variants, "skipped": skipped, "total_s": total_s,
           "idle_waited_s": idle_waited, "runs_repeated": repeated, "loadavg_at_end": os.getloadavg(), "cpus": os.cpu_count(),
           "results": results, "runs": runs}
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
        print("\nJSON: %s" % args.json)


if __name__ == "__main__":
    main()
