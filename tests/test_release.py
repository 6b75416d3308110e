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
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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


BUNDLED = (
    "tiny-topic-0.1.0.apkg",
    "tiny-topic-0.1.0.pdf",
    "literal-text-1.2.3.apkg",
    "literal-text-1.2.3.pdf",
    "test-course-2026-01-01.apkg",
    "test-course-2026-01-01-sheets.pdf",
    "RELEASE-NOTES.md",
    "STUDENTS.md",
    "CREDITS.md",
)


def test_every_artifact_and_checksums(fixtures_release: Path) -> None:
    names = sorted(p.name for p in fixtures_release.iterdir() if p.name != "site")
    assert names == sorted([*BUNDLED, "test-course-2026-01-01.zip", "manifest.json", "SHA256SUMS"])
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=fixtures_release, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    site = sorted(f"site/{p.relative_to(fixtures_release / 'site')}" for p in (fixtures_release / "site").rglob("*.*"))
    assert site == [f"site/{n}" for n in ("credits.html", "index.html", "literal-text.html", "release-notes.html")] + [
        "site/students.html",
        "site/style.css",
        "site/tiny-topic.html",
    ]
    assert check.stdout.count(": OK") == 11 + len(site) and all(f"{name}: OK" in check.stdout for name in site)


def test_bundle_lists_what_students_need(fixtures_release: Path) -> None:
    with zipfile.ZipFile(fixtures_release / "test-course-2026-01-01.zip") as bundle:
        assert bundle.testzip() is None
        names = sorted(bundle.namelist())
        guide = bundle.read("test-course-2026-01-01/STUDENTS.md").decode()
    assert names == sorted(f"test-course-2026-01-01/{n}" for n in BUNDLED)
    for needle in ("AnkiDroid", "AnkiMobile", "File > Import", "100% / Actual size", "site/index.html"):
        assert needle in guide
    assert 'tick "Import any deck\npresets". Its sub-decks then use the preset "Test Course"' in guide


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
    assert "Since v1.0.0, released 2026-01-01: 2 added, 3 changed, 2 removed (6 cards in all)." in notes

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
    assert "Since v1.0.0, released 2026-01-01: 0 added, 5 changed, 0 removed" in first["RELEASE-NOTES.md"].decode()


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


def other_topic(version: str, name: str = "Pack the bag") -> str:
    return (
        f"format: 1\nid: evening\ntitle: Evening\nversion: {version}\nsequences:\n  - id: routine\n"
        f"    title: Routine\n    steps:\n      - {{id: pack, name: {name}}}\n      - {{id: sleep, name: Sleep}}\n"
    )


def test_release_notes_stay_right_across_three_releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "morning.yaml").write_text(topic_text("1.0.0"))
    (content / "evening.yaml").write_text(other_topic("1.0.0"))
    out = tmp_path / "dist"
    notes = out / "release" / "RELEASE-NOTES.md"
    assert release([content], out, "1767225600", monkeypatch)[0] == 0
    first = notes.read_text()
    assert first.count("First release") == 2

    (content / "morning.yaml").write_text(topic_text("1.1.0", teeth="Brush your teeth"))
    assert release([content], out, "1767312000", monkeypatch)[0] == 0
    second = notes.read_text()
    assert "First release" not in second
    assert "## Evening v1.0.0\n\nUnchanged since v1.0.0, released 2026-01-01: 4 cards." in second
    assert "## Morning v1.1.0\n\nSince v1.0.0, released 2026-01-01: 0 added, 5 changed, 0 removed" in second
    assert release([content], out, "1767312000", monkeypatch)[0] == 0
    assert notes.read_text() == second  # a re-run of the same release says the same

    (content / "evening.yaml").write_text(other_topic("1.0.1", name="Pack your bag"))
    assert release([content], out, "1767398400", monkeypatch)[0] == 0
    third = notes.read_text()
    assert "First release" not in third
    assert "## Morning v1.1.0\n\nUnchanged since v1.1.0, released 2026-01-02: 6 cards." in third
    assert "## Evening v1.0.1\n\nSince v1.0.0, released 2026-01-02: 0 added, 4 changed, 0 removed" in third


def test_a_renamed_course_is_refused_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic = tmp_path / "morning.yaml"
    topic.write_text(topic_text("1.0.0"))
    out = tmp_path / "dist"
    assert release([topic], out, "1767225600", monkeypatch)[0] == 0
    before = folder_bytes(out / "release")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    code, _, err = run_cli("release", str(topic), "--out", str(out), "--name", "Other Course")
    assert code == 1
    assert f"holds a release of the course '{COURSE}', not 'Other Course'" in err and "--rename" in err
    assert folder_bytes(out / "release") == before
    code, stdout, err = run_cli("release", str(topic), "--out", str(out), "--name", "Other Course", "--rename")
    assert code == 0, err
    assert f"removed {out / 'release' / 'test-course-2026-01-01.apkg'}" in stdout
    assert not (out / "release" / "test-course-2026-01-01.zip").exists()
    assert (out / "release" / "other-course-2026-01-01.zip").exists()


def test_release_without_a_course_name_says_how_to_give_one(tmp_path: Path, epoch: int) -> None:
    topic = tmp_path / "content" / "morning.yaml"
    topic.parent.mkdir()
    topic.write_text(topic_text("1.0.0"))
    code, out, err = run_cli("release", str(topic.parent), "--out", str(tmp_path / "dist"))
    assert code == 1 and "course.yaml" in err and "--name" in err
    assert not (tmp_path / "dist").exists()
    (topic.parent / "course.yaml").write_text("format: 1\nname: Morning Course\n")
    code, out, err = run_cli("release", str(topic.parent), "--out", str(tmp_path / "dist"))
    assert code == 0, err
    assert (tmp_path / "dist" / "release" / "morning-course-2026-01-01.zip").exists()


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def test_release_refuses_uncommitted_content_unless_allowed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "course.yaml").write_text("format: 1\nname: Morning Course\n")
    (content / "morning.yaml").write_text(topic_text("1.0.0"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "add", "content/course.yaml")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "course")
    code, _, err = run_cli("release", str(content), "--out", str(tmp_path / "dist"))
    assert code == 1 and "commit these files before releasing" in err and "morning.yaml" in err
    assert not (tmp_path / "dist").exists()
    code, _, err = run_cli("release", str(content), "--out", str(tmp_path / "dist"), "--allow-dirty")
    assert code == 0 and "warning: releasing uncommitted files" in err and "morning.yaml" in err


def test_topic_and_course_decks_fill_one_deck_per_topic_in_either_order(fixtures_release: Path, tmp_path: Path) -> None:
    course = fixtures_release / "test-course-2026-01-01.apkg"
    topics = [fixtures_release / "tiny-topic-0.1.0.apkg", fixtures_release / "literal-text-1.2.3.apkg"]
    for order in ([*topics, course], [course, *topics]):
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        col = new_collection(folder)
        logs = [import_deck(col, path) for path in order]
        assert sum(len(log.new) for log in logs) == col.card_count() == len(col.find_notes(""))
        decks = {d.name: d.id for d in col.decks.all_names_and_ids()}
        used = {col.get_card(c).did for c in col.find_cards("")}
        empty = [name for name, did in decks.items() if did not in used and name != "Default"]
        parents = {name.rsplit("::", 1)[0] for name in decks if "::" in name}
        assert [name for name in empty if name not in parents] == [], (order, decks)
        assert {n for n, did in decks.items() if did in used} == {f"{COURSE}::Tiny topic", f"{COURSE}::Tests::Literal"}
        col.close()


def test_a_one_note_edit_updates_one_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic = tmp_path / "morning.yaml"
    topic.write_text(topic_text("1.0.0"))
    out = tmp_path / "dist"
    assert release([topic], out, "1767225600", monkeypatch)[0] == 0
    col = new_collection(tmp_path)
    import_deck(col, out / "release" / "morning-1.0.0.apkg")
    topic.write_text(topic_text("1.0.1").replace("Get dressed", "Get dressed for the day"))
    assert release([topic], out, "1767312000", monkeypatch)[0] == 0
    log = import_deck(col, out / "release" / "morning-1.0.1.apkg")
    # Renaming the last step changes its next-step card, the previous-step card that names it and the whole card.
    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (0, 3, 3, 0)
    col.close()


def test_a_second_release_on_the_same_day_compares_with_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "morning.yaml").write_text(topic_text("1.0.0"))
    (content / "evening.yaml").write_text(other_topic("1.0.0"))
    out = tmp_path / "dist"
    assert release([content], out, "1767225600", monkeypatch)[0] == 0
    (content / "morning.yaml").write_text(topic_text("1.0.1", teeth="Brush your teeth"))
    assert release([content], out, "1767225600", monkeypatch)[0] == 0
    notes = (out / "release" / "RELEASE-NOTES.md").read_text()
    assert "First release" not in notes
    assert "## Evening v1.0.0\n\nUnchanged since v1.0.0, released 2026-01-01: 4 cards." in notes
    assert "## Morning v1.0.1\n\nSince v1.0.0, released 2026-01-01: 0 added, 5 changed, 0 removed" in notes


def test_release_file_names_spell_out_accents_and_umlauts() -> None:
    from builder.text.marks import file_slug

    assert file_slug("Zellbiologie für Anfänger") == "zellbiologie-fuer-anfaenger"
    assert file_slug("Révolution française, Straße") == "revolution-francaise-strasse"
    assert file_slug("PyTorch Course") == "pytorch-course"
    assert file_slug("学習コース") == ""  # the release then falls back to "course"


def test_course_deck_brings_its_preset_when_presets_are_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    content = tmp_path / "content"
    content.mkdir()
    (content / "course.yaml").write_text("format: 1\nname: Preset Course\nnew_per_day: 7\n")
    (content / "morning.yaml").write_text(topic_text("1.0.0"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    code, _, err = run_cli("release", str(content), "--out", str(tmp_path / "dist"))
    assert code == 0, err
    col = new_collection(tmp_path)
    options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=True)
    package = tmp_path / "dist" / "release" / "preset-course-2026-01-01.apkg"
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    deck = col.decks.by_name("Preset Course::Morning")
    assert deck is not None
    preset = col.decks.config_dict_for_deck_id(deck["id"])
    assert (preset["name"], preset["new"]["perDay"]) == ("Preset Course", 7)
    col.close()
