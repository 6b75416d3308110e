"""The sheet's paragraph: ReportLab's, except that a line holding tall maths grows, and that one holding CJK text
breaks its lines between CJK characters.

A line is as tall as the style's leading, grown above the type size by an inline
image that rises higher (a formula's room, `Markup.maths`) and below the leading's
own descent by one that hangs lower. ReportLab's own rule (`autoLeading="max"`)
shares the leading 5:1 instead, so plain lines beside maths came out farther apart
than measured, and it sets the first baseline one type size under the top whatever
the line holds, so a fraction there rose into the line above.

CJK text has no spaces, so ReportLab's word wrap cannot break it, and its own CJK
wrap cuts Latin words anywhere. Here a line may break at a space, at a soft
hyphen or after a word's own hyphen (as elsewhere on the sheet), and next to a
CJK character, except before closing punctuation, small kana and the long
vowel mark, or after opening brackets (the Japanese line-breaking rules, kinsoku).
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph as platypus

from ..glyphs.cjk import FACE_PREFIX
from ..text.hyphens import SOFT_HYPHEN
from ..text.scripts import has_cjk, may_break_between
from .internals import FUZZ, broken_lines, cjk_line, cjk_unit, image_reach, kept_lines, para_lines

GROWS = "min"  # ReportLab's autoLeading that sets each line by its own ascent and descent, here floored to the leading
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_FACE = re.compile(r'\b(?:face|name|fontName|fontname)="([^"]+)"')


class Paragraph(platypus.Paragraph):
    """A paragraph whose text holds CJK characters wraps with `break_lines`; any other is ReportLab's own."""

    def __init__(self, text: str, style: ParagraphStyle, *args: Any, **kwargs: Any) -> None:
        if has_cjk(text):
            style = ParagraphStyle(style.name, parent=style, wordWrap="CJK")
            text = weighted(text, style.fontName)
        super().__init__(text, style, *args, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803  # ReportLab's names
        """ReportLab's wrap, once per width: the sheet is wrapped when fitted and again when drawn."""
        if getattr(self, "_wrapped_width", None) == availWidth:
            return self.width, self.height
        self._wrapped_width = availWidth
        return super().wrap(availWidth, availHeight)

    def breakLines(self, width: Any) -> Any:  # noqa: N802  # ReportLab's name, called by wrap()
        return self._grown(super().breakLines(width))

    def _grown(self, para: Any) -> Any:
        """The broken lines, grown where an inline image leaves the style's line; ReportLab's if none does (so a
        paragraph without tall maths is drawn exactly as before)."""
        self.__dict__.pop("autoLeading", None)  # the choice of an earlier wrap
        if para.kind != 1:
            return para
        size, leading = self.style.fontSize, self.style.leading
        plain = [(max(size, line.fontSize), size - leading) for line in para.lines]
        reach = map(_art, para.lines)
        boxes = [(max(a, top), min(d, bottom)) for (a, d), (top, bottom) in zip(plain, reach, strict=True)]
        if boxes != plain:
            for line, (ascent, descent) in zip(para.lines, boxes, strict=True):
                line.ascent, line.descent = ascent, descent
            self.autoLeading = GROWS  # ReportLab reads the paragraph's own before its style's
        return para

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802  # ReportLab's name, called by draw()
        """ReportLab's drawing, lowered so the first baseline is the first line's ascent under the top: ReportLab puts
        it one type size down (`paraFontSizeHeightOffset`) and each later line from the one before."""
        lines = broken_lines(self).lines if getattr(self, "autoLeading", "") == GROWS else []
        drop = lines[0].ascent - lines[0].fontSize if lines else 0.0
        if not drop:
            super().drawPara(debug)
            return
        self.canv.saveState()
        self.canv.translate(0, -drop)
        super().drawPara(debug)
        self.canv.restoreState()

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802  # ReportLab's name, called by wrap()
        """The lines of a CJK paragraph, in ReportLab's form for lines of mixed fragments."""
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        kept = kept_lines(self)
        if kept is not None:
            return self._grown(kept)
        units = [cjk_unit(ch, frag) for frag in self.frags for ch in (frag.text or [""])]
        calc = getattr(self, "autoLeading", getattr(self.style, "autoLeading", "")) not in ("", "off")
        lines = []
        for number, (start, end, hyphen) in enumerate(break_lines(units, widths)):
            width = widths[min(number, len(widths) - 1)]
            line = [u for u in units[start:end] if u != SOFT_HYPHEN]
            while line and line[-1].isspace():
                line.pop()
            if hyphen:
                line.append(cjk_unit("-", line[-1].frag))
            lines.append(cjk_line(line, width, sum(u.width for u in line), calc))
        return self._grown(para_lines(lines))


def _art(line: Any) -> tuple[float, float]:
    """How far the inline images of a line reach above and below its baseline (0, 0 with none)."""
    top = bottom = 0.0
    for frag in line.words:
        image: Any = getattr(frag, "cbDefn", None)
        if getattr(image, "kind", "") == "img" and getattr(image, "width", 0):
            low, high = image_reach(image.height, image.valign, frag.fontSize)
            top, bottom = max(top, high), min(bottom, low)
    return top, bottom


def weighted(text: str, font: str) -> str:
    """Markup whose CJK runs are in the CJK face of the weight around them.

    A `<font face>` tag sets the weight of its face, so a CJK run in a bold heading
    or inside `<b>` would come out regular; here it names the bold face instead.
    """
    bold = [ps2tt(font)[1]]
    out, at = [], 0
    for tag in _TAG.finditer(text):
        closing, name, attributes = tag.groups()
        if name not in ("b", "strong", "font", "span") or attributes.endswith("/"):
            continue
        if closing:
            bold.pop()
            continue
        face = _FACE.search(attributes)
        if name in ("b", "strong"):
            bold.append(1)
        elif face is None:
            bold.append(bold[-1])
        elif face.group(1).startswith(FACE_PREFIX):
            bold.append(bold[-1])
            out += [text[at : tag.start(3) + face.start(1)], tt2ps(face.group(1), bold[-1], 0)]
            at = tag.start(3) + face.end(1)
        else:
            bold.append(ps2tt(face.group(1))[1])
    return "".join(out) + text[at:]


def break_lines(units: list[Any], widths: list[float]) -> list[tuple[int, int, bool]]:
    """Greedy line breaking: (start, end, ends with an added hyphen) for each line of `units`.

    Each unit is one character (a `str` with a `width`), or an empty string for an
    inline image. A line takes as many units as fit, up to the last place it may
    break; a word longer than a line is cut where it overflows.
    """
    lines: list[tuple[int, int, bool]] = []
    start, n = 0, len(units)
    while start < n:
        room = widths[min(len(lines), len(widths) - 1)] + FUZZ
        used, end, best = 0.0, start, None
        while end < n:
            unit = units[end]
            if end > start and _may_break(units, end):
                hyphen = units[end - 1] == SOFT_HYPHEN
                if _line_width(units, start, end) + (_hyphen_width(units[end - 1]) if hyphen else 0) <= room:
                    best = (end, hyphen)
            used += 0.0 if unit == SOFT_HYPHEN else unit.width
            if used > room and not unit.isspace() and end > start:
                break
            end += 1
        if end == n:
            lines.append((start, n, False))
            break
        cut, hyphen = best if best is not None else (end, False)
        lines.append((start, cut, hyphen))
        start = cut
        while start < n and (units[start].isspace() or units[start] == SOFT_HYPHEN):
            start += 1
    return lines


def _may_break(units: list[Any], at: int) -> bool:
    """Whether a line may end before `units[at]`."""
    before, after = units[at - 1], units[at]
    if after.isspace():
        return False  # spaces stay at the end of the line they follow
    if before.isspace() or before == SOFT_HYPHEN:
        return True
    if before == "" and not before.width:
        return False  # an emoji's drawing callback stays with its image
    if before == "-":
        return at >= 2 and units[at - 2].isalpha() and after.isalpha()
    if before == "" or after == "":
        return after != "" or bool(after.width)  # an inline image breaks like a CJK character
    return may_break_between(before, after)


def _line_width(units: list[Any], start: int, end: int) -> float:
    """The width of `units[start:end]` as a line: soft hyphens take no room and trailing spaces hang."""
    while end > start and units[end - 1].isspace():
        end -= 1
    return float(sum(u.width for u in units[start:end] if u != SOFT_HYPHEN))


def _hyphen_width(unit: Any) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth("-", unit.frag.fontName, unit.frag.fontSize))
