"""Note specs: the card set, identity from ids, literal text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
from helpers import CONTENT, CORPUS, FIXTURES, visible_text

from builder.content.gather import gather
from builder.content.model import CardKinds, Topic
from builder.deck.cards import notes
from builder.text.i18n import Words, catalogs
from builder.text.marks import plain


def pytorch() -> Topic:
    return gather([CONTENT]).topics[0]


def test_pytorch_card_counts_by_kind() -> None:
    counts = Counter(n.kind for n in notes(pytorch()))
    # next-step: 6 + 5; previous: 6 (loop wraps) + 4 (chain); whole: 2;
    # mnemonic: FLOZP 1 + 5, lolo 1 + 4; analogy: 5 pairs both ways; code: 6 lines; term: 5 both ways
    assert counts == {
        "term": 10,
        "next-step": 11,
        "previous-step": 10,
        "whole-sequence": 2,
        "mnemonic": 11,
        "analogy": 10,
        "code": 6,
    }


def test_every_note_has_exactly_one_cloze_number_and_unique_identity() -> None:
    specs = notes(pytorch())
    assert len({n.key for n in specs}) == len(specs)
    for n in specs:
        assert "{{c1::" in n.text and "{{c2::" not in n.text


def test_identity_ignores_text() -> None:
    topic = pytorch()
    loop = topic.sequences[0]
    renamed = replace(loop.steps[1], name="Forward pass (predict)")
    edited = replace(
        topic, sequences=(replace(loop, steps=(loop.steps[0], renamed, *loop.steps[2:])), *topic.sequences[1:])
    )
    assert [n.key for n in notes(topic)] == [n.key for n in notes(edited)]
    assert "pytorch-training-loop/training-loop/forward/next" in [n.key for n in notes(topic)]


def test_mnemonic_letter_is_the_cloze_hint() -> None:
    forward = next(n for n in notes(pytorch()) if n.key.endswith("/forward/next"))
    assert "{{c1::Forward pass::F…}}" in forward.text
    train = next(n for n in notes(pytorch()) if n.key.endswith("/train-mode/next"))
    assert "{{c1::Training mode}}" in train.text


def test_next_step_shows_context_and_hides_later_steps() -> None:
    loss = next(n for n in notes(pytorch()) if n.key.endswith("/loss/next"))
    assert "Training mode" in loss.text and "Forward pass" in loss.text
    assert "Optimizer zero grad" not in loss.text and "…" in loss.text
    zero = next(n for n in notes(pytorch()) if n.key.endswith("/zero-grad/next"))
    assert "Training mode" not in zero.text  # context is 2


def test_cards_options_are_honoured() -> None:
    topic = gather([FIXTURES / "minimal.yaml"]).topics[0]
    seq = topic.sequences[0]
    base = Counter(n.kind for n in notes(topic))
    assert base == {"next-step": 2, "previous-step": 1, "whole-sequence": 1}
    off = replace(topic, sequences=(replace(seq, cards=CardKinds(whole=False, reverse=False)),))
    assert Counter(n.kind for n in notes(off)) == {"next-step": 2}


def test_markup_looking_text_is_escaped() -> None:
    specs = notes(gather([FIXTURES / "literal.yaml"]).topics[0])
    html = "\n".join(n.text + n.extra + n.source for n in specs)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "AT&amp;T" in html and "x&lt;y" in html
    assert "{{c2::" not in html and "&#123;&#123;c2" in html
    assert "<b>bold</b>" in html and "<i>italic</i>" in html and '<code class="inline">code</code>' in html


def test_tags_carry_topic_and_kind() -> None:
    first = notes(pytorch())[0]
    assert first.tags == ("pytorch", "deep-learning", "topic::pytorch-training-loop", "card::term")
    step = next(n for n in notes(pytorch()) if n.kind == "next-step")
    assert step.tags == ("pytorch", "deep-learning", "topic::pytorch-training-loop", "card::next-step")


CORPUS_TOPICS = gather([CORPUS, CONTENT]).topics
HINT = re.compile(r"\{\{c1::([^}]*?)::([^}]*)\}\}")


def test_no_hint_is_a_letter_the_answer_does_not_start_with() -> None:
    """Over the corpus: a `X…` hint is a prefix of its answer; any other cue letter is named as a cue."""
    seen = {"prefix": 0, "cue": 0}
    for topic in CORPUS_TOPICS:
        for note in notes(topic):
            if note.kind == "code":
                continue  # a code card's hint is its step's name
            for answer_html, hint in HINT.findall(note.text):
                answer = plain(unescape(re.sub(r"<[^>]+>", "", answer_html)))
                hint = unescape(hint)
                if hint.endswith("…"):
                    assert answer.casefold().startswith(hint[:-1].casefold()), (topic.id, answer, hint)
                    seen["prefix"] += 1
                else:
                    assert re.fullmatch(r"cue: \S+", hint), (topic.id, hint)
                    seen["cue"] += 1
    assert seen["prefix"] >= 40 and seen["cue"] >= 3, seen


def test_a_non_initial_cue_letter_is_a_cue_on_cards_and_sheet() -> None:
    topic = pytorch()
    backward = next(n for n in notes(topic) if n.key.endswith("/backward/next"))
    assert "{{c1::Loss backwards::cue&#58; Z}}" in backward.text
    badges = topic.cue_badges("training-loop", Words.load("en"))
    assert badges["backward"] == "cue: Z" and badges["forward"] == "F"
    assert topic.cue_badges("training-loop", Words.load("de"))["backward"] == "Merkhilfe: Z"


STEP_WORD = {
    "en": "step",
    "de": "Schritt",
    "es": "paso",
    "fr": "étape",
    "ja": "ステップ",
    "pt_BR": "passo",
    "zh_Hans": "步骤",
}


@pytest.mark.parametrize("lang", ["en", *catalogs()])
def test_the_analogy_prompt_is_a_sentence_for_plural_and_parenthesised_names(lang: str) -> None:
    """The name stands after the catalog's word for a step, so the verb agrees with that word, not the name."""
    words = Words.load(lang.replace("_", "-"))
    numbered = words.gettext("%(name)s (step %(number)s)", name="X", number="1")
    assert STEP_WORD[lang][0] in numbered, (lang, numbered)  # the word the catalog uses for a step elsewhere
    for name in ("Hypotheses", "Assumptions (conditions)"):
        prompt = words.gettext("The step %(step)s is like…", step=f"<b>{name}</b>")
        before = prompt.split("<b>", 1)[0]
        assert STEP_WORD[lang].casefold() in before.casefold(), (lang, prompt)


def test_a_partial_mnemonic_shows_its_gaps() -> None:
    checked = 0
    for topic in CORPUS_TOPICS:
        for mnemonic in topic.mnemonics:
            seq = topic.sequence(mnemonic.sequence)
            phrase = next(n for n in notes(topic) if n.key.endswith(f"mnemonics/{mnemonic.id}/phrase"))
            order = re.search(r'<div class="order">(.*?)</div>', phrase.text)
            assert order is not None
            shown = order.group(1).split(" → ")
            at = [seq.index(c.step) for c in mnemonic.cues]
            gaps = sum(1 for a, b in zip(at, at[1:], strict=False) if b > a + 1)
            assert shown.count("…") == gaps and len(shown) == len(at) + gaps, (topic.id, shown)
            checked += gaps
    assert checked >= 1, "the corpus has a mnemonic that skips steps"


def test_a_code_card_shows_its_line_once() -> None:
    checked = 0
    for topic in CORPUS_TOPICS:
        for note in (n for n in notes(topic) if n.kind == "code"):
            line = plain(note.asks.answer).strip()
            assert line not in visible_text(note.extra), (topic.id, line)
            checked += 1
    assert checked >= 10


def test_a_step_can_turn_its_code_card_off(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(
        "format: 1\nid: t\ntitle: T\nversion: 1.0.0\nsequences:\n  - id: s\n    title: S\n    steps:\n"
        "      - {name: Data, code: 'x <- c(1, 2)', cards: {code: false}}\n"
        "      - {name: Mean, code: mean(x)}\n"
        'snippets:\n  - {id: r, language: r, for: s, code: "x <- c(1, 2)\\nmean(x)"}\n'
    )
    specs = notes(gather([path]).topics[0])
    assert [n.key for n in specs if n.kind == "code"] == ["t/s/mean/code"]
    assert "x <- c(1, 2)" in visible_text(next(n for n in specs if n.key == "t/s/data/next").extra)  # on its back
