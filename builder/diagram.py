"""The shape of a sequence as geometry: boxes and arrows, drawn on the sheet and on cards.

A snake of rows (left to right, then right to left) keeps every arrow between
neighbours short and straight, for 2 steps or 20; a loop adds a return arrow
from the last step back to the first, along a gutter kept free on the left.
Pure: text is measured by the function passed in, nothing is drawn here. Laid out
in MEASURE font sizes, a sequence gets the same rows and lines on its card and on
the sheet, which scales that drawing to its column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .text.hyphens import LANG, word_breaks

Measure = Callable[[str, float], float]


@dataclass(frozen=True)
class Spacing:
    """A diagram's room in font sizes: the gap between boxes, the padding inside one, the leading of its lines
    and the narrowest box (more boxes a row when narrower, so fewer rows)."""

    gap: float = 1.6
    pad: float = 0.45
    leading: float = 1.2
    min_box: float = 7.0


NORMAL = Spacing()
MEASURE = 340 / 12  # a diagram's width in font sizes as cards draw it, and as the sheet does wherever that fits
COMPACT = Spacing(gap=0.9, pad=0.3, leading=1.1, min_box=5.0)  # what a sheet near its limit uses before dropping one


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    number: int
    lines: tuple[str, ...]
    letter: str | None


@dataclass(frozen=True)
class Arrow:
    points: tuple[tuple[float, float], ...]
    back: bool = False


@dataclass(frozen=True)
class Diagram:
    width: float
    height: float
    font_size: float
    leading: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    loop: bool
    pad: float


@dataclass(frozen=True)
class Wrapped:
    """A name's lines in a box; `forced` when a word had to be cut where no dictionary allows it."""

    lines: tuple[str, ...]
    forced: bool


def wrap(text: str, first: float, width: float, size: float, measure: Measure, hyphenation: str = LANG) -> Wrapped:
    """Greedy word wrap with a shorter first line; only a word too long for a line of its own breaks.

    A word that fits a line of its own goes to the next line whole (`Make a` /
    `decision`, never `Make a deci-` / `sion`). The first word does too, leaving the
    box's number alone on its line, unless breaking it saves a line (`3` / `Rearrange`,
    not `3 Rear-` / `range`). A longer one breaks where it has a hyphen or the
    dictionary allows one; only when no such break fits is it cut anywhere (with a
    hyphen), and the result says so.
    """
    broken = _greedy(text, first, width, size, measure, hyphenation, lead_whole=False)
    whole = _greedy(text, first, width, size, measure, hyphenation, lead_whole=True)
    return min((whole, broken), key=lambda w: (w.forced, len(w.lines)))


def _greedy(
    text: str, first: float, width: float, size: float, measure: Measure, hyphenation: str, lead_whole: bool
) -> Wrapped:
    lines: list[str] = []
    current = ""
    forced = False

    def room() -> float:
        return first if not lines else width

    def joined(piece: str) -> str:
        return f"{current} {piece}" if current else piece

    for word in text.split():
        while measure(joined(word), size) > room():
            if measure(word, size) <= width and (current or (lead_whole and not lines)):  # a line of its own
                lines.append(current)
                current = ""
                continue
            breaks = word_breaks(word, hyphenation)
            piece = next((b for b in breaks if measure(joined(b[0]), size) <= room()), None)
            if piece is not None:
                lines.append(joined(piece[0]))
                current, word = "", piece[1]
            elif current:
                lines.append(current)
                current = ""
            elif len(word) < 2:
                break
            else:
                cut = len(word) - 1
                while cut > 1 and measure(word[:cut] + "-", size) > room():
                    cut -= 1
                lines.append(word[:cut] + "-")
                word, forced = word[cut:], True
        current = joined(word)
    lines.append(current)
    return Wrapped(tuple(lines), forced)


def arrange(
    names: list[str],
    letters: list[str | None],
    loop: bool,
    width: float,
    size: float,
    measure: Measure,
    hyphenation: str = LANG,
    spacing: Spacing = NORMAL,
) -> Diagram:
    """Boxes in as many columns as fit; fewer when that spares a word from being cut without a dictionary break."""
    gap = size * spacing.gap
    gutter = size * 1.6 if loop else 0.0
    most = max(1, min(len(names), int((width - gutter + gap) // (size * spacing.min_box + gap))))
    for cols in range(most, 0, -1):
        box_w = (width - gutter - (cols - 1) * gap) / cols
        texts = _box_texts(names, letters, box_w, size, measure, hyphenation, size * spacing.pad)
        if not any(t.forced for t in texts) or cols == 1:
            break
    return _place(names, letters, loop, width, size, cols, [t.lines for t in texts], spacing)


def _box_texts(
    names: list[str],
    letters: list[str | None],
    box_w: float,
    size: float,
    measure: Measure,
    hyphenation: str,
    pad: float,
) -> list[Wrapped]:
    inner = box_w - 2 * pad
    texts = []
    for i, name in enumerate(names):
        letter = letters[i]
        badge = measure(letter, size) + pad if letter else 0.0
        first_line_room = inner - measure(f"{i + 1} ", size) - badge
        texts.append(wrap(name, max(first_line_room, size), inner, size, measure, hyphenation))
    return texts


def _place(
    names: list[str],
    letters: list[str | None],
    loop: bool,
    width: float,
    size: float,
    cols: int,
    texts: list[tuple[str, ...]],
    spacing: Spacing,
) -> Diagram:
    n = len(names)
    gap = size * spacing.gap
    pad = size * spacing.pad
    leading = size * spacing.leading
    gutter = size * 1.6 if loop else 0.0
    box_w = (width - gutter - (cols - 1) * gap) / cols
    rows = (n + cols - 1) // cols
    row_gap = gap
    heights = [max(len(t) for t in texts[r * cols : (r + 1) * cols]) * leading + 2 * pad for r in range(rows)]
    tops = [sum(heights[:r]) + r * row_gap for r in range(rows)]
    boxes = []
    for i in range(n):
        row, col = divmod(i, cols)
        if row % 2:
            col = cols - 1 - col
        x = gutter + col * (box_w + gap)
        boxes.append(Box(x, tops[row], box_w, heights[row], i + 1, texts[i], letters[i]))
    arrows = []
    for a, b in zip(boxes, boxes[1:], strict=False):
        if abs(a.y - b.y) < 1e-6:
            if b.x > a.x:
                arrows.append(Arrow(((a.x + a.w, a.y + a.h / 2), (b.x, b.y + b.h / 2))))
            else:
                arrows.append(Arrow(((a.x, a.y + a.h / 2), (b.x + b.w, b.y + b.h / 2))))
        else:
            arrows.append(Arrow(((a.x + a.w / 2, a.y + a.h), (b.x + b.w / 2, b.y))))
    height = tops[-1] + heights[-1]
    if loop:
        last, first = boxes[-1], boxes[0]
        below = height + row_gap * 0.6
        lane = gutter * 0.45
        arrows.append(
            Arrow(
                (
                    (last.x + last.w / 2, last.y + last.h),
                    (last.x + last.w / 2, below),
                    (lane, below),
                    (lane, first.y + first.h / 2),
                    (first.x, first.y + first.h / 2),
                ),
                back=True,
            )
        )
        height = below + size * 0.3
    return Diagram(width, height, size, leading, tuple(boxes), tuple(arrows), loop, pad)


def arrow_head(start: tuple[float, float], end: tuple[float, float], length: float) -> tuple[tuple[float, float], ...]:
    """The triangle at `end` of a segment from `start`: tip, then the two back corners."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / norm, dy / norm
    bx, by = end[0] - ux * length, end[1] - uy * length
    half = length * 0.55
    return end, (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h
