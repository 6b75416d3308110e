"""Inline marks (`**`, `*`, backticks, maths), escaping and slugs: the text rules every output shares."""

from __future__ import annotations

import pytest

from builder.text.marks import (
    bound_units,
    escape_html,
    escape_xml,
    file_slug,
    glued,
    plain,
    slugify,
    spans,
    to_html,
    to_markup,
    unclosed_maths,
)


def test_marks_split_text_into_styled_runs() -> None:
    assert spans("a **bold** and *it* `code` \\(x^2\\)") == (
        ("", "a "),
        ("b", "bold"),
        ("", " and "),
        ("i", "it"),
        ("", " "),
        ("code", "code"),
        ("", " "),
        ("math", "x^2"),
    )
    assert spans("\\[E = mc^2\\]") == (("display", "E = mc^2"),)


def test_an_escaped_mark_is_the_character_itself() -> None:
    assert spans("\\*not italic\\*") == (("", "*not italic*"),)
    assert spans("\\`not code\\`") == (("", "`not code`"),)
    assert plain("2 \\* 3 = **6**") == "2 * 3 = 6"


def test_plain_keeps_maths_as_typed_and_drops_other_marks() -> None:
    assert plain("a **b** `c` \\(x\\) \\[y\\]") == "a b c \\(x\\) \\[y\\]"


@pytest.mark.parametrize(
    ("text", "opener"), [("see \\(x", "\\("), ("\\[ a", "\\["), ("\\(a\\) b", None), ("`\\(`", None)]
)
def test_maths_that_nothing_closes_is_found(text: str, opener: str | None) -> None:
    assert unclosed_maths(text) == opener


def test_card_html_escapes_text_and_keeps_braces_from_anki() -> None:
    assert to_html("**b** <x>") == "<b>b</b> &lt;x&gt;"
    assert escape_html("{{c1::x}}") == "&#123;&#123;c1::x&#125;&#125;"
    assert escape_html("a:b", in_cloze=True) == "a&#58;b"
    assert to_html("one\ntwo") == "one<br>two"
    assert to_html("\\(\\frac{a}{b}\\)") == "\\(\\frac&#123;a&#125;&#123;b&#125;\\)"


def test_sheet_markup_escapes_each_run_by_its_style() -> None:
    marked = to_markup("**b** and `c`", lambda run, style: f"[{style}:{escape_xml(run)}]", "Mono")
    assert marked == '<b>[b:b]</b>[: and ]<font face="Mono">[code:c]</font>'
    assert escape_xml("a<b&c>") == "a&lt;b&amp;c&gt;"


def test_punctuation_against_maths_goes_into_the_maths() -> None:
    assert glued(spans("(\\(x\\)), then")) == (("math", "\\text{(}x\\text{),}"), ("", " then"))
    assert glued(spans("`(`\\(x\\)")) == (("code", "("), ("math", "x"))  # code keeps its own characters


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Hello, World!", "hello-world"), ("  PyTorch: training loop ", "pytorch-training-loop"), ("---", "")],
)
def test_slugs_are_lowercase_ascii_words_joined_by_hyphens(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_file_slugs_spell_out_umlauts_and_drop_accents() -> None:
    assert file_slug("Zellbiologie für Anfänger") == "zellbiologie-fuer-anfaenger"
    assert file_slug("Straße café") == "strasse-cafe"


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("cut it 16 mm wide", "cut it 16\u00a0mm wide"),
        ("at 300 m/s, 9.8 m/s² down", "at 300\u00a0m/s, 9.8\u00a0m/s² down"),
        ("20 °C and 5 % more", "20\u00a0°C and 5\u00a0% more"),
        ("3 steps, 2 Apples, 4 meters", "3 steps, 2 Apples, 4 meters"),
    ],
)
def test_a_number_keeps_its_unit(text: str, bound: str) -> None:
    assert bound_units(text) == bound


def test_units_are_bound_in_sheet_text_but_not_in_code_or_maths() -> None:
    marked = to_markup("16 mm and `16 mm` and \\(16 mm\\)", lambda run, style: f"[{run}]", "Mono")
    assert marked.count("\u00a0") == 1 and marked.startswith("[16\u00a0mm and ]")
