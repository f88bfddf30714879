"""JSON cells of the columnar HDF5 and H5MD stores with NaN and the infinities inside lists and dicts, as
Python asebytes 0.3.1 writes them (json.dumps: `[1.5, NaN]`) and reads them (json.loads).

usage: json_cells.py --write STORE   (Python writes ROWS)
       json_cells.py --check STORE   (Python reads STORE, which must hold ROWS)

tests/interop/columnar_interop_test.cpp builds the same rows in C++ (JsonCellRows there).
"""
import math
import sys

from interop_common import UNAVAILABLE, finish  # noqa: F401  (exits 77 when asebytes is missing)

import numpy as np

import asebytes

nan, inf = float("nan"), float("inf")
ROWS = [
    {"arrays.numbers": np.array([1, 8]), "arrays.positions": np.zeros((2, 3)),
     "info.x": [1.5, nan], "info.d": {"a": nan, "b": [inf, -inf]},
     "info.nested": {"deep": [[nan, 1], {"e": -inf, "s": "\u00e9 \"q\" \\ \n"}]}},
    {"arrays.numbers": np.array([1]), "arrays.positions": np.ones((1, 3)),
     "info.x": [nan], "info.d": {"a": 2.0, "b": []}, "info.nested": {"deep": []}},
]


def same(a, b):
    """Equal as Python values, NaN equal to NaN, types included (1 is not 1.0)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and np.array_equal(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def check(store):
    got = asebytes.ObjectIO(store)
    if len(got) != len(ROWS):
        return [f"{store}: {len(got)} rows, expected {len(ROWS)}"]
    problems = []
    for i, want in enumerate(ROWS):
        row = got[i]
        for key, value in want.items():
            if key not in row:
                problems.append(f"row {i}: no {key}")
            elif not same(row[key], value):
                problems.append(f"row {i} {key}: read {row[key]!r} ({type(row[key]).__name__}), wrote {value!r}")
    return problems


if __name__ == "__main__":
    if sys.argv[1] == "--write":
        asebytes.ObjectIO(sys.argv[2]).extend(ROWS)
        sys.exit(0)
    finish(check(sys.argv[2]))
