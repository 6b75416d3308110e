"""A content picture as a flowable: as wide as it may be, never taller than its share of the type size.

Its height limit grows with the type size, so the fitting shrinks pictures with
the text. SVG is drawn as vectors (svglib), PNG and JPEG embedded once per PDF
(ReportLab keys images by content). The alternative text is written under the
picture as invisible text, so it can be searched, copied and read aloud.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..content.model import Picture
from ..glyphs.fonts import SANS

LINES_HIGH = 5.0  # a picture beside a step, pair or term is at most this many lines of type tall
LINES_HIGH_LARGE = 8.0  # a topic's or sequence's picture


class PictureFlowable(Flowable):
    def __init__(self, picture: Picture, size: float, large: bool = False) -> None:
        super().__init__()
        self.picture = picture
        self.size = size
        self.limit = size * 1.22 * (LINES_HIGH_LARGE if large else LINES_HIGH)
        self.spaceBefore = size * 0.25
        self.spaceAfter = size * 0.25
        self.drawn = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        scale = min(availWidth / self.picture.width, self.limit / self.picture.height)
        self.drawn = (self.picture.width * scale, self.picture.height * scale)
        return self.drawn

    def draw(self) -> None:
        canvas: Any = self.canv
        width, height = self.drawn
        if self.picture.kind == "svg":
            from reportlab.graphics import renderPDF

            from .artwork import svg_drawing

            art = svg_drawing(Path(self.picture.path))
            assert art is not None, f"{self.picture.path} was read when the topic was checked"
            art.initialFontName = SANS  # type: ignore[attr-defined]  # else the renderer selects unembedded Helvetica
            canvas.saveState()
            canvas.scale(width / art.width, height / art.height)
            renderPDF.draw(art, canvas, 0, 0)
            canvas.restoreState()
        else:
            canvas.drawImage(self.picture.path, 0, 0, width, height, mask="auto")
        text = canvas.beginText(0, 0)
        text.setTextRenderMode(3)  # invisible: the picture's words for search, copying and screen readers
        size = min(self.size, 6.0)
        text.setFont(SANS, size)
        wide = stringWidth(self.picture.alt, SANS, size)
        if wide > width:  # squeezed to the picture's width: its words are selected there, not in the next column
            text.setHorizScale(100 * width / wide)
        text.textOut(self.picture.alt)
        canvas.drawText(text)
