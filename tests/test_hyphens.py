"""Where a word may break (`builder/text/hyphens.py`): the dictionary, the word's own hyphens, CJK rules."""

from __future__ import annotations

import pytest

from builder.text.hyphens import LANG, SOFT_HYPHEN, dictionary_for, soft_hyphens, word_breaks, word_is_prose


def test_a_long_word_breaks_where_the_dictionary_allows_with_three_letters_each_side() -> None:
    breaks = word_breaks("hyphenation")
    assert breaks == [("hyphen-", "ation")]
    assert all(len(first.rstrip("-")) >= 3 and len(rest) >= 3 for first, rest in breaks)


def test_short_words_formulas_and_numbers_break_only_at_their_own_hyphens() -> None:
    assert word_breaks("model") == []
    assert word_breaks("H₂SO₄") == []
    assert word_breaks("3.14159") == []
    assert word_breaks("well-known") == [("well-", "known")]
    assert not word_is_prose("H₂SO₄") and word_is_prose("Oxaloacetate")


def test_cjk_text_breaks_between_characters_but_not_before_closing_marks() -> None:
    breaks = word_breaks("日本語です。")
    assert ("日本語です", "。") not in breaks  # a line may not start with 。
    assert ("日本", "語です。") in breaks


def test_soft_hyphens_mark_only_prose_words() -> None:
    marked = soft_hyphens("the hyphenation of 3.14159 and H₂SO₄")
    assert marked == f"the hyphen{SOFT_HYPHEN}ation of 3.14159 and H₂SO₄"


@pytest.mark.parametrize(
    ("tag", "dictionary"), [(None, LANG), ("en-GB", LANG), ("de-AT", "de_AT"), ("fr", "fr"), ("ja", LANG)]
)
def test_a_content_lang_gets_its_dictionary_or_english(tag: str | None, dictionary: str) -> None:
    assert dictionary_for(tag) == dictionary


def test_german_words_break_by_german_rules() -> None:
    assert ("Geschwindig-", "keit") in word_breaks("Geschwindigkeit", dictionary_for("de"))
    assert word_breaks("Geschwindigkeit") == []  # English patterns find no break in it
