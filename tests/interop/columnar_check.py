"""Python asebytes 0.3.1 reads a columnar HDF5 store we wrote (*.h5 ragged, *.h5p padded, *.h5md) as it
reads its own golden file of the same rows.

usage: columnar_check.py OURS PYTHONS_H5
       columnar_check.py --write-padded OUT FROM_PYTHONS_H5   (Python writes the frames into OUT:
                                                               .h5p padded, or any store)
       columnar_check.py --append STORE FROM_PYTHONS_H5 START STOP (Python appends those frames)

Where we keep more than Python on purpose (core/include/asebytes/backends/columnar.hpp), the
values must still be equal as numbers: int and bool info (Python: float64), and constraints
(Python drops them; Python reads ours as the list of dicts that ASE writes).
"""
import sys

from interop_common import UNAVAILABLE  # noqa: F401  (exits 77 when asebytes is missing)

import numpy as np

import asebytes

TYPED_BY_US = {"info.step", "info.converged"}
OURS_ALONE = {"constraints"}


def same(key, ours, theirs):
    if key in TYPED_BY_US:
        return float(ours) == float(theirs)
    if isinstance(theirs, np.ndarray) or isinstance(ours, np.ndarray):
        return (isinstance(ours, np.ndarray) and isinstance(theirs, np.ndarray) and ours.dtype == theirs.dtype
                and ours.shape == theirs.shape and np.array_equal(ours, theirs))
    return type(ours) is type(theirs) and ours == theirs


def compare(ours_path, theirs_path):
    ours, theirs = asebytes.ObjectIO(ours_path), asebytes.ObjectIO(theirs_path)
    failures = []
    if len(ours) != len(theirs):
        failures.append(f"{len(ours)} rows, Python's file has {len(theirs)}")
    if len(ours) == 0:
        failures.append(f"{ours_path} reads as empty: nothing to compare")
    for i in range(min(len(ours), len(theirs))):
        a, b = ours[i], theirs[i]
        extra = set(a) - set(b) - OURS_ALONE
        if extra or set(b) - set(a):
            failures.append(f"row {i}: keys differ: ours {sorted(a)}, Python's {sorted(b)}")
            continue
        for key in b:
            if not same(key, a[key], b[key]):
                failures.append(f"row {i} {key}: ours {a[key]!r} ({type(a[key]).__name__}), "
                                f"Python's {b[key]!r} ({type(b[key]).__name__})")
    # The frames as ASE sees them, too; the constraints we keep come back as ASE constraints.
    atoms = asebytes.ASEIO(ours_path)
    if len(atoms) and atoms[0].get_potential_energy() != asebytes.ASEIO(theirs_path)[0].get_potential_energy():
        failures.append("ASEIO energies differ")
    for i in range(len(ours)):
        if "constraints" in ours[i] and not atoms[i].constraints:
            failures.append(f"row {i}: ASE sees no constraint")
    for f in failures[:20]:
        print(f, file=sys.stderr)
    return 1 if failures else 0


def write_padded(out, source):
    frames = [a for a in asebytes.ASEIO(source)]
    db = asebytes.ASEIO(out)
    db.extend(frames)
    db._backend.close()  # 0.3.1 facades have no close(); an H5MD file is complete only once closed
    return 0


def append(store, source, start, stop):
    frames = [asebytes.ASEIO(source)[i] for i in range(start, stop)]
    asebytes.ASEIO(store).extend(frames)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--append":
        sys.exit(append(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    if sys.argv[1] == "--write-padded":
        sys.exit(write_padded(sys.argv[2], sys.argv[3]))
    sys.exit(compare(sys.argv[1], sys.argv[2]))
