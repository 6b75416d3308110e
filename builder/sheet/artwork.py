"""SVG files (emoji, pictures) as ReportLab drawings, kept in the user's cache so that svglib loads once.

svglib, with lxml and the CSS parsers under it, takes 50 ms to import and 2 ms an
emoji to read: a sixth of a cold build of the one-topic course. What it makes is a
tree of ReportLab shapes, so that tree is kept as JSON, named by the file's size and
time and the versions that drew it, and later built again from ReportLab's shapes
alone. A subclass of a shape (svglib's path without a stroke) is kept as its
ReportLab shape with the properties it reports, which are what the renderer asks it
for. A drawing holding anything else (text, images) is not kept: svglib reads it on
every use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import Version as REPORTLAB
from reportlab.graphics import shapes
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib.colors import Color

from ..cache import store
from ..cache.codec import decode, encode
from ..cache.store import Unkept
from .internals import shape_state, shape_with_state

FORMAT = 2  # of a kept drawing: 2 is the model codec's JSON of `Node`
_SHAPES = {
    cls.__name__: cls
    for cls in (Drawing, Group)
    + tuple(getattr(shapes, name) for name in ("Path", "Circle", "Ellipse", "Line", "PolyLine", "Polygon", "Rect"))
}


def svg_drawing(path: Path) -> Drawing | None:
    """svglib's drawing of the SVG file, from the user's cache when it was made from this same file; None when
    svglib cannot read it."""
    try:
        info = path.stat()
    except OSError:
        return None
    stamp = [FORMAT, REPORTLAB, _svglib(), info.st_size, info.st_mtime_ns]
    return store.remembered(
        "drawing", str(path), stamp, lambda: _svg2rlg(path), encode=lambda d: encode(_node(d)), decode=_drawing
    )


def _svg2rlg(path: Path) -> Drawing | None:
    from svglib.svglib import svg2rlg

    return svg2rlg(str(path))


def _drawing(kept: object) -> Drawing:
    built = _build(decode(Node, kept))
    if not isinstance(built, Drawing):
        raise ValueError("not a drawing")
    return built


def _svglib() -> list[object]:
    """The installed svglib, by its files' sizes and times: reading its version would load importlib.metadata."""
    from importlib.util import find_spec

    spec = find_spec("svglib")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent
    found: list[object] = []
    for name in ("__init__.py", "svglib.py"):
        try:
            info = os.stat(folder / name)
        except OSError:
            continue
        found += [name, info.st_size, info.st_mtime_ns]
    return found


Scalar = bool | int | float | str | None


@dataclass(frozen=True)
class Rgba:
    """A ReportLab colour."""

    red: int | float
    green: int | float
    blue: int | float
    alpha: int | float


@dataclass(frozen=True)
class Items:
    """A tuple of plain values (a transform, say), told from a list."""

    items: list[Scalar]


Value = Scalar | Rgba | Items | list[Scalar]


@dataclass(frozen=True)
class Node:
    """One shape of a drawing: its ReportLab class, attributes and (a group's) children."""

    shape: str
    attrs: dict[str, Value]
    contents: list[Node | None] | None


def _node(node: object) -> Node | None:
    if node is None:
        return None
    shape = next((cls for cls in type(node).__mro__ if _SHAPES.get(cls.__name__) is cls), None)
    if shape is None:
        raise Unkept(type(node).__name__)
    assert isinstance(node, shapes.Shape)
    attrs = shape_state(node)
    contents = None
    if isinstance(node, Group):
        contents = [_node(child) for child in node.contents]
    else:
        attrs.update(node.getProperties(recur=0))
    return Node(shape.__name__, {key: _value(value) for key, value in attrs.items()}, contents)


def _scalar(value: object) -> Scalar:
    if value is None or type(value) in (bool, int, float, str):
        return value  # type: ignore[return-value]
    raise Unkept(type(value).__name__)


def _value(value: object) -> Value:
    if type(value) is list:
        return [_scalar(item) for item in value]
    if type(value) is tuple:
        return Items([_scalar(item) for item in value])
    if type(value) is Color:
        return Rgba(value.red, value.green, value.blue, value.alpha)
    return _scalar(value)


def _build(kept: Node | None) -> Any:
    if kept is None:
        return None
    shape = _SHAPES[kept.shape]
    node = shape_with_state(shape, {key: _unvalue(value) for key, value in kept.attrs.items()})
    if isinstance(node, Group):
        node.contents = [_build(child) for child in kept.contents or ()]
    return node


def _unvalue(value: Value) -> object:
    if isinstance(value, Items):
        return tuple(value.items)
    if isinstance(value, Rgba):
        return Color(value.red, value.green, value.blue, value.alpha)
    return value
