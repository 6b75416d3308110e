"""SVG artwork kept in the user's cache: drawn to the same PDF bytes as svglib's own drawing, without svglib."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CORPUS, ROOT
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas
from svglib.svglib import svg2rlg

from builder.cache import store
from builder.glyphs.emoji import EmojiSet
from builder.sheet.artwork import svg_drawing

SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="{}"/></svg>'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "flozp-builder" / f"v{store.FORMAT}"


def pdf(drawing: Drawing | None) -> bytes:
    assert drawing is not None
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.save()
    return out.getvalue()


def no_svglib(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: str) -> None:
        raise AssertionError(f"svglib read {path}")

    monkeypatch.setattr("svglib.svglib.svg2rlg", refuse)


def test_kept_drawings_draw_what_svglib_draws(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shape and value svglib makes of OpenMoji's artwork and a content picture survives the round trip."""
    emoji = EmojiSet.load()
    files = sorted(emoji.folder / name for name in set(emoji.files.values()))
    chosen = [*random.Random(15).sample(files, 150), CORPUS / "pictures" / "ramp.svg"]
    expected = {path: pdf(svg2rlg(str(path))) for path in chosen}
    for path in chosen:
        svg_drawing(path)
    assert len(list(cache.glob("drawing-*"))) == len(chosen)
    no_svglib(monkeypatch)
    assert [path for path in chosen if pdf(svg_drawing(path)) != expected[path]] == []


def test_a_changed_file_is_read_again(cache: Path, tmp_path: Path) -> None:
    square = tmp_path / "square.svg"
    square.write_text(SQUARE.format("red"), encoding="utf-8")
    svg_drawing(square)
    red = pdf(svg_drawing(square))
    square.write_text(SQUARE.format("tan"), encoding="utf-8")  # the same size
    os.utime(square, ns=(1, 1))  # and a time of its own, though written within the clock's tick
    assert pdf(svg_drawing(square)) == pdf(svg2rlg(str(square))) != red


def test_a_drawing_with_text_is_not_kept(cache: Path, tmp_path: Path) -> None:
    """svglib's text nodes carry font state this module does not hold: such a file is read by svglib each time."""
    labelled = tmp_path / "labelled.svg"
    labelled.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><text x="0" y="9">ramp</text></svg>',
        encoding="utf-8",
    )
    assert pdf(svg_drawing(labelled)) == pdf(svg2rlg(str(labelled)))
    assert not list(cache.glob("drawing-*"))


def test_a_damaged_cache_file_is_made_again(cache: Path, tmp_path: Path) -> None:
    square = tmp_path / "square.svg"
    square.write_text(SQUARE.format("green"), encoding="utf-8")
    svg_drawing(square)
    (kept,) = cache.glob("drawing-*")
    kept.write_bytes(kept.read_bytes().replace(b'"shape": "Rect"', b'"shape": "Rocket"'))
    assert pdf(svg_drawing(square)) == pdf(svg2rlg(str(square)))
    assert '"Rect"' in kept.read_text(encoding="utf-8")


def test_unreadable_svg_is_none(cache: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("", encoding="utf-8")
    assert svg_drawing(broken) is None
    assert svg_drawing(tmp_path / "missing.svg") is None


def test_a_kept_drawing_loads_without_svglib(cache: Path) -> None:
    """What the cache is for: svglib and lxml cost 50 ms to import, paid by every cold build with an emoji."""
    ramp = CORPUS / "pictures" / "ramp.svg"
    svg_drawing(ramp)
    code = (
        "import sys; from pathlib import Path; from builder.sheet.artwork import svg_drawing; "
        f"assert svg_drawing(Path({str(ramp)!r})) is not None; print(sorted(m for m in sys.modules if 'svglib' in m))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent.parent)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
