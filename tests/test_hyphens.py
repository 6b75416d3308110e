"""Where words may break: their own hyphens, the dictionary (three letters each side), never inside a formula."""

from __future__ import annotations

import re

import pytest
from helpers import CORPUS

from builder.text import hyphens
from builder.text.hyphens import MIN_WORD, SOFT_HYPHEN, dictionary_for, soft_hyphens, word_breaks

WORDS = sorted({w for f in CORPUS.glob("*.yaml") for w in re.findall(r"[^\W\d_]{6,}", f.read_text())})


def test_every_dictionary_break_leaves_three_letters_on_each_side_and_ends_with_a_hyphen() -> None:
    broken = 0
    for word in WORDS:
        for first, rest in word_breaks(word):
            if "-" in word:
                continue
            broken += 1
            assert first.endswith("-") and first[:-1] + rest == word, (word, first, rest)
            assert len(first) - 1 >= 3 and len(rest) >= 3, (word, first, rest)
    assert broken > 100


def test_breaks_come_longest_first_part_first() -> None:
    for word in WORDS:
        lengths = [len(first) for first, _ in word_breaks(word)]
        assert lengths == sorted(lengths, reverse=True), word


def test_a_word_breaks_after_its_own_hyphen_and_keeps_it() -> None:
    assert ("well-", "known") in word_breaks("well-known")
    assert all("".join(part) == "well-known" for part in word_breaks("well-known"))


@pytest.mark.parametrize("word", ["H₂SO₄", "3.14159265", "x²-term", "model", "short"])
def test_formulas_numbers_and_short_words_break_only_at_their_own_hyphens(word: str) -> None:
    own = [(word[: i + 1], word[i + 1 :]) for i, c in enumerate(word) if c == "-" and 0 < i < len(word) - 1]
    assert word_breaks(word) == own
    assert len("model") < MIN_WORD


def test_cjk_text_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    breaks = word_breaks("日本語。")
    assert ("日", "本語。") in breaks and ("日本", "語。") in breaks
    assert ("日本語", "。") not in breaks


def test_soft_hyphens_go_only_into_long_prose_words_and_take_nothing_away() -> None:
    text = "hyphenation of H₂SO₄₂₃₄ and 3.14159265 in a sentence"
    marked = soft_hyphens(text)
    assert marked.replace(SOFT_HYPHEN, "") == text
    assert marked.split(" ")[0] == "hyphen" + SOFT_HYPHEN + "ation"
    assert marked.split(" ")[-1] == "sen" + SOFT_HYPHEN + "tence"
    assert SOFT_HYPHEN not in " ".join(marked.split(" ")[1:-1])  # the formula, the number, and short words


@pytest.mark.parametrize(
    ("tag", "dictionary"), [(None, "en_US"), ("en-GB", "en_US"), ("de-AT", "de_AT"), ("ja", "en_US"), ("fr", "fr")]
)
def test_the_dictionary_follows_the_content_language(tag: str | None, dictionary: str) -> None:
    assert dictionary_for(tag) == dictionary


def test_another_language_breaks_by_its_own_patterns() -> None:
    assert word_breaks("Geschwindigkeit", dictionary_for("de")) == [("Geschwindig-", "keit"), ("Geschwin-", "digkeit")]
    assert word_breaks("Geschwindigkeit", hyphens.LANG) == []
