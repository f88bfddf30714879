"""ASE's own LAMMPS dump reader and our store agree (units, signs, species, cell).

usage: ase_dump_check.py DUMP STORE  (metal units, one atom type = Cu)
"""
import sys

import numpy as np

try:
    import ase.io
    import asebytes
except ImportError as e:  # reported as "unavailable" by the C++ runner
    print("cannot import:", e)
    sys.exit(77)

dump, store = sys.argv[1], sys.argv[2]
reference = ase.io.read(dump, index=":", format="lammps-dump-text", specorder=["Cu"], units="metal")
ours = asebytes.ASEIO(store)
assert len(reference) == len(ours), (len(reference), len(ours))
for k, (ref, a) in enumerate(zip(reference, ours)):
    assert (ref.numbers == a.numbers).all(), k
    # ASE keeps LAMMPS's box origin as celldisp; asebytes stores positions relative to it.
    np.testing.assert_allclose(a.positions, ref.positions - ref.get_celldisp().reshape(3), rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.cell[:], ref.cell[:], rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.get_forces(), ref.get_forces(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.get_velocities(), ref.get_velocities(), rtol=1e-9, atol=1e-12)
    assert (a.pbc == ref.pbc).all(), k
print("ok:", len(ours), "frames agree with ase.io.read(format='lammps-dump-text')")
