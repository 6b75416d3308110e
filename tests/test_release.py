"""Releases: every artifact, checksums, the course deck in real Anki, notes of what changed, guards."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import FIXTURES, import_deck, new_collection, run_cli

COURSE = "Test Course"


def topic_text(version: str, teeth: str = "Brush teeth", dress: bool = True, breakfast: bool = False) -> str:
    steps = ["      - {id: wake, name: Wake up}", f"      - {{id: teeth, name: {teeth}}}"]
    if dress:
        steps.append("      - {id: dress, name: Get dressed}")
    if breakfast:
        steps.append("      - {id: breakfast, name: Have breakfast}")
    return (
        f"format: 1\nid: morning\ntitle: Morning\nversion: {version}\nsequences:\n  - id: routine\n"
        f"    title: Routine\n    steps:\n" + "\n".join(steps) + "\n"
    )


def release(paths: list[Path], out: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    return run_cli("release", *map(str, paths), "--out", str(out), "--name", COURSE)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def guids(apkg: Path, tmp: Path) -> set[str]:
    with zipfile.ZipFile(apkg) as archive:
        (tmp / "c.db").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp / "c.db")
    found = {row[0] for row in db.execute("select guid from notes")}
    db.close()
    return found


@pytest.fixture
def fixtures_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    code, out, err = release(
        [FIXTURES / "minimal.yaml", FIXTURES / "literal.yaml"], tmp_path, "1767225600", monkeypatch
    )
    assert code == 0, err
    return tmp_path / "release"


def test_every_artifact_and_checksums(fixtures_release: Path) -> None:
    names = sorted(p.name for p in fixtures_release.iterdir())
    assert names == sorted(
        [
            "tiny-topic-0.1.0.apkg",
            "tiny-topic-0.1.0.pdf",
            "literal-text-1.2.3.apkg",
            "literal-text-1.2.3.pdf",
            "test-course-2026-01-01.apkg",
            "test-course-2026-01-01.zip",
            "RELEASE-NOTES.md",
            "STUDENTS.md",
            "CREDITS.md",
            "manifest.json",
            "SHA256SUMS",
        ]
    )
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=fixtures_release, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 10


def test_bundle_lists_what_students_need(fixtures_release: Path) -> None:
    with zipfile.ZipFile(fixtures_release / "test-course-2026-01-01.zip") as bundle:
        assert bundle.testzip() is None
        names = sorted(bundle.namelist())
        guide = bundle.read("test-course-2026-01-01/STUDENTS.md").decode()
    assert names == sorted(
        f"test-course-2026-01-01/{n}"
        for n in (
            "tiny-topic-0.1.0.apkg",
            "tiny-topic-0.1.0.pdf",
            "literal-text-1.2.3.apkg",
            "literal-text-1.2.3.pdf",
            "test-course-2026-01-01.apkg",
            "RELEASE-NOTES.md",
            "STUDENTS.md",
            "CREDITS.md",
        )
    )
    for needle in ("AnkiDroid", "AnkiMobile", "File > Import", "100% / Actual size"):
        assert needle in guide


def test_course_deck_has_every_topic_as_a_subdeck_with_the_same_notes(fixtures_release: Path, tmp_path: Path) -> None:
    course = fixtures_release / "test-course-2026-01-01.apkg"
    topic_guids = guids(fixtures_release / "tiny-topic-0.1.0.apkg", tmp_path) | guids(
        fixtures_release / "literal-text-1.2.3.apkg", tmp_path
    )
    assert guids(course, tmp_path) == topic_guids
    col = new_collection(tmp_path)
    first = import_deck(col, course)
    assert len(first.new) == len(topic_guids)
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {f"{COURSE}::Tiny topic", f"{COURSE}::Tests::Literal"} <= decks
    again = import_deck(col, fixtures_release / "tiny-topic-0.1.0.apkg")
    assert len(again.new) == 0 and len(again.conflicting) == 0
    assert len(again.duplicate) == 4  # Anki's word for "this GUID is already here, unchanged"
    assert len(col.find_notes("")) == len(topic_guids)
    col.close()


def test_second_release_lists_exactly_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic = tmp_path / "content" / "morning.yaml"
    topic.parent.mkdir()
    topic.write_text(topic_text("1.0.0"))
    out = tmp_path / "dist"
    assert release([topic], out, "1767225600", monkeypatch)[0] == 0
    notes_v1 = (out / "release" / "RELEASE-NOTES.md").read_text()
    assert "First release: 6 cards." in notes_v1
    col = new_collection(tmp_path)
    import_deck(col, out / "release" / "morning-1.0.0.apkg")

    topic.write_text(topic_text("1.1.0", teeth="Brush your teeth", dress=False, breakfast=True))
    code, _, err = release([topic], out, "1767312000", monkeypatch)
    assert code == 0, err
    notes = (out / "release" / "RELEASE-NOTES.md").read_text()
    assert "Since v1.0.0: 2 added, 3 changed, 2 removed (6 cards in all)." in notes

    def section(title: str) -> set[str]:
        block = notes.split(f"{title}", 1)[1].split("\n\n", 1)[0]
        return set(re.findall(r", `([^`]+)`\)", block))

    assert section("Added:") == {"routine/breakfast/next", "routine/breakfast/previous"}
    assert section("Changed:") == {"routine/teeth/next", "routine/teeth/previous", "routine/whole"}
    assert section("Removed") == {"routine/dress/next", "routine/dress/previous"}
    searches = re.findall(r"\): `(tag:topic::morning [^`]+)`", notes)
    assert len(searches) == 2
    for search in searches:
        assert len(col.find_notes(search)) == 1, search
    assert not (out / "release" / "morning-1.0.0.apkg").exists()
    assert (out / "release" / "morning-1.1.0.apkg").exists()
    col.close()


def test_unbumped_change_is_refused_and_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic = tmp_path / "morning.yaml"
    topic.write_text(topic_text("1.0.0"))
    assert release([topic], tmp_path / "dist", "1767225600", monkeypatch)[0] == 0
    before = folder_bytes(tmp_path / "dist" / "release")
    topic.write_text(topic_text("1.0.0", teeth="Brush your teeth"))
    code, _, err = release([topic], tmp_path / "dist", "1767312000", monkeypatch)
    assert code == 1
    assert (
        f"{topic}:4:10: version: topic 'morning' changed since release 1.0.0 but its version did not; "
        "bump it (e.g. 1.0.1)"
    ) in err
    assert folder_bytes(tmp_path / "dist" / "release") == before
    topic.write_text(topic_text("0.9.0"))
    code, _, err = release([topic], tmp_path / "dist", "1767312000", monkeypatch)
    assert code == 1 and "version 0.9.0 is lower than the released 1.0.0" in err


def test_rerunning_a_release_reproduces_every_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic = tmp_path / "morning.yaml"
    topic.write_text(topic_text("1.0.0"))
    out = tmp_path / "dist"
    release([topic], out, "1767225600", monkeypatch)
    topic.write_text(topic_text("1.0.1", teeth="Brush your teeth"))
    release([topic], out, "1767312000", monkeypatch)
    first = folder_bytes(out / "release")
    assert release([topic], out, "1767312000", monkeypatch)[0] == 0
    assert folder_bytes(out / "release") == first
    assert "Since v1.0.0: 0 added, 5 changed, 0 removed" in first["RELEASE-NOTES.md"].decode()


def test_default_course_name_is_the_project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "biology-101"
    (project / "content").mkdir(parents=True)
    (project / "content" / "morning.yaml").write_text(topic_text("1.0.0"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    code, out, err = run_cli("release", str(project / "content"), "--out", str(tmp_path / "dist"))
    assert code == 0, err
    assert (tmp_path / "dist" / "release" / "biology-101-2026-01-01.apkg").exists()


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"topics": []}'])
def test_a_corrupt_manifest_is_named_and_nothing_is_written(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "manifest.json").write_text(text)
    code, out, err = release([FIXTURES / "minimal.yaml"], tmp_path, "1767225600", monkeypatch)
    assert code == 1 and out == ""
    assert err.startswith(f"error: {folder / 'manifest.json'} is not a release manifest: "), err
    assert "problem" not in err and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"]
