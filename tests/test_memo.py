"""Remembered validations: a rebuild of unchanged content parses no YAML, and never hides a problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import CONTENT, CORPUS, FIXTURES, run_cli

import builder.content.load as load_stage
import builder.content.memo as memo
from builder.cache import stamp as stamps
from builder.content.gather import gather
from builder.content.load import load_bytes
from builder.content.validate import validate

TEN_STEPS = (
    (FIXTURES / "minimal.yaml")
    .read_text()
    .replace("steps: [Wake up, Brush teeth]", "steps: [" + ", ".join(f"Step {n}" for n in "ABCDEFGHIJ") + "]")
)
WARNING = "10 steps are hard to learn as one list"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files read as YAML in this process."""
    names: list[str] = []
    original = load_stage._build

    def spy(text: str, name: str) -> load_stage.Node:
        names.append(Path(name).name)
        return original(text, name)

    monkeypatch.setattr(load_stage, "_build", spy)
    return names


def make_course(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "course.yaml").write_text("format: 1\nname: Days\n")
    (folder / "minimal.yaml").write_text((FIXTURES / "minimal.yaml").read_text())
    (folder / "ten.yaml").write_text(TEN_STEPS.replace("tiny-topic", "ten-steps"))


def build(*args: str) -> str:
    code, _, err = run_cli("build", *args, "--jobs", "1")
    assert code == 0, err
    return err


def test_a_rebuild_parses_no_yaml_and_repeats_the_warnings(tmp_path: Path, epoch: int, parsed: list[str]) -> None:
    course, out = tmp_path / "c", str(tmp_path / "out")
    make_course(course)
    first = build(str(course), "--out", out)
    assert sorted(parsed) == ["course.yaml", "minimal.yaml", "ten.yaml"]
    assert WARNING in first
    parsed.clear()
    assert build(str(course), "--out", out) == first
    assert parsed == []


def test_whatever_validation_depends_on_validates_again(
    tmp_path: Path, epoch: int, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    course, out = tmp_path / "c", str(tmp_path / "out")
    make_course(course)
    build(str(course), "--out", out)

    def changed(*args: str) -> list[str]:
        parsed.clear()
        build(str(course), "--out", out, *args)
        return sorted(parsed)

    minimal = course / "minimal.yaml"
    minimal.write_text(minimal.read_text().replace("Wake up", "Wake up slowly"))
    assert changed() == ["minimal.yaml"]
    (course / "course.yaml").write_text("format: 1\nname: Days\nlicense: CC-BY-4.0\n")
    assert changed() == ["course.yaml", "minimal.yaml", "ten.yaml"]
    minimal.rename(course / "renamed.yaml")
    assert changed() == ["renamed.yaml"]
    assert changed("--force") == ["course.yaml", "renamed.yaml", "ten.yaml"]
    monkeypatch.setattr(stamps, "build_stamp", lambda: "another builder")
    assert changed() == ["course.yaml", "renamed.yaml", "ten.yaml"]
    assert changed() == []


def test_the_build_stamp_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed copy keeps its version while its rules change; the stamp follows the builder's bytes."""
    before = memo.environment()
    assert memo.environment() == before
    monkeypatch.setattr(stamps, "build_stamp", lambda: "another builder")
    assert memo.environment() != before


def test_a_topic_id_used_twice_is_found_among_remembered_files(tmp_path: Path, epoch: int) -> None:
    course, out = tmp_path / "c", str(tmp_path / "out")
    make_course(course)
    build(str(course), "--out", out)
    shutil.copy(course / "minimal.yaml", course / "second.yaml")
    code, _, err = run_cli("build", str(course), "--out", out, "--jobs", "1")
    assert code == 1 and "second.yaml:2:5: id: topic id 'tiny-topic' is also used by" in err


def test_a_remembered_topic_is_the_one_validation_made() -> None:
    """Equal, and so with the same build cache key; through JSON, as the cache stores it."""
    for path in sorted(CORPUS.glob("*.yaml")) + [CONTENT / "pytorch-training-loop.yaml"]:
        doc, _ = load_bytes(path.read_bytes(), str(path))
        assert doc is not None
        topic, problems = validate(doc, gather([CONTENT]).course if path.parent == CONTENT else None)
        assert topic is not None
        entry = json.loads(json.dumps(memo.topic_entry(topic, problems, (2, 5))))
        assert memo.recalled_topic(entry) == (topic, problems, (2, 5))
        assert repr(memo.recalled_topic(entry)) == repr((topic, problems, (2, 5)))


def test_a_damaged_memory_is_not_believed(tmp_path: Path, epoch: int, parsed: list[str]) -> None:
    course, out = tmp_path / "c", tmp_path / "out"
    make_course(course)
    build(str(course), "--out", str(out))
    cache = json.loads((out / ".build-cache.json").read_text())
    for entry in cache["checked"].values():
        if "topic" in entry:
            entry["topic"]["sequences"][0]["cards"]["context"] = True  # a bool where an int belongs
        else:
            entry["course"]["name"] = 5
    del cache["run"]  # else the whole-run record answers first, and no file's memory is asked
    (out / ".build-cache.json").write_text(json.dumps(cache))
    parsed.clear()
    build(str(course), "--out", str(out))
    assert sorted(parsed) == ["course.yaml", "minimal.yaml", "ten.yaml"]


def test_a_changed_picture_validates_its_topic_again(tmp_path: Path, epoch: int, parsed: list[str]) -> None:
    """A picture is not the topic file: its own size and time are checked, and the cards that show it change."""
    course, out = tmp_path / "c", str(tmp_path / "out")
    shutil.copytree(FIXTURES / "pictures", course / "pictures")
    (course / "rich.yaml").write_text((FIXTURES / "rich.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    build(str(course), "--out", out)
    deck = (tmp_path / "out" / "gradient-descent.apkg").read_bytes()
    parsed.clear()
    build(str(course), "--out", out)
    assert parsed == []
    from PIL import Image

    Image.new("RGB", (30, 20), "#336699").save(course / "pictures" / "lines.jpg", format="JPEG")
    build(str(course), "--out", out)
    assert parsed == ["rich.yaml"]
    assert (tmp_path / "out" / "gradient-descent.apkg").read_bytes() != deck


def test_a_remembered_topic_with_pictures_and_terms_is_the_one_validation_made() -> None:
    doc, _ = load_bytes((FIXTURES / "rich.yaml").read_bytes(), str(FIXTURES / "rich.yaml"))
    assert doc is not None
    topic, problems = validate(doc)
    assert topic is not None and topic.terms and list(topic.pictures())
    entry = json.loads(json.dumps(memo.topic_entry(topic, problems, (2, 5))))
    assert memo.recalled_topic(entry) == (topic, problems, (2, 5))
