"""Python asebytes reads a store (written by our C++ code) and compares it with typed truth JSON.

    check_store.py STORE [--group G] [--groups a,b] [--objects T] [--atoms T] [--blobs T]

--objects T  rows read with asebytes.ObjectIO equal truth T (typed values and msgpack)
--atoms T    atoms_to_dict(ASEIO row) equals truth T (what Python reads back as ase.Atoms)
--blobs T    the raw stored bytes (asebytes.BlobIO) are exactly T's "msgpack" fields
--groups     ASEIO.list_groups(STORE) is exactly this list
Exit status 0 when everything matches; otherwise 1 and one line per difference on stderr.
"""
import argparse
import base64

from interop_common import compare_rows, finish, load_truth  # first: exits 77 without asebytes

from asebytes import ASEIO, BlobIO, ObjectIO, atoms_to_dict
from asebytes.lmdb import LMDBBlobBackend


def read_all(db, convert=lambda row: row):
    return [None if (r := db[i]) is None else convert(r) for i in range(len(db))]


def compare_blobs(label, blob_rows, truth):
    """Raw bytes per field: our encoder must produce what msgpack-numpy produces."""
    if len(blob_rows) != len(truth):
        return [f"{label}: {len(blob_rows)} rows, truth has {len(truth)}"]
    problems = []
    for i, (got, want) in enumerate(zip(blob_rows, truth)):
        want_bytes = None if want is None else {k.encode(): base64.b64decode(t["msgpack"]) for k, t in want.items()}
        if got != want_bytes:
            keys = sorted(set(got or {}) | set(want_bytes or {}))
            bad = [k for k in keys if (got or {}).get(k) != (want_bytes or {}).get(k)]
            problems.append(f"{label} row {i}: stored bytes differ for {bad}: "
                            + "; ".join(f"{k!r} ours {(got or {}).get(k)!r:.120} python {(want_bytes or {}).get(k)!r:.120}"
                                        for k in bad[:3]))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--group", default="default")
    ap.add_argument("--groups")
    ap.add_argument("--objects")
    ap.add_argument("--atoms")
    ap.add_argument("--blobs")
    args = ap.parse_args()

    problems = []
    if args.groups is not None:
        groups = ASEIO.list_groups(args.store)
        if groups != args.groups.split(","):
            problems.append(f"list_groups: {groups}, expected {args.groups.split(',')}")
    # readonly=True: Python must read our store without writing to it.
    if args.objects:
        db = ObjectIO(args.store, group=args.group, readonly=True)
        problems += compare_rows("ObjectIO", read_all(db), load_truth(args.objects))
    if args.atoms:
        db = ASEIO(args.store, group=args.group, readonly=True)
        problems += compare_rows("ASEIO", read_all(db, atoms_to_dict), load_truth(args.atoms))
    if args.blobs:
        db = BlobIO(LMDBBlobBackend(args.store, args.group, readonly=True))
        problems += compare_blobs("BlobIO", read_all(db), load_truth(args.blobs))
    finish(problems)


if __name__ == "__main__":
    main()
