"""Python asebytes writes fresh stores for our C++ reader, plus the truth of what Python reads back.

    python_writes.py OUTDIR

Writes OUTDIR/frames.lmdb (ASEIO; groups "default" and "relaxed") and OUTDIR/objects.lmdb
(ObjectIO), edited with reserve, set, insert, delete and update, and for every group
OUTDIR/<store>.<group>.truth.json: the rows as asebytes.ObjectIO reads them (null = placeholder).
OUTDIR/bytes_keys.lmdb holds a dict with bytes keys, which Python reads back as it was (no
truth file: JSON has no bytes).
"""
import sys
from pathlib import Path

from interop_common import dump_truth  # first: exits 77 without asebytes

import numpy as np
from ase.build import bulk, molecule
from ase.calculators.singlepoint import SinglePointCalculator
from ase.constraints import FixAtoms, FixBondLengths
from asebytes import ASEIO, ObjectIO

RNG = np.random.default_rng(7)


def with_results(atoms, per_atom=False):
    n = len(atoms)
    results = dict(energy=float(RNG.normal(-10, 1)), forces=RNG.normal(0, 1, (n, 3)),
                   stress=RNG.normal(0, 0.01, 6))
    if per_atom:
        results["energies"] = RNG.normal(-1, 0.1, n)
    atoms.calc = SinglePointCalculator(atoms, **results)
    return atoms


def frames():
    """Variable atom counts, constraints, unicode and numpy-scalar info, extra per-atom arrays."""
    eth = with_results(molecule("CH3CH2OH"))
    eth.info.update({"label": "Grüße ✓ αβγ", "n32": np.int32(7), "f32": np.float32(0.25),
                     "f64": np.float64(1.5), "flag": np.bool_(True), "i": 3, "nested": {"k": [1, 2.5]}})
    eth.set_constraint([FixAtoms(indices=[0, 2]), FixBondLengths([[1, 2]])])

    cu = with_results(bulk("Cu", "fcc", a=3.6, cubic=True).repeat((2, 2, 2)), per_atom=True)
    cu.rattle(0.01, seed=1)
    cu.set_tags(np.arange(len(cu)) % 3)
    cu.set_momenta(RNG.normal(0, 0.1, (len(cu), 3)))
    cu.info["config_type"] = "bulk"

    water = molecule("H2O")                       # no calculator, no cell
    slab = with_results(bulk("Al", "fcc", a=4.05, cubic=True).repeat((1, 1, 2)))
    slab.pbc = [True, True, False]
    return [eth, cu, water, slab]


def write_frames(path):
    eth, cu, water, slab = frames()
    db = ASEIO(str(path))
    db.extend([eth, cu, water])
    db.reserve(3)                   # rows 3, 4, 5 are placeholders
    db[4] = slab                    # fill one of them
    db.insert(1, water)             # shifts everything after 0
    del db[3]                       # drops the original water frame (now at 3)
    db.update(0, info={"step": 100, "label": "updated ✓"})
    ASEIO(str(path), group="relaxed").extend([slab, eth])


def object_rows():
    return [
        {"u64max": 2**64 - 1, "i64min": -2**63, "empty_s": "", "empty_l": [], "empty_m": {},
         "mixed": [np.arange(3), {"k": np.zeros((2, 0))}, None, True], "zero_d": np.array(5.0)},
        {"i8": np.array([-128, 127], dtype=np.int8), "i16": np.array([[1], [-2]], dtype=np.int16),
         "u16": np.array([65535], dtype=np.uint16), "u32": np.array([2**32 - 1], dtype=np.uint32),
         "u64": np.array([2**64 - 1], dtype=np.uint64),
         "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),   # stored C-ordered
         "strided": np.arange(10, dtype=np.int32)[::3],
         "s_u8": np.uint8(200), "s_i16": np.int16(-5), "s_b": np.bool_(False)},
    ]


def write_objects(path):
    db = ObjectIO(str(path))
    db.extend(object_rows())
    db.reserve(2)
    db.insert(0, None)              # a placeholder at the front
    db[3] = {"filled": "après reserve"}
    db.update(1, {"added": 1.0})


def write_bytes_keys(path):
    ObjectIO(str(path)).extend([{"meta": {b"raw": 1, b"more": [1, 2]}}])
    assert ObjectIO(str(path))[0] == {"meta": {b"raw": 1, b"more": [1, 2]}}


def main():
    out = Path(sys.argv[1])
    write_frames(out / "frames.lmdb")
    write_objects(out / "objects.lmdb")
    write_bytes_keys(out / "bytes_keys.lmdb")
    for store in ("frames.lmdb", "objects.lmdb"):
        for group in ObjectIO.list_groups(str(out / store)):
            db = ObjectIO(str(out / store), group=group, readonly=True)
            dump_truth(out / f"{store}.{group}.truth.json", [db[i] for i in range(len(db))])


if __name__ == "__main__":
    main()
