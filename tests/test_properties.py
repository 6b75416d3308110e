"""Property-based tests: random valid topics always build; random broken files never crash the checker."""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

import pytest
import rules
import yaml
from helpers import CONTENT, import_deck, new_collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.content.checks import check_text
from builder.content.load import load_bytes
from builder.content.validate import validate
from builder.deck.anki import DeckSpec, package_bytes
from builder.deck.cards import notes
from builder.errors import DoesNotFitError
from builder.glyphs.emoji import EmojiSet
from builder.glyphs.fonts import coverage, register
from builder.sheet.fit import fit_sheet
from builder.sheet.markup import blank_image
from builder.sheet.pdf import pdf_bytes
from builder.text.marks import plain

BUILD_EXAMPLES = int(os.environ.get("BUILD_EXAMPLES", "12"))
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FONTS = coverage()
EMOJI = EmojiSet.load()
TRICKY = [
    "<",
    ">",
    "&",
    "&amp;",
    "{{c1::",
    "}}",
    "::",
    "**",
    "*",
    "`",
    "<script>",
    "</b>",
    "x<y",
    "AT&T",
    "\\",
    '"',
    "'",
    "#",
    ": ",
    " - ",
    "😂",
    "👩‍🍳",
    "é",
    "Ω",
    "→",
]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
SAFE = sorted(c for c in FONTS.text & FONTS.code if c > 0x20 and not 0x7F <= c <= 0x9F and chr(c).isprintable())

pieces = st.one_of(st.sampled_from(TRICKY), st.text(st.sampled_from([chr(c) for c in SAFE]), min_size=1, max_size=6))
line_text = (
    st.lists(pieces, min_size=1, max_size=6)
    .map(lambda parts: " ".join(parts))
    .filter(lambda s: s.strip() and len(s) <= 80 and "\n" not in s)
)


@st.composite
def topics(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(2, 20))
    steps = [
        {"id": f"s{i}", "name": draw(line_text)} | ({"does": draw(line_text)} if draw(st.booleans()) else {})
        for i in range(count)
    ]
    sequence = {
        "id": "seq",
        "title": draw(line_text),
        "shape": draw(st.sampled_from(["chain", "loop"])),
        "steps": steps,
        "cards": {"context": draw(st.integers(0, 4)), "whole": draw(st.booleans()), "reverse": draw(st.booleans())},
    }
    topic = {"format": 1, "id": "random-topic", "title": draw(line_text), "version": "1.0.0", "sequences": [sequence]}
    words = draw(st.lists(st.text(LETTERS, min_size=1, max_size=7), min_size=1, max_size=min(count, 6)))
    phrase = " ".join(words)
    if draw(st.booleans()) and len(phrase) <= 60:
        letters = [w[0] for w in words]  # as typed: the rule matches a word by its letter as typed first
        cues = [{"letter": letter, "step": f"s{i}", "hook": "random"} for i, letter in enumerate(letters)]
        topic["mnemonics"] = [{"id": "m", "phrase": phrase, "for": "seq", "cues": cues}]
    return topic


def expected_cards(data: dict[str, Any]) -> int:
    seq = data["sequences"][0]
    n = len(seq["steps"])
    previous = (n if seq["shape"] == "loop" else n - 1) if seq["cards"]["reverse"] else 0
    mnemonic = sum(1 + len(m["cues"]) for m in data.get("mnemonics", []))
    return n + previous + (1 if seq["cards"]["whole"] else 0) + mnemonic


@settings(
    max_examples=BUILD_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=topics())
def test_random_valid_topic_builds_a_deck_anki_reads_and_a_sheet(
    data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    doc, problems = load_bytes(text, "random.yaml")
    assert doc is not None, problems
    topic, problems = validate(doc)
    errors = [p for p in problems + check_text(doc, FONTS, EMOJI, None) if not p.warning]
    assert topic is not None and not errors, errors

    specs = notes(topic)
    assert len(specs) == expected_cards(data)
    folder = tmp_path_factory.mktemp("anki")
    (folder / "t.apkg").write_bytes(package_bytes([DeckSpec(topic.deck, tuple(specs))], 1767225600))
    col = new_collection(folder)
    log = import_deck(col, folder / "t.apkg")
    assert len(log.new) == col.card_count() == expected_cards(data)
    shown = " ".join(_visible(col.get_card(c).answer()) for c in col.find_cards(""))
    for step in data["sequences"][0]["steps"]:
        assert " ".join(plain(unicodedata.normalize("NFC", step["name"])).split()) in shown
    assert rules.duplicate_questions(rules.card_sides(col)) == []
    col.close()
    for mnemonic in topic.mnemonics:
        assert list(mnemonic.letter_positions()) == rules.expected_letter_positions(mnemonic)

    register()
    try:
        sheet = fit_sheet(topic, "a4", "2026-01-01", FONTS, EMOJI, blank_image())
    except DoesNotFitError as exc:
        assert "does not fit one page at 7 pt" in str(exc)
        return
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf_bytes(topic, sheet, EMOJI))).pages) == 1
    assert rules.columns_start_with_a_title(sheet)
    assert rules.words_broken_without_hyphen(sheet) == []


def _visible(html: str) -> str:
    import html as h

    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return " ".join(h.unescape(re.sub(r"<[^>]+>", "", body)).replace("\u2060", "").split())  # word joiner: unseen


SOURCE = (CONTENT / "pytorch-training-loop.yaml").read_bytes()


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(SOURCE)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate-line", "indent"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b":",
                        b"- ",
                        b"&a ",
                        b"*a",
                        b"!!python/object ",
                        b"{",
                        b"[",
                        b"\t",
                        b"\xff",
                        b"\x00",
                        b"'",
                        b'"',
                        b"\n  ",
                        b"? ",
                        b"---\n",
                        b"%YAML 1.1\n",
                        "é😂".encode(),
                        b"<<: *a\n",
                    ]
                )
            )
        elif kind == "replace":
            data[at] = draw(st.integers(0, 255))
        elif kind == "duplicate-line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            data[start:start] = data[start : end + 1 if end >= 0 else len(data)]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            data[start:start] = b" " * draw(st.integers(1, 3))
        if not data:
            break
    return bytes(data)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=mutations())
def test_mutated_files_never_crash_the_checker(data: bytes) -> None:
    doc, problems = load_bytes(data, "m.yaml")
    if doc is None:
        assert len(problems) == 1 and problems[0].line >= 1 and problems[0].col >= 1
        return
    topic, problems = validate(doc)
    problems += check_text(doc, FONTS, EMOJI, None)
    if topic is None:
        assert any(not p.warning for p in problems)
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.message
