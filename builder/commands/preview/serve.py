"""The watch: serve DIR/preview on 127.0.0.1, rebuild on every change to the content, and reload the page."""

from __future__ import annotations

import http.server
import os
import threading
import time
from collections.abc import Callable, Generator
from contextlib import closing
from pathlib import Path
from typing import Any

from ...errors import BuilderError
from .cards import require

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class PreviewServer:
    """Serves DIR/preview on 127.0.0.1; `/__version` changes after each rebuild so the page reloads."""

    def __init__(self, folder: Path, port: int) -> None:
        self.version = 0
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self) -> None:
                if self.path == "/__version":
                    body = str(server.version).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Cache-Control", "no-store")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/index.html"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def watch(paths: list[Path], rebuild: Callable[[], str], server: PreviewServer, say: Callable[[str], None]) -> None:
    """Rebuild on every change of a content file; a bad save prints its problems and the watch goes on.

    A folder or file deleted and created again (a `git checkout`, an editor's atomic
    save) is a new one that the watcher of the old one never hears from: when a
    watched path is deleted or replaced, the watch starts again on what exists (or
    waits for it) and then rebuilds, so nothing written in between is missed.
    """
    require("watchfiles")
    from watchfiles import Change
    from watchfiles import watch as changes

    from ...content.files import SUFFIXES

    roots = {os.path.abspath(p) for p in paths}

    def wanted(change: Change, name: str) -> bool:
        return name.endswith(SUFFIXES + PICTURE_SUFFIXES) or name in roots

    seen = [_identity(p) for p in paths]
    pending = None in seen  # a path missing now may have been there for the first build
    while True:
        watched = [p for p, identity in zip(paths, seen, strict=True) if identity]
        batches = (
            changes(*watched, watch_filter=wanted, rust_timeout=500, yield_on_timeout=True) if watched else _ticks()
        )
        with closing(batches):
            while True:
                try:
                    batch = next(batches)
                except FileNotFoundError:  # deleted as the watcher started
                    break
                if [_identity(p) for p in paths] != seen or any(
                    change == Change.deleted and name in roots for change, name in batch
                ):
                    break
                if batch or pending:
                    pending = False
                    try:
                        say(rebuild())
                        server.version += 1
                    except (BuilderError, OSError) as exc:  # OSError: files deleted while being read
                        say(f"not rebuilt:\n{exc}")
        seen = [_identity(p) for p in paths]
        pending = True


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file or folder is at `path` now (None: nothing)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _ticks() -> Generator[set[tuple[Any, str]], None, None]:
    """No changes, twice a second: how the watch waits for a deleted path to come back."""
    while True:
        time.sleep(0.5)
        yield set()
