"""Picture files named by content: read once, judged whole, before anything is built.

A picture is judged by its bytes, not its name: PNG and JPEG by their
signature and by Pillow reading every pixel, SVG by svglib drawing it. It must
lie inside the content folder (the course's, or the topic file's when there is
no course), so a topic cannot publish a file from elsewhere on the machine.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
from pathlib import Path

from .model import Picture

MAX_BYTES = 2 * 1024 * 1024
KINDS = "PNG, JPEG or SVG"


class PictureProblem(Exception):
    """Why a picture cannot be used, in one line for the `src` key."""


def read_picture(src: str, alt: str, base: Path, root: Path) -> Picture:
    """The picture `src` names (relative to `base`), or PictureProblem."""
    path = (base / src).resolve()
    if not path.is_relative_to(root.resolve()):
        raise PictureProblem(f"'{src}' is outside the content folder {root}; pictures must be inside it")
    if not path.is_file():
        near = _near(path)
        hint = f"; did you mean '{posixpath.join(posixpath.dirname(src), near)}'?" if near else ""
        raise PictureProblem(f"no picture file '{src}' (looked for {os.path.normpath(base / src)}){hint}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PictureProblem(f"'{src}' is {size / 1024 / 1024:.1f} MiB; a picture may be at most 2 MiB")
    data = path.read_bytes()
    kind = _kind(data)
    if kind is None:
        other = next((name for magic, name in _OTHER_KINDS if data.startswith(magic)), None)
        found = f"a {other} file; convert it to PNG (a {KINDS} file is needed)" if other else f"not a {KINDS} file"
        raise PictureProblem(f"'{src}' is {found}")
    width, height = _size_svg(data, src) if kind == "svg" else _size_raster(data, kind, src)
    return Picture(str(path), alt, kind, hashlib.sha256(data).hexdigest(), width, height)


_OTHER_KINDS = (
    (b"GIF8", "GIF"),
    (b"RIFF", "WebP"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x00", "HEIC or AVIF"),
)


def _near(path: Path) -> str | None:
    """The name of a file in the same folder close to the one asked for."""
    import difflib

    folder = path.parent
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return close[0] if close else None


def _kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in data[:4096]:
        return "svg"
    return None


def _size_raster(data: bytes, kind: str, src: str) -> tuple[float, float]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel: a truncated file fails here, not on the sheet
            return float(image.width), float(image.height)
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as error:
        raise PictureProblem(f"'{src}' is not a readable {kind.upper()} picture ({error})") from None


def _size_svg(data: bytes, src: str) -> tuple[float, float]:
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception as error:  # svglib raises lxml's and its own errors for a broken file
        raise PictureProblem(f"'{src}' is not a readable SVG picture ({error})") from None
    if drawing is None or drawing.width <= 0 or drawing.height <= 0:
        raise PictureProblem(f"'{src}' is not a readable SVG picture (it has no size)")
    return float(drawing.width), float(drawing.height)
