"""Data derived from installed packages, kept in the user's cache folder so that no run derives it twice.

Each file says what it was made from; its reader checks that against what is
installed now and makes the data again when the file is missing, damaged or
stale. Files are written atomically (two runs at once each see a whole file),
and a cache folder that cannot be written is no error: the data is then made
every run.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any


def cache_folder() -> Path | None:
    """The builder's folder in the user's cache: $XDG_CACHE_HOME, else ~/Library/Caches (macOS) or ~/.cache."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = (
            Path(base)
            if os.path.isabs(base)
            else Path.home() / ("Library/Caches" if sys.platform == "darwin" else ".cache")
        )
    except RuntimeError:  # no home folder to be found
        return None
    return root / "flozp-builder"


def file_name(kind: str, source: str) -> str:
    """The cache file of `kind` made from `source` (an installed file or folder): one per installation, so that
    two virtual environments (two courses, say) do not replace each other's file on every run."""
    import hashlib

    return f"{kind}-{hashlib.sha256(source.encode('utf-8')).hexdigest()[:12]}.json"


def load(name: str) -> Any:
    """The JSON value in the cache file `name`; None when there is none or it cannot be read."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        return json.loads((folder / name).read_bytes())
    except (OSError, ValueError):
        return None


def store(name: str, data: object) -> None:
    """Write the cache file `name` atomically; skip it when it cannot be written."""
    folder = cache_folder()
    if folder is not None:
        write_json(folder / name, data)


def write_json(path: Path, data: object) -> None:
    """Write `data` as JSON to `path` atomically (a reader sees a whole file or none); skip it when it cannot be
    written: a cache that cannot be kept is made again next run."""
    import tempfile

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
