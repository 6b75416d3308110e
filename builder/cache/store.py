"""The per-user store: derived data kept in the user's cache folder so that no run derives it twice.

An entry is one file named by a digest of its kind and key, so parallel workers
never rewrite each other's entries; it is written atomically (a reader sees a
whole file or none) and holds its key, so a damaged or foreign file is a miss.
The folder is kept under `LIMIT` bytes by removing the
entries used longest ago (checked on one save in 256). A folder that cannot be written is no error: the data
is then made every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from .user import cache_folder, write_json

FORMAT = 1  # of an entry's file
LIMIT = 64 * 1024 * 1024  # bytes the folder may hold


def folder() -> Path | None:
    """This format's folder inside the builder's user cache (the same folder as every other user cache)."""
    root = cache_folder()
    return None if root is None else root / f"v{FORMAT}"


def _path(kind: str, key: str) -> Path | None:
    root = folder()
    if root is None:
        return None
    return root / f"{kind}-{hashlib.sha256(f'{kind}{chr(0)}{key}'.encode()).hexdigest()[:32]}.json"


def load(kind: str, key: str) -> object:
    """The value kept for `key`; None when there is none or it cannot be read."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to go when the folder is pruned
    return entry.get("value")


def save(kind: str, key: str, value: object) -> None:
    """Keep `value` (JSON) for `key`, atomically; skip it when the folder cannot be written."""
    path = _path(kind, key)
    if path is None:
        return
    write_json(path, {"key": key, "value": value})
    if path.stem.endswith("00") and path.exists():  # one save in 256: the folder is listed seldom, stays near its bound
        with contextlib.suppress(OSError):
            prune(path.parent, LIMIT)


def prune(root: Path, limit: int) -> None:
    """Remove the entries used longest ago until the folder holds at most `limit` bytes."""
    entries = []
    for entry in os.scandir(root):
        with contextlib.suppress(OSError):
            info = entry.stat()
            entries.append((info.st_mtime_ns, info.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size
