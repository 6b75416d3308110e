"""TeX maths for the sheet: judged before anything is built, drawn as vector paths by ziamath.

Cards keep the TeX for Anki's MathJax; only the sheet needs a renderer, a pure
Python one (latex2mathml parses, ziamath lays out with its bundled STIX Two
Math font and gives SVG paths), so no TeX installation is needed. latex2mathml
is lenient where MathJax is not (an unknown command becomes an identifier, a
stray brace a character), so those are judged here too: what the sheet accepts,
the cards can typeset.

Importing the two takes a fifth of a second (ziamath reads its font), so what
they said of each expression (its problem, its SVG) is kept in the user's cache,
one entry per expression and installation of ziamath and latex2mathml (`cache/store.py`): a sheet whose maths was
drawn before needs neither.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ..cache import store
from .fonts import SANS

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfgen.canvas import Canvas

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
_LACKS_ARGUMENT = "a command lacks one of its arguments (\\frac{a}{b} takes two)"
_UNKNOWN = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
_BRACE = re.compile(r"\\[{}]|[{}]")
_OPENER = re.compile(r"(?<!\\)(?:\\\\)*\\[(\[]")
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%")
_FORMAT = 1  # of the cached answers: a change to how they are made changes it
PAD = 0.15  # room kept above and below a tall expression, as a fraction of the type size


@dataclass(frozen=True)
class Box:
    """The room an expression takes in a line: its width, and its height above and below the baseline."""

    width: float
    ascent: float
    depth: float
    left: float = 0.0  # where the drawing starts in its own units (ziamath's viewBox)


def problem(tex: str, display: bool) -> str | None:
    """Why the expression cannot be typeset, in words a teacher can act on; None when it can."""
    key = f"{int(display)}:{tex}"
    return store.remembered("maths-problem", key, _stamp(), lambda: _problem(tex, display), decode=_problem_kept)


def _problem(tex: str, display: bool) -> str | None:
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
    except Exception as error:  # the renderer's own reason, whatever it is; a bare assertion has none
        return f"it cannot be drawn: {str(error) or _LACKS_ARGUMENT}"
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


Step = tuple[str, tuple[float, ...]]  # M, L or C and its points, or Z
Shape = tuple[str, str, tuple[Any, ...]]  # "rect" (x, y, width, height) or "path" (steps), and its fill


def draw(canvas: Canvas, tex: str, size: float, display: bool, colour: str, x: float, y: float) -> None:
    """Draw the expression as filled outlines with its box's bottom left at (x, y).

    ziamath's SVG is filled paths (M, L, Q, Z) and rectangles (fraction bars):
    they are drawn here directly, which needs no SVG library; anything else
    ziamath may write goes through svglib.
    """
    svg = _svg(tex, size, display, colour)
    shapes = _shapes(svg)
    if shapes is None:
        from reportlab.graphics import renderPDF

        renderPDF.draw(_drawing(tex, size, display, colour), canvas, x, y)
        return
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import FILL_NON_ZERO  # type: ignore[attr-defined]  # the stubs lack it

    room = _box(svg)
    canvas.saveState()
    canvas.translate(x - room.left, y + room.depth)
    canvas.scale(1, -1)  # SVG's y runs down
    for kind, fill, data in shapes:
        canvas.setFillColor(HexColor(fill))
        if kind == "rect":
            left_x, top_y, width, tall = data
            canvas.rect(left_x, top_y, width, tall, stroke=0, fill=1)
            continue
        path = canvas.beginPath()
        for op, point in data:
            if op == "M":
                path.moveTo(*point)
            elif op == "L":
                path.lineTo(*point)
            elif op == "C":
                path.curveTo(*point)
            else:
                path.close()
        canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canvas.restoreState()


_ELEMENT = re.compile(r"<(\w+)([^>]*)>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_TOKEN = re.compile(r"[MLQZ]|-?\d*\.?\d+(?:e-?\d+)?")
_ARGUMENTS = {"M": 2, "L": 2, "Q": 4, "Z": 0}


@lru_cache(maxsize=512)
def _shapes(svg: str) -> tuple[Shape, ...] | None:
    """The SVG's rectangles and paths, or None when it holds anything else."""
    shapes: list[Shape] = []
    for name, rest in _ELEMENT.findall(svg):
        attributes = dict(_ATTRIBUTE.findall(rest))
        fill = attributes.get("fill", "#000000")
        if name == "svg":
            continue
        if name == "rect" and fill.startswith("#"):
            shapes.append(("rect", fill, tuple(float(attributes.get(k, "0")) for k in ("x", "y", "width", "height"))))
        elif name == "path" and fill.startswith("#") and set(attributes) <= {"d", "fill"}:
            steps = _path(attributes.get("d", ""))
            if steps is None:
                return None
            shapes.append(("path", fill, steps))
        else:
            return None
    return tuple(shapes)


def _path(d: str) -> tuple[Step, ...] | None:
    """An SVG path of absolute M, L, Q and Z as steps, each quadratic curve made the cubic it is."""
    if _TOKEN.sub("", d).strip(" ,"):
        return None  # a command this does not read
    tokens = _TOKEN.findall(d)
    steps: list[Step] = []
    at = start = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        op = tokens[i]
        count = _ARGUMENTS.get(op)
        if count is None or i + count >= len(tokens) + (op == "Z"):
            return None
        values = [float(v) for v in tokens[i + 1 : i + 1 + count]]
        i += 1 + count
        if op == "Z":
            steps.append(("Z", ()))
            at = start
        elif op == "Q":
            (cx, cy), end = (values[0], values[1]), (values[2], values[3])
            first = (at[0] + 2 / 3 * (cx - at[0]), at[1] + 2 / 3 * (cy - at[1]))
            second = (end[0] + 2 / 3 * (cx - end[0]), end[1] + 2 / 3 * (cy - end[1]))
            steps.append(("C", (*first, *second, *end)))
            at = end
        else:
            at = (values[0], values[1])
            start = at if op == "M" else start
            steps.append((op, at))
    return tuple(steps)


@lru_cache(maxsize=512)
def _drawing(tex: str, size: float, display: bool, colour: str) -> Drawing:
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
    return art


@lru_cache(maxsize=512)
def _svg(tex: str, size: float, display: bool, colour: str) -> str:
    def make() -> str:
        from ziamath.config import config
        from ziamath.zmath import Latex

        # SVG 1.1 paths (no <symbol>/<use>), which svglib draws; set on every call, as ziamath reads it then.
        config.svg2 = False
        return str(Latex(tex, size=size, inline=not display, color=colour, margin=0).svg())

    return store.remembered("maths-svg", f"{size!r}:{int(display)}:{colour}:{tex}", _stamp(), make, decode=_svg_kept)


def _problem_kept(kept: object) -> str | None:
    return None if kept is None else _svg_kept(kept)


def _svg_kept(kept: object) -> str:
    if not isinstance(kept, str):
        raise ValueError("not an answer")
    return kept


@cache
def _stamp() -> list[str]:
    """The installed ziamath and latex2mathml, by their files' times: another version answers afresh."""
    from importlib.util import find_spec

    parts = [str(_FORMAT)]
    for package in ("ziamath", "latex2mathml"):
        spec = find_spec(package)
        origin = spec.origin if spec and spec.origin else package
        parts.append(f"{origin}:{os.stat(origin).st_mtime_ns if os.path.exists(origin) else 0}")
    return parts


def _box(svg: str) -> Box:
    found = _VIEWBOX.search(svg)
    assert found is not None, "ziamath's SVG has no viewBox"
    left, top, width, height = (float(v) for v in found.groups())
    return Box(width, -top, top + height, left)
