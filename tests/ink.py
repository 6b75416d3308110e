"""A sheet's ink read back from its PDF as boxes, each with what it belongs to: to find ink meeting ink it should not.

pdfminer reads the page; the only thing taken from the drawing's structure is the
nesting of saved graphics states (q … Q), which ReportLab opens for every flowable,
every paragraph and every table, and `glyphs.maths.draw` and the emoji drawer for every
formula and emoji. So:

- a glyph belongs to its line: the graphics state it is drawn in and its baseline;
- a path drawn in a state nested in one that holds glyphs (a paragraph's) is *art*
  set in that paragraph's text, a formula or an emoji: it belongs to that nested state
  (one formula, however many paths), the way a glyph belongs to its line;
- a path drawn right in a paragraph's own state is its decoration (an underline);
- any other path is the sheet's structure: a filled one (a background, a badge) is
  ink over its whole box, a stroked one (a rule, a box's outline, an arrow, a
  picture's line) only along its segments, widened by half its line width.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, y up
HAIRLINE = 0.25  # pt


@dataclass(frozen=True)
class Ink:
    """One piece of ink: a glyph's box (its advance by the font's ascent and descent), a path's box or a stroke's
    segment. `owner` says what it belongs to; `kind` is glyph, art, decoration, fill or stroke."""

    kind: str
    box: Box
    owner: tuple[Any, ...]
    what: str


class _States(PDFPageInterpreter):
    """pdfminer's interpreter, keeping the path of saved graphics states it is in (each with a number of its own)."""

    def __init__(self, rsrcmgr: PDFResourceManager, device: _Recorder) -> None:
        super().__init__(rsrcmgr, device)
        self.states: list[int] = [0]
        self.opened = 0
        device.states = self.states

    def do_q(self) -> None:
        super().do_q()
        self.opened += 1
        self.states.append(self.opened)

    def do_Q(self) -> None:  # noqa: N802  # pdfminer's name for the operator
        super().do_Q()
        if len(self.states) > 1:
            self.states.pop()


class _Recorder(PDFPageAggregator):
    """pdfminer's page of layout objects, each object tagged with the graphics states it was drawn in."""

    states: list[int]

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr, laparams=None)
        self.drawn: list[tuple[Any, tuple[int, ...]]] = []

    def _tag(self, before: int) -> None:
        self.drawn += [(item, tuple(self.states)) for item in self.cur_item._objs[before:]]

    def paint_path(self, *args: Any) -> None:
        before = len(self.cur_item._objs)
        super().paint_path(*args)
        self._tag(before)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        before = len(self.cur_item._objs)
        advance = super().render_char(*args, **kwargs)
        self._tag(before)
        return float(advance)


def _widened(a: tuple[float, float], b: tuple[float, float], half: float) -> Box:
    return (min(a[0], b[0]) - half, min(a[1], b[1]) - half, max(a[0], b[0]) + half, max(a[1], b[1]) + half)


def _segments(item: LTCurve) -> list[Box]:
    """A stroked path's ink: each segment between its points (a curve's control points included, which stray a
    little outside the curve), widened by half the line width, at least a hairline's (pdfminer reads an unset width,
    which PDF makes 1 pt, as 0)."""
    half, points = max(item.linewidth, HAIRLINE) / 2, list(item.pts)
    closed = item.original_path is not None and item.original_path[-1][0] == "h"
    if isinstance(item, LTRect) or (closed and not isinstance(item, LTLine)):
        points.append(points[0])
    return [_widened(a, b, half) for a, b in pairwise(points)]


def page_ink(pdf: bytes) -> list[Ink]:
    """The first page's ink, each piece with its owner (see the module's docstring)."""
    manager = PDFResourceManager()
    device = _Recorder(manager)
    interpreter = _States(manager, device)
    interpreter.process_page(next(PDFPage.get_pages(io.BytesIO(pdf))))
    texts = {states[-1] for item, states in device.drawn if isinstance(item, LTChar)} - {0}
    ink = []
    for item, states in device.drawn:
        if isinstance(item, LTChar):
            if item.get_text().strip():
                line = (states[-1], round(item.matrix[5], 1))
                ink.append(Ink("glyph", item.bbox, line, f"{item.get_text()!r} at y {item.matrix[5]:.1f}"))
            continue
        if not isinstance(item, LTCurve):
            continue
        at = f"{type(item).__name__[2:].lower()} at ({item.x0:.1f}, {item.y0:.1f})"
        paragraph = [k for k, state in enumerate(states) if state in texts]
        if paragraph and paragraph[-1] < len(states) - 1:
            half = max(item.linewidth, HAIRLINE) / 2 if item.stroke else 0.0
            ink.append(
                Ink("art", _widened(item.bbox[:2], item.bbox[2:], half), (states[paragraph[-1] + 1],), "art " + at)
            )
            continue
        kinds = ("decoration", "decoration") if paragraph else ("fill", "stroke")
        if item.fill:
            ink.append(Ink(kinds[0], item.bbox, (states[-1],), f"{kinds[0]} {at}"))
        if item.stroke:
            ink += [Ink(kinds[1], box, (states[-1],), f"{kinds[1]} {at}") for box in _segments(item)]
    return ink
