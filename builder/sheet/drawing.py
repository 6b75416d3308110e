"""A sequence's diagram drawn with ReportLab's vector graphics, from the geometry of `diagram`."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Drawing, Polygon, PolyLine, Rect, String
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isBoolean, isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from .. import diagram
from ..content.model import Sequence, Topic
from ..glyphs.fonts import SANS
from .markup import Markup
from .styles import ACCENT, BOLD, INK, MUTED, WHITE


class DiagramDrawing(Drawing):
    """A drawn diagram that keeps its geometry: which lines its boxes hold is what card and sheet share."""

    _attrMap = AttrMap(
        BASE=Drawing, shape=AttrMapValue(None), sequence=AttrMapValue(isString), as_card=AttrMapValue(isBoolean)
    )

    def __init__(self, shape: diagram.Diagram, sequence: str, as_card: bool) -> None:
        super().__init__(shape.width, shape.height, initialFontName=SANS, initialFontSize=shape.font_size)
        self.shape = shape
        self.sequence = sequence
        self.as_card = as_card
        self.hAlign = "CENTER"


def diagram_drawing(
    topic: Topic,
    seq: Sequence,
    size: float,
    mk: Markup,
    width: float,
    spacing: diagram.Spacing = diagram.NORMAL,
    as_card: bool = False,
) -> DiagramDrawing:
    """The sequence as boxes and arrows, in ReportLab vector graphics (y grows upwards here); `spacing`
    tightens it on a sheet near its limit.

    `as_card` draws the card's geometry (`diagram.MEASURE` font sizes wide) at `size`, or smaller where the
    column is narrower; otherwise the boxes fill `width` at `size`, as many a row as fit.
    """
    if as_card:
        size = min(size, width / diagram.MEASURE)
        width = diagram.MEASURE * size
    letters = topic.cue_letters(seq.id)
    shape = diagram.arrange(
        [mk.bare(s.name) for s in seq.steps],
        [letters.get(s.id) for s in seq.steps],
        seq.shape == "loop",
        width,
        size,
        lambda text, fs: mk.width(text, BOLD, fs),
        mk.hyphenation,
        spacing,
    )
    height = shape.height
    drawing = DiagramDrawing(shape, seq.id, as_card)
    pad = shape.pad
    for box in shape.boxes:
        top = height - box.y
        drawing.add(
            Rect(
                box.x,
                top - box.h,
                box.w,
                box.h,
                rx=size * 0.3,
                ry=size * 0.3,
                **_paint(fillColor=WHITE, strokeColor=ACCENT, strokeWidth=0.8),
            )
        )
        number = f"{box.number} "
        baseline = top - pad - size * 0.85
        drawing.add(String(box.x + pad, baseline, number, fontName=BOLD, fontSize=size, fillColor=ACCENT))
        indent = stringWidth(number, BOLD, size)
        for k, line in enumerate(box.lines):
            x = box.x + pad + (indent if k == 0 else 0)
            for run, font in mk.runs(line, SANS):
                drawing.add(String(x, baseline - k * shape.leading, run, fontName=font, fontSize=size, fillColor=INK))
                x += stringWidth(run, font, size)
        if box.letter:
            badge_w = mk.width(box.letter, BOLD, size) + pad
            drawing.add(
                Rect(
                    box.x + box.w - badge_w - pad * 0.5,
                    top - size * 1.25 - pad * 0.3,
                    badge_w,
                    size * 1.25,
                    **_paint(fillColor=ACCENT, strokeColor=None),
                )
            )
            runs = mk.runs(box.letter, BOLD)
            if len(runs) == 1:
                drawing.add(
                    String(
                        box.x + box.w - badge_w / 2 - pad * 0.5,
                        top - size * 1.05 - pad * 0.1,
                        box.letter,
                        fontName=runs[0][1],
                        fontSize=size,
                        fillColor=WHITE,
                        textAnchor="middle",
                    )
                )
            else:  # a letter in two fonts, drawn run by run from where the centred whole starts
                x, y = box.x + box.w - badge_w, top - size * 1.05 - pad * 0.1
                for run, font in runs:
                    drawing.add(String(x, y, run, fontName=font, fontSize=size, fillColor=WHITE))
                    x += stringWidth(run, font, size)
    for arrow in shape.arrows:
        points = [(x, height - y) for x, y in arrow.points]
        flat = [c for point in points for c in point]
        dash = [2, 1.5] if arrow.back else None
        drawing.add(PolyLine(flat, **_paint(strokeColor=MUTED, strokeWidth=0.9, strokeDashArray=dash)))
        head = diagram.arrow_head(points[-2], points[-1], size * 0.55)
        drawing.add(Polygon([c for point in head for c in point], fillColor=MUTED, strokeColor=None))
    return drawing


def _paint(**style: Any) -> dict[str, Any]:
    """Shape paint keywords, passed on as they are (the ReportLab stubs mistype Rect's and PolyLine's)."""
    return style
