"""The bundled DejaVu fonts: registered with ReportLab and asked which characters they draw."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SANS = "DejaVuSans"
MONO = "DejaVuSansMono"
_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS + "-Bold": "DejaVuSans-Bold.ttf",
    SANS + "-Oblique": "DejaVuSans-Oblique.ttf",
    SANS + "-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    MONO + "-Bold": "DejaVuSansMono-Bold.ttf",
}


def font_path(filename: str) -> Path:
    return Path(str(resources.files("builder") / "data" / "fonts" / filename))


@dataclass(frozen=True)
class Coverage:
    """Characters every face of a family draws: text may be bold or italic anywhere."""

    text: frozenset[int]
    code: frozenset[int]


def coverage() -> Coverage:
    from reportlab.pdfbase.ttfonts import TTFontFile

    cmaps = {name: set(TTFontFile(str(font_path(f))).charToGlyph) for name, f in _FILES.items()}
    text = set.intersection(*(c for n, c in cmaps.items() if n.startswith(SANS + "-") or n == SANS))
    code = cmaps[MONO] & cmaps[MONO + "-Bold"]
    return Coverage(frozenset(text), frozenset(code))


def register() -> None:
    """Register the faces and the families (idempotent: ReportLab keeps one registry per process)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_path(filename))))
    for family, bold, italic, bold_italic in (
        (SANS, SANS + "-Bold", SANS + "-Oblique", SANS + "-BoldOblique"),
        (MONO, MONO + "-Bold", MONO, MONO + "-Bold"),
    ):
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, italic)
        addMapping(family, 1, 1, bold_italic)
