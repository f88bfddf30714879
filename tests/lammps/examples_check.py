#!/usr/bin/python3
"""Check `fix asebytes` against `dump custom` on LAMMPS's own example inputs.

usage: PYTHONPATH=/work/shared/third_party/asebytes-0.3.1 /usr/bin/python3 tests/lammps/examples_check.py \
           [--examples melt crack rigid/in.rigid.tnr ... | all] [--position first last] [--np 1 2] \
           [--lmp build/bin/lmp_asebytes] [--steps 200] [--timeout 120] [--jobs 2] [--keep DIR] [--verbose]

For every example input (a folder of /usr/share/lammps/examples = all its in.* files, or folder/in.file)
the folder is copied to a temporary directory and the input is rewritten:
  * literal `include FILE` lines are inlined; `&` continuations are joined;
  * every `run N` becomes `run min(N, STEPS)` (`run 0`, `pre`, `post`, `every` kept; `upto`, `start`,
    `stop` dropped, since earlier runs are shorter now); `minimize` is left as is;
  * in every simulation (the input split at `clear`) a
        fix zzabK all asebytes M abK.lmdb labels total velocities yes units native elements ...
        dump zzdK all custom M dK.txt id type mass x y z vx vy vz fx fy fz
        dump_modify zzdK sort id format float %.17g
        fix zzpeK all print M "ZZPE $(step) $(c_thermo_pe:%.17g)" screen no file peK.txt
    block is inserted: --position first = right before the first `fix` after the box exists,
    last = right before the first run/minimize/rerun.
A baseline pass (the shortened input without the block, plus `info system`) gives the number of
atom types of each simulation and tells which examples LAMMPS cannot run anyway (missing package,
missing file, input incompatible with shorter runs): those are SKIPPED.
Then the store is compared with the dump: every dump step must be in the store (the store may hold
additional first steps of runs, listed as store-only), and per common step: species (numbers vs
type), masses, positions (x - boxlo, triclinic bounds undone), momenta (mass*v), forces, cell rows,
energy (c_thermo_pe via fix print). Tolerance: max|a-b| <= RTOL * max|b| per frame (RTOL 1e-12).
Exit status 1 when any non-skipped case mismatches or fails.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

EXAMPLES = "/usr/share/lammps/examples"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RTOL = 1e-12
SYMBOLS = ("H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As "
           "Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd "
           "Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn").split()

BOX_CMDS = ("create_box", "read_data", "read_restart")
RUN_CMDS = ("run", "minimize", "rerun")


# ----------------------------------------------------------------------------------------------
# input rewriting

def logical_lines(text):
    """Physical lines joined at trailing '&' and inside triple quotes."""
    out, cur, in_triple = [], "", False
    for line in text.splitlines():
        if in_triple:
            cur += "\n" + line
            if line.count('"""') % 2 == 1:
                in_triple = False
                out.append(cur)
                cur = ""
            continue
        if line.count('"""') % 2 == 1:
            cur += line
            in_triple = True
            continue
        stripped = line.rstrip()
        if stripped.endswith("&"):
            cur += stripped[:-1] + " "
            continue
        out.append(cur + line)
        cur = ""
    if cur:
        out.append(cur)
    return out


def command_of(line):
    s = line.split("#", 1)[0].strip()
    return s.split()[0] if s else ""


def flatten(path, folder, depth=0):
    """Logical lines of the input, literal includes of existing files inlined."""
    with open(path, errors="replace") as f:
        lines = logical_lines(f.read())
    out = []
    for line in lines:
        toks = line.split("#", 1)[0].split()
        if depth < 8 and len(toks) == 2 and toks[0] == "include" and "$" not in toks[1] \
                and os.path.isfile(os.path.join(folder, toks[1])):
            out.append("# zz: include %s inlined" % toks[1])
            out.extend(flatten(os.path.join(folder, toks[1]), folder, depth + 1))
            out.append("# zz: end of %s" % toks[1])
        else:
            out.append(line)
    return out


def split_tokens(s):
    """Whitespace tokens of s, quoted strings kept whole (with their quotes)."""
    toks, i = [], 0
    while i < len(s):
        if s[i].isspace():
            i += 1
            continue
        if s.startswith('"""', i):
            j = s.find('"""', i + 3)
            j = len(s) if j < 0 else j + 3
        elif s[i] in "\"'":
            j = s.find(s[i], i + 1)
            j = len(s) if j < 0 else j + 1
        else:
            j = i
            while j < len(s) and not s[j].isspace():
                j += 1
        toks.append(s[i:j])
        i = j
    return toks


def as_expr(tok):
    """An equal-style formula for a run length token, or None when it is a literal."""
    m = re.fullmatch(r"\$\{(\w+)\}|\$(\w)", tok)
    if m:
        return "v_" + (m.group(1) or m.group(2))
    m = re.fullmatch(r"\$\((.*)\)", tok)
    if m:
        return "(" + m.group(1) + ")"
    return None


def short_run(line, steps):
    """`run N ...` with N at most `steps` (literal or variable)."""
    body, _, comment = line.partition("#") if '"' not in line else (line, "", "")
    toks = split_tokens(body)
    if len(toks) < 2 or toks[0] != "run":
        return line
    n = toks[1]
    rest = toks[2:]
    out = []
    every = None
    i = 0
    while i < len(rest):
        t = rest[i]
        if t == "upto":
            i += 1
            continue
        if t in ("start", "stop") and i + 1 < len(rest):
            i += 2
            continue
        if t in ("pre", "post") and i + 1 < len(rest):
            out += rest[i:i + 2]
            i += 2
            continue
        if t == "every" and i + 1 < len(rest):
            every = rest[i + 1]
            out += ["every", "EVERY"] + rest[i + 2:]
            break
        out.append(t)
        i += 1
    try:
        nval = int(float(n))
        if float(n) != nval:
            raise ValueError
    except ValueError:
        nval = None
    if nval is not None:
        new_n = min(nval, steps)
        if every is not None:
            try:
                ev = int(every)
                ev = max(1, min(ev, new_n)) if new_n > 0 else ev
                if new_n > 0:
                    new_n = (new_n // ev) * ev
                every = str(ev)
            except ValueError:
                pass
        new_n = str(new_n)
    else:
        e = as_expr(n)
        new_n = "$((%s+%d-abs(%s-%d))/2)" % (e, steps, e, steps) if e else n
    if every is not None:
        out = [every if t == "EVERY" else t for t in out]
    return " ".join(["run", new_n] + out) + ("  #" + comment if comment.strip() else "")


def segments(lines):
    """(begin, end) index ranges of the simulations between `clear` commands."""
    segs, start = [], 0
    for k, line in enumerate(lines):
        if command_of(line) == "clear":
            segs.append((start, k))
            start = k + 1
    segs.append((start, len(lines)))
    return segs


def insertion_points(lines, position):
    """[(segment number, line index to insert before)] for each simulation with a run."""
    pts = []
    for s, (b, e) in enumerate(segments(lines)):
        box = next((k for k in range(b, e) if command_of(lines[k]) in BOX_CMDS), None)
        if box is None:
            continue
        run = next((k for k in range(box, e) if command_of(lines[k]) in RUN_CMDS), None)
        if run is None:
            continue
        at = run
        if position == "first":
            fix = next((k for k in range(box + 1, run) if command_of(lines[k]) == "fix"), None)
            if fix is not None:
                at = fix
        pts.append((s, at))
    return pts


def rewrite(lines, steps, position, blocks):
    """The shortened input with blocks[segment] inserted at the insertion points."""
    short = [short_run(l, steps) if command_of(l) == "run" else l for l in lines]
    pts = dict((at, s) for s, at in insertion_points(lines, position))
    out, active = [], None
    for k, line in enumerate(short):
        cmd = command_of(line)
        if cmd == "clear":
            active = None
        if k in pts and pts[k] in blocks:
            out.extend(blocks[pts[k]])
            active = pts[k] if len(blocks[pts[k]]) > 2 else None
        if cmd == "minimize" and active is not None:
            # the fix writes no frames during minimize: neither does the dump (nor the energy print)
            out += ["undump zzd%d" % active, "unfix zzpe%d" % active, line]
            out += [l.replace(" file ", " append ") + (" append yes" if l.startswith("dump_modify") else "")
                    for l in blocks[active] if l.startswith(("dump", "fix zzpe"))]
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def output_every(lines):
    for line in lines:
        toks = line.split("#", 1)[0].split()
        if len(toks) == 2 and toks[0] == "thermo":
            try:
                n = int(toks[1])
                if 1 <= n:
                    return max(5, min(n, 20))
            except ValueError:
                pass
    return 10


def block(seg, every, ntypes):
    elements = " ".join(SYMBOLS[t % len(SYMBOLS)] for t in range(ntypes))
    return [
        "# zz: instrumentation for simulation %d" % seg,
        "fix zzab%d all asebytes %d ab%d.lmdb labels total velocities yes units native elements %s"
        % (seg, every, seg, elements),
        "dump zzd%d all custom %d d%d.txt id type mass x y z vx vy vz fx fy fz" % (seg, every, seg),
        "dump_modify zzd%d sort id format float %%.17g" % seg,
        'fix zzpe%d all print %d "ZZPE $(step) $(c_thermo_pe:%%.17g)" screen no file pe%d.txt'
        % (seg, every, seg),
    ]


# ----------------------------------------------------------------------------------------------
# running

def run_lammps(args, workdir, infile, np_, tag):
    env = dict(os.environ)
    env.setdefault("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials")
    env["OMP_NUM_THREADS"] = "1"
    cmd = [args.lmp, "-in", infile, "-log", "log.%s" % tag]
    if np_ > 1:
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_btl="self,vader")
        cmd = ["mpirun", "--oversubscribe", "-np", str(np_)] + cmd
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=args.timeout)
        out, rc = p.stdout.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode(errors="replace"), "timeout"
    with open(os.path.join(workdir, "out.%s" % tag), "w") as f:
        f.write(out)
    with open(os.path.join(workdir, "time.%s" % tag), "w") as f:
        f.write("%.1f\n" % (time.time() - t0))
    return rc, out


def first_error(out):
    for line in out.splitlines():
        if "ERROR" in line:
            return line.strip()
    return None


def classify_skip(err):
    if re.search(r"Unrecognized|Unknown .* style|not enabled in this LAMMPS|package .* not installed", err, re.I):
        return "missing style/package: " + err
    if re.search(r"Cannot open|No such file|could not open|Could not find", err, re.I):
        return "missing file: " + err
    if "Substitution for illegal variable" in err or "Invalid variable name" in err:
        return "needs a -var on the command line: " + err
    if re.search(r"partition", err, re.I):
        return "needs partitions: " + err
    return "input fails without the fix (after shortening runs): " + err


# ----------------------------------------------------------------------------------------------
# reading

def read_dump(path):
    """[(step, lo[3], tilt[3], hi[3], columns dict)] in file order."""
    frames = []
    if not os.path.exists(path):
        return frames
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("ITEM: TIMESTEP"):
            step = int(lines[i + 1])
            n = int(lines[i + 3])
            head = lines[i + 4]
            b = [list(map(float, lines[i + 5 + a].split())) for a in range(3)]
            cols = lines[i + 8].split()[2:]
            if "xy" in head.split():
                (xlob, xhib, xy), (ylob, yhib, xz), (zlo, zhi, yz) = b
                xlo = xlob - min(0.0, xy, xz, xy + xz)
                xhi = xhib - max(0.0, xy, xz, xy + xz)
                ylo = ylob - min(0.0, yz)
                yhi = yhib - max(0.0, yz)
                lo, hi, tilt = [xlo, ylo, zlo], [xhi, yhi, zhi], [xy, xz, yz]
            else:
                lo, hi, tilt = [r[0] for r in b], [r[1] for r in b], [0.0, 0.0, 0.0]
            body = " ".join(lines[i + 9:i + 9 + n]).split()
            data = np.array(body, dtype=float).reshape(n, len(cols)) if n else np.zeros((0, len(cols)))
            frames.append((step, np.array(lo), np.array(tilt), np.array(hi), {c: data[:, k] for k, c in enumerate(cols)}))
            i += 9 + n
        else:
            i += 1
    return frames


def read_store(path):
    import asebytes
    if not os.path.exists(path):
        return []
    io = asebytes.ObjectIO(path)
    return [io[k] for k in range(len(io))]


def read_pe(path):
    out = []
    if os.path.exists(path):
        for line in open(path):
            t = line.split()
            if len(t) == 3 and t[0] == "ZZPE":
                out.append((int(t[1]), float(t[2])))
    return out


# ----------------------------------------------------------------------------------------------
# comparing

class Dev:
    def __init__(self):
        self.max_abs, self.max_rel, self.bad_steps, self.n = 0.0, 0.0, [], 0

    def add(self, step, a, b):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        self.n += 1
        if a.shape != b.shape:
            self.bad_steps.append(step)
            self.max_rel = float("inf")
            return
        if a.size == 0:
            return
        d = float(np.max(np.abs(a - b)))
        scale = float(np.max(np.abs(b)))
        rel = d / scale if scale > 0 else (0.0 if d == 0 else float("inf"))
        self.max_abs, self.max_rel = max(self.max_abs, d), max(self.max_rel, rel)
        if rel > RTOL or not np.all(np.isfinite(a)):
            self.bad_steps.append(step)

    def describe(self):
        if self.n == 0:
            return "not compared"
        s = "exact" if self.max_abs == 0 else "max abs %.3g rel %.3g" % (self.max_abs, self.max_rel)
        if self.bad_steps:
            st = sorted(set(self.bad_steps))
            s += " MISMATCH at %d steps %s" % (len(st), st[:8] + (["..."] if len(st) > 8 else []))
        return s


def group(items, step_of):
    g = {}
    for it in items:
        g.setdefault(step_of(it), []).append(it)
    return g


def wrapped_diff(cell, a, b):
    d = a - b
    if d.size == 0:
        return 0.0
    try:
        frac = d @ np.linalg.inv(cell)
        frac -= np.round(frac)
        d = frac @ cell
    except np.linalg.LinAlgError:
        pass
    return float(np.max(np.abs(d)))


def compare_segment(workdir, seg, devs, notes):
    """Compare store abK.lmdb with dump dK.txt; update devs {quantity: Dev}; return problems."""
    problems = []
    rows = read_store(os.path.join(workdir, "ab%d.lmdb" % seg))
    dump = read_dump(os.path.join(workdir, "d%d.txt" % seg))
    pe = group(read_pe(os.path.join(workdir, "pe%d.txt" % seg)), lambda p: p[0])
    if not dump and not rows:
        notes.append("sim %d: no frames in store or dump" % seg)
        return problems
    store = group(rows, lambda r: int(r["info.step"]))
    dumps = group(dump, lambda d: d[0])
    missing = sorted(s for s in dumps if s not in store)
    store_only = sorted(s for s in store if s not in dumps)
    if missing:
        problems.append("sim %d: %d dump steps missing in store: %s" % (seg, len(missing), missing[:10]))
    if store_only:
        notes.append("sim %d: store-only steps (first steps of runs?) %s" % (seg, store_only[:12] + (["..."] if len(store_only) > 12 else [])))
    repeats, repeat_moved = 0, []
    for step in sorted(dumps):
        ds, ss = dumps[step], store.get(step, [])
        for k in range(min(len(ds), len(ss))):
            _, lo, tilt, hi, c = ds[k]
            r = ss[k]
            n = len(c["id"])
            pos = np.asarray(r["arrays.positions"], dtype=float).reshape(-1, 3)
            if pos.shape[0] != n:
                problems.append("sim %d step %d: store has %d atoms, dump %d" % (seg, step, pos.shape[0], n))
                continue
            numbers = np.asarray(r["arrays.numbers"])
            types = c["type"].astype(int)
            expect_numbers = (types - 1) % len(SYMBOLS) + 1  # block(): type t -> SYMBOLS[t-1], Z = t
            devs["species"].add(step, numbers, expect_numbers)
            devs["masses"].add(step, r["arrays.masses"], c["mass"])
            x = np.stack([c["x"] - lo[0], c["y"] - lo[1], c["z"] - lo[2]], axis=1)
            devs["positions"].add(step, pos, x)
            v = np.stack([c["vx"], c["vy"], c["vz"]], axis=1)
            devs["momenta"].add(step, np.asarray(r["arrays.momenta"]).reshape(-1, 3), c["mass"][:, None] * v)
            devs["forces"].add(step, np.asarray(r["calc.forces"]).reshape(-1, 3),
                               np.stack([c["fx"], c["fy"], c["fz"]], axis=1))
            L = hi - lo
            cell = np.array([[L[0], 0, 0], [tilt[0], L[1], 0], [tilt[1], tilt[2], L[2]]])
            devs["cell"].add(step, np.asarray(r["cell"]).reshape(3, 3), cell)
        for k in range(len(ss), len(ds)):  # dump repeats the store left out
            if not ss:
                break
            repeats += 1
            _, lo, tilt, hi, c = ds[k]
            last = ss[-1]
            pos = np.asarray(last["arrays.positions"], dtype=float).reshape(-1, 3)
            x = np.stack([c["x"] - lo[0], c["y"] - lo[1], c["z"] - lo[2]], axis=1)
            cell = np.asarray(last["cell"]).reshape(3, 3)
            if pos.shape != x.shape or wrapped_diff(cell, pos, x) > 1e-8:
                repeat_moved.append(step)
        for k, r in enumerate(ss):
            if "calc.energy" in r and k < len(pe.get(step, [])):
                devs["energy"].add(step, r["calc.energy"], pe[step][k][1])
    if repeats:
        notes.append("sim %d: %d dump frames repeat a step already stored (run boundaries)" % (seg, repeats))
    if repeat_moved:
        problems.append("sim %d: dump repeats with moved atoms but no store frame at steps %s" % (seg, repeat_moved[:10]))
    return problems


QUANTITIES = ("species", "masses", "positions", "momenta", "forces", "cell", "energy")


# ----------------------------------------------------------------------------------------------

def expand_examples(names):
    out = []
    for name in names:
        if name == "all":
            out += sorted(os.path.relpath(p, EXAMPLES) for p in glob.glob(EXAMPLES + "/*/in.*"))
        elif os.path.isfile(os.path.join(EXAMPLES, name)):
            out.append(name)
        elif os.path.isdir(os.path.join(EXAMPLES, name)):
            out += sorted(os.path.relpath(p, EXAMPLES) for p in glob.glob(os.path.join(EXAMPLES, name, "in.*")))
        else:
            print("no such example:", name, file=sys.stderr)
    return out


def baseline(args, ex, root):
    """Run the shortened input without the fix; -> (ntypes per simulation, skip reason or None)."""
    folder = os.path.join(EXAMPLES, os.path.dirname(ex))
    infile = os.path.basename(ex)
    work = os.path.join(root, ex.replace("/", "__") + "__base")
    shutil.copytree(folder, work, symlinks=True)
    lines = flatten(os.path.join(folder, infile), folder)
    blocks = {s: ['print "ZZSEG %d"' % s, "info system"] for s, _ in insertion_points(lines, "last")}
    if not blocks:
        return None, "no run or minimize after a box is created"
    with open(os.path.join(work, infile), "w") as f:
        f.write(rewrite(lines, args.steps, "last", blocks))
    rc, out = run_lammps(args, work, infile, 1, "base")
    ntypes, seg = {}, None
    for line in out.splitlines():
        m = re.match(r"ZZSEG (\d+)", line)
        if m:
            seg = int(m.group(1))
        m = re.search(r"types\s*=\s*(\d+)", line)
        if m and seg is not None and seg not in ntypes:
            ntypes[seg] = int(m.group(1))
    err = first_error(out)
    if rc == "timeout":
        return ntypes, "baseline (no fix) exceeds the timeout of %d s" % args.timeout
    if err or rc != 0:
        return ntypes, classify_skip(err or "exit code %s" % rc)
    return ntypes, None


def check(args, ex, position, np_, ntypes, root):
    folder = os.path.join(EXAMPLES, os.path.dirname(ex))
    infile = os.path.basename(ex)
    work = os.path.join(root, "%s__%s__np%d" % (ex.replace("/", "__"), position, np_))
    shutil.copytree(folder, work, symlinks=True)
    lines = flatten(os.path.join(folder, infile), folder)
    every = output_every(lines)
    blocks = {s: block(s, every, ntypes[s]) for s, _ in insertion_points(lines, position) if s in ntypes}
    with open(os.path.join(work, infile), "w") as f:
        f.write(rewrite(lines, args.steps, position, blocks))
    rc, out = run_lammps(args, work, infile, np_, "run")
    result = {"status": "OK", "problems": [], "notes": [], "devs": {q: Dev() for q in QUANTITIES}, "work": work}
    err = first_error(out)
    if rc == "timeout":
        result["status"] = "TIMEOUT"
        base = open(os.path.join(root, ex.replace("/", "__") + "__base", "time.base")).read().strip()
        result["problems"].append("timeout after %d s (baseline without the fix: %s s)" % (args.timeout, base))
    elif err or rc != 0:
        result["status"] = "FIX ERROR" if ("fix asebytes" in (err or "") or "zzab" in (err or "")) else "ERROR"
        result["problems"].append(err or "exit code %s" % rc)
    for seg in sorted(blocks):
        try:
            result["problems"] += compare_segment(work, seg, result["devs"], result["notes"])
        except Exception as e:  # a broken store or dump is a failure, not a crash of the checker
            result["problems"].append("sim %d: cannot compare: %r" % (seg, e))
    for q, d in result["devs"].items():
        if d.bad_steps:
            result["problems"].append("%s: %s" % (q, d.describe()))
    if result["problems"] and result["status"] == "OK":
        result["status"] = "MISMATCH"
    result["every"] = every
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", nargs="+", default=["melt"])
    ap.add_argument("--position", nargs="+", choices=["first", "last"], default=["first", "last"])
    ap.add_argument("--np", nargs="+", type=int, default=[1])
    ap.add_argument("--lmp", default=os.path.join(REPO, "build", "bin", "lmp_asebytes"))
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--jobs", type=int, default=2, help="parallel np-1 runs")
    ap.add_argument("--keep", help="work directory to keep (default: a temporary one, removed)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    args.lmp = os.path.abspath(args.lmp)

    root = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="examples_check_")
    os.makedirs(root, exist_ok=True)
    examples = expand_examples(args.examples)
    failed = False
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            bases = dict(zip(examples, pool.map(lambda ex: baseline(args, ex, root), examples)))
            cases = [(ex, pos, n) for ex in examples for pos in args.position for n in args.np
                     if bases[ex][1] is None]
            serial = [c for c in cases if c[2] > 1]
            futures = {c: pool.submit(check, args, c[0], c[1], c[2], bases[c[0]][0], root)
                       for c in cases if c[2] == 1}
            results = {c: f.result() for c, f in futures.items()}
        for c in serial:
            results[c] = check(args, c[0], c[1], c[2], bases[c[0]][0], root)
        for ex in examples:
            ntypes, skip = bases[ex]
            if skip:
                print("%-45s %-5s %-4s SKIPPED  %s" % (ex, "*", "*", skip))
                continue
            for pos in args.position:
                for n in args.np:
                    r = results[(ex, pos, n)]
                    failed |= r["status"] != "OK"
                    summary = "; ".join(r["problems"]) if r["problems"] else \
                        "%d frames: " % r["devs"]["positions"].n + \
                        ", ".join("%s %s" % (q, d.describe()) for q, d in r["devs"].items() if d.n)
                    print("%-45s %-5s np%-2d %-9s %s" % (ex, pos, n, r["status"], summary))
                    if args.verbose or r["status"] != "OK":
                        for note in r["notes"]:
                            print("        note:", note)
                        if r["status"] != "OK":
                            print("        devs:", ", ".join("%s %s" % (q, d.describe()) for q, d in r["devs"].items()))
                            print("        work:", r["work"])
        sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
