#!/usr/bin/env python3
"""Runs bench_parallel_write under mpirun -np 1, 2 and 4 (4 oversubscribed on a 2-core machine),
then its writer-memory run once (np 2), and collects everything into
bench/results/parallel_write.json (the printed output goes to parallel_write.txt beside it).

    bench/parallel_write_bench.py            # 2 frames x 262,144 atoms, 3 reps; 2000-frame memory run
    bench/parallel_write_bench.py --quick    # small sizes, to check that it all runs
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Arguments of bench_parallel_write for the comparison and for the memory run.
FULL = {
    "parallel": ["--atoms", "262144", "--frames", "2", "--reps", "3"],
    "memory": ["--memory-frames", "2000", "--memory-atoms", "32000", "--memory-buffer-mb", "64"],
}
QUICK = {
    "parallel": ["--atoms", "32768", "--frames", "4", "--reps", "1"],
    "memory": ["--memory-frames", "300", "--memory-atoms", "32000", "--memory-buffer-mb", "16"],
}
MEMORY_RANKS = 2


def mpirun(ranks):
    cmd = ["mpirun", "-np", str(ranks)]
    if ranks > (os.cpu_count() or 1):
        cmd.append("--oversubscribe")  # the benchmark says so in its output and JSON
    return cmd


def run(cmd, log):
    """Runs cmd, echoing and logging its output; returns the JSON it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        full = cmd + ["--json", out]
        print("$ " + " ".join(full), flush=True)
        log.write("$ " + " ".join(full) + "\n")
        t0 = time.monotonic()
        proc = subprocess.run(full, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(proc.stdout)
        log.write(proc.stdout)
        log.write("(%.0f s)\n\n" % (time.monotonic() - t0))
        log.flush()
        if proc.returncode != 0:
            sys.exit("%s failed with exit code %d" % (cmd[-1], proc.returncode))
        with open(out) as f:
            return json.load(f)


def summary(results):
    lines = []
    out = lines.append
    out("summary: ms/frame (median over reps), collective / gathered, and x raw write of the same run")
    out("%-4s %-18s %12s %12s %10s %10s %10s" % ("np", "store", "collective", "gathered", "coll/gath",
                                                     "coll x raw", "gath x raw"))
    for ranks, r in sorted(results["parallel"].items(), key=lambda kv: int(kv[0])):
        for c in r["cases"]:
            m = c["methods"]
            out("%-4s %-18s %12.2f %12.2f %9.2fx %9.2fx %9.2fx%s" % (
                ranks + ("*" if r["oversubscribed"] else ""),
                c["format"] + (" gzip" if c["gzip"] else ""),
                m["collective"]["per_frame_ms"]["median"], m["gathered"]["per_frame_ms"]["median"],
                c["ratio_collective_to_gathered"]["median"], m["collective"]["x_raw"], m["gathered"]["x_raw"],
                "" if c["verified"] else "  (not verified)"))
    out("(* more ranks than cores: oversubscribed)")
    mem = results.get("writer_memory")
    if mem:
        mm = mem["memory"]
        out("writer memory: %d frames x %d atoms; RSS grew %.1f MB over the run = %.2fx the %.0f MB byte limit; "
              "median RSS per quarter %s MB" % (
                  mem["frames"], mem["atoms"], mm["growth_kb"] / 1024, mm["growth_over_byte_limit"],
                  mem["limits"]["max_bytes"] / 2**20, ", ".join("%.0f" % (q / 1024) for q in mm["quarter_median_rss_kb"])))
    return "\n".join(lines) + "\n"


def save(results, path, t0):
    results["total_s"] = time.monotonic() - t0
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes (32k atoms, 4 frames, 1 rep; 300-frame memory run)")
    p.add_argument("--ranks", default="1,2,4", help="MPI ranks to run the comparison with (default 1,2,4)")
    p.add_argument("--bench", default=os.path.join(ROOT, "build", "bin", "bench_parallel_write"))
    p.add_argument("--out", default=os.path.join(HERE, "results", "parallel_write.json"))
    p.add_argument("--tmpdir", help="where the scratch files go (default $TMPDIR or /tmp)")
    args = p.parse_args()

    os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    os.environ.setdefault("OMPI_MCA_btl", "self,vader")  # shared memory only, as the tests run
    sizes = QUICK if args.quick else FULL
    extra = ["--tmpdir", args.tmpdir] if args.tmpdir else []
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    results = {"benchmark": "parallel_write_bench.py", "quick": args.quick, "parallel": {}}
    t0 = time.monotonic()
    with open(os.path.splitext(args.out)[0] + ".txt", "w") as log:
        for ranks in [int(r) for r in args.ranks.split(",")]:
            results["parallel"][str(ranks)] = run(mpirun(ranks) + [args.bench] + sizes["parallel"] + extra, log)
            save(results, args.out, t0)  # what is measured so far survives an interrupted run
        memory = run(mpirun(MEMORY_RANKS) + [args.bench, "--memory-only"] + sizes["memory"] + extra, log)
        results["writer_memory"] = memory["writer_memory"]
        save(results, args.out, t0)
        text = summary(results)
        sys.stdout.write("\n" + text)
        log.write(text)
    print("JSON: %s (%.0f s in all)" % (args.out, results["total_s"]))


if __name__ == "__main__":
    main()
