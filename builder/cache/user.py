"""Where the user's cache is, and how a file of it is written (the store, `store.py`, holds what is in it)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


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


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, unsynced (a cache entry lost in a crash is made again); skip it when it
    cannot be written."""
    from ..errors import OutputError
    from ..output import write_atomic

    with contextlib.suppress(OutputError):
        write_atomic(path, data, durable=False)
