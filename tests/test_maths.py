"""Maths (`builder/glyphs/maths.py`): the room an expression takes, and ink drawn inside that room."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from builder.glyphs.maths import box, draw, svg

FRACTION = r"\frac{\partial L}{\partial \theta}"


def test_the_box_scales_with_the_type_size() -> None:
    small, large = box(FRACTION, 10, False), box(FRACTION, 20, False)
    assert large.width == pytest.approx(2 * small.width, rel=0.05)
    assert large.ascent == pytest.approx(2 * small.ascent, rel=0.05)


def test_a_fraction_stands_taller_and_deeper_than_a_letter() -> None:
    letter, fraction = box("x", 10, False), box(FRACTION, 10, False)
    assert fraction.ascent > 1.4 * letter.ascent
    assert fraction.depth > letter.depth + 2


def test_display_maths_sets_a_sum_larger_than_inline() -> None:
    inline, display = box(r"\sum_{i=1}^{n} x_i", 10, False), box(r"\sum_{i=1}^{n} x_i", 10, True)
    assert display.ascent + display.depth > inline.ascent + inline.depth


def test_the_svg_for_pages_is_the_box_in_pixels() -> None:
    image, room = svg(r"\sqrt{x}", False)
    assert image.startswith("<svg") and "<path" in image
    assert f'width="{room.width:g}"' in image or f'width="{room.width}"' in image


@pytest.mark.parametrize("tex", ["x^2", FRACTION, r"\sqrt{\frac{a}{b}}", r"\int_0^1 f(x)\,dx"])
def test_the_ink_lies_inside_the_box(tex: str) -> None:
    size, x, y = 12.0, 100.0, 300.0
    room = box(tex, size, False)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(400, 400))
    draw(canvas, tex, size, False, "#000000", x, y)
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
