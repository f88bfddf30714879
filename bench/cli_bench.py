"""Benchmarks of the `asebytes` command, each figure a ratio against a reference timed
in the same run. Not part of the tests.

usage: /usr/bin/python3 bench/cli_bench.py [--quick] [--frames N] [--atoms N] [--reps N]
                                           [--budget-mib M] [--store-mib S] [--cli build/bin/asebytes]

1. convert: `asebytes convert` LMDB -> extxyz, extxyz -> LMDB and extxyz -> extxyz of --frames
   periodic frames (energy, forces, stress, info.step) against ASE's ase.io.write / ase.io.read
   of the same frames, and against Python asebytes 0.3.1 reading / writing the LMDB store (the
   Python route of the same conversion: ASE for the extxyz side, asebytes for the LMDB side).
2. verify: `asebytes verify` of that store against a raw read of its bytes (`cat data.mdb`) and
   against Python asebytes decoding every row, warm page cache.
3. budget: a store of --store-mib MiB read under a page-cache budget of --budget-mib MiB: a
   memory cgroup (v2 memory.max or v1 memory.limit_in_bytes) holding the command, whose page
   cache is charged to it, and the store's pages dropped from the cache before each run
   (fsync + posix_fadvise DONTNEED on its files only). `asebytes extract` (filter + 3-way split to
   extxyz) and `asebytes verify` are timed against `cat` of the same files under the same budget,
   with the command's peak RSS (VmHWM) and peak anonymous memory (RssAnon, sampled) against
   the store size. Without a writable cgroup hierarchy the runs are cold-cache only (said so in
   the output and in the JSON).

Python asebytes is imported from ASEBYTES_PYTHONPATH or ../shared/third_party/asebytes-0.3.1;
without it its comparisons are skipped with a note. ASE and Python asebytes run in this process
(their import and start-up are not timed); `asebytes` and `cat` run as child processes (their
start-up is timed). Timings are the median of --reps runs (min and max in the JSON, "spread").
Results: bench/results/cli.json.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import statistics
import time
from pathlib import Path

import ase
import ase.io
import numpy as np
from ase.calculators.singlepoint import SinglePointCalculator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import stats  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIB = 1 << 20


def make_frames(n_frames, n_atoms, seed=0):
    """Periodic Cu frames; the force scale varies from frame to frame so that a max_force filter
    keeps a fraction of them (largest |F| of 512 atoms ~ 4 * scale)."""
    rng = np.random.default_rng(seed)
    frames = []
    for step in range(n_frames):
        a = ase.Atoms(f"Cu{n_atoms}", positions=rng.random((n_atoms, 3)) * 10, cell=[10, 10, 10], pbc=True)
        a.info["step"] = step
        scale = rng.uniform(0.1, 2.0)
        a.calc = SinglePointCalculator(a, energy=float(rng.normal(-3.5 * n_atoms, 1.0)),
                                       forces=rng.normal(0.0, scale, (n_atoms, 3)), stress=rng.normal(0, 0.01, 6))
        frames.append(a)
    return frames


class Timing(float):
    """The median seconds of repeated runs (a float, so ratios use it as it is), with the samples."""

    def __new__(cls, samples):
        t = super().__new__(cls, statistics.median(samples))
        t.samples = samples
        return t


def median_of(reps, run, clean=None):
    times = []
    for _ in range(reps):
        if clean:
            clean()
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return Timing(times)


def spread(timings):
    """Median, min and max of every repeated timing (bench_support's form)."""
    return {k: stats(v.samples) for k, v in timings.items() if isinstance(v, Timing)}


def remove(path):
    p = Path(path)
    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()


def store_files(path):
    """The files holding a store's bytes: the file itself, or every data.mdb of an LMDB store."""
    p = Path(path)
    return sorted(p.rglob("data.mdb")) if p.is_dir() else [p]


def store_bytes(path):
    return sum(f.stat().st_size for f in store_files(path))


def python_asebytes():
    """Python asebytes 0.3.1, or None with the reason printed."""
    path = os.environ.get("ASEBYTES_PYTHONPATH") or str(ROOT.parent / "shared" / "third_party" / "asebytes-0.3.1")
    sys.path.insert(0, path)
    try:
        import asebytes
        return asebytes
    except ImportError as exc:
        print(f"note: Python asebytes not importable from {path} ({exc}): its comparisons are skipped")
        return None


class Cli:
    def __init__(self, path):
        self.path = str(path)

    def args(self, *args):
        return [self.path, "-q", *map(str, args)]

    def run(self, *args):
        return subprocess.run(self.args(*args), check=True, capture_output=True, text=True).stdout


def ratio(reference, ours):
    return reference / ours if ours > 0 else float("nan")


# ---- 1. convert and 2. verify, warm cache ------------------------------------------------------

def bench_convert(args, cli, tmp, py):
    frames = make_frames(args.frames, args.atoms)
    ase_xyz, store, ours_xyz, copy_xyz = tmp / "ase.xyz", tmp / "frames.lmdb", tmp / "ours.xyz", tmp / "copy.xyz"
    t = {}
    t["ase_write"] = median_of(args.reps, lambda: ase.io.write(ase_xyz, frames, format="extxyz"),
                             lambda: remove(ase_xyz))
    t["ase_read"] = median_of(args.reps, lambda: ase.io.read(ase_xyz, index=":", format="extxyz"))
    t["ours_xyz_to_lmdb"] = median_of(args.reps, lambda: cli.run("convert", ase_xyz, store), lambda: remove(store))
    t["ours_lmdb_to_xyz"] = median_of(args.reps, lambda: cli.run("convert", store, ours_xyz),
                                    lambda: remove(ours_xyz))
    t["ours_xyz_to_xyz"] = median_of(args.reps, lambda: cli.run("convert", ase_xyz, copy_xyz),
                                   lambda: remove(copy_xyz))
    if py:
        py_store = tmp / "python.lmdb"
        t["py_lmdb_write"] = median_of(args.reps, lambda: py.ASEIO(str(py_store)).extend(frames),
                                     lambda: remove(py_store))
        t["py_lmdb_read"] = median_of(args.reps, lambda: py.ASEIO(str(store))[:].to_list())
        remove(py_store)
    for f in (ours_xyz, copy_xyz):
        remove(f)
    sizes = {"lmdb_bytes": store_bytes(store), "extxyz_bytes": ase_xyz.stat().st_size}
    return t, sizes, store


def convert_ratios(t):
    r = {"lmdb_to_xyz_vs_ase_write": ratio(t["ase_write"], t["ours_lmdb_to_xyz"]),
         "xyz_to_lmdb_vs_ase_read": ratio(t["ase_read"], t["ours_xyz_to_lmdb"]),
         "xyz_to_xyz_vs_ase_read_write": ratio(t["ase_read"] + t["ase_write"], t["ours_xyz_to_xyz"])}
    if "py_lmdb_read" in t:
        r["lmdb_to_xyz_vs_python"] = ratio(t["py_lmdb_read"] + t["ase_write"], t["ours_lmdb_to_xyz"])
        r["xyz_to_lmdb_vs_python"] = ratio(t["ase_read"] + t["py_lmdb_write"], t["ours_xyz_to_lmdb"])
    return r


def print_convert(args, t, r, sizes):
    print(f"\n1. convert: {args.frames} frames of {args.atoms} atoms (energy, forces, stress, info.step), "
          f"median of {args.reps}; LMDB {sizes['lmdb_bytes'] / MIB:.1f} MiB, extxyz {sizes['extxyz_bytes'] / MIB:.1f} MiB")
    print(f"  asebytes convert lmdb->xyz {t['ours_lmdb_to_xyz']:8.3f} s  {r['lmdb_to_xyz_vs_ase_write']:6.1f}x "
          f"ASE write ({t['ase_write']:.3f} s)")
    if "lmdb_to_xyz_vs_python" in r:
        print(f"  {'':37}  {r['lmdb_to_xyz_vs_python']:6.1f}x Python asebytes read ({t['py_lmdb_read']:.3f} s)"
              " + ASE write")
    print(f"  asebytes convert xyz->lmdb {t['ours_xyz_to_lmdb']:8.3f} s  {r['xyz_to_lmdb_vs_ase_read']:6.1f}x "
          f"ASE read ({t['ase_read']:.3f} s)")
    if "xyz_to_lmdb_vs_python" in r:
        print(f"  {'':37}  {r['xyz_to_lmdb_vs_python']:6.1f}x ASE read + Python asebytes write "
              f"({t['py_lmdb_write']:.3f} s)")
    print(f"  asebytes convert xyz->xyz  {t['ours_xyz_to_xyz']:8.3f} s  {r['xyz_to_xyz_vs_ase_read_write']:6.1f}x "
          "ASE read + write")
    print("  (Python routes: the sum of their separately timed parts; asebytes writes every digit, "
          "ASE 8 decimals)")


def bench_verify(args, cli, store, py):
    files = [str(f) for f in store_files(store)]
    t = {"cat": median_of(args.reps, lambda: subprocess.run(["cat", *files], check=True, stdout=subprocess.DEVNULL)),
         "verify": median_of(args.reps, lambda: cli.run("verify", store)),
         # the part of verify no store changes: starting the program (50 shared libraries: HDF5, MPI, ...)
         "startup": median_of(args.reps, lambda: cli.run("--version"))}
    if py:
        t["py_objectio_rows"] = median_of(args.reps, lambda: py.ObjectIO(str(store))[:].to_list())
        t["py_aseio_frames"] = median_of(args.reps, lambda: py.ASEIO(str(store))[:].to_list())
    r = {"verify_vs_cat": ratio(t["cat"], t["verify"])}
    for k in ("py_objectio_rows", "py_aseio_frames"):
        if k in t:
            r[f"verify_vs_{k}"] = ratio(t[k], t["verify"])
    print(f"\n2. verify: {store_bytes(store) / MIB:.1f} MiB store, warm page cache, median of {args.reps}")
    print(f"  asebytes verify            {t['verify']:8.3f} s  {store_bytes(store) / MIB / t['verify']:7.0f} MiB/s")
    print(f"  cat data.mdb > /dev/null   {t['cat']:8.3f} s  verify takes {1 / r['verify_vs_cat']:.1f}x as long")
    print(f"  asebytes --version         {t['startup']:8.3f} s  (start-up, part of verify's time)")
    for k, label in (("py_objectio_rows", "ObjectIO rows"), ("py_aseio_frames", "ASEIO Atoms")):
        if k in t:
            print(f"  {'Python ' + label:<26} {t[k]:8.3f} s  verify is {r[f'verify_vs_{k}']:.1f}x as fast")
    return t, r


# ---- 3. a store larger than the page-cache budget ----------------------------------------------

class MemoryBudget:
    """A memory cgroup of its own (created here, removed on exit) whose limit bounds the page
    cache of the commands run in it; None-like (`active` False) where none can be made."""

    def __init__(self, limit_bytes):
        self.limit = limit_bytes
        self.path, self.version, self.reason = None, None, ""
        name = f"asebytes-bench-{os.getpid()}"
        for version, root, limit_file in ((2, Path("/sys/fs/cgroup"), "memory.max"),
                                          (1, Path("/sys/fs/cgroup/memory"), "memory.limit_in_bytes")):
            if not (root / limit_file if version == 1 else root / "cgroup.controllers").exists():
                continue
            try:
                path = root / name
                path.mkdir()
                (path / limit_file).write_text(str(limit_bytes))
                self.path, self.version = path, version
                return
            except OSError as exc:
                self.reason = f"cgroup v{version} at {root}: {exc}"
        self.reason = self.reason or "no memory cgroup hierarchy found"

    @property
    def active(self):
        return self.path is not None

    def wrap(self, cmd):
        """cmd, run from a shell that first moves itself into the cgroup (then execs cmd)."""
        if not self.active:
            return cmd
        return ["sh", "-c", f'echo $$ > {self.path / "cgroup.procs"} && exec "$@"', "sh", *map(str, cmd)]

    def reset_peak(self):
        if self.version == 1:
            (self.path / "memory.max_usage_in_bytes").write_text("0")

    def peak(self):
        """Largest charge (anonymous memory + page cache) since reset_peak, or None."""
        f = {1: "memory.max_usage_in_bytes", 2: "memory.peak"}.get(self.version)
        if f and (self.path / f).exists():
            return int((self.path / f).read_text())
        return None

    def close(self):
        if self.active:
            self.path.rmdir()  # the commands have exited; their page cache moves to the parent

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def drop_from_page_cache(paths):
    """Evicts these stores' (clean) pages from the page cache, so the next read comes from disk."""
    for store in paths:
        for f in store_files(store):
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def memory_of(pid):
    """(VmHWM, RssAnon) of a running process in bytes: its peak RSS so far (anonymous and mapped
    file pages) and its anonymous memory now; zeros once it has gone."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in ("VmHWM", "RssAnon"):
                    fields[name] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return fields.get("VmHWM", 0), fields.get("RssAnon", 0)


def run_measured(cmd, budget, log):
    """Runs cmd (in the budget's cgroup), sampling its memory every 5 ms. Returns seconds, peak RSS
    (VmHWM, the last sample), peak anonymous memory (RssAnon) and the cgroup's peak charge.
    (getrusage's ru_maxrss would count the forked Python before exec.)"""
    budget.reset_peak()
    with open(log, "w") as out:
        t = time.perf_counter()
        child = subprocess.Popen(budget.wrap(cmd), stdout=out, stderr=subprocess.STDOUT)
        peak_rss = peak_anon = 0
        while child.poll() is None:
            hwm, anon = memory_of(child.pid)
            peak_rss, peak_anon = max(peak_rss, hwm), max(peak_anon, anon)
            time.sleep(0.005)
        seconds = time.perf_counter() - t
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({child.returncode}): {Path(log).read_text()[-2000:]}")
    return {"seconds": seconds, "peak_rss_bytes": peak_rss, "peak_rss_anon_bytes": peak_anon,
            "cgroup_peak_bytes": budget.peak()}


def grow_store(cli, seed, path, target_bytes, tmp):
    """Appends copies of the seed store until `path` holds target_bytes: through intermediate
    stores 16 times larger each, so that few `asebytes convert` runs are needed."""
    source, level = seed, 0
    while store_bytes(source) * 16 < target_bytes:
        level += 1
        bigger = tmp / f"grow{level}.lmdb"
        for _ in range(16):
            cli.run("convert", source, bigger, "--option", "sync=no")
        source = bigger
    while not Path(path).exists() or store_bytes(path) < target_bytes:
        cli.run("convert", source, path, "--option", "sync=no")
    for k in range(1, level + 1):
        remove(tmp / f"grow{k}.lmdb")


def make_big_store(args, cli, tmp):
    seed_xyz, seed_store, big = tmp / "seed.xyz", tmp / "seed.lmdb", tmp / "big.lmdb"
    ase.io.write(seed_xyz, make_frames(args.seed_frames, args.big_atoms, seed=1), format="extxyz")
    cli.run("convert", seed_xyz, seed_store)
    grow_store(cli, seed_store, big, args.store_mib * MIB, tmp)
    remove(seed_xyz)
    remove(seed_store)
    return big


def bench_budget(args, cli, tmp):
    t0 = time.perf_counter()
    big = make_big_store(args, cli, tmp)
    size, rows = store_bytes(big), json.loads(cli.run("info", big, "--json"))["rows"]
    print(f"\n3. budget: {size / MIB:.0f} MiB store ({rows} frames of {args.big_atoms} atoms, built in "
          f"{time.perf_counter() - t0:.0f} s), page-cache budget {args.budget_mib} MiB")
    files = store_files(big)
    extract = [cli.path, "-q", "extract", big, "--filter", f"max_force=:{args.max_force}",
               "--split", "train=0.8,valid=0.1,test=0.1", "--seed", "42", "--out-dir"]
    runs = {}
    with MemoryBudget(args.budget_mib * MIB) as budget:
        if not budget.active:
            print(f"  note: no page-cache budget ({budget.reason}): cold-cache runs only")
        for name, cmd in (("cat", ["cat", *files]), ("verify", [cli.path, "-q", "verify", big]),
                          ("extract", extract + [tmp / "sets"])):
            drop_from_page_cache([big])
            runs[name] = run_measured(cmd, budget, tmp / f"{name}.log")
        output = sum(f.stat().st_size for f in (tmp / "sets").iterdir())
        remove(tmp / "sets")
        budget_info = {"mechanism": f"cgroup v{budget.version} memory limit" if budget.active else "none",
                       "path": str(budget.path) if budget.active else None, "reason": budget.reason}
    selected = int(Path(tmp / "extract.log").read_text().split(" of ")[0].split()[-1])
    remove(big)
    return runs, {"store_bytes": size, "rows": rows, "selected_rows": selected,
                  "extract_output_bytes": output, "budget": budget_info}


def print_budget(runs, info, budget_mib):
    size = info["store_bytes"]
    print(f"  (cache limit: {info['budget']['mechanism']}; store pages dropped before each run; "
          f"extract wrote {info['selected_rows']} of {info['rows']} rows, "
          f"{info['extract_output_bytes'] / MIB:.0f} MiB of extxyz)")
    print(f"  {'':26} {'time':>8} {'MiB/s':>7} {'vs cat':>7} {'peak RSS':>9} {'RssAnon':>8} {'cgroup':>7}")
    for name, label in (("cat", "cat data.mdb > /dev/null"), ("verify", "asebytes verify"),
                        ("extract", "asebytes extract")):
        m = runs[name]
        peak = m["cgroup_peak_bytes"]
        print(f"  {label:<26} {m['seconds']:7.2f}s {size / MIB / m['seconds']:7.0f} "
              f"{m['seconds'] / runs['cat']['seconds']:6.1f}x {m['peak_rss_bytes'] / MIB:8.0f}M "
              f"{m['peak_rss_anon_bytes'] / MIB:7.0f}M {'' if peak is None else f'{peak / MIB:6.0f}M'}")
    print(f"  (MiB/s: store bytes / time; peak RSS includes LMDB's mapped file pages, which the "
          f"{budget_mib} MiB budget reclaims; RssAnon is the process's own memory)")


# ---- main --------------------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a check that everything runs")
    parser.add_argument("--frames", type=int, default=10000)
    parser.add_argument("--atoms", type=int, default=64)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--budget-mib", type=int, default=256)
    parser.add_argument("--store-mib", type=int, default=1024)
    parser.add_argument("--big-atoms", type=int, default=512, help="atoms per frame of the budget store")
    parser.add_argument("--seed-frames", type=int, default=100, help="distinct frames the budget store repeats")
    parser.add_argument("--max-force", type=float, default=1.5, help="extract's max_force filter (eV/A)")
    parser.add_argument("--cli", default=str(ROOT / "build" / "bin" / "asebytes"))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "cli.json"))
    parser.add_argument("--tmpdir", default=None, help="scratch directory (default: the system's)")
    args = parser.parse_args()
    if args.quick:
        args.frames, args.reps, args.budget_mib, args.store_mib, args.seed_frames = 1000, 1, 32, 128, 20
    return args


def main():
    args = parse_args()
    cli = Cli(args.cli)
    py = python_asebytes()
    started = time.perf_counter()
    result = {"machine": {"kernel": platform.release(), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()},
              "args": vars(args), "python_asebytes": getattr(py, "__file__", None)}
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        tmp = Path(tmp)
        t, sizes, store = bench_convert(args, cli, tmp, py)
        r = convert_ratios(t)
        print_convert(args, t, r, sizes)
        result["convert"] = {"seconds": t, "spread": spread(t), "ratios": r, **sizes}
        vt, vr = bench_verify(args, cli, store, py)
        result["verify"] = {"seconds": vt, "spread": spread(vt), "ratios": vr, "store_bytes": store_bytes(store)}
        remove(store)
        runs, info = bench_budget(args, cli, tmp)
        print_budget(runs, info, args.budget_mib)
        result["budget"] = {"runs": runs, **info, "budget_bytes": args.budget_mib * MIB}
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["total_seconds"] = time.perf_counter() - started
    print(f"\ntotal {result['total_seconds']:.0f} s; load average {result['machine']['loadavg_start'][0]:.1f} "
          f"at the start, {result['machine']['loadavg_end'][0]:.1f} at the end (2 shared cores: figures are noisy)")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2))
    print(f"results: {args.json}")


if __name__ == "__main__":
    main()
