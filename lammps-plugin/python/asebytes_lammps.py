"""``fix asebytes`` in LAMMPS instances created from Python (python3-lammps).

    import asebytes_lammps            # before the first lammps(): then every instance has the
    from lammps import lammps         # fix, also after `clear`
    lmp = lammps()
    lmp.command("fix frames all asebytes 10 md.lmdb")

An instance created before this module was imported gets the fix with
``asebytes_lammps.register(lmp)``; a ``clear`` there forgets it again (register again after it).
The library is found next to this file, or at $ASEBYTES_LAMMPS_LIBRARY. See lammps-plugin/README.md,
"Using your own LAMMPS".
"""
import ctypes
import os
import warnings

__all__ = ["register", "registers_every_instance", "library_path"]

library_path = os.environ.get(
    "ASEBYTES_LAMMPS_LIBRARY",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "asebytes_lammps_python.so"),
)


def _liblammps_loaded():
    try:
        with open("/proc/self/maps") as maps:
            return any("liblammps" in line for line in maps)
    except OSError:
        return False


_loaded_after_liblammps = _liblammps_loaded()
# RTLD_GLOBAL, and before liblammps: this library's LAMMPS::post_create() then comes first in the
# process's symbol lookup, and registers the fix in every instance LAMMPS creates or recreates.
_lib = ctypes.CDLL(library_path, mode=ctypes.RTLD_GLOBAL)
_lib.asebytes_lammps_register.argtypes = [ctypes.c_void_p]
_lib.asebytes_lammps_register.restype = ctypes.c_int
_lib.asebytes_lammps_registers_every_instance.restype = ctypes.c_int


def register(lmp):
    """Make ``fix asebytes`` available in the lammps instance ``lmp`` (idempotent)."""
    handle = lmp.lmp if hasattr(lmp, "lmp") else lmp
    if isinstance(handle, ctypes.c_void_p):
        handle = handle.value
    if not handle or _lib.asebytes_lammps_register(ctypes.c_void_p(handle)) != 0:
        raise ValueError("asebytes_lammps.register: not an open LAMMPS instance: %r" % (lmp,))


def registers_every_instance():
    """True once LAMMPS has created an instance through this library's post_create()."""
    return bool(_lib.asebytes_lammps_registers_every_instance())


if _loaded_after_liblammps:
    warnings.warn(
        "asebytes_lammps was imported after liblammps was loaded: call asebytes_lammps.register(lmp) "
        "for every instance, and again after each `clear`",
        RuntimeWarning,
        stacklevel=2,
    )
