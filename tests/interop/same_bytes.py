"""Byte-level check: Python asebytes replays a scenario, and every LMDB key/value pair of its store
must equal ours.

    same_bytes.py SCENARIO OUR_STORE GOLDEN_DIR

The C++ test ran the same scenario (the same operations, in the same order) into OUR_STORE; the
C++ twins of these functions are in same_bytes_test.cpp. Compared: the list of groups, and per
group every (key, value) of the one LMDB database. Not compared, because LMDB may lay out the
same data differently without any reader noticing: page layout and free pages, file size, map
size, lock.mdb.
"""
import sys
import tempfile
from pathlib import Path

from interop_common import finish, truth_values  # first: exits 77 without asebytes

import lmdb
import numpy as np
from asebytes import ObjectIO


def open_group(path, group="default"):
    # sync=False: only speed; what is written is the same.
    return ObjectIO(str(path), group=group, sync=False)


def edited(path, golden):
    """make_golden.py's edited.lmdb sequence."""
    db = open_group(path)
    db.extend([{"idx": i, "sq": float(i * i)} for i in range(10)])
    db.insert(3, {"idx": 100, "sq": -1.0, "extra": "inserted"})
    del db[6]
    db.update(0, {"sq": 0.5, "tag": "updated"})
    db[1] = {"idx": 11, "replaced": True}


def blocks(path, golden):
    """The blocked index: a split on insert, a middle block emptied, new blocks on extend."""
    db = open_group(path)
    db.extend([{"i": i} for i in range(1024)])
    db.extend([{"i": 1024 + i, "tail": True} for i in range(5)])   # blocks [1024, 5]
    db.insert(0, {"i": -1, "s": "first"})        # block 0 overflows: [512, 513, 5]
    for _ in range(513):
        del db[512]                              # middle block emptied: removed, last renumbered
    db.insert(len(db), {"i": -2})                # end of the last block
    db.extend([{"i": 5000 + k} for k in range(1100)])


def placeholders(path, golden):
    """Placeholders from every source, drop, and clear."""
    db = open_group(path)
    db.extend([{"a": 1, "b": "x"}, {"a": 2, "b": "y", "c": [1, 2]}, {"b": "z"}])
    db.drop(keys=["b"])                          # row 2 has nothing left: a placeholder
    db[6] = {"a": 6}                             # past the end: rows 3..5 are placeholders
    db.reserve(2)
    db[7] = {"a": 7.5}
    db.insert(1, None)
    db[0] = None
    db.update(1, {"a": 1})                       # a placeholder gets a field again
    db.update(2, {"d": np.arange(2), "é": "non-ASCII key", "Z": 0})   # schema sorts bytes
    cleared = open_group(path, "cleared")
    cleared.extend([{"x": 1}, {"x": 2}, {"y": 3}])
    cleared.clear()
    cleared.extend([{"x": 4}])


def views(path, golden):
    """Writes through views: one batched call each (delete_many, set_many, update_many,
    set_column, drop_keys with indices)."""
    db = open_group(path)
    db.extend([{"i": i, "s": str(i)} for i in range(2100)])   # blocks [1024, 1024, 52]
    db[1000:2030].delete()                       # across three blocks; the middle one empties
    db[10:15].set([{"i": -k} for k in range(5)])
    db[20:25].update({"flag": True})
    db[30:33]["col"].set([30.0, 31.0, 32.0])
    db[40:45].drop(["s"])
    db[[50, 52]].update({"odd": None})           # not contiguous: row by row


def golden_groups(path, golden):
    """The golden rows (every value type the golden files have), one group per truth file."""
    per = truth_values(golden / "periodic.json")
    open_group(path, "ethanol").extend(truth_values(golden / "ethanol.json"))
    open_group(path, "objects").extend(truth_values(golden / "objects.json"))
    open_group(path, "train").extend(per[:12])
    open_group(path, "test").extend(per[12:])


SCENARIOS = {f.__name__: f for f in (edited, blocks, placeholders, views, golden_groups)}


def key_values(store, group):
    env = lmdb.open(str(Path(store) / group), subdir=True, readonly=True, lock=False)
    with env.begin() as txn:
        pairs = dict(txn.cursor())
    env.close()
    return pairs


def differences(ours, theirs, group):
    problems = []
    for k in sorted(set(ours) | set(theirs)):
        if k not in theirs:
            problems.append(f"group {group}: key {k!r} only in our store (value {ours[k]!r:.100})")
        elif k not in ours:
            problems.append(f"group {group}: key {k!r} missing from our store (Python: {theirs[k]!r:.100})")
        elif ours[k] != theirs[k]:
            problems.append(f"group {group}: key {k!r}: ours {ours[k]!r:.160}, Python {theirs[k]!r:.160}")
    return problems


def main():
    scenario, ours, golden = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    with tempfile.TemporaryDirectory() as tmp:
        theirs = Path(tmp) / "python.lmdb"
        SCENARIOS[scenario](theirs, golden)
        groups = ObjectIO.list_groups(str(theirs))
        if ObjectIO.list_groups(str(ours)) != groups:
            finish([f"groups: ours {ObjectIO.list_groups(str(ours))}, Python {groups}"])
        problems = []
        for g in groups:
            problems += differences(key_values(ours, g), key_values(theirs, g), g)
        finish(problems[:40] + ([f"... {len(problems) - 40} more"] if len(problems) > 40 else []))


if __name__ == "__main__":
    main()
