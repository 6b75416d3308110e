"""Fixtures shared by the test files; plain helpers live in helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CONTENT, EPOCH, run_cli


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's fixtures (the content built once, the corpus's sheets) their own user cache too: they run
    before any test's, and read the real one otherwise (a stale answer there once failed a test)."""
    folder = tmp_path_factory.mktemp("session-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test its own user cache folder: none reads or fills the real one, nor one another's."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return int(EPOCH)


@pytest.fixture(scope="session")
def built_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content, built once for the whole session."""
    out = tmp_path_factory.mktemp("dist")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, _, err = run_cli("build", str(CONTENT), "--out", str(out))
    assert code == 0, err
    return out
