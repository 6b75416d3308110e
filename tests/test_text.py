"""Inline marks (`builder/text/marks.py`): what a typed text means, and how each output writes it."""

from __future__ import annotations

import pytest

from builder.text.marks import (
    escape_html,
    file_slug,
    glued,
    plain,
    slugify,
    spans,
    to_html,
    to_markup,
    unclosed_maths,
)


def test_marks_split_text_into_styled_runs_and_escapes_are_literal() -> None:
    assert spans(r"a **b** *c* `d\*` \*e\*") == (
        ("", "a "),
        ("b", "b"),
        ("", " "),
        ("i", "c"),
        ("", " "),
        ("code", r"d\*"),  # code is kept as typed
        ("", " *e*"),
    )


def test_maths_runs_carry_their_source_without_delimiters() -> None:
    assert spans(r"so \(x^2\) then \[y\]") == (("", "so "), ("math", "x^2"), ("", " then "), ("display", "y"))
    assert plain(r"**so** \(x^2\)") == r"so \(x^2\)"


@pytest.mark.parametrize(
    ("text", "opener"),
    [(r"a \( b", r"\("), (r"a \[ b", r"\["), (r"`\(` is code", None), (r"\\( escaped", None), (r"\(x\)", None)],
)
def test_unclosed_maths_is_found_only_outside_code_and_escapes(text: str, opener: str | None) -> None:
    assert unclosed_maths(text) == opener


def test_card_html_keeps_braces_and_cloze_colons_from_anki() -> None:
    assert escape_html("{{c1::x}}") == "&#123;&#123;c1::x&#125;&#125;"
    assert escape_html("a: b", in_cloze=True) == "a&#58; b"
    assert to_html("**a**\n`b<c>`") == '<b>a</b><br><code class="inline">b&lt;c&gt;</code>'


def test_punctuation_against_maths_moves_into_it_so_no_line_starts_with_it() -> None:
    assert glued(spans(r"see (\(x\)).")) == (("", "see "), ("math", r"\text{(}x\text{).}"))
    # Code keeps its own punctuation.
    assert glued(spans(r"`f(`\(x\)`)`")) == (("code", "f("), ("math", "x"), ("code", ")"))


def test_sheet_markup_wraps_styles_and_escapes_each_run() -> None:
    seen: list[tuple[str, str]] = []

    def escape(run: str, style: str) -> str:
        seen.append((style, run))
        return run.replace("<", "&lt;")

    assert to_markup("**a** *b* `c<d`", escape, "Mono") == '<b>a</b> <i>b</i> <font face="Mono">c&lt;d</font>'
    assert ("code", "c<d") in seen


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Zellbiologie für Anfänger", "zellbiologie-fuer-anfaenger"), ("Café, crème!", "cafe-creme"), ("日本", "")],
)
def test_file_slugs_keep_the_letters_a_reader_expects(title: str, slug: str) -> None:
    assert file_slug(title) == slug


def test_ids_are_lowercase_ascii_words_joined_by_hyphens() -> None:
    assert slugify("  Hello, World! 2 ") == "hello-world-2"
