"""A sequence's diagram as inline SVG for the back of a whole-sequence card, with its CSS.

The SVG carries classes only, so the note type's CSS themes it (night mode too);
the geometry is `diagram.arrange` in `diagram.MEASURE` font sizes, with the sheet's measure and dictionary,
so the sheet, drawing the same geometry scaled to its column, breaks a name into the same lines.
"""

from __future__ import annotations

import unicodedata

from ..content.model import Sequence, Topic
from ..diagram import MEASURE, arrange, arrow_head
from ..text.hyphens import dictionary_for
from ..text.marks import escape_html, plain
from ..text.scripts import is_cjk

DIAGRAM_CSS = """\
svg.diagram { display: block; width: 100%; max-width: 30em; height: auto; margin: 0.6em auto; }
svg.diagram .dg-box { fill: #ffffff; stroke: #1f4e79; stroke-width: 1.2; }
svg.diagram .dg-text { fill: #1d232b; font-family: "DejaVu Sans", system-ui, sans-serif; }
svg.diagram .dg-num { font-weight: 700; fill: #1f4e79; }
svg.diagram .dg-badge { fill: #1f4e79; }
svg.diagram .dg-letter { fill: #ffffff; font-weight: 700; font-family: "DejaVu Sans", system-ui, sans-serif; }
svg.diagram .dg-arrow { fill: none; stroke: #5b6570; stroke-width: 1.3; }
svg.diagram .dg-back { stroke-dasharray: 4 3; }
svg.diagram .dg-head { fill: #5b6570; }
.nightMode svg.diagram .dg-box, .night_mode svg.diagram .dg-box { fill: #2a2e35; stroke: #8cc4ff; }
.nightMode svg.diagram .dg-text, .night_mode svg.diagram .dg-text { fill: #e6e8eb; }
.nightMode svg.diagram .dg-num, .night_mode svg.diagram .dg-num { fill: #8cc4ff; }
.nightMode svg.diagram .dg-badge, .night_mode svg.diagram .dg-badge { fill: #8cc4ff; }
.nightMode svg.diagram .dg-letter, .night_mode svg.diagram .dg-letter { fill: #1e2126; }
.nightMode svg.diagram .dg-arrow, .night_mode svg.diagram .dg-arrow { stroke: #a7b0ba; }
.nightMode svg.diagram .dg-head, .night_mode svg.diagram .dg-head { fill: #a7b0ba; }
"""

SVG_FONT = 12.0
SVG_WIDTH = MEASURE * SVG_FONT


def measure(text: str, size: float) -> float:
    """The width the sheet measures a box's text with (DejaVu Sans Bold; a CJK character a whole em).
    Generous for the card's regular weight in the device's font: DejaVu Sans is among the widest sans
    faces, and bold wider still."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ..glyphs.fonts import SANS

    wide = [is_cjk(ch) and unicodedata.east_asian_width(ch) in ("W", "F") for ch in text]
    narrow = "".join(ch for ch, w in zip(text, wide, strict=True) if not w)
    return float(stringWidth(narrow, SANS + "-Bold", size)) + sum(wide) * size


def diagram_svg(topic: Topic, seq: Sequence) -> str:
    """The sequence's diagram as inline SVG: classes only, so the note type's CSS themes it (night mode too)."""
    from ..glyphs.fonts import register

    register()
    letters = topic.cue_letters(seq.id)
    shape = arrange(
        [" ".join(plain(s.name).split()) for s in seq.steps],
        [letters.get(s.id) for s in seq.steps],
        seq.shape == "loop",
        SVG_WIDTH,
        SVG_FONT,
        measure,
        dictionary_for(topic.lang),
    )
    size, pad = SVG_FONT, SVG_FONT * 0.45
    parts = [
        f'<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="-1 0 {SVG_WIDTH + 2:g} '
        f'{shape.height + 2:.1f}" role="img" aria-label="{escape_html(plain(seq.title))}">'
    ]
    for box in shape.boxes:
        parts.append(
            f'<rect class="dg-box" x="{box.x:.1f}" y="{box.y + 1:.1f}" width="{box.w:.1f}" '
            f'height="{box.h:.1f}" rx="4"/>'
        )
        baseline = box.y + 1 + pad + size * 0.85
        parts.append(
            f'<text class="dg-text" x="{box.x + pad:.1f}" y="{baseline:.1f}" font-size="{size:g}">'
            f'<tspan class="dg-num">{box.number}</tspan> '
        )
        for k, line in enumerate(box.lines):
            position = f' x="{box.x + pad:.1f}" dy="{shape.leading:.1f}"' if k else ""
            parts.append(f"<tspan{position}>{escape_html(line)}</tspan>")
        parts.append("</text>")
        if box.letter:
            badge = measure(box.letter, size) + pad
            parts.append(
                f'<rect class="dg-badge" x="{box.x + box.w - badge - pad / 2:.1f}" y="{box.y + 1:.1f}" '
                f'width="{badge:.1f}" height="{size * 1.3:.1f}" rx="2"/>'
                f'<text class="dg-letter" x="{box.x + box.w - badge / 2 - pad / 2:.1f}" '
                f'y="{box.y + 1 + size * 1.02:.1f}" font-size="{size:g}" text-anchor="middle">'
                f"{escape_html(box.letter)}</text>"
            )
    for arrow in shape.arrows:
        points = " ".join(f"{x:.1f},{y + 1:.1f}" for x, y in arrow.points)
        css = "dg-arrow dg-back" if arrow.back else "dg-arrow"
        parts.append(f'<polyline class="{css}" points="{points}"/>')
        (x0, y0), (x1, y1) = arrow.points[-2], arrow.points[-1]
        head = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow_head((x0, y0 + 1), (x1, y1 + 1), size * 0.6))
        parts.append(f'<polygon class="dg-head" points="{head}"/>')
    parts.append("</svg>")
    return "".join(parts)
