"""TeX maths for the sheet: what is refused and why, where it sits on the line, and its answers kept per expression."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from builder.cache import store
from builder.glyphs import maths


@pytest.mark.parametrize("tex", ["x^2", "\\frac{a}{b}", "\\sum_{i=1}^{n} i", "\\sqrt{2}", "e^{i\\pi} + 1 = 0"])
def test_well_formed_maths_has_no_problem(tex: str) -> None:
    assert maths.problem(tex, False) is None


@pytest.mark.parametrize(
    ("tex", "words"),
    [
        ("\\frac{1}{", "'{' is not closed"),
        ("x^", "'^' or '_' has nothing after it"),
        ("x_a_b", "two subscripts in a row"),
        ("\\left( x", "\\left has no matching \\right"),
    ],
)
def test_broken_maths_is_refused_in_words_a_teacher_can_act_on(tex: str, words: str) -> None:
    found = maths.problem(tex, False)
    assert found is not None and words in found


def test_a_box_grows_with_the_type_size_and_a_fraction_reaches_below_the_line() -> None:
    small, large = maths.box("x^2", 10, False), maths.box("x^2", 20, False)
    assert large.width == pytest.approx(2 * small.width, rel=0.02)
    assert large.ascent == pytest.approx(2 * small.ascent, rel=0.02)
    assert small.ascent > maths.box("x", 10, False).ascent  # the superscript rises above the letter
    fraction = maths.box("\\frac{a}{b}", 10, True)
    assert fraction.depth > 2 and fraction.ascent > small.ascent


def test_the_web_svg_is_drawn_in_the_text_colour_with_its_box() -> None:
    image, box = maths.svg("x^2", False)
    assert image.startswith("<svg") and "currentColor" in image
    assert box.width > 0 and box.ascent > 0


def test_an_answer_is_kept_per_expression_and_asked_again_under_another_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    tex = "\\frac{1}{"
    said = maths.problem(tex, False)
    root = store.folder()
    assert root is not None and len(list(root.glob("maths-problem-*"))) == 1
    with monkeypatch.context() as kept:
        kept.setattr(maths, "_problem", lambda *_: pytest.fail("latex2mathml was asked again"))
        assert maths.problem(tex, False) == said
    monkeypatch.setattr(maths, "_stamp", lambda: ["another ziamath"])
    monkeypatch.setattr(maths, "_problem", lambda *_: "asked again")
    assert maths.problem(tex, False) == "asked again"
    assert maths.problem("x^", False) == "asked again"
    # one entry per expression and stamp: the other installation's answer stays beside this one's
    assert len(list(root.glob("maths-problem-*"))) == 3


def test_display_maths_sets_a_sum_larger_than_inline() -> None:
    inline, display = maths.box(r"\sum_{i=1}^{n} x_i", 10, False), maths.box(r"\sum_{i=1}^{n} x_i", 10, True)
    assert display.ascent + display.depth > inline.ascent + inline.depth


@pytest.mark.parametrize(
    "tex", ["x^2", r"\frac{\partial L}{\partial \theta}", r"\sqrt{\frac{a}{b}}", r"\int_0^1 f(x)\,dx"]
)
def test_the_ink_lies_inside_the_box(tex: str) -> None:
    size, x, y = 12.0, 100.0, 300.0
    room = maths.box(tex, size, False)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(400, 400))
    maths.draw(canvas, tex, size, False, "#000000", x, y)
    canvas.save()
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        page = pdf.pages[0]
        ink = page.curves + page.rects + page.lines
        assert ink, "nothing drawn"
        left = min(float(o["x0"]) for o in ink)
        right = max(float(o["x1"]) for o in ink)
        # pdfplumber's y runs down from the top of the page.
        top = 400 - min(float(o["top"]) for o in ink)
        bottom = 400 - max(float(o["bottom"]) for o in ink)
    slack = 0.5
    assert left >= x - slack and right <= x + room.width + slack
    assert bottom >= y - slack and top <= y + room.ascent + room.depth + slack
