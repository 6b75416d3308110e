"""A released version names one set of files: a release refuses content changed under the same version, and
names a builder that would make other cards or another sheet of unchanged content; old manifests still read."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from reportlab.lib import colors
from test_release import folder_bytes, release, topic_text

from builder.content.gather import gather


def _released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, bytes]]:
    topic = tmp_path / "morning.yaml"
    topic.write_text(topic_text("1.0.0"))
    assert release([topic], tmp_path / "dist", "1767225600", monkeypatch)[0] == 0
    return topic, folder_bytes(tmp_path / "dist" / "release")


def test_unbumped_change_is_refused_and_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic, before = _released(tmp_path, monkeypatch)
    topic.write_text(topic_text("1.0.0", teeth="Brush your teeth"))
    code, _, err = release([topic], tmp_path / "dist", "1767312000", monkeypatch)
    assert code == 1
    assert (
        f"{topic}:4:10: version: topic 'morning': its content changed since release 1.0.0 but its version did not; "
        "bump it (e.g. 1.0.1)"
    ) in err
    assert "builder" not in err
    assert folder_bytes(tmp_path / "dist" / "release") == before
    topic.write_text(topic_text("0.9.0"))
    code, _, err = release([topic], tmp_path / "dist", "1767312000", monkeypatch)
    assert code == 1 and "version 0.9.0 is lower than the released 1.0.0" in err


def test_a_builder_that_words_cards_differently_is_named_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic, before = _released(tmp_path, monkeypatch)
    monkeypatch.setattr("builder.deck.cards._bold", lambda html: f"<strong>{html}</strong>")
    code, _, err = release([topic], tmp_path / "dist", "1767225600", monkeypatch)
    assert code == 1
    assert (
        f"{topic}:4:10: version: topic 'morning': its content is as in release 1.0.0, but this builder words "
        "2 of its cards differently; bump its version (e.g. 1.0.1) so that students can tell the new files from the old"
    ) in err
    assert folder_bytes(tmp_path / "dist" / "release") == before
    topic.write_text(topic_text("1.0.1"))
    assert release([topic], tmp_path / "dist", "1767225600", monkeypatch)[0] == 0


def test_a_builder_that_sets_the_sheet_differently_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topic, before = _released(tmp_path, monkeypatch)
    monkeypatch.setattr("builder.sheet.band.ACCENT", colors.HexColor("#7a1f1f"))
    code, _, err = release([topic], tmp_path / "dist", "1767225600", monkeypatch)
    assert code == 1
    assert (
        "topic 'morning': its content is as in release 1.0.0, but this builder sets its sheet differently; "
        "bump its version"
    ) in err
    assert "cards" not in err
    assert folder_bytes(tmp_path / "dist" / "release") == before


def test_a_sheet_built_at_another_time_is_not_a_builder_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheet prints its build time: a later build of unchanged content is the same release, as before."""
    topic, before = _released(tmp_path, monkeypatch)
    assert release([topic], tmp_path / "dist", "1767312000", monkeypatch)[0] == 0
    assert folder_bytes(tmp_path / "dist" / "release")["morning-1.0.0.pdf"] != before["morning-1.0.0.pdf"]


def _as_format_1(folder: Path, topic: Path) -> None:
    """The manifest as a builder before fingerprints wrote it: format 1, each hash of the topic's repr."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    (loaded,) = gather([topic]).topics
    bare = dataclasses.replace(loaded, source="", version="", version_at=(0, 0))
    manifest["format"] = 1
    manifest["topics"][loaded.id]["hash"] = hashlib.sha256(repr(bare).encode()).hexdigest()
    del manifest["topics"][loaded.id]["stamp"]
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def test_a_manifest_of_format_1_still_tells_unchanged_content_from_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic, fresh = _released(tmp_path, monkeypatch)
    folder = tmp_path / "dist" / "release"
    _as_format_1(folder, topic)
    assert release([topic], tmp_path / "dist", "1767225600", monkeypatch)[0] == 0
    assert folder_bytes(folder) == fresh, "the same files, and a manifest of the current format"
    _as_format_1(folder, topic)
    topic.write_text(topic_text("1.0.0", teeth="Brush your teeth"))
    code, _, err = release([topic], tmp_path / "dist", "1767225600", monkeypatch)
    assert code == 1 and "its content changed since release 1.0.0 but its version did not" in err
