"""Helpers shared by the interop scripts: the typed truth format of tests/data/golden/README.md.

The truth encoding is the one of tests/data/golden/make_golden.py (`jsonable`, `truth`), so a
value Python reads from one of our stores can be compared with the golden truth field by field,
and C++ can read the truth files Python writes here with tests/support/golden.hpp. One addition:
a placeholder row (Python reads None) is a JSON null.

Every script imports this module before anything else: when Python asebytes 0.3.1 or what it
needs cannot be imported, the script exits with status 77 (UNAVAILABLE) and says what is missing,
and the C++ test skips (or fails, under ASEBYTES_REQUIRE_INTEROP=1) instead of passing.
"""
import base64
import json
import sys
from pathlib import Path

UNAVAILABLE = 77

try:
    import ase  # noqa: F401
    import lmdb  # noqa: F401
    import msgpack
    import msgpack_numpy
    import numpy as np

    import asebytes
except ImportError as e:  # also asebytes without its dist-info (PackageNotFoundError)
    print(f"cannot import {e.name} with {sys.executable}: {e}", file=sys.stderr)
    sys.exit(UNAVAILABLE)
if getattr(asebytes, "__version__", None) != "0.3.1":
    print(f"asebytes {getattr(asebytes, '__version__', '(no version)')} from {asebytes.__file__}, not 0.3.1",
          file=sys.stderr)
    sys.exit(UNAVAILABLE)


# The typed truth format is make_golden.py's own (tests/data/golden), so both speak the same JSON.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data" / "golden"))
from make_golden import jsonable  # noqa: E402


def packb(v):
    """The bytes asebytes stores for a value (msgpack + msgpack-numpy)."""
    return msgpack.packb(v, default=msgpack_numpy.encode)


def truth_row(row):
    if row is None:
        return None
    return {k: dict(jsonable(v), msgpack=base64.b64encode(packb(v)).decode()) for k, v in row.items()}


def dump_truth(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        json.dump([truth_row(r) for r in rows], f, indent=0)


def load_truth(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def truth_values(path):
    """The rows of a truth file as the Python values that were written (decoded from "msgpack")."""
    return [
        None if r is None else
        {k: msgpack.unpackb(base64.b64decode(t["msgpack"]), object_hook=msgpack_numpy.decode)
         for k, t in r.items()}
        for r in load_truth(path)
    ]


def compare_rows(label, got_rows, truth):
    """Differences between rows read by Python and truth rows, one message per difference.

    Each value is compared as typed JSON (dtype, shape, Python type, exact values) and as the
    msgpack bytes Python would store for what it read. Key order is not compared (asebytes'
    LMDB reader returns fields in schema order, not in write order).
    """
    problems = []
    if len(got_rows) != len(truth):
        return [f"{label}: {len(got_rows)} rows, truth has {len(truth)}"]
    for i, (got, want) in enumerate(zip(got_rows, truth)):
        where = f"{label} row {i}"
        if want is None or got is None:
            if (want is None) != (got is None):
                problems.append(f"{where}: read {'a placeholder' if got is None else 'a row'}, "
                                f"truth has {'a placeholder' if want is None else 'a row'}")
            continue
        if sorted(got) != sorted(want):
            problems.append(f"{where}: keys {sorted(got)} != truth {sorted(want)}")
        for k in sorted(set(got) & set(want)):
            typed = {x: y for x, y in want[k].items() if x != "msgpack"}
            if jsonable(got[k]) != typed:
                problems.append(f"{where} key {k!r}: read {jsonable(got[k])!r:.300}, truth {typed!r:.300}")
            elif "msgpack" in want and base64.b64encode(packb(got[k])).decode() != want["msgpack"]:
                problems.append(f"{where} key {k!r}: msgpack of the value read differs from truth")
    return problems


def finish(problems):
    """Exit status 1 and every problem on stderr, or 0."""
    for p in problems:
        print(p, file=sys.stderr)
    sys.exit(1 if problems else 0)
