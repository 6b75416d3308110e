"""Gathering a run: which files are topics, the course file beside them, and the run's limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, run_cli

from builder.content.files import find_files
from builder.content.gather import gather


def test_too_many_topics_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builder.content.gather.MAX_TOPICS", 2)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text((FIXTURES / "minimal.yaml").read_text().replace("tiny-topic", name))
    code, _, err = run_cli("check", str(tmp_path))
    assert code == 1 and "3 content files; the limit is 2 per run" in err


def test_topics_are_found_in_file_name_order_without_the_course_file(tmp_path: Path) -> None:
    (tmp_path / "course.yaml").write_text("format: 1\nname: Days\n")
    (tmp_path / "sub").mkdir()
    for name in ("b", "a", "sub/c"):
        (tmp_path / f"{name}.yaml").write_text("x: 1\n")
    files, problems = find_files([tmp_path])
    assert problems == [] and [f.name for f in files] == ["a.yaml", "b.yaml", "c.yaml"]


def test_a_topic_id_used_twice_is_located(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text((FIXTURES / "minimal.yaml").read_text())
    code, _, err = run_cli("check", str(tmp_path))
    assert code == 1 and "b.yaml:2:5: id: topic id 'tiny-topic' is also used by" in err
    assert gather([tmp_path / "a.yaml"]).topics[0].id == "tiny-topic"
