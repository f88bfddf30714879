"""Python asebytes continues editing a store our C++ code wrote, then records what it reads.

    python_edits.py STORE TRUTH_OUT

Every kind of write (extend, delete, insert, update, reserve, set inside and past the end) on
the store's default group; TRUTH_OUT gets the final rows as asebytes.ObjectIO reads them, for the
C++ side to read the same store and compare.
"""
import sys

from interop_common import dump_truth  # first: exits 77 without asebytes

import numpy as np
from asebytes import ObjectIO


def main():
    store, truth_out = sys.argv[1], sys.argv[2]
    db = ObjectIO(store)
    db.extend([{"idx": 20, "sq": 400.0, "arr": np.arange(4, dtype=np.int32)},
               {"idx": 21, "note": "ünïcode"}])
    del db[2]
    db.insert(0, {"idx": -5, "first": True})
    db.update(4, {"sq": 2.25, "tag": "python"})
    db.reserve(2)
    db[len(db) - 1] = {"idx": 99}           # fill the last reserved row
    db[len(db) + 1] = {"idx": 100}          # past the end: one placeholder, then the row
    db[1] = None                            # an existing row becomes a placeholder
    dump_truth(truth_out, [db[i] for i in range(len(db))])


if __name__ == "__main__":
    main()
