"""A course's sheets in one PDF: a contents page, then every topic's sheet, one bookmark each.

Students print the whole course at once; the outline lets a viewer jump to a
topic. The bytes are repeatable like a single sheet's: the same sheets, course
and date give the same file.
"""

from __future__ import annotations

import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table

from .. import __version__
from ..content.model import Topic
from ..glyphs.cjk import CJKFace
from ..glyphs.emoji import EmojiSet
from ..glyphs.fonts import coverage
from ..text.i18n import Words
from ..text.marks import escape_xml, plain
from .fit import FittedSheet
from .markup import Markup, blank_image
from .paragraph import Paragraph
from .pdf import draw_sheet, emoji_drawer, maths_drawer, sheet_canvas
from .styles import MARGIN, RULE, Styles, table_style

CONTENTS_SIZE = 11.0
CONTENTS_KEY = "contents"
VERSION_WIDTH = 25 * mm
PAGE_WIDTH = 15 * mm  # room for a four-digit page number, so numbers never change a line's height


def booklet_bytes(
    course: str,
    date: str,
    sheets: list[tuple[Topic, FittedSheet]],
    emoji: EmojiSet,
    words: Words | None = None,
    cjk: CJKFace | None = None,
) -> bytes:
    """The course booklet: contents page(s) on the first sheet's paper, then each sheet as fitted.

    `date` is YYYY-MM-DD; `words` are the builder's words in the course's language (English when not given).
    The fonts must be registered (`fonts.register()`), as fitting the sheets already needed; `cjk` is the
    CJK font cut to the course name's, the titles' and the words' CJK characters, when they have any.
    """
    if not sheets:
        raise ValueError("a booklet needs at least one sheet")
    words = Words() if words is None else words
    date = words.date(date)
    page = sheets[0][1].page
    width, height = page[0] - 2 * MARGIN, page[1] - 2 * MARGIN
    styles = Styles(CONTENTS_SIZE)
    markup = Markup(coverage(), emoji, blank_image(), cjk)
    head = _heading(course, date, len(sheets), styles, markup, words)
    pages = _paginate(head, _rows(sheets, 2, styles, markup, width), width, height)
    if len(pages) > 1:  # page numbers never change a row's height, so the breaks stay where they are
        pages = _paginate(head, _rows(sheets, len(pages) + 1, styles, markup, width), width, height)

    buffer = io.BytesIO()
    canvas = sheet_canvas(buffer, sheets[0][1])
    canvas.setTitle(words.gettext("%(course)s: cheat sheets (%(date)s)", course=course, date=date))
    canvas.setAuthor(", ".join(dict.fromkeys(a for topic, _ in sheets for a in topic.authors)))
    canvas.setSubject(words.gettext("%(course)s: the cheat sheet of every topic, with a contents page", course=course))
    canvas.setCreator(f"flozp-builder {__version__}")
    canvas.setNamedCB("emoji", emoji_drawer(emoji))
    canvas.setNamedCB("maths", maths_drawer)
    canvas.bookmarkPage(CONTENTS_KEY)
    canvas.addOutlineEntry(words.gettext("Contents"), CONTENTS_KEY, level=0)
    for flowables in pages:
        _draw_page(canvas, flowables, page)
    for topic, sheet in sheets:
        key = f"topic-{topic.id}"
        canvas.setPageSize(sheet.page)
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(plain(topic.title), key, level=0)
        draw_sheet(canvas, sheet)
    canvas.showOutline()
    canvas.save()
    return buffer.getvalue()


def _heading(course: str, date: str, count: int, st: Styles, mk: Markup, words: Words) -> list[Flowable]:
    title = ParagraphStyle("course", parent=st.heading, fontSize=22, leading=26, spaceBefore=0, spaceAfter=0)
    topics = words.ngettext("%(count)s topic", "%(count)s topics", count)
    line = words.gettext(
        "Cheat sheets, %(date)s · %(topics)s · print at 100 %% (Actual size), not “Fit to page”",
        date=date,
        topics=topics,
    )
    return [
        Paragraph(mk.chars(course, title.fontSize), title),
        Paragraph(mk.script(line), st.note),
        Spacer(1, 6 * mm),
    ]


def _rows(sheets: list[tuple[Topic, FittedSheet]], first: int, st: Styles, mk: Markup, width: float) -> list[Flowable]:
    """One line per topic: title, version, the page its sheet is on (the first sheet on page `first`)."""
    rows: list[Flowable] = []
    for number, (topic, _) in enumerate(sheets, first):
        row = Table(
            [
                [
                    Paragraph(mk.text(topic.title, st.size), st.body),
                    Paragraph(f"v{escape_xml(topic.version)}", st.note),
                    Paragraph(str(number), st.number),
                ]
            ],
            colWidths=[width - VERSION_WIDTH - PAGE_WIDTH, VERSION_WIDTH, PAGE_WIDTH],
        )
        row.setStyle(
            table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            )
        )
        rows.append(row)
    return rows


def _paginate(head: list[Flowable], rows: list[Flowable], width: float, height: float) -> list[list[Flowable]]:
    """The contents split into pages: the heading on the first, then as many rows as each page holds."""
    pages: list[list[Flowable]] = [[]]
    used = 0.0
    for flowable in [*head, *rows]:
        needed = flowable.wrap(width, height)[1]
        if used + needed > height and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(flowable)
        used += needed
    return pages


def _draw_page(canvas: Canvas, flowables: list[Flowable], page: tuple[float, float]) -> None:
    top = page[1] - MARGIN
    for flowable in flowables:
        needed = flowable.wrapOn(canvas, page[0] - 2 * MARGIN, top - MARGIN)[1]
        flowable.drawOn(canvas, MARGIN, top - needed)
        top -= needed
    canvas.showPage()
