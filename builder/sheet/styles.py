"""The sheet's look in one place: palette, type sizes, paragraph styles and table styles.

One accent colour that still reads in greyscale; every style derives from one
base size, and nothing is ever set under 7 pt.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from ..glyphs.fonts import MONO, SANS

MARGIN = 10 * mm
GUTTER = 5 * mm
MIN_SIZE = 7.0
MAX_SIZE = 11.0
SIZE_STEP = 0.25
FOOTER_SIZE = 7.0

ACCENT = colors.HexColor("#1f4e79")
INK = colors.HexColor("#1d232b")
MUTED = colors.HexColor("#4f5963")
RULE = colors.HexColor("#b8c2cc")
TINT = colors.HexColor("#eef2f6")
WHITE = colors.white

BOLD = SANS + "-Bold"


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A table style whose cells default to the embedded sans: ReportLab's default is unembedded Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS), *commands])


class Styles:
    """Every paragraph style of the sheet, derived from one base size."""

    def __init__(self, size: float) -> None:
        small = max(MIN_SIZE, size - 1)
        self.size = size
        self.small = small
        self.body = ParagraphStyle(
            "body",
            fontName=SANS,
            bulletFontName=SANS,
            fontSize=size,
            leading=size * 1.22,
            textColor=INK,
            embeddedHyphenation=1,
        )
        self.note = ParagraphStyle("note", parent=self.body, fontSize=small, leading=small * 1.22, textColor=MUTED)
        self.body_small = ParagraphStyle("body_small", parent=self.body, fontSize=small, leading=small * 1.22)
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=BOLD,
            fontSize=size * 1.2,
            leading=size * 1.45,
            textColor=ACCENT,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.2,
        )
        self.code = ParagraphStyle("code", parent=self.body, fontName=MONO, fontSize=small, leading=small * 1.25)
        self.number = ParagraphStyle("number", parent=self.body, fontName=BOLD, textColor=ACCENT, alignment=TA_RIGHT)
        self.code_number = ParagraphStyle("g", parent=self.number, fontSize=small, leading=self.code.leading)
        self.letter = ParagraphStyle(
            "letter", parent=self.body, fontName=BOLD, fontSize=size * 1.3, leading=size * 1.45, textColor=ACCENT
        )
        self.title = ParagraphStyle(
            "title",
            parent=self.body,
            fontName=BOLD,
            fontSize=min(size * 2, 20),
            leading=min(size * 2, 20) * 1.15,
            textColor=WHITE,
        )
        self.band = ParagraphStyle("band", parent=self.body, textColor=WHITE)
        self.version = ParagraphStyle("version", parent=self.band, alignment=TA_RIGHT)
        self.footer = ParagraphStyle(
            "footer", parent=self.body, fontSize=FOOTER_SIZE, leading=FOOTER_SIZE * 1.2, textColor=MUTED
        )
