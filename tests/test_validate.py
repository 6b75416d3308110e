"""Every validation rule, from the corpus under tests/broken and tests/warnings (expected line first)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import BROKEN, CONTENT, FIXTURES, run_cli

from builder.content.gather import gather
from builder.content.model import CardKinds
from builder.errors import ContentError
from builder.glyphs.cjk import CJKFont

WARNINGS = Path(__file__).resolve().parent / "warnings"


def expected(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), path
    return first[len("# expect: ") :]


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_file_gives_its_exact_located_message(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOZP_CJK_FONT", raising=False)
    monkeypatch.setattr(CJKFont, "installed", classmethod(lambda cls, environ=None: None))  # no cjk extra
    code, out, err = run_cli("check", str(path))
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    rel = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    assert f"{rel}:{expected(path)}" in lines, err
    assert re.fullmatch(r"\d+ problems? found", lines[-1]), lines[-1]  # check writes nothing, so it says nothing of it


def test_corpus_has_at_least_forty_files() -> None:
    assert len(list(BROKEN.glob("*.yaml"))) >= 40


@pytest.mark.parametrize("path", sorted(WARNINGS.glob("*.yaml")), ids=lambda p: p.stem)
def test_warning_passes_but_fails_under_strict(path: Path) -> None:
    rel = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    code, out, err = run_cli("check", str(path))
    assert code == 0
    assert f"warning: {rel}:{expected(path)[len('warning: ') :]}" in err.splitlines()
    code, _, err = run_cli("check", "--strict", str(path))
    assert code == 1
    assert f"error (strict): {rel}:{expected(path)[len('warning: ') :]}" in err.splitlines()


def test_all_problems_of_a_file_are_reported_together() -> None:
    code, _, err = run_cli("check", str(BROKEN / "unknown-key-titel.yaml"))
    assert code == 1
    messages = [line for line in err.splitlines() if "unknown-key-titel.yaml:" in line]
    assert len(messages) == 2


def test_problems_of_several_files_are_reported_together() -> None:
    code, _, err = run_cli("check", str(BROKEN / "format-2.yaml"), str(BROKEN / "tag-bad.yaml"))
    assert code == 1
    assert "format-2.yaml:2:9" in err and "tag-bad.yaml:6:8" in err


def test_duplicate_topic_ids_across_files(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    with pytest.raises(ContentError) as info:
        gather([tmp_path])
    [problem] = info.value.problems
    assert problem.key == "id" and problem.line == 2 and problem.path.endswith("b.yaml")
    assert "topic id 'tiny-topic' is also used by" in problem.message


def test_character_no_font_draws_is_located(tmp_path: Path) -> None:
    path = tmp_path / "glyph.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text().replace("Brush teeth", "Brush 𓀀 teeth"))
    code, _, err = run_cli("check", str(path))
    assert code == 1
    assert "glyph.yaml:8:28: sequences[0].steps[1]: character U+13000 EGYPTIAN HIEROGLYPH A001 cannot be drawn" in err


def test_emoji_are_drawable_and_pass() -> None:
    gathered = gather([CONTENT], strict=True)
    topic = gathered.topics[0]
    note = topic.mnemonics[1].note
    assert note is not None
    assert "😂" in note and "👩‍🍳" in topic.analogies[0].title


def test_default_step_ids_and_card_options() -> None:
    topic = gather([FIXTURES / "minimal.yaml"]).topics[0]
    seq = topic.sequences[0]
    assert [s.id for s in seq.steps] == ["wake-up", "brush-teeth"]
    assert seq.shape == "chain" and seq.cards == CardKinds(2, True, True, True, True, True, True)
    assert topic.deck == "Tiny topic"


def test_missing_path_is_reported() -> None:
    code, _, err = run_cli("check", "no/such/file.yaml")
    assert code == 1 and "no/such/file.yaml:1:1: no such file or folder" in err


def test_out_of_order_cues_are_one_message_naming_the_order() -> None:
    """Not a hook warning per cue first: the letters are right, only their order is wrong."""
    code, _, err = run_cli("check", str(BROKEN / "cue-out-of-order-hooks.yaml"))
    assert code == 1
    problems = [line for line in err.splitlines() if "cue-out-of-order-hooks.yaml:" in line]
    assert len(problems) == 1 and "here D (add-up), A (divide), C (check)" in problems[0]


def test_a_letter_missing_from_the_phrase_gets_no_hook_advice(tmp_path: Path) -> None:
    """A hook cannot place a letter the phrase lacks: the one message is about the phrase."""
    path = tmp_path / "letter.yaml"
    text = (
        (BROKEN / "cue-letter-not-in-phrase.yaml")
        .read_text()
        .replace("{letter: G, step: gamma}", "{letter: X, step: gamma}")
    )
    path.write_text(text)
    code, _, err = run_cli("check", str(path))
    problems = [line for line in err.splitlines() if "letter.yaml:" in line]
    assert code == 1
    assert problems == [
        f"{path}:16:18: mnemonics[0].cues[1].letter: 'X' does not appear in the phrase 'AB' after the earlier cues"
    ]


def test_a_hash_after_quoted_or_block_text_is_no_comment_warning(tmp_path: Path) -> None:
    path = tmp_path / "quoted.yaml"
    text = (WARNINGS / "hash-cuts-text.yaml").read_text().replace("- Hypotheses #1 rule", '- "Hypotheses #1 rule"')
    path.write_text(text)
    code, _, err = run_cli("check", "--strict", str(path))
    assert code == 0, err
