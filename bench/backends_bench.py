"""The Python side of bench_backends: the tools users would pick instead of our backends, timed on
the same frames with the same operations.

Called by build/bin/bench_backends as ``python3 backends_bench.py REQUEST.json ANSWER.json``. The
request names, per task, the frames (flat binary arrays the C++ side exported, so both sides store
exactly the same values), the extend batch size, the random indices, the operations, the targets
and, per operation, how many frames and plain bytes it touches. Targets:

  py/lmdb, py/h5-gzip, py/h5-none, py/h5p, py/h5md-gzip, py/h5md-none
                                      Python asebytes 0.3.1 (ASEIO; column reads through ObjectIO)
  ase/extxyz                          ase.io.write(..., append=True) per batch / ase.io.iread, read
  ase.db/sqlite                       ase.db.connect: one transaction per batch / select, get
  h5py/plain                          one contiguous dataset per array, written and read whole

The answer lists median/min/max seconds per task, target and operation. Exit code 3: numpy, ASE or
h5py cannot be imported; without Python asebytes its targets are skipped with a note.
"""

import os
import shutil
import sys

from bench_support import close, read_request, stats, time_reads, timed, write_answer

try:
    import numpy as np
    import ase
    import ase.db
    import ase.io
    import h5py
    from ase.calculators.singlepoint import SinglePointCalculator
except ImportError as exc:  # reported by the caller as "skipped"
    print(f"backends_bench.py: {exc}", file=sys.stderr)
    sys.exit(3)

try:
    import asebytes
    from asebytes import ASEIO, ObjectIO
except ImportError as exc:
    asebytes = None
    ASEBYTES_ERROR = str(exc)


# ---------------------------------------------------------------------------------------------
# The frames, as exported by bench_backends


class Frames:
    """The arrays of one export, its first `count` frames as arrays and (built on first use) as
    ase.Atoms with a SinglePointCalculator."""

    def __init__(self, directory, count):
        def load(name, dtype, width=None):
            a = np.fromfile(os.path.join(directory, name), dtype=dtype)
            return a if width is None else a.reshape(-1, width)

        self.natoms = load("natoms.i64", np.int64)[:count]
        self.offsets = np.concatenate([[0], np.cumsum(self.natoms)])
        atoms = int(self.offsets[-1])
        self.arrays = {
            "natoms": self.natoms,
            "numbers": load("numbers.i64", np.int64)[:atoms],
            "positions": load("positions.f64", np.float64, 3)[:atoms],
            "forces": load("forces.f64", np.float64, 3)[:atoms],
            "energy": load("energy.f64", np.float64)[:count],
            "stress": load("stress.f64", np.float64, 6)[:count],
            "cell": load("cell.f64", np.float64, 9)[:count],
            "pbc": load("pbc.u8", np.uint8, 3)[:count],
        }
        self._atoms = None

    def atoms(self):
        if self._atoms is None:
            a = self.arrays
            self._atoms = []
            for i in range(len(self.natoms)):
                lo, hi = self.offsets[i], self.offsets[i + 1]
                frame = ase.Atoms(
                    numbers=a["numbers"][lo:hi],
                    positions=a["positions"][lo:hi],
                    cell=a["cell"][i].reshape(3, 3),
                    pbc=a["pbc"][i].astype(bool),
                )
                frame.calc = SinglePointCalculator(
                    frame,
                    energy=float(a["energy"][i]),
                    forces=a["forces"][lo:hi].copy(),
                    stress=a["stress"][i].copy(),
                )
                self._atoms.append(frame)
        return self._atoms


# ---------------------------------------------------------------------------------------------
# Targets: write(path, frames, batch), open(path, op), one function per read op, close(store)


def checksum_atoms(frames):
    return sum(a.positions[0, 0] + len(a) for a in frames)


class PythonAsebytes:
    def __init__(self, extension, **options):
        self.extension = extension
        self.options = options  # backend keyword arguments, e.g. compression=None

    def write(self, path, frames, batch):
        atoms = frames.atoms()
        io = ASEIO(path, **self.options)
        for i in range(0, len(atoms), batch):
            io.extend(atoms[i : i + batch])
        close(io)
        check = ASEIO(path)
        if len(check) != len(atoms):
            raise RuntimeError(f"{path} has {len(check)} rows, not {len(atoms)}")
        close(check)

    def open(self, path, op):
        # ObjectIO's column view yields values (like our io.column()); ASEIO's builds Atoms.
        return ObjectIO(path) if op.startswith("column_") else ASEIO(path)

    close = staticmethod(close)

    def read_all(self, io, indices):
        return checksum_atoms(io)

    def random(self, io, indices):
        return sum(io[int(i)].positions[0, 0] for i in indices)

    def column_energy(self, io, indices):
        return sum(io["calc.energy"].to_list())

    def column_positions(self, io, indices):
        return sum(len(p) for p in io["arrays.positions"].to_list())


class AseExtxyz:
    extension = ".xyz"

    def write(self, path, frames, batch):
        atoms = frames.atoms()
        for i in range(0, len(atoms), batch):
            ase.io.write(path, atoms[i : i + batch], format="extxyz", append=True)

    def open(self, path, op):
        return path

    def close(self, path):
        pass

    def read_all(self, path, indices):
        return checksum_atoms(ase.io.iread(path, index=":", format="extxyz"))

    def random(self, path, indices):
        return sum(ase.io.read(path, index=int(i), format="extxyz").positions[0, 0] for i in indices)

    def column_energy(self, path, indices):
        return sum(a.get_potential_energy() for a in ase.io.iread(path, index=":", format="extxyz"))

    def column_positions(self, path, indices):
        return sum(len(a.positions) for a in ase.io.iread(path, index=":", format="extxyz"))


class AseDb:
    extension = ".db"

    def write(self, path, frames, batch):
        atoms = frames.atoms()
        db = ase.db.connect(path, type="db")
        for i in range(0, len(atoms), batch):
            with db:  # one transaction per batch
                for a in atoms[i : i + batch]:
                    db.write(a)

    def open(self, path, op):
        return ase.db.connect(path, type="db")

    def close(self, db):
        pass

    def read_all(self, db, indices):
        return checksum_atoms(row.toatoms() for row in db.select())

    def random(self, db, indices):
        return sum(db.get(id=int(i) + 1).toatoms().positions[0, 0] for i in indices)

    def column_energy(self, db, indices):
        return sum(row.energy for row in db.select(columns=["id", "energy"]))

    def column_positions(self, db, indices):
        return sum(len(row.positions) for row in db.select(columns=["id", "positions"]))


class H5pyPlain:
    """The same arrays written with h5py as plainly as it gets: one contiguous dataset each, no
    chunks, no compression, in one go (what an HDF5 store could reach at best)."""

    extension = ".h5"

    def write(self, path, frames, batch):
        with h5py.File(path, "w") as f:
            for key, values in frames.arrays.items():
                f.create_dataset(key, data=values)

    def open(self, path, op):
        return h5py.File(path, "r")

    def close(self, f):
        f.close()

    def read_all(self, f, indices):
        arrays = {key: f[key][()] for key in f}
        offsets = np.concatenate([[0], np.cumsum(arrays["natoms"])])
        return sum(arrays["positions"][offsets[i], 0] + arrays["natoms"][i] for i in range(len(offsets) - 1))

    def random(self, f, indices):
        offsets = np.concatenate([[0], np.cumsum(f["natoms"][()])])
        total = 0.0
        for i in indices:
            lo, hi = offsets[i], offsets[i + 1]
            per_atom = [f[key][lo:hi] for key in ("numbers", "positions", "forces")]
            per_frame = [f[key][i] for key in ("energy", "stress", "cell", "pbc")]
            total += per_atom[1][0, 0] + len(per_frame)
        return total

    def column_energy(self, f, indices):
        return f["energy"][()].sum()

    def column_positions(self, f, indices):
        return f["positions"][()].shape[0]


def make_targets():
    targets = {"ase/extxyz": AseExtxyz(), "ase.db/sqlite": AseDb(), "h5py/plain": H5pyPlain()}
    if asebytes is not None:
        for name, ext, options in (("py/lmdb", ".lmdb", {}), ("py/h5-gzip", ".h5", {}),
                                   ("py/h5-none", ".h5", {"compression": None}), ("py/h5p", ".h5p", {}),
                                   ("py/h5md-gzip", ".h5md", {}),
                                   ("py/h5md-none", ".h5md", {"compression": None})):
            targets[name] = PythonAsebytes(ext, **options)
    return targets


# ---------------------------------------------------------------------------------------------
# Running the request


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


class Bench:
    def __init__(self, request):
        self.reps = request["reps"]
        self.only = request["only"]
        self.tmpdir = request["tmpdir"]
        self.targets = make_targets()
        self.counter = 0
        self.results = []
        self.notes = []
        if asebytes is None:
            self.notes.append(f"Python asebytes not importable ({ASEBYTES_ERROR}): py/* skipped; set ASEBYTES_PY")
        self.failed = set()  # targets whose write failed on the current task
        self.loaded = {}

    def fresh(self, stem, extension):
        self.counter += 1
        return os.path.join(self.tmpdir, f"py-{stem}-{self.counter}{extension}")

    def frames(self, data):
        key = (data["dir"], data["frames"])
        if key not in self.loaded:
            self.loaded = {key: Frames(data["dir"], data["frames"])}  # one export at a time in memory
        return self.loaded[key]

    def selected(self, task, target, op):
        return op in task["ops"] and self.only in f"{task['name']}/{target}/{op}"

    def record(self, task, target, op, result):
        frames, nbytes = task["amounts"][op]
        self.results.append(
            {"workload": task["name"], "target": target, "op": op, "reps": self.reps, "frames": frames,
             "bytes": nbytes, **result}
        )

    def run(self, task):
        names = [t for t in task["targets"] if t in self.targets]
        names = [t for t in names if any(self.selected(task, t, op) for op in task["ops"])]
        if not names:
            return
        frames = self.frames(task["data"])
        print(f"[backends_bench.py] {task['name']}: writes", file=sys.stderr)
        stores = self.write(task, names, frames)
        for name, path in stores.items():
            print(f"[backends_bench.py] {task['name']}: reads {name}", file=sys.stderr)
            self.read(task, name, path)
            remove(path)

    def write(self, task, names, frames):
        """Each target's write, rep by rep; returns the store each wrote last (read next)."""
        samples, stores = {name: [] for name in names}, {}
        for rep in range(self.reps):
            for name in names:
                if name in self.failed:
                    continue
                target = self.targets[name]
                path = self.fresh(task["name"], target.extension)
                try:
                    samples[name].append(timed(lambda: target.write(path, frames, task["batch"])))
                except Exception as exc:  # a tool that cannot store these frames: say so, go on
                    self.notes.append(f"{name} cannot write {task['name']}: {type(exc).__name__}: {exc}")
                    self.failed.add(name)
                if rep + 1 < self.reps or name in self.failed:
                    remove(path)
                else:
                    stores[name] = path
        self.failed.clear()
        for name in stores:
            if self.selected(task, name, "write"):
                self.record(task, name, "write", stats(samples[name]))
        return stores

    def read(self, task, name, path):
        target = self.targets[name]
        for op in task["ops"]:
            if op == "write" or not self.selected(task, name, op):
                continue
            body = getattr(target, op)
            self.record(
                task, name, op,
                time_reads(self.reps, lambda: target.open(path, op), lambda s: body(s, task["random"]),
                           target.close),
            )


def main():
    request = read_request("backends_bench.py")
    bench = Bench(request)
    for task in request["tasks"]:
        bench.run(task)
    answer = {
        "asebytes_version": getattr(asebytes, "__version__", "not importable"),
        "asebytes_path": os.path.dirname(asebytes.__file__) if asebytes else ASEBYTES_ERROR,
        "python_version": sys.version.split()[0],
        "ase_version": ase.__version__,
        "h5py_version": h5py.__version__,
        "results": bench.results,
        "notes": bench.notes,
    }
    write_answer(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
