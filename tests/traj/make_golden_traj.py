"""Writes tests/data/golden/ethanol.traj and ethanol.traj.read.json (run by hand, like
tests/data/golden/make_golden.py): the first 4 frames of golden ethanol.xyz as ASE's Trajectory
writes them, frame 3 given a FixAtoms constraint (so its header is written again), and the rows
Python asebytes 0.3.1 reads from it. The bad-input corpus damages this file (tests/data/bad).

usage: PYTHONPATH=../shared/third_party/asebytes-0.3.1 /usr/bin/python3 tests/traj/make_golden_traj.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interop"))
import interop_common  # noqa: E402

import ase.io  # noqa: E402
from ase.constraints import FixAtoms  # noqa: E402
from ase.io.trajectory import Trajectory  # noqa: E402
from asebytes.ase import ASEReadOnlyBackend  # noqa: E402

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
out = GOLDEN / "ethanol.traj"
frames = ase.io.read(str(GOLDEN / "ethanol.xyz"), index=":4")
frames[3].set_constraint(FixAtoms(indices=[0, 2]))
with Trajectory(str(out), "w") as t:
    for atoms in frames:
        t.write(atoms)
backend = ASEReadOnlyBackend(str(out))
interop_common.dump_truth(str(out) + ".read.json", [backend.get(i) for i in range(backend.count_frames())])
print("wrote", out)
