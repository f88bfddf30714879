"""Redis over loopback: our backend against Python asebytes' Redis backend on the same server.

Starts its own redis-server (Debian's, no persistence, 127.0.0.1, a free port, stopped by its pid),
makes two workloads (ethanol-like 9 atoms, periodic Cu 108 atoms) into an LMDB store both sides
read their frames from, then in one run:
- write (extend in batches of 10, a fresh group each repetition), read all, random reads, the
  calc.energy column: build/bin/bench_redis (ours) and Python asebytes (ASEIO / ObjectIO);
- fleets: N writer processes (N = 1, 2, 4, 8) appending to one group at once, ours and Python's;
  frames/s over the window in which any of them was appending (each reports its own start and end,
  so Python's interpreter start-up is not counted).
Every ratio is Python's time / ours (>1: we are faster), from the same server in the same run.

    redis_bench.py [--quick] [--frames N] [--reps N] [--json FILE]
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from bench_support import stats, timed  # noqa: E402

PYTHONPATH = os.environ.get("ASEBYTES_PY", os.path.join(ROOT, "..", "shared", "third_party", "asebytes-0.3.1"))
sys.path.insert(0, PYTHONPATH)
import numpy as np  # noqa: E402
import ase  # noqa: E402
from ase.calculators.singlepoint import SinglePointCalculator  # noqa: E402
from asebytes import ASEIO, ObjectIO  # noqa: E402

BENCH_REDIS = os.path.join(ROOT, "build", "bin", "bench_redis")
BATCH = 10
RANDOM_READS = 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", tmp, "--save", "",
             "--appendonly", "no", "--loglevel", "warning"], stdout=subprocess.DEVNULL)
        import redis
        self.client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.025)
        raise RuntimeError("redis-server did not start")

    def uri(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def make_frames(numbers, cell, pbc, count, seed):
    rng = np.random.default_rng(seed)
    natoms = len(numbers)
    frames = []
    for _ in range(count):
        atoms = ase.Atoms(numbers=numbers, positions=rng.normal(0.0, 3.0, (natoms, 3)), cell=cell, pbc=pbc)
        atoms.calc = SinglePointCalculator(atoms, energy=float(rng.normal(-3.5 * natoms, 0.1)),
                                           forces=rng.normal(0.0, 0.5, (natoms, 3)), stress=rng.normal(0.0, 0.01, 6))
        frames.append(atoms)
    return frames


WORKLOADS = {
    "ethanol": dict(numbers=[6, 6, 8, 1, 1, 1, 1, 1, 1], cell=np.zeros((3, 3)), pbc=False,
                    description="9 atoms, no cell"),
    "periodic": dict(numbers=[29] * 108, cell=np.eye(3) * 10.83, pbc=True, description="108 atoms, cubic cell"),
}


def append_batches(io, frames):
    for i in range(0, len(frames), BATCH):
        io.extend(frames[i:i + BATCH])


def python_ops(uri, source, reps, indices):
    frames = list(ASEIO(source))
    samples = []
    for rep in range(reps):
        io = ASEIO(uri, group=f"py-write-{rep}")
        samples.append(timed(lambda: append_batches(io, frames)))
    io = ASEIO(uri, group="py-write-0")
    assert len(io) == len(frames)
    ops = {"write": stats(samples)}
    ops["read_all"] = stats([timed(lambda: sum(a.positions[0, 0] + len(a) for a in io)) for _ in range(reps)])
    ops["random"] = stats([timed(lambda: sum(io[i].positions[0, 0] for i in indices)) for _ in range(reps)])
    obj = ObjectIO(uri, group="py-write-0")
    ops["column_energy"] = stats([timed(lambda: sum(obj["calc.energy"].to_list())) for _ in range(reps)])
    first, again = [], []
    with tempfile.TemporaryDirectory(prefix="asebytes-py-cache-") as caches:
        for rep in range(reps):
            cached = ASEIO(uri, group="py-write-0", cache_to=os.path.join(caches, f"cache-{rep}.lmdb"))
            first.append(timed(lambda: sum(a.positions[0, 0] for a in cached)))
            again.append(timed(lambda: sum(a.positions[0, 0] for a in cached)))
    ops["cached_first"], ops["cached_again"] = stats(first), stats(again)
    return ops


def run_json(cmd, out):
    subprocess.run(cmd, check=True)
    with open(out) as f:
        return json.load(f)


def fleet(server, source, writers, tmp, side):
    server.client.flushall()
    uri = server.uri()
    procs, outs = [], []
    for w in range(writers):
        out = os.path.join(tmp, f"fleet-{side}-{writers}-{w}.json")
        cmd = ([BENCH_REDIS, "append", uri, "fleet", source, "--batch", str(BATCH), "--json", out] if side == "ours"
               else [sys.executable, __file__, "--append", uri, "fleet", source, out])
        procs.append(subprocess.Popen(cmd))
        outs.append(out)
    for p in procs:
        if p.wait() != 0:
            raise RuntimeError(f"a {side} fleet writer failed")
    reports = []
    for out in outs:
        with open(out) as f:
            reports.append(json.load(f))
    frames = sum(r["frames"] for r in reports)
    stored = len(ObjectIO(uri, group="fleet"))
    if stored != frames:
        raise RuntimeError(f"{side} fleet of {writers}: {stored} rows stored, {frames} appended")
    window = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return {"frames": frames, "window_s": window, "frames_per_s": frames / window}


def python_append(uri, group, source, out):
    frames = list(ASEIO(source))
    io = ASEIO(uri, group=group)
    start = time.time()
    append_batches(io, frames)
    with open(out, "w") as f:
        json.dump({"frames": len(frames), "start": start, "end": time.time()}, f)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--append":  # one Python fleet writer
        python_append(*sys.argv[2:6])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes, one repetition")
    ap.add_argument("--frames", type=int, default=2000)
    ap.add_argument("--fleet-frames", type=int, default=1000, help="frames per fleet writer")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.quick:
        args.frames, args.fleet_frames, args.reps = 200, 100, 1
    tmp = tempfile.mkdtemp(prefix="asebytes-redis-bench-")
    server = Server(tmp)
    result = {"frames": args.frames, "fleet_frames": args.fleet_frames, "reps": args.reps, "batch": BATCH,
              "redis_server": server.client.info()["redis_version"], "workloads": {}, "fleet": {}}
    try:
        for k, (name, w) in enumerate(WORKLOADS.items()):
            print(f"[redis_bench] {name}: ours, then Python asebytes", file=sys.stderr)
            source = os.path.join(tmp, name + ".lmdb")
            ASEIO(source).extend(make_frames(w["numbers"], w["cell"], w["pbc"], args.frames, 7 + k))
            indices = [random.Random(k).randrange(args.frames) for _ in range(RANDOM_READS)]
            out = os.path.join(tmp, name + "-ours.json")
            answer = run_json([BENCH_REDIS, "ops", server.uri(2 * k), source, "--reps", str(args.reps), "--batch",
                               str(BATCH), "--indices", ",".join(map(str, indices)), "--json", out], out)
            ours = answer["ops"]
            py = python_ops(server.uri(2 * k + 1), source, args.reps, indices)
            result["workloads"][name] = {
                "description": w["description"], "ours": ours, "python": py,
                "python_over_ours": {op: py[op]["median_s"] / ours[op]["median_s"] for op in ours},
                "round_trips": answer["round_trips"], "prefetch": answer["prefetch"],
                "random_over_round_trips": ours["random"]["median_s"] / answer["round_trips"]["median_s"]}
        periodic = ASEIO(os.path.join(tmp, "periodic.lmdb"))  # each fleet writer appends its first frames
        fleet_source = os.path.join(tmp, "fleet.lmdb")
        ASEIO(fleet_source).extend([periodic[i] for i in range(min(args.fleet_frames, len(periodic)))])
        for n in (1, 2, 4, 8):
            print(f"[redis_bench] fleet of {n} writers", file=sys.stderr)
            result["fleet"][str(n)] = {side: fleet(server, fleet_source, n, tmp, side) for side in ("ours", "python")}
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nRedis {result['redis_server']} on 127.0.0.1; {args.frames} frames, batches of {BATCH}, "
          f"median of {args.reps}; Py/ours = Python asebytes' time / ours")
    print(f"{'workload':10} {'operation':15} {'ours ms':>10} {'Python ms':>10} {'Py/ours':>8}")
    for name, w in result["workloads"].items():
        for op, ratio in w["python_over_ours"].items():
            print(f"{name:10} {op:15} {1e3 * w['ours'][op]['median_s']:10.2f} "
                  f"{1e3 * w['python'][op]['median_s']:10.2f} {ratio:8.2f}x")
        print(f"{name:10} {'(floor)':15} {1e3 * w['round_trips']['median_s']:10.2f}  {RANDOM_READS} empty round "
              f"trips: random reads take {w['random_over_round_trips']:.2f}x that")
        ours = w["ours"]
        print(f"{name:10} {'(cache)':15} reading from the cache is {ours['read_all']['median_s'] / ours['cached_again']['median_s']:.2f}x "
              f"faster than from Redis; filling it costs {ours['cached_first']['median_s'] / ours['read_all']['median_s']:.2f}x a read")
        p = w["prefetch"]
        print(f"{name:10} {'(prefetch)':15} a loop waiting {p['work_per_frame_us']} us a frame: "
              f"{1e3 * p['plain']['median_s']:.1f} ms reading as it goes, {1e3 * p['prefetch']['median_s']:.1f} ms with "
              f"prefetch(4): {p['plain']['median_s'] / p['prefetch']['median_s']:.2f}x")
    print(f"\nfleets: N writers append {args.fleet_frames} periodic frames each into one group")
    print(f"{'N':>3} {'ours frames/s':>14} {'Python frames/s':>16} {'ours/Python':>12}")
    for n, f in result["fleet"].items():
        print(f"{n:>3} {f['ours']['frames_per_s']:14.0f} {f['python']['frames_per_s']:16.0f} "
              f"{f['ours']['frames_per_s'] / f['python']['frames_per_s']:11.2f}x")
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
