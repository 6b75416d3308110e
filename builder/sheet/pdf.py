"""A fitted sheet in, PDF bytes out: one page, embedded fonts, repeatable bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from .. import __version__
from ..content.model import Topic
from ..glyphs.emoji import EmojiSet
from ..glyphs.fonts import SANS
from ..text.marks import plain
from .fit import FittedSheet
from .internals import text_cursor
from .markup import blank_image
from .styles import GUTTER, MARGIN, RULE

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

DrawCallback = Callable[[Canvas, str | None, str], None]


def pdf_bytes(topic: Topic, sheet: FittedSheet, emoji: EmojiSet) -> bytes:
    buffer = io.BytesIO()
    canvas = sheet_canvas(buffer, sheet)
    canvas.setTitle(f"{plain(topic.title)} (v{topic.version})")
    canvas.setAuthor(", ".join(topic.authors) or "")
    canvas.setSubject(plain(topic.summary or topic.title))  # as a reader sees it: no **marks** in a PDF viewer
    canvas.setKeywords(", ".join(topic.tags))
    canvas.setCreator(f"flozp-builder {__version__}")
    canvas.setNamedCB("emoji", emoji_drawer(emoji))
    canvas.setNamedCB("maths", maths_drawer)
    draw_sheet(canvas, sheet)
    canvas.save()
    return buffer.getvalue()


Art = Callable[[float, float], None]  # draws at the bottom left of the room a paragraph kept for it
IMAGE_DROP = 0.2  # an inline image's bottom is this many font sizes below the baseline (ReportLab's valign "bottom")


class SheetCanvas(Canvas):
    """A canvas that draws emoji and maths in the room a paragraph kept for them (a blank image), never the blank.

    A paragraph's "emoji" or "maths" callback comes just before its image, but a
    line may break between the two: drawn at the callback, an emoji hung past the
    end of one line while the next began with its empty room. So the callback
    only says what the next image is (`next_art`), and the art is drawn where its
    line put the image.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.next_art: Art | None = None
        self.blank = str(blank_image())

    def drawImage(self, image: Any, x: float, y: float, *args: Any, **kwargs: Any) -> Any:  # noqa: N802
        if getattr(image, "fileName", None) != self.blank:  # ReportLab's ImageReader of the paragraph's <img>
            return super().drawImage(image, x, y, *args, **kwargs)
        art, self.next_art = self.next_art, None
        if art is not None:
            art(x, y)
        return None


def sheet_canvas(buffer: io.BytesIO, sheet: FittedSheet) -> SheetCanvas:
    """A canvas for sheets: their page size, repeatable bytes, and DejaVu as the initial font.

    Without `initialFontName` ReportLab's initial state names Helvetica, which would
    appear in the PDF unembedded.
    """
    return SheetCanvas(
        buffer,
        pagesize=sheet.page,
        invariant=1,
        initialFontName=SANS,
        initialFontSize=sheet.size,
        pageCompression=1,
    )


def draw_sheet(canvas: Canvas, sheet: FittedSheet) -> None:
    """Draw one sheet as the canvas's current page and end the page (shared by single sheets and booklets).

    The canvas must have the "emoji" callback (`emoji_drawer`) set when the sheet holds emoji, and the
    "maths" one (`maths_drawer`) when it holds maths.
    """
    width, height = sheet.page
    inner = width - 2 * MARGIN
    sheet.band.wrapOn(canvas, inner, sheet.band_height)
    sheet.band.drawOn(canvas, MARGIN, height - MARGIN - sheet.band_height)
    top = height - MARGIN - sheet.band_height - GUTTER
    for index, column in enumerate(sheet.columns):
        x = MARGIN + index * (sheet.column_width + GUTTER)
        frame = Frame(
            x,
            top - sheet.column_height,
            sheet.column_width,
            sheet.column_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        pending = list(column)
        frame.addFromList(pending, canvas)
        if pending:
            raise AssertionError(f"column {index + 1} overflowed after fitting: {len(pending)} flowables left")
        if index:
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            rule_x = x - GUTTER / 2
            canvas.line(rule_x, top, rule_x, top - sheet.column_height)
    sheet.footer.wrapOn(canvas, inner, sheet.footer_height)
    sheet.footer.drawOn(canvas, MARGIN, MARGIN)
    canvas.showPage()


def maths_drawer(canvas: Canvas, kind: str | None, label: str) -> None:
    """The canvas callback for TeX maths: the next image is the room `Markup.maths` made, drawn in the text's colour."""
    from ..glyphs.maths import draw

    assert isinstance(canvas, SheetCanvas), "maths is drawn on a sheet canvas"
    colour = text_cursor(canvas)[3]
    size, display, pad, source = label.split(":", 3)
    tex = bytes.fromhex(source).decode("utf-8")
    canvas.next_art = lambda x, y: draw(canvas, tex, float(size), display == "1", colour, x, y + float(pad))


def emoji_drawer(emoji: EmojiSet) -> DrawCallback:
    """The canvas callback for an emoji: the next image is the room `Markup.chars` made, drawn with its artwork at
    the text's size there.

    Each artwork is read once per sheet, from the user's cache after its first use (`artwork`).
    """
    drawings: dict[str, Drawing] = {}

    def placed(canvas: Canvas, kind: str | None, label: str) -> None:
        assert isinstance(canvas, SheetCanvas), "emoji are drawn on a sheet canvas"
        size = text_cursor(canvas)[2]
        canvas.next_art = lambda x, y: draw(canvas, label, x, y + IMAGE_DROP * size, size)

    def draw(canvas: Canvas, label: str, x: float, y: float, size: float) -> None:
        from reportlab.graphics import renderPDF

        if label not in drawings:
            from .artwork import svg_drawing

            art = svg_drawing(emoji.folder / label)
            assert art is not None, f"OpenMoji artwork {label} could not be read"
            # The renderer's default state would otherwise select unembedded Helvetica.
            art.initialFontName = SANS  # type: ignore[attr-defined]
            drawings[label] = art
        drawing = drawings[label]
        scale = size * 1.25 / drawing.width
        canvas.saveState()
        canvas.translate(x, y - size * 0.3)
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.restoreState()

    return placed
