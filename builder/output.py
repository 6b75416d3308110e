"""Output helpers: atomic writes, and zips whose bytes depend on their content only.

A reader sees the complete old file or the complete new one, never a part. A
`Staging` holds a run's files as hidden temporary files beside their targets
(so memory stays flat however many topics a run has) and renames them into
place only when the whole run succeeded; otherwise it removes them.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import OutputError

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _temporary(path: Path) -> tuple[int, str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from exc


def _fill(fd: int, tmp: str, path: Path, write: Callable[[IO[bytes]], object], durable: bool = True) -> None:
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise OutputError(path, exc.strerror or str(exc)) from exc
        raise


def _remove(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """The one atomic write of the builder (outputs, the user's cache); `durable` syncs the file to the disk first
    (outputs: a crash leaves the old file or the new one, not an empty one)."""
    fd, tmp = _temporary(path)
    _fill(fd, tmp, path, lambda handle: handle.write(data), durable)
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise OutputError(path, exc.strerror or str(exc)) from exc
        raise


class Staging:
    """Files of one run, written now and put in place together by `commit`."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for tmp, _ in self._pending:
            _remove(tmp)
        self._pending.clear()

    def add(self, path: Path, data: bytes) -> Path:
        return self.write(path, lambda handle: handle.write(data))

    def write(self, path: Path, write: Callable[[IO[bytes]], object]) -> Path:
        """Stage a file produced by `write(handle)`; returns the temporary file, readable until commit."""
        fd, tmp = _temporary(path)
        _fill(fd, tmp, path, write)
        self._pending.append((tmp, path))
        return Path(tmp)

    def commit(self) -> None:
        for tmp, path in self._pending:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(path, exc.strerror or str(exc)) from exc
        self._pending.clear()


def write_zip(handle: IO[bytes], entries: Iterable[tuple[str, bytes]]) -> None:
    """Deflated entries, in the order given, with a fixed date: same content, same bytes."""
    with zipfile.ZipFile(handle, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=6)


def deterministic_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    write_zip(buffer, sorted(entries.items()))
    return buffer.getvalue()
