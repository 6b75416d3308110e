"""Shared helpers: run the CLI in-process, build into a temp folder, open decks with real Anki."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from builder.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = Path(__file__).resolve().parent / "broken"
CONTENT = ROOT / "content"


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return 1767225600


@pytest.fixture(scope="session")
def built_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content, built once for the whole session."""
    out = tmp_path_factory.mktemp("dist")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        code, _, err = run_cli("build", str(CONTENT), "--out", str(out))
    assert code == 0, err
    return out


def new_collection(folder: Path):
    from anki.collection import Collection

    return Collection(str(folder / "collection.anki2"))


def import_deck(col, path: Path):
    """Import like a student does (update notes when newer) and return Anki's import log."""
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    result = col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)))
    col.models._clear_cache()
    return result.log
