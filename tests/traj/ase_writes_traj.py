"""Writes .traj files with ASE (python3-ase) and the rows Python asebytes 0.3.1 reads from them.

usage: ase_writes_traj.py OUT_DIR

For every file F.traj written into OUT_DIR, F.traj.json holds the rows of Python asebytes' own
ASE backend (ASEReadOnlyBackend(F).get(i) = atoms_to_dict(ase.io.read(F, index=i))) in the typed
truth format of tests/data/golden (tests/interop/interop_common.py); files.txt lists the files.
nonfinite.traj (NaN and infinities) has only the msgpack bytes of its values, in
nonfinite.traj.msgpack.json.
Exits 77 when ASE or Python asebytes cannot be imported.
"""
import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interop"))
import interop_common  # noqa: E402  (exits 77 when Python asebytes is unavailable)

import numpy as np  # noqa: E402
import ase.io  # noqa: E402
import ase.io.ulm as ulm  # noqa: E402
from ase import Atoms  # noqa: E402
from ase.build import bulk, molecule  # noqa: E402
from ase.calculators.emt import EMT  # noqa: E402
from ase.calculators.singlepoint import SinglePointCalculator  # noqa: E402
from ase.constraints import FixAtoms, FixBondLength, FixedLine, FixedPlane, Hookean  # noqa: E402
from ase.io.trajectory import Trajectory  # noqa: E402
from asebytes.ase import ASEReadOnlyBackend  # noqa: E402

OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)


def spc(atoms, **results):
    atoms.calc = SinglePointCalculator(atoms, **results)
    return atoms


def varied_frames():
    """Atom counts and species change, constraints come and go, every optional array and result.
    (FixCartesian is left out: its todict() fails in ASE 3.22.1, so ASE cannot write it.)"""
    rng = np.random.default_rng(7)  # the same frames every call (the big-endian file repeats them)
    frames = []
    water = molecule("H2O")
    water.info.update(step=0, label="water", ok=True, temperature=300.5, words=["a", "b"],
                      nested={"x": {1: "int key", "y": None}}, vec=np.array([1.5, -2.0]))
    spc(water, energy=-14.25, forces=rng.normal(size=(3, 3)), stress=rng.normal(size=6))
    frames.append(water)

    w2 = water.copy()  # same header: positions, cell and results only
    w2.positions += 0.01
    w2.info = {"step": 1}
    spc(w2, energy=-14.0, forces=rng.normal(size=(3, 3)), free_energy=-14.1)
    frames.append(w2)

    w3 = w2.copy()  # no calculator, tags, momenta, initial charges and magmoms
    w3.set_tags([1, 0, 2])
    w3.set_momenta(rng.normal(size=(3, 3)))
    w3.set_initial_charges([0.5, -0.25, -0.25])
    w3.set_initial_magnetic_moments([1.0, 0.0, -1.0])
    w3.info = {}
    frames.append(w3)

    eth = molecule("CH3CH2OH")  # new numbers: the header is written again, and from then on
    eth.cell = [[8, 0, 0], [0.5, 9, 0], [0, 0, 10]]
    eth.pbc = [True, False, True]
    eth.set_constraint([FixAtoms(indices=[0, 2]), FixBondLength(3, 4)])
    eth.set_masses(np.linspace(1.0, 2.0, len(eth)))
    spc(eth, energy=-40.5, forces=rng.normal(size=(9, 3)), stress=rng.normal(size=6),
        magmoms=rng.normal(size=9), charges=rng.normal(size=9), dipole=[0.1, 0.2, 0.3],
        energies=rng.normal(size=9), magmom=1.5)
    eth.info = {"config_type": "ethanol", "n": 9}
    frames.append(eth)

    e2 = eth.copy()  # the header is now repeated in every item
    e2.set_constraint([Hookean(0, 1, rt=1.2, k=5.0), FixedPlane(2, [0, 0, 1]),
                       FixedLine(5, [1, 0, 0])])
    spc(e2, energy=-41.0, stresses=rng.normal(size=(9, 6)))
    frames.append(e2)

    cu = bulk("Cu", "fcc", a=3.6, cubic=True) * (2, 1, 1)  # periodic, a real calculator (EMT)
    cu.rattle(0.05, seed=3)
    cu.calc = EMT()
    cu.get_forces()
    cu.get_stress()
    frames.append(cu)

    noncollinear = Atoms("Fe2", positions=[[0, 0, 0], [1.2, 1.2, 1.2]], cell=[2.4, 2.4, 2.4], pbc=True)
    noncollinear.set_initial_magnetic_moments([[0, 0, 2.0], [0, 1.0, 0]])
    spc(noncollinear, energy=np.float64(-8.0), forces=np.zeros((2, 3)), stress=np.eye(3))
    frames.append(noncollinear)

    return frames


def nonfinite_frames():
    """NaN and the infinities: ASE's JSON writes them bare (NaN, Infinity, -Infinity)."""
    single = Atoms("He", positions=[[0, 0, 0]])
    spc(single, energy=float("nan"), forces=[[np.nan, np.inf, 0.0]], stress=[np.nan] * 6)
    single.info = {"inf": float("inf"), "neg": -float("inf"), "list": [1.0, float("nan")]}
    return [single, Atoms("Ne", positions=[[0, 0, 0]])]


def write_traj(name, frames, **kwargs):
    path = OUT / name
    with Trajectory(str(path), "w", **kwargs) as t:
        for a in frames:
            t.write(a)
    return path


def long_frames(n=50):
    """More than 42 items: the offsets table is moved twice (capacity 1, 42, 1764)."""
    rng = np.random.default_rng(11)
    out = []
    for i in range(n):
        a = Atoms("H2", positions=[[0, 0, 0], [0, 0, 0.7 + 0.001 * i]])
        spc(a, energy=-1.0 - 0.01 * i, forces=rng.normal(size=(2, 3)))
        a.info["step"] = i
        out.append(a)
    return out


def write_big_endian(name, frames):
    """What a big-endian machine writes: array bytes swapped, "_little_endian": false in every
    item (ulm.Writer's own switch), header and table integers still little-endian."""
    orig_init, orig_fill, orig_sync = ulm.Writer.__init__, ulm.Writer.fill, ulm.Writer.sync

    def init(self, fd, mode="w", tag="", data=None):
        orig_init(self, fd, mode, tag, data)
        if data is None:
            self.data["_little_endian"] = False

    def fill(self, a):
        self.dtype = a.dtype.newbyteorder(">")  # fill() asserts the dtype
        orig_fill(self, a.astype(a.dtype.newbyteorder(">")))

    def sync(self):
        orig_sync(self)
        self.data = {"_little_endian": False}

    ulm.Writer.__init__, ulm.Writer.fill, ulm.Writer.sync = init, fill, sync
    try:
        return write_traj(name, frames)
    finally:
        ulm.Writer.__init__, ulm.Writer.fill, ulm.Writer.sync = orig_init, orig_fill, orig_sync


def write_handmade(name):
    """A ULM file written item by item: dtypes other than ASE's own (int32 numbers, float32
    positions and forces), pbc as one bool, cell as three lengths, stress as a 3x3 list."""
    path = OUT / name
    with ulm.open(str(path), "w", tag="ASE-Trajectory") as w:
        w.write(version=1, ase_version="3.22.1", pbc=True, numbers=np.array([1, 8], np.int32))
        w.write(positions=np.array([[0, 0, 0], [0, 0, 1]], np.float32), cell=[3.0, 4.0, 5.0])
        c = w.child("calculator")
        c.write(name="unknown", energy=3, stress=[[1, 0, 0], [0, 2, 0], [0, 0, 3]],
                forces=np.ones((2, 3), np.float32))
        w.write(info={"a": 1})
        w.sync()
        w.write(positions=np.array([[0, 0, 0], [0, 0, 1.5]]), cell=[[3, 0, 0], [0, 4, 0], [0, 0, 5]],
                tags=np.array([3, 4], np.int16))
        w.sync()
    return path


files = [
    write_traj("varied.traj", varied_frames()),
    write_traj("long.traj", long_frames()),
    write_big_endian("big_endian.traj", varied_frames()),
    write_handmade("handmade.traj"),
]
plain = OUT / "io_write.traj"  # ase.io.write of a list
ase.io.write(str(plain), long_frames(5))
files.append(plain)
old = OUT / "afformat.traj"  # the magic of ULM before version 3
data = bytearray(plain.read_bytes())
data[:8] = b"AFFormat"
old.write_bytes(bytes(data))
files.append(old)

# Typed truth JSON cannot hold NaN (tests/support/golden.hpp reads strict JSON): for this file only
# the msgpack bytes Python asebytes stores for each value, base64, are written.
nonfinite = write_traj("nonfinite.traj", nonfinite_frames())
backend = ASEReadOnlyBackend(str(nonfinite))
rows = [backend.get(i) for i in range(backend.count_frames())]
with open(str(nonfinite) + ".msgpack.json", "w", encoding="utf-8") as out:
    json.dump([{k: base64.b64encode(interop_common.packb(v)).decode() for k, v in r.items()} for r in rows], out)

for f in files:
    backend = ASEReadOnlyBackend(str(f))
    rows = [backend.get(i) for i in range(backend.count_frames())]
    for i, row in enumerate(rows):  # the backend is atoms_to_dict(ase.io.read(f, index=i))
        assert row.keys() == interop_common.asebytes.atoms_to_dict(ase.io.read(str(f), index=i)).keys()
    interop_common.dump_truth(str(f) + ".json", rows)
(OUT / "files.txt").write_text("".join(f.name + "\n" for f in files))
print("wrote", [f.name for f in files])
