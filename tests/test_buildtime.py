"""Build times: SOURCE_DATE_EPOCH, else a file's last commit when unchanged, else its modification time."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, commit

from builder.buildtime import build_time, build_times, uncommitted

COMMITTED = 1735787045  # 2025-01-02T03:04:05Z, the date helpers.commit uses


def test_build_time_comes_from_the_commit_in_a_clean_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    topic = tmp_path / "t.yaml"
    topic.write_text((FIXTURES / "minimal.yaml").read_text())
    commit(tmp_path, "t.yaml")
    assert build_time(topic) == COMMITTED
    topic.write_text(topic.read_text() + "\n")
    assert build_time(topic) == int(topic.stat().st_mtime)
    assert build_time(topic, {"SOURCE_DATE_EPOCH": "42"}) == 42


def test_build_times_ask_git_once_for_all_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "sub").mkdir()
    files = [tmp_path / "a.yaml", tmp_path / "sub" / "b.yaml", tmp_path / "c.yaml"]
    for f in files:
        f.write_text("x: 1\n")
    commit(tmp_path, "a.yaml", "sub/b.yaml", "c.yaml")
    files[2].write_text("x: 2\n")
    calls: list[object] = []
    real_popen = subprocess.Popen

    def counting_popen(*a: Any, **k: Any) -> subprocess.Popen[Any]:
        calls.append(a[0])
        return real_popen(*a, **k)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    times = build_times(files)
    assert times[files[0]] == times[files[1]] == COMMITTED
    assert times[files[2]] == int(files[2].stat().st_mtime)
    assert len(calls) == 4  # rev-parse for each of the two folders, then one status and one log


def test_uncommitted_names_changed_and_untracked_files(tmp_path: Path) -> None:
    files = [tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "new.yaml"]
    for f in files:
        f.write_text("x: 1\n")
    assert uncommitted(files) is None  # not a repository yet
    commit(tmp_path, "a.yaml", "b.yaml")
    assert uncommitted(files) == [files[2]]
    files[1].write_text("x: 2\n")
    assert uncommitted(files) == [files[1], files[2]]
