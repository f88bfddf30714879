"""Python asebytes 0.3.1 and our C++ code on the same Redis server (the test starts it).

    redis_interop.py check URI [--group G] [--groups a,b] [--objects T] [--atoms T] [--blobs T]
    redis_interop.py write URI OUTDIR
    redis_interop.py edit URI TRUTH_OUT
    redis_interop.py keys SCENARIO OUR_URI THEIR_URI GOLDEN_DIR

check  Python reads the group our code wrote: ObjectIO rows, ASEIO rows (atoms_to_dict) and the
       raw bytes of BlobIO against typed truth, BlobIO.list_groups against --groups (ASEIO's and
       ObjectIO's list_groups fail for redis:// in 0.3.1).
write  Python writes frames (groups "default", "relaxed") and object rows (group "objects"),
       edited with reserve, set, insert, delete and update; OUTDIR/<group>.truth.json each.
edit   Python continues editing our default group; TRUTH_OUT gets what it reads afterwards.
keys   Python replays SCENARIO into THEIR_URI; every key of the two databases must be equal:
       names, types and values (lists in order, hashes as field -> bytes).
"""
import sys

from interop_common import compare_rows, dump_truth, finish, load_truth, truth_values  # first

import argparse
from pathlib import Path

import numpy as np
import redis
from asebytes import ASEIO, BlobIO, ObjectIO, atoms_to_dict

import python_writes
from check_store import compare_blobs, read_all
from same_bytes import differences


def check(args):
    problems = []
    if args.groups is not None:
        groups = BlobIO.list_groups(args.uri)
        if groups != args.groups.split(","):
            problems.append(f"list_groups: {groups}, expected {args.groups.split(',')}")
    if args.objects:
        db = ObjectIO(args.uri, group=args.group, readonly=True)
        problems += compare_rows("ObjectIO", read_all(db), load_truth(args.objects))
    if args.atoms:
        db = ASEIO(args.uri, group=args.group, readonly=True)
        problems += compare_rows("ASEIO", read_all(db, atoms_to_dict), load_truth(args.atoms))
    if args.blobs:
        problems += compare_blobs("BlobIO", read_all(BlobIO(args.uri, group=args.group, readonly=True)),
                                  load_truth(args.blobs))
    finish(problems)


def write(uri, out):
    eth, cu, water, slab = python_writes.frames()
    db = ASEIO(uri)
    db.extend([eth, cu, water])
    db.reserve(3)
    db[4] = slab
    db.insert(1, water)
    del db[3]
    db.update(0, info={"step": 100, "label": "updated ✓"})
    ASEIO(uri, group="relaxed").extend([slab, eth])
    objects = ObjectIO(uri, group="objects")
    objects.extend(python_writes.object_rows())
    objects.reserve(2)
    objects.insert(0, None)
    objects[3] = {"filled": "après reserve"}
    objects.update(1, {"added": 1.0})
    for group in BlobIO.list_groups(uri):
        rows = ObjectIO(uri, group=group, readonly=True)
        dump_truth(Path(out) / f"{group}.truth.json", read_all(rows))


def edit(uri, truth_out):
    db = ObjectIO(uri)
    db.extend([{"idx": 20, "sq": 400.0, "arr": np.arange(4, dtype=np.int32)}, {"idx": 21, "note": "ünïcode"}])
    del db[2]
    db.insert(0, {"idx": -5, "first": True})
    db.update(4, {"sq": 2.25, "tag": "python"})
    db.reserve(2)
    db[len(db) - 1] = {"idx": 99}
    db[1] = None
    db[2:4].set([{"idx": 7}, {"idx": 8, "s": "x"}])
    db[0:3]["col"].set([1.0, 2.0, 3.0])
    db.drop(keys=["note"])
    dump_truth(truth_out, read_all(db))


# ---- keys: the C++ twins of these are in redis_interop_test.cpp -------------------------------

def edited(uri, golden):
    db = ObjectIO(uri)
    db.extend([{"idx": i, "sq": float(i * i)} for i in range(10)])
    db.insert(3, {"idx": 100, "sq": -1.0, "extra": "inserted"})
    del db[6]
    db.update(0, {"sq": 0.5, "tag": "updated"})
    db[1] = {"idx": 11, "replaced": True}
    db.insert(0, None)
    db.insert(len(db), {"idx": -2})


def views(uri, golden):
    db = ObjectIO(uri)
    db.extend([{"i": i, "s": str(i)} for i in range(50)])
    db[30:40].delete()
    db[10:15].set([{"i": -k} for k in range(5)])
    db[20:25].update({"flag": True})
    db[0:3]["col"].set([30.0, 31.0, 32.0])
    db[40:45].drop(["s"])
    db.reserve(3)
    db.drop(keys=["i"])          # rows left with no field become placeholders (no hash)


def golden_groups(uri, golden):
    per = truth_values(Path(golden) / "periodic.json")
    ObjectIO(uri, group="ethanol").extend(truth_values(Path(golden) / "ethanol.json"))
    ObjectIO(uri, group="objects").extend(truth_values(Path(golden) / "objects.json"))
    ObjectIO(uri, group="train").extend(per[:12])
    ObjectIO(uri, group="test").extend(per[12:])
    cleared = ObjectIO(uri, group="cleared")
    cleared.extend([{"x": 1}, {"x": 2}])
    cleared.clear()
    cleared.extend([{"x": 3}])


SCENARIOS = {f.__name__: f for f in (edited, views, golden_groups)}


def database(uri):
    r = redis.Redis.from_url(uri)
    out = {}
    for key in r.scan_iter(count=1000):
        kind = r.type(key).decode()
        if kind == "list":
            out[key] = (kind, r.lrange(key, 0, -1))
        elif kind == "hash":
            out[key] = (kind, r.hgetall(key))
        else:
            out[key] = (kind, r.get(key))
    return out


def keys(scenario, ours, theirs, golden):
    SCENARIOS[scenario](theirs, golden)
    a = database(ours)
    problems = differences(a, database(theirs), "(every group of the database)")
    if not a:
        problems.append("our database is empty: nothing was compared")
    finish(problems)


def main():
    mode = sys.argv[1]
    if mode == "check":
        ap = argparse.ArgumentParser()
        ap.add_argument("uri")
        for name in ("--groups", "--objects", "--atoms", "--blobs"):
            ap.add_argument(name)
        ap.add_argument("--group", default="default")
        check(ap.parse_args(sys.argv[2:]))
    elif mode == "write":
        write(sys.argv[2], sys.argv[3])
    elif mode == "edit":
        edit(sys.argv[2], sys.argv[3])
    elif mode == "keys":
        keys(*sys.argv[2:6])
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
