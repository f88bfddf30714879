"""Python asebytes 0.3.1 reads the HDF5 stores a killed crash_writer leaves (crash_prefix_test.cpp):
each holds at least the frames logged as flushed (Python honours the n_frames commit marker too),
and every frame it holds is crash_frame(index) of tests/reliability/crash_frames.cpp, mirrored here.

usage: killed_store_check.py STORE=FLUSHED [STORE=FLUSHED ...]
Exit status 0 when every store reads right; otherwise 1 and one line per problem on stderr.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interop"))
from interop_common import UNAVAILABLE  # noqa: E402,F401  (exits 77 when asebytes is missing)

import numpy as np  # noqa: E402

import asebytes  # noqa: E402


def crash_frame(index):
    natoms = 3 + index % 3
    a = np.arange(natoms)[:, None]
    d = np.arange(3)[None, :]
    edge = 10.0 + index % 5
    return {
        "arrays.numbers": 1 + (index + a[:, 0]) % 8,
        "arrays.positions": index + 0.25 * a + 0.125 * d,
        "calc.forces": -0.5 * index + (3 * a + d).astype(float),
        "cell": np.eye(3) * edge,
        "pbc": np.array([True, True, index % 2 == 0]),
        "calc.energy": -0.5 * index,
        "info.step": index,
        "info.label": f"frame {index}",
    }


def frame_problems(index, row):
    if row is None:
        return [f"frame {index} is None"]
    problems = []
    for key, want in crash_frame(index).items():
        got = row.get(key)
        if got is None:
            problems.append(f"frame {index}: {key} missing")
        elif isinstance(want, np.ndarray):
            if np.shape(got) != want.shape or not np.array_equal(np.asarray(got), want):
                problems.append(f"frame {index}: {key} is {got!r}, expected {want!r}")
        elif isinstance(want, str):
            if got != want:
                problems.append(f"frame {index}: {key} is {got!r}, expected {want!r}")
        elif float(got) != float(want):  # Python reads integer info as float64
            problems.append(f"frame {index}: {key} is {got!r}, expected {want!r}")
    return problems


def main(arguments):
    problems = []
    for argument in arguments:
        path, flushed = argument.rsplit("=", 1)
        io = asebytes.ObjectIO(path)
        if len(io) < int(flushed):
            problems.append(f"{path}: {len(io)} frames, {flushed} were flushed")
        for i in range(len(io)):
            problems += [f"{path}: {p}" for p in frame_problems(i, io[i])]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(arguments)} stores read, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
