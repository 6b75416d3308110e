"""The per-user store: derived data kept in the user's cache folder so that no run derives it twice.

Every user cache is a kind, a key, a stamp, a maker and a codec on this one store
(`remembered`). An entry is one file named by a digest of its kind, key and stamp, so
parallel workers never rewrite each other's entries; it is written atomically (a
reader sees a whole file or none) and begins with its key and stamp (the format
and versions of what it was derived from), so a damaged, foreign or stale file
is a miss and is made again. The folder is kept under `LIMIT` bytes by removing
the entries used longest ago (checked on one save in 256). A folder that cannot
be written is no error: the data is then made every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from .user import cache_folder, write_bytes

FORMAT = 2  # of an entry's file; 1 held a JSON object without a stamp
LIMIT = 64 * 1024 * 1024  # bytes the folder may hold
BUILDER = "builder"  # the kind of the builder's own digest, which every other entry's name holds

T = TypeVar("T")


class Unkept(Exception):
    """Raised by a codec for a value the store does not hold (a drawing with text, say): made every time."""


def folder() -> Path | None:
    """This format's folder inside the builder's user cache."""
    root = cache_folder()
    return None if root is None else root / f"v{FORMAT}"


def _path(header: bytes, kind: str) -> Path | None:
    """Named by kind, key, stamp and the builder's own code: two installations (virtual environments) with other
    versions keep entries of their own instead of replacing each other's on every run (the size bound removes the
    unused), and a builder whose code changed makes its answers afresh (a maths refusal worded anew once came back
    in its old words from an entry made before)."""
    root = folder()
    if root is None:
        return None
    code = b"" if kind == BUILDER else _builder_code().encode("ascii")
    digest = hashlib.sha256(kind.encode("utf-8") + b"\0" + header + b"\0" + code).hexdigest()
    return root / f"{kind}-{digest[:32]}"


@cache
def _builder_code() -> str:
    """The digest of the builder's files, once a process (itself kept here, under the kind `BUILDER`)."""
    from .stamp import BUILDER as ROOT
    from .stamp import builder_digest

    return builder_digest(ROOT)


def _header(key: str, stamp: object) -> bytes:
    return json.dumps([key, stamp]).encode("utf-8") + b"\n"


def read(kind: str, key: str, stamp: object = None) -> bytes | None:
    """The bytes kept for `key` when made under `stamp` (JSON); None when there are none or they are stale."""
    header = _header(key, stamp)
    path = _path(header, kind)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(header):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to go when the folder is pruned
    return data[len(header) :]


def write(kind: str, key: str, data: bytes, stamp: object = None) -> None:
    """Keep `data` for `key` under `stamp`, atomically; skip it when the folder cannot be written."""
    header = _header(key, stamp)
    path = _path(header, kind)
    if path is None:
        return
    write_bytes(path, header + data)
    if path.name.endswith("00") and path.exists():  # one save in 256: the folder is listed seldom, stays near its bound
        with contextlib.suppress(OSError):
            prune(path.parent, LIMIT)


def load(kind: str, key: str, stamp: object = None) -> object:
    """The JSON value kept for `key`; None when there is none or it cannot be read."""
    data = read(kind, key, stamp)
    try:
        return None if data is None else json.loads(data)
    except ValueError:
        return None


def save(kind: str, key: str, value: object, stamp: object = None) -> None:
    write(kind, key, json.dumps(value).encode("utf-8"), stamp)


def _same(value: T) -> T:
    return value


def remembered(
    kind: str,
    key: str,
    stamp: object,
    make: Callable[[], T],
    *,
    encode: Callable[[T], object] = _same,
    decode: Callable[[Any], T],
) -> T:
    """The value kept for `key` under `stamp`, decoded; else `make()`, kept encoded.

    A codec says a kept value is wrong by raising (ValueError, TypeError, KeyError,
    AttributeError or `Unkept`): it is then made again and replaced.
    """
    data = read(kind, key, stamp)
    if data is not None:
        with contextlib.suppress(Unkept, ValueError, TypeError, KeyError, AttributeError):
            return decode(json.loads(data))
    value = make()
    with contextlib.suppress(Unkept):
        save(kind, key, encode(value), stamp)
    return value


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
