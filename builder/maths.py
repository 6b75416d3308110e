"""TeX maths for the sheet: judged before anything is built, drawn as vector paths by ziamath.

Cards keep the TeX for Anki's MathJax; only the sheet needs a renderer, a pure
Python one (latex2mathml parses, ziamath lays out with its bundled STIX Two
Math font and gives SVG paths), so no TeX installation is needed. latex2mathml
is lenient where MathJax is not (an unknown command becomes an identifier, a
stray brace a character), so those are judged here too: what the sheet accepts,
the cards can typeset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .fonts import SANS

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

SCALE = 1.12  # STIX Two Math at this many times the text's size matches DejaVu Sans's larger x-height

_REASONS = {
    "NoAvailableTokensError": "it ends too early: a '{' is not closed, or a command lacks its argument",
    "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing after it",
    "ExtraLeftOrMissingRightError": "a \\left has no matching \\right",
    "MissingEndError": "a \\begin{…} has no matching \\end{…}",
    "DoubleSubscriptsError": "two subscripts in a row: write x_{ab} or {x_a}_b",
    "DoubleSuperscriptsError": "two superscripts in a row: write x^{ab} or {x^a}^b",
    "NumeratorNotFoundError": "\\frac needs a numerator and a denominator",
    "DenominatorNotFoundError": "\\frac needs a numerator and a denominator",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
    "InvalidAlignmentError": "an array or matrix has an alignment it does not know",
    "InvalidStyleForGenfracError": "\\genfrac has a style it does not know",
    "InvalidWidthError": "a width it cannot read",
}
_UNKNOWN = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
_BRACE = re.compile(r"\\[{}]|[{}]")
_OPENER = re.compile(r"(?<!\\)(?:\\\\)*\\[(\[]")
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%")
PAD = 0.15  # room kept above and below a tall expression, as a fraction of the type size


@dataclass(frozen=True)
class Box:
    """The room an expression takes in a line: its width, and its height above and below the baseline."""

    width: float
    ascent: float
    depth: float


def problem(tex: str, display: bool) -> str | None:
    """Why the expression cannot be typeset, in words a teacher can act on; None when it can."""
    if _OPENER.search(tex):
        return "it holds another '\\(' or '\\[': a '\\)' or '\\]' is missing before it"
    if _COMMENT.search(tex):
        return "'%' starts a TeX comment that hides the rest: write \\% for a percent sign"
    depth = 0
    for m in _BRACE.finditer(tex):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes nothing (braces must pair up)"
    if depth:
        return "a '{' is not closed (braces must pair up)"
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex)
    except Exception as error:  # latex2mathml's errors carry no text: their class names the problem
        name = type(error).__name__
        return _REASONS.get(name, f"it cannot be read ({name})")
    unknown = _UNKNOWN.search(mathml)
    if unknown:
        return f"unknown command {unknown.group(1)}"
    try:
        _svg(tex, 10.0, display, "#000000")
    except Exception as error:  # the renderer's own reason, whatever it is
        return f"it cannot be drawn: {error}"
    return None


def box(tex: str, size: float, display: bool) -> Box:
    """Where the expression sits on the line at this type size (the same for every colour)."""
    return _box(_svg(tex, size, display, "#000000"))


def svg(tex: str, display: bool) -> tuple[str, Box]:
    """The expression as an SVG element for a web page, at the cards' type size (20 px), in the text's colour."""
    from ziamath.config import config
    from ziamath.zmath import Latex

    config.svg2 = True
    image = str(Latex(tex, size=20, inline=not display, margin=0, color="currentColor").svg())
    config.svg2 = False
    return image, _box(image)


def drawing(tex: str, size: float, display: bool, colour: str) -> tuple[Drawing, Box]:
    """The expression as vector paths, scaled to points, and its box; its origin is the box's bottom left."""
    return _drawing(tex, size, display, colour)


@lru_cache(maxsize=512)
def _drawing(tex: str, size: float, display: bool, colour: str) -> tuple[Drawing, Box]:
    import io

    from svglib.svglib import svg2rlg

    svg = _svg(tex, size, display, colour)
    art = svg2rlg(io.BytesIO(svg.encode("utf-8")))
    assert art is not None, f"ziamath's SVG for {tex!r} could not be read"
    art.initialFontName = SANS  # type: ignore[attr-defined]  # else the renderer selects unembedded Helvetica
    room = _box(svg)
    scale = room.width / art.width  # svglib reads SVG pixels as 0.75 pt; ziamath's units are points here
    art.scale(scale, scale)
    art.width, art.height = art.width * scale, art.height * scale
    return art, room


@lru_cache(maxsize=512)
def _svg(tex: str, size: float, display: bool, colour: str) -> str:
    from ziamath.config import config
    from ziamath.zmath import Latex

    # SVG 1.1 paths (no <symbol>/<use>), which svglib draws; set on every call, as ziamath reads it then.
    config.svg2 = False
    return str(Latex(tex, size=size, inline=not display, color=colour, margin=0).svg())


def _box(svg: str) -> Box:
    found = _VIEWBOX.search(svg)
    assert found is not None, "ziamath's SVG has no viewBox"
    _, top, width, height = (float(v) for v in found.groups())
    return Box(width, -top, top + height)
