"""What the Python companions of the bench/ programs share: statistics, timing of repetitions,
closing Python asebytes stores and raw file writes (the hardware reference)."""

import json
import os
import statistics
import sys
import time


def read_request(program):
    """The request the C++ program wrote (argv[1]); exits 2 on a wrong command line."""
    if len(sys.argv) != 3:
        print(f"usage: {program} REQUEST.json ANSWER.json", file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        return json.load(f)


def write_answer(answer):
    """Writes the answer where the C++ program expects it (argv[2])."""
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(answer, f, indent=2)


def stats(samples):
    """Median, min and max seconds, the way the C++ side reports them."""
    return {"median_s": statistics.median(samples), "min_s": min(samples), "max_s": max(samples)}


def timed(op):
    """Seconds op() takes."""
    t0 = time.perf_counter()
    op()
    return time.perf_counter() - t0


def time_reads(reps, open_store, op, close_store=None):
    """Times op(store) on a store opened (untimed) before each repetition and closed after it
    (close_store, by default close())."""
    samples = []
    for _ in range(reps):
        store = open_store()
        samples.append(timed(lambda: op(store)))
        (close_store or close)(store)
    return stats(samples)


def close(io):
    """Closes the store behind a Python asebytes facade (asebytes 0.3.1 facades have no close()):
    the LMDB environment, or the HDF5 file of the columnar and H5MD backends."""
    backend = io._backend
    env = getattr(backend, "env", None)
    if env is not None:
        env.close()
    elif hasattr(backend, "close"):
        backend.close()


def raw_write(path, chunks, sync):
    """The raw-write reference: open, write each chunk (fsync after each when sync), close."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
    finally:
        os.close(fd)
