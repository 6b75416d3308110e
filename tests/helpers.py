"""Shared test helpers: where things are, the CLI run in-process, decks opened with real Anki."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.cli import main
from builder.content.load import Document, load_bytes, read_file
from builder.errors import Problem

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportResponse

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
BROKEN = TESTS / "broken"
CORPUS = TESTS / "corpus"
CONTENT = ROOT / "content"
EPOCH = "1767225600"


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def new_collection(folder: Path) -> Collection:
    from anki.collection import Collection

    return Collection(str(folder / "collection.anki2"))


def import_deck(col: Collection, path: Path) -> ImportResponse.Log:
    """Import like a student does (update notes when newer) and return Anki's import log."""
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    result = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False))
    )
    col.models._clear_cache()
    return result.log


def visible_text(html: str) -> str:
    """What a reader sees of HTML: styles and scripts removed, a block tag is a break, an inline one nothing."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"</?(div|p|br|li|ul|ol|tr|td|hr|pre|svg|text|tspan)\b[^>]*>", " ", html, flags=re.I)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).replace("\u2060", "").split())  # word joiner: unseen


def commit(repo: Path, *files: str, date: str = "2025-01-02T03:04:05Z") -> None:
    """Commit `files` in `repo` (made a repository if need be) at a fixed date, whatever git's configuration."""
    env = {
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
    for args in (["add", *files], ["commit", "-qm", "t"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)


def load_file(path: Path, name: str) -> tuple[Document | None, list[Problem]]:
    """A content file read and loaded as the builder does, for tests of the stages after loading."""
    data, problem = read_file(path, name)
    return (None, [problem]) if problem else load_bytes(data, name)


def cache_entry(root: Path, kind: str) -> tuple[Path, bytes, Any]:
    """The one entry of `kind` in the user's cache under `root`: its file, its header line and its value."""
    from builder.cache import store

    (path,) = (root / "flozp-builder" / f"v{store.FORMAT}").glob(f"{kind}-*")
    head, _, body = path.read_bytes().partition(b"\n")
    return path, head + b"\n", json.loads(body)


def entry_bytes(head: bytes, value: object, stamp: object = None) -> bytes:
    """An entry's file holding `value` under `head`'s key, and under `stamp` instead of its own when one is given."""
    key, own = json.loads(head)
    return json.dumps([key, own if stamp is None else stamp]).encode() + b"\n" + json.dumps(value).encode()
