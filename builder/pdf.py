"""A fitted layout in, PDF bytes out: one page, embedded fonts, repeatable bytes."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from . import __version__
from .emoji import EmojiSet
from .fonts import SANS
from .model import Topic
from .sheet import GUTTER, MARGIN, RULE, Layout, emoji_drawer


def pdf_bytes(topic: Topic, sheet: Layout, emoji: EmojiSet) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sheet.page, invariant=1, initialFontName=SANS, initialFontSize=sheet.size,
                    pageCompression=1)
    canvas.setTitle(f"{topic.title} (v{topic.version})")
    canvas.setAuthor(", ".join(topic.authors) or "")
    canvas.setSubject(topic.summary or topic.title)
    canvas.setKeywords(", ".join(topic.tags))
    canvas.setCreator(f"flozp-builder {__version__}")
    canvas.setNamedCB("emoji", emoji_drawer(emoji))
    width, height = sheet.page
    inner = width - 2 * MARGIN
    sheet.band.wrapOn(canvas, inner, sheet.band_height)
    sheet.band.drawOn(canvas, MARGIN, height - MARGIN - sheet.band_height)
    top = height - MARGIN - sheet.band_height - GUTTER
    for index, column in enumerate(sheet.columns):
        x = MARGIN + index * (sheet.column_width + GUTTER)
        frame = Frame(x, top - sheet.column_height, sheet.column_width, sheet.column_height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
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
    canvas.save()
    return buffer.getvalue()
