"""extxyz benchmark: `asebytes convert` LMDB -> extxyz and extxyz -> LMDB against ASE's own
ase.io.write / ase.io.read of the same frames, in the same run, as ratios. Not part of the tests.

usage: /usr/bin/python3 bench/extxyz_bench.py [--frames N] [--atoms N] [--cli build/bin/asebytes]

Needs python3-ase and numpy. Each timing is the best of --reps runs (default 3); the scratch
files live in a temporary directory that is removed at the end.
"""
import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import ase
import ase.io
import numpy as np
from ase.calculators.singlepoint import SinglePointCalculator


def make_frames(n_frames, n_atoms):
    rng = np.random.default_rng(0)
    frames = []
    for step in range(n_frames):
        a = ase.Atoms(f"Cu{n_atoms}", positions=rng.random((n_atoms, 3)) * 10, cell=[10, 10, 10], pbc=True)
        a.info["step"] = step
        a.calc = SinglePointCalculator(a, energy=float(rng.random()), forces=rng.random((n_atoms, 3)),
                                       stress=rng.random(6))
        frames.append(a)
    return frames


def best_of(reps, run, clean=None):
    times = []
    for _ in range(reps):
        if clean:
            clean()
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def remove(path):
    p = Path(path)
    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=10000)
    parser.add_argument("--atoms", type=int, default=64)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cli", default=str(Path(__file__).resolve().parent.parent / "build" / "bin" / "asebytes"))
    args = parser.parse_args()
    cli = [args.cli]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        frames = make_frames(args.frames, args.atoms)
        ase_xyz, store, ours_xyz, back = tmp / "ase.xyz", tmp / "frames.lmdb", tmp / "ours.xyz", tmp / "back.lmdb"

        ase_write = best_of(args.reps, lambda: ase.io.write(ase_xyz, frames, format="extxyz"),
                            lambda: remove(ase_xyz))
        ase_read = best_of(args.reps, lambda: ase.io.read(ase_xyz, index=":", format="extxyz"))
        subprocess.run(cli + ["convert", str(ase_xyz), str(store), "-q"], check=True, capture_output=True)

        lmdb_to_xyz = best_of(args.reps, lambda: subprocess.run(
            cli + ["convert", str(store), str(ours_xyz), "-q"], check=True, capture_output=True),
            lambda: remove(ours_xyz))
        xyz_to_lmdb = best_of(args.reps, lambda: subprocess.run(
            cli + ["convert", str(ours_xyz), str(back), "-q"], check=True, capture_output=True),
            lambda: remove(back))

        print(f"{args.frames} frames of {args.atoms} atoms (energy, forces, stress, info.step), best of {args.reps}")
        print(f"  ASE write extxyz            {ase_write:8.3f} s")
        print(f"  asebytes convert lmdb->xyz  {lmdb_to_xyz:8.3f} s   {ase_write / lmdb_to_xyz:5.1f}x ASE's write")
        print(f"  ASE read extxyz             {ase_read:8.3f} s")
        print(f"  asebytes convert xyz->lmdb  {xyz_to_lmdb:8.3f} s   {ase_read / xyz_to_lmdb:5.1f}x ASE's read")
        print("  (asebytes writes every digit; ASE writes positions and forces with 8 decimals)")


if __name__ == "__main__":
    main()
