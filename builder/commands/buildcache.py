"""The build cache in the output folder: each topic as last built, each content file as last validated
(`content/memo.py`), and the last run as a whole.

The whole-run record answers a build whose every input is as it was: its digest
(`run_inputs`) covers the builder and what validation consults, the options and
every content file's bytes and build time; the record keeps the run's warnings,
and its outputs and pictures by size and time (`unchanged`). This module loads
no topic and imports neither the model nor the renderer: a build with nothing to
do is answered from it alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..content.gather import Gathered
    from ..errors import Problem

CACHE = ".build-cache.json"


@dataclass(frozen=True)
class BuildCache:
    """The output folder's cache, read once a run: each topic as last built, and the content files as last
    validated (`content/memo.py`), by key."""

    topics: dict[str, Any]
    checked: dict[str, Any]
    run: dict[str, Any]


def read_cache(out: Path) -> BuildCache:
    """The cache in `out`; an empty one when it is missing or damaged (everything is then built and checked)."""
    try:
        data = json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    parts = [data.get(name) if isinstance(data, dict) else None for name in ("topics", "checked", "run")]
    topics, checked, run = (part if isinstance(part, dict) else {} for part in parts)
    return BuildCache(topics, checked, run)


def run_inputs(paths: list[Path], paper: str | None, strict: bool) -> tuple[str, dict[Path, int]] | None:
    """A digest of all a build reads: the build stamp and the validation format (`memo.environment`), the
    options, the working folder, every content file's name, bytes and build time, and the course file; and
    those build times, for the build to use. None when the content cannot be listed. Pictures and outputs are
    compared by `unchanged`."""
    from ..buildtime import build_times
    from ..content import memo
    from ..content.files import course_file, find_files

    files, problems = find_files(paths)
    if problems:
        return None
    course = course_file(paths)
    stamps = build_times(files)
    digest = hashlib.sha256()
    for part in (memo.environment(), repr((paper, strict, [str(p) for p in paths])), str(Path.cwd())):
        digest.update(part.encode("utf-8") + b"\0")
    for path in [*([course] if course else []), *files]:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(f"{path}\0{stamps.get(path, '')}\0".encode() + hashlib.sha256(data).digest())
    return digest.hexdigest(), stamps


def unchanged(cache: BuildCache, inputs: str) -> tuple[list[str], list[str]] | None:
    """The last run's warnings and outputs, when it read these same inputs and its outputs and the pictures it
    showed are as it left them; else None (the build then runs as usual)."""
    run = cache.run
    if run.get("inputs") != inputs:
        return None
    try:
        files = [Path(str(path)) for path, _, _ in run["outputs"]] + [Path(str(path)) for path, _, _ in run["pictures"]]
        states = [named_state(path) for path in files]
        if states != [*run["outputs"], *run["pictures"]]:
            return None
        warnings, outputs = list(run["warnings"]), [str(path) for path, _, _ in run["outputs"]]
    except (KeyError, TypeError, ValueError):
        return None
    return (warnings, outputs) if all(isinstance(w, str) for w in warnings) else None


def run_record(inputs: str, gathered: Gathered, outputs: list[Path], sheets: Sequence[Problem] = ()) -> dict[str, Any]:
    """What `unchanged` compares and answers with: the inputs' digest, the warnings as printed (the content's,
    then the sheets'), and the outputs and the pictures the topics show, by size and time."""
    pictures = dict.fromkeys(Path(p.path) for t in gathered.topics for p in t.pictures())
    return {
        "inputs": inputs,
        "warnings": [str(w) for w in (*gathered.warnings, *sheets)],
        "outputs": [named_state(p) for p in outputs],
        "pictures": [named_state(p) for p in pictures],
    }


def named_state(path: Path) -> list[object]:
    """A file as a run record keeps it: its name, size and modification time (None, None: missing)."""
    found = file_state(path)
    return [str(path), *found] if found else [str(path), None, None]


def file_state(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]
