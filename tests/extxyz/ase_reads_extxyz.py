"""Reads an extxyz file with ASE's own reader and writes what atoms_to_dict gives, as typed truth.

usage: ase_reads_extxyz.py FILE.xyz OUT.json

The C++ test compares this with what our extxyz backend reads from the same file. Exits 77 when
ASE or Python asebytes 0.3.1 cannot be imported (see tests/interop/interop_common.py).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interop"))
import interop_common  # noqa: E402,F401  (exits 77 when Python asebytes is unavailable)

import ase.io  # noqa: E402
from asebytes import atoms_to_dict  # noqa: E402
from make_golden import truth  # noqa: E402

frames = ase.io.read(sys.argv[1], index=":", format="extxyz")
Path(sys.argv[2]).write_text(json.dumps(truth([atoms_to_dict(a) for a in frames]), indent=0))
