#!/usr/bin/env python3
"""lammps_fix_bench: what `fix asebytes` costs a LAMMPS run, next to stock dumps, in one run.

Runs build/bin/lmp_asebytes (LAMMPS with `fix asebytes` built in) on a 32,000-atom system
(--system lj: Lennard-Jones melt, bench/lammps_fix_bench.in; --system cu_eam: Cu with EAM,
bench/lammps_fix_bench_cu_eam.in), for every variant below and every rank count, a few times,
variants interleaved and their order rotated from repetition to repetition:

  none              no output
  dump_custom_N     dump custom, id type x y z fx fy fz, every N steps (text)
  fix_asebytes_N    fix asebytes N store.lmdb elements Ar|Cu (the same data plus energy and
                    stress, into LMDB, through the background writer; LJ in `units native`)
  dump_gz_10        dump custom/gz (peer, if this LAMMPS has it)
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

usage: bench/lammps_fix_bench.py [--system lj|cu_eam] [--lmp PATH] [--np 1,2] [--steps 1000] [--reps 3]
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
# --system -> (input template, what the fix needs to know about it, description)
SYSTEMS = {
    "lj": ("lammps_fix_bench.in", "units native elements Ar", "32,000-atom LJ melt"),
    "cu_eam": ("lammps_fix_bench_cu_eam.in", "elements Cu", "32,000-atom Cu EAM"),
}
COLUMNS = "id type x y z fx fy fz"

# name -> (family, every, output command; {d} is the scratch directory)
VARIANTS = {
    "none": ("none", None, ""),
    "dump_custom_10": ("dump custom", 10, "dump bench all custom 10 {d}/dump.lammpstrj " + COLUMNS),
    "dump_custom_100": ("dump custom", 100, "dump bench all custom 100 {d}/dump.lammpstrj " + COLUMNS),
    "fix_asebytes_10": ("fix asebytes", 10, "fix bench all asebytes 10 {d}/store.lmdb {fix}"),
    "fix_asebytes_100": ("fix asebytes", 100, "fix bench all asebytes 100 {d}/store.lmdb {fix}"),
    "dump_gz_10": ("dump custom/gz", 10, "dump bench all custom/gz 10 {d}/dump.lammpstrj.gz " + COLUMNS),
    "dump_zstd_10": ("dump custom/zstd", 10, "dump bench all custom/zstd 10 {d}/dump.lammpstrj.zst " + COLUMNS),
    "dump_mpiio_10": ("dump custom/mpiio", 10, "dump bench all custom/mpiio 10 {d}/dump.mpiio " + COLUMNS),
}
PEERS = ("dump_gz_10", "dump_zstd_10", "dump_mpiio_10")
# Diagnostics, not run by default: the fix without energy and stress (no extra energy/virial
# tallies on output steps) shows what computing them costs.
VARIANTS["fix_asebytes_10_noev"] = ("fix asebytes", 10, "fix bench all asebytes 10 {d}/store.lmdb {fix} "
                                    "energy no stress no")
# ... and with mpirun's default binding of each rank to one core lifted, which its writer thread
# otherwise shares: mpirun --bind-to none.
UNBOUND = ["--bind-to", "none"]
for _v in ("none", "fix_asebytes_10", "fix_asebytes_100"):
    VARIANTS[_v + "_unbound"] = VARIANTS[_v] + (UNBOUND,)
DEFAULT_VARIANTS = ["none", "dump_custom_10", "dump_custom_100", "fix_asebytes_10", "fix_asebytes_100",
                    "dump_gz_10", "dump_zstd_10", "dump_mpiio_10"]
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
    while waited < QUIET_WAIT_MAX_S:  # quiet = 1.5 s in which the machine was busy < FOREIGN_LIMIT of a core
        b0 = machine_busy_s()
        time.sleep(1.5)
        if machine_busy_s() - b0 <= 1.5 * FOREIGN_LIMIT:
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
        template, fix_args, _ = SYSTEMS[args.system]
        with open(os.path.join(HERE, template)) as f:
            text = f.read()
        text = text.replace("#OUTPUT#", VARIANTS[variant][2].format(d=d, fix=fix_args))
        infile = os.path.join(d, "in.lammps")
        with open(infile, "w") as f:
            f.write(text)
        extra = VARIANTS[variant][3] if len(VARIANTS[variant]) > 3 else []
        cmd = [args.mpirun] + shlex.split(args.mpirun_args) + extra + ["-np", str(np), args.lmp, "-in", infile,
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


def analyse(doc):
    runs, variants, nps = doc["runs"], doc["variants"], doc["nps"]

    def get(v, np):
        return {r["rep"]: r for r in runs if r["variant"] == v and r["np"] == np}

    def incall(r):  # seconds LAMMPS timed inside output code: Modify (fixes) + Output (dumps, thermo)
        return r.get("section_modify_s", 0.0) + r.get("section_output_s", 0.0)

    results = {}
    for np in nps:
        base = get("none", np)
        none_loops = [r["loop_s"] for r in base.values()]
        per = {}
        for v in variants:
            rs = get(v, np)
            keys = sorted(k for k in rs if k in base)
            frac = [(rs[k]["loop_s"] - base[k]["loop_s"]) / base[k]["loop_s"] for k in keys]
            wall = [(rs[k]["wall_s"] - base[k]["wall_s"]) / base[k]["loop_s"] for k in keys]
            inc = [(incall(rs[k]) - incall(base[k])) / base[k]["loop_s"] for k in keys]
            fix_args = SYSTEMS[doc.get("system", "lj")][1]
            entry = {"family": VARIANTS[v][0], "every": VARIANTS[v][1],
                     "command": VARIANTS[v][2].format(d="DIR", fix=fix_args),
                     "mpirun_extra": VARIANTS[v][3] if len(VARIANTS[v]) > 3 else [],
                     "loop_s": stats([r["loop_s"] for r in rs.values()]),
                     "wall_s": stats([r["wall_s"] for r in rs.values()]),
                     "overhead_fraction": stats(frac) if v != "none" else None,
                     "wall_overhead_fraction": stats(wall) if v != "none" else None,
                     "incall_overhead_fraction": stats(inc) if v != "none" else None,
                     "output_s": stats([r.get("section_output_s", 0.0) for r in rs.values()]),
                     "pair_s": stats([r.get("section_pair_s", 0.0) for r in rs.values()]),
                     "modify_s": stats([r.get("section_modify_s", 0.0) for r in rs.values()]),
                     "output_mb": statistics.median([r["output_bytes"] / 1e6 for r in rs.values()])}
            fixes = [r["fix"] for r in rs.values() if "fix" in r]
            if fixes:
                entry["fix_md_waited_s"] = stats([f["md_waited_s"] for f in fixes])
                entry["fix_writer_busy_s"] = stats([f["writer_busy_s"] for f in fixes])
                entry["fix_frames"] = fixes[0]["frames"]
                entry["fix_transactions"] = stats([f["transactions"] for f in fixes])
            per[v] = entry
        goals = {"noise_none_loop_spread": (max(none_loops) - min(none_loops)) / statistics.median(none_loops)}
        for every in (10, 100):
            fv, dv = "fix_asebytes_%d" % every, "dump_custom_%d" % every
            if fv in per and dv in per:
                f, d = get(fv, np), get(dv, np)
                keys = sorted(k for k in f if k in d and k in base)
                r = {}
                for name, measure in (("loop", lambda x: x["loop_s"]), ("incall", incall)):
                    fo = per[fv]["overhead_fraction" if name == "loop" else "incall_overhead_fraction"]["median"]
                    do = per[dv]["overhead_fraction" if name == "loop" else "incall_overhead_fraction"]["median"]
                    pairs = [(measure(f[k]) - measure(base[k])) / (measure(d[k]) - measure(base[k]))
                             for k in keys if measure(d[k]) != measure(base[k])]
                    r[name] = {"ratio_of_medians": fo / do if do else None, "per_rep": stats(pairs)}
                goals["ratio_fix_over_dump_%d" % every] = r
        if "fix_asebytes_10" in per and "dump_custom_10" in per:
            # Compared without dividing, so a dump overhead lost in the noise cannot pass it.
            f10, d10 = get("fix_asebytes_10", np), get("dump_custom_10", np)
            g = {}
            for name, key, measure in (("loop", "overhead_fraction", lambda x: x["loop_s"]),
                                       ("incall", "incall_overhead_fraction", incall)):
                ok = [measure(f10[k]) - measure(base[k]) <= 0.2 * (measure(d10[k]) - measure(base[k]))
                      for k in f10 if k in d10 and k in base]
                g[name] = {"met_at_median": per["fix_asebytes_10"][key]["median"] <= 0.2 * per["dump_custom_10"][key]["median"],
                           "met_in_every_rep": bool(ok) and all(ok)}
            goals["goal_fix10_le_0.2x_dump10"] = g
        if "fix_asebytes_100" in per:
            g = {}
            for name, key in (("loop", "overhead_fraction"), ("incall", "incall_overhead_fraction")):
                o = per["fix_asebytes_100"][key]
                g[name] = {"met_at_median": o["median"] < 0.01, "met_in_every_rep": o["max"] < 0.01}
            goals["goal_fix100_lt_1pct"] = g
        results[str(np)] = {"variants": per, "goals": goals}
    return results


def report(doc, results):
    runs, variants, nps = doc["runs"], doc["variants"], doc["nps"]
    lmp = doc["lmp"]
    print("lammps_fix_bench: %s, %s, %d steps, %d reps per variant, variants interleaved"
          % (os.path.relpath(lmp, ROOT) if lmp.startswith(ROOT) else lmp, SYSTEMS[doc.get("system", "lj")][2],
             doc["steps"], doc["reps"]))
    print("mpirun %s -np N; scratch on %s; %.0f s in all%s%s" % (doc["mpirun_args"], doc.get("tmpdir", "?"), doc["total_s"],
          " (%.0f s of it waiting for CI / other programs)" % doc["idle_waited_s"] if doc["idle_waited_s"] else "",
          "; %d run(s) repeated (other programs took CPU meanwhile)" % doc["runs_repeated"] if doc["runs_repeated"] else ""))
    worst = max(r["foreign_share"] for r in runs)
    print("disturbance: other programs took at most %.1f%% of a core during a kept run (limit %.0f%%)"
          % (100 * worst, 100 * FOREIGN_LIMIT))
    for v, why in doc["skipped"].items():
        print("skipped %s: %s" % (v, why))
    print("loop overhead = (loop time - no-output loop time, same rep) / no-output loop time: median [min, max] over reps")
    print("in-call = the same for LAMMPS's Modify + Output timers (time inside fixes and dumps only: without the extra")
    print("          energy/virial work on output steps and without a writer thread competing for the core)")
    print("wall = loop overhead measured on the whole mpirun from outside (includes setup and the end-of-run flush)")
    print("Pair/Output/Modify: LAMMPS's timing breakdown (average over ranks), median over reps")
    for np in nps:
        per = results[str(np)]["variants"]
        g = results[str(np)]["goals"]
        print("\n== np %d ==   (no-output loop times spread %.1f%% between reps)" % (np, 100 * g["noise_none_loop_spread"]))
        print("  %-24s %5s %7s %26s %26s %26s %7s %7s %7s %6s %s"
              % ("variant", "every", "loop s", "loop overhead", "in-call overhead", "wall overhead", "Pair s",
                 "Output", "Modify", "out MB", "fix: MD waited / writer busy s"))
        for v in variants:
            e = per[v]
            extra = ""
            if "fix_md_waited_s" in e:
                extra = "%.3f / %.3f (%d frames, %.0f txns)" % (e["fix_md_waited_s"]["median"], e["fix_writer_busy_s"]["median"],
                                                               e["fix_frames"], e["fix_transactions"]["median"])
            ref = v == "none"
            print("  %-24s %5s %7.3f %26s %26s %26s %7.3f %7.3f %7.3f %6.1f %s"
                  % (v, e["every"] or "-", e["loop_s"]["median"],
                     "%26s" % "(reference)" if ref else fmt_pct(e["overhead_fraction"]),
                     "" if ref else fmt_pct(e["incall_overhead_fraction"]),
                     "" if ref else fmt_pct(e["wall_overhead_fraction"]),
                     e["pair_s"]["median"], e["output_s"]["median"], e["modify_s"]["median"], e["output_mb"], extra))
        for every in (10, 100):
            k = "ratio_fix_over_dump_%d" % every
            if k in g:
                for name in ("loop", "incall"):
                    r = g[k][name]
                    print("  fix asebytes / dump custom overhead, every %3d, %-7s ratio of medians %s; per rep %s"
                          % (every, name + ":", "%.3fx" % r["ratio_of_medians"] if r["ratio_of_medians"] is not None else "n/a",
                             fmt_x(r["per_rep"])))
        verdict = lambda m: "%s at the median, %s in every rep" % ("MET" if m["met_at_median"] else "NOT MET",
                                                                  "met" if m["met_in_every_rep"] else "not met")
        if "goal_fix10_le_0.2x_dump10" in g:
            m = g["goal_fix10_le_0.2x_dump10"]
            print("  goal fix(10) <= 0.2 x dump custom(10), loop time: %s;  in-call: %s" % (verdict(m["loop"]), verdict(m["incall"])))
        if "goal_fix100_lt_1pct" in g:
            m = g["goal_fix100_lt_1pct"]
            print("  goal fix(100) < 1%% of loop time,      loop time: %s;  in-call: %s" % (verdict(m["loop"]), verdict(m["incall"])))


def measure(args, variants, nps):
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
    return {"benchmark": "lammps_fix_bench", "system": args.system, "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "lmp": args.lmp, "mpirun_args": args.mpirun_args, "tmpdir": args.tmpdir, "steps": args.steps,
            "reps": args.reps, "atoms": 32000, "nps": nps, "variants": variants, "skipped": skipped,
            "total_s": time.perf_counter() - t_start, "idle_waited_s": idle_waited, "runs_repeated": repeated,
            "loadavg_at_end": os.getloadavg(), "cpus": os.cpu_count(), "runs": runs}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--system", choices=sorted(SYSTEMS), default="lj")
    ap.add_argument("--lmp", default=os.environ.get("LMP_ASEBYTES", os.path.join(ROOT, "build", "bin", "lmp_asebytes")))
    ap.add_argument("--mpirun", default="mpirun")
    ap.add_argument("--mpirun-args", default="--oversubscribe",
                    help='extra mpirun arguments (default "--oversubscribe"; e.g. add "--bind-to none")')
    ap.add_argument("--np", default="1,2")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                    help="comma-separated, of: " + ", ".join(VARIANTS))
    ap.add_argument("--tmpdir", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("--json", help="default: bench/results/lammps_fix_bench[_SYSTEM].json (no suffix for lj)")
    ap.add_argument("--no-idle-wait", action="store_true",
                    help="do not wait for CI runs / ctest (pgrep -f ci/run, ctest) or other busy programs before "
                         "each run, and do not repeat disturbed runs")
    ap.add_argument("--reanalyse", metavar="JSON",
                    help="measure nothing: print the tables of an earlier run's JSON (and update its analysis)")
    args = ap.parse_args()
    if args.json is None:
        suffix = "" if args.system == "lj" else "_" + args.system
        args.json = os.path.join(HERE, "results", "lammps_fix_bench%s.json" % suffix)

    if args.reanalyse:
        with open(args.reanalyse) as f:
            doc = json.load(f)
        doc["results"] = analyse(doc)
        report(doc, doc["results"])
        with open(args.reanalyse, "w") as f:
            json.dump(doc, f, indent=2)
        return

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

    doc = measure(args, variants, nps)
    doc["results"] = analyse(doc)
    report(doc, doc["results"])
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
        print("\nJSON: %s" % args.json)


if __name__ == "__main__":
    main()
