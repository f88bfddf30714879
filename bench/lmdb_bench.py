"""Python asebytes side of bench_lmdb: the same LMDB operations, timed the same way.

Called by build/bin/bench_lmdb as ``python3 lmdb_bench.py REQUEST.json ANSWER.json``. The request
(written by the C++ binary) gives the frame count, repetitions, batch size, scratch directory and,
per workload, the atomic numbers, cell, pbc and the random indices to read; this script makes
frames of the same shape and dtypes (so the encoded payload has the same size, which it reports),
and answers median/min/max seconds per operation id. Exit code 3: asebytes (or ase, lmdb,
msgpack_numpy) cannot be imported.
"""

import os
import shutil
import sys

from bench_support import close, raw_write, read_request, stats, time_reads, timed, write_answer

try:
    import numpy as np
    import msgpack
    import msgpack_numpy
    import ase
    from ase.calculators.singlepoint import SinglePointCalculator
    import asebytes
    from asebytes import ASEIO, BlobIO, ObjectIO, atoms_to_dict
except ImportError as exc:  # reported by the caller as "skipped"
    print(f"lmdb_bench.py: {exc}", file=sys.stderr)
    sys.exit(3)


def make_frames(spec, count, rng):
    numbers = np.array(spec["numbers"], dtype=np.int64)
    natoms = len(numbers)
    cell = np.array(spec["cell"], dtype=float).reshape(3, 3)
    frames = []
    for _ in range(count):
        atoms = ase.Atoms(
            numbers=numbers,
            positions=rng.normal(0.0, 3.0, (natoms, 3)),
            cell=cell,
            pbc=spec["pbc"],
        )
        atoms.calc = SinglePointCalculator(
            atoms,
            energy=float(rng.normal(-3.5 * natoms, 0.1)),
            forces=rng.normal(0.0, 0.5, (natoms, 3)),
            stress=rng.normal(0.0, 0.01, 6),
        )
        frames.append(atoms)
    return frames


def encoded_frames(frames):
    """Per frame, the bytes asebytes stores for its values (as bench_lmdb counts them)."""
    return [
        b"".join(msgpack.packb(v, default=msgpack_numpy.encode) for v in atoms_to_dict(a).values())
        for a in frames
    ]


class Bench:
    def __init__(self, request):
        self.reps = request["reps"]
        self.batch = request["batch"]
        self.tmpdir = request["tmpdir"]
        self.counter = 0

    def fresh(self, stem):
        self.counter += 1
        return os.path.join(self.tmpdir, f"py-{stem}-{self.counter}.lmdb")

    def write(self, frames, encoded, batch, sync):
        """Open a fresh store, extend in batches, close; alternating with the raw write of the
        same bytes in the same batches, as bench_lmdb does. Returns (lmdb, raw) stats."""
        batches = [frames[i : i + batch] for i in range(0, len(frames), batch)]
        chunks = [b"".join(encoded[i : i + batch]) for i in range(0, len(encoded), batch)]
        kwargs = {} if sync else {"sync": False}
        lmdb_samples, raw_samples = [], []
        def write_store(path):
            io = ASEIO(path, **kwargs)
            for b in batches:
                io.extend(b)
            close(io)

        for _ in range(self.reps):
            raw_path = self.fresh("raw")
            raw_samples.append(timed(lambda: raw_write(raw_path, chunks, sync)))
            os.remove(raw_path)

            path = self.fresh("write")
            lmdb_samples.append(timed(lambda: write_store(path)))
            check = ASEIO(path)
            if len(check) != len(frames):
                raise RuntimeError(f"{path} has {len(check)} rows, not {len(frames)}")
            close(check)
            shutil.rmtree(path)
        return stats(lmdb_samples), stats(raw_samples)

    def read(self, path, facade, op):
        """Times op(io) on a store opened before and closed after each repetition."""
        return time_reads(self.reps, lambda: facade(path), op)


def read_iter(io):
    s = 0.0
    for atoms in io:
        s += atoms.positions[0, 0] + len(atoms)
    return s


def read_to_list(io):
    return sum(a.positions[0, 0] + len(a) for a in io[:].to_list())


def read_random(indices):
    return lambda io: sum(io[i].positions[0, 0] for i in indices)


def read_energy_column(io):
    # ObjectIO: its column view yields the values (LMDB getmulti), like C++ io.column(); ASEIO's
    # column view builds an Atoms object per row in asebytes 0.3.1.
    return sum(io["calc.energy"].to_list())


def read_blobs(io):
    return sum(len(v) for row in io[:].to_list() for v in row.values())


def run_workload(bench, spec, request):
    n = request["frames"]
    rng = np.random.default_rng(request["seed"] + len(spec["numbers"]))
    frames = make_frames(spec, n, rng)
    encoded = encoded_frames(frames)
    ops = {}
    # Operation ids as in bench_lmdb (kWriteVariants, raw_id).
    for batch, write_name, raw_name in ((n, "extend", "once"), (bench.batch, "batch10", "batch10")):
        for sync, write_sync, raw_sync in ((True, "sync", "fsync"), (False, "nosync", "nofsync")):
            lmdb, raw = bench.write(frames, encoded, batch, sync)
            ops[f"write_{write_name}_{write_sync}"] = lmdb
            ops[f"raw_{raw_name}_{raw_sync}"] = raw
    path = bench.fresh(spec["name"])
    store = ASEIO(path)
    store.extend(frames)
    close(store)
    ops["read_iter"] = bench.read(path, ASEIO, read_iter)
    ops["read_to_list"] = bench.read(path, ASEIO, read_to_list)
    ops["read_random100"] = bench.read(path, ASEIO, read_random(spec["random_indices"]))
    ops["read_column_energy"] = bench.read(path, ObjectIO, read_energy_column)
    ops["read_blob"] = bench.read(path, BlobIO, read_blobs)
    shutil.rmtree(path)
    return {"payload_bytes": sum(len(e) for e in encoded), "ops": ops}


def main():
    request = read_request("lmdb_bench.py")
    bench = Bench(request)
    answer = {
        "asebytes_version": getattr(asebytes, "__version__", "?"),
        "asebytes_path": os.path.dirname(asebytes.__file__),
        "python_version": sys.version.split()[0],
        "workloads": {},
    }
    for spec in request["workloads"]:
        print(f"[lmdb_bench.py] {spec['name']}", file=sys.stderr)
        answer["workloads"][spec["name"]] = run_workload(bench, spec, request)
    write_answer(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
