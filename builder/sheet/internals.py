"""ReportLab's private state, in one place (as `deck/collection.py` is for genanki's).

The sheet needs a few things ReportLab does not publish: where a paragraph's
drawing callback was reached, its CJK line pieces, how far an inline image
reaches, whether a paragraph is the second half of a split, its rounding
slack, and a shape's instance state (to keep svglib's drawings in the user
cache and make them again without svglib). Each is read here and nowhere else, so a ReportLab upgrade is checked in
this file; the upper bound on reportlab in pyproject.toml keeps them where this
expects. The sheet's `Paragraph` overrides ReportLab's own methods (`wrap`,
`breakLines`, `breakLinesCJK`, `drawPara`): those are subclassing hooks, the
state they read comes from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import paragraph as platypus
from reportlab.rl_config import _FUZZ

from .styles import INK

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Shape
    from reportlab.pdfgen.canvas import Canvas

FUZZ: float = _FUZZ  # how far past a width ReportLab still counts a line as fitting


def cjk_unit(ch: str, frag: Any) -> Any:
    """ReportLab's piece of a CJK line: one character with its fragment and width."""
    return platypus.cjkU(ch, frag, "utf8")  # type: ignore[attr-defined]


def cjk_line(units: list[Any], width: float, used: float, calc_leading: bool) -> Any:
    """ReportLab's line of CJK pieces, `used` of its `width` taken."""
    return platypus.makeCJKParaLine(units, width, used, width - used, False, calc_leading)  # type: ignore[attr-defined]


def para_lines(lines: list[Any]) -> Any:
    """Lines of mixed fragments in the form ReportLab's paragraph draws (kind 1)."""
    return platypus.ParaLines(kind=1, lines=lines)


def broken_lines(paragraph: platypus.Paragraph) -> Any:
    """The lines the paragraph's last wrap broke it into."""
    return paragraph.blPara  # type: ignore[attr-defined]


def kept_lines(paragraph: platypus.Paragraph) -> Any | None:
    """The lines a split paragraph's second half was given by its split, which it must not break again."""
    return paragraph.blPara if getattr(paragraph, "_splitpara", 0) and hasattr(paragraph, "blPara") else None


def image_reach(height: float, valign: Any, font_size: float) -> tuple[float, float]:
    """How far an inline image of this height and vertical alignment reaches below and above the baseline."""
    normal = platypus.imgNormV(height, font_size)  # type: ignore[attr-defined]
    low, high = platypus.imgVRange(normal, valign, font_size)  # type: ignore[attr-defined]
    return float(low), float(high)


def text_cursor(canvas: Canvas) -> tuple[float, float, float, str]:
    """Where a paragraph's `<onDraw>` callback was reached: x, y, the font size and the text colour there.

    During a paragraph's drawing, `canvas._curr_tx_info` holds its text object (`tx`, with `_fontsize`), the
    fragment (`xs`) and the cursor (`cur_x`, `cur_y`); the text object's
    `_fillColorObj` is its colour. ReportLab 4 and 5 keep it so; the upper bound
    on reportlab in pyproject.toml keeps it where this expects.
    """
    from reportlab.lib.colors import Color

    info: dict[str, Any] = canvas._curr_tx_info  # type: ignore[attr-defined]
    size = info["tx"]._fontsize or info["xs"].style.fontSize
    fill = getattr(info["tx"], "_fillColorObj", None)
    colour = "#" + fill.hexval()[2:] if isinstance(fill, Color) else INK.hexval().replace("0x", "#")
    return float(info["cur_x"]), float(info["cur_y"]), float(size), colour


def shape_state(node: Shape) -> dict[str, Any]:
    """A shape's own attributes as its instance holds them (a group's children and the class's validation map
    left out): what a kept drawing must give back."""
    return {key: value for key, value in vars(node).items() if key not in ("_attrMap", "contents")}


def shape_with_state(kind: type[Shape], state: dict[str, Any]) -> Any:
    """A shape made from its kept state without its constructor (which would ask for arguments it has), a group
    through its own (its children are set after)."""
    from reportlab.graphics.shapes import Group

    node = kind() if issubclass(kind, Group) else kind.__new__(kind)
    node.__dict__.update(state)
    return node
