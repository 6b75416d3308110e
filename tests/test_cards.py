"""Note specs: the card set, identity from ids, literal text."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from helpers import CONTENT, FIXTURES

from builder.content.gather import gather
from builder.content.model import CardKinds, Topic
from builder.deck.cards import notes


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
