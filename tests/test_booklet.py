"""The course booklet: a contents page, then every topic's sheet, with an outline a viewer can follow."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from helpers import CONTENT, FIXTURES
from pypdf import PdfReader
from pypdf.generic import Destination, DictionaryObject

from builder.content.gather import gather
from builder.content.model import Topic
from builder.glyphs.emoji import EmojiSet
from builder.glyphs.fonts import coverage, register
from builder.sheet.booklet import booklet_bytes
from builder.sheet.fit import FittedSheet, fit_sheet
from builder.sheet.markup import blank_image

COURSE = "My Course"
DATE = "2026-01-01"
A4_LANDSCAPE = (841.89, 595.28)
LETTER_LANDSCAPE = (792.0, 612.0)

Sheets = list[tuple[Topic, FittedSheet]]


def fitted(paper: str = "a4") -> Sheets:
    """The repository's topic and the minimal fixture, each fitted as a build would."""
    register()
    topics = gather([CONTENT, FIXTURES / "minimal.yaml"]).topics
    fonts, emoji = coverage(), EmojiSet.load()
    return [(t, fit_sheet(t, paper, DATE, fonts, emoji, blank_image())) for t in topics]


@pytest.fixture(scope="module")
def sheets() -> Sheets:
    return fitted()


@pytest.fixture(scope="module")
def booklet(sheets: Sheets) -> bytes:
    return booklet_bytes(COURSE, DATE, sheets, EmojiSet.load())


def outline(reader: PdfReader) -> list[tuple[str, int | None]]:
    """Top-level outline entries: title and the (0-based) page each points to."""
    entries = [e for e in reader.outline if isinstance(e, Destination)]
    return [(str(e.title), reader.get_destination_page_number(e)) for e in entries]


def test_a_contents_page_then_one_page_per_topic(booklet: bytes, sheets: Sheets) -> None:
    reader = PdfReader(io.BytesIO(booklet))
    assert len(reader.pages) == len(sheets) + 1
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=0.1)


def test_outline_names_contents_and_every_topic_at_its_page(booklet: bytes, sheets: Sheets) -> None:
    entries = outline(PdfReader(io.BytesIO(booklet)))
    assert entries == [("Contents", 0), *((t.title, i) for i, (t, _) in enumerate(sheets, 1))]


def test_contents_lists_every_topic_with_version_and_page(booklet: bytes, sheets: Sheets) -> None:
    reader = PdfReader(io.BytesIO(booklet))
    text = " ".join(reader.pages[0].extract_text().split())
    assert COURSE in text and DATE in text
    for number, (topic, _) in enumerate(sheets, 2):
        assert f"{topic.title} v{topic.version} {number}" in text


def test_each_sheet_page_is_its_topic_sheet(booklet: bytes, sheets: Sheets) -> None:
    reader = PdfReader(io.BytesIO(booklet))
    for page, (topic, _) in zip(reader.pages[1:], sheets, strict=True):
        assert f"{topic.title} v{topic.version} · built {DATE}" in " ".join(page.extract_text().split())


def test_fonts_embedded_and_no_helvetica(booklet: bytes) -> None:
    reader = PdfReader(io.BytesIO(booklet))
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    fonts = [obj for obj in (reader.get_object(n) for n in range(1, size)) if isinstance(obj, DictionaryObject)]
    fonts = [f for f in fonts if "/BaseFont" in f and f.get("/Type") == "/Font"]
    names = [str(f["/BaseFont"]) for f in fonts]
    assert names and not any("Helvetica" in n for n in names)
    for font in fonts:
        if font.get("/Subtype") == "/Type0":
            continue  # its descendant carries the descriptor and is checked itself
        descriptor = font["/FontDescriptor"].get_object()
        assert isinstance(descriptor, DictionaryObject)
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_metadata_title(booklet: bytes) -> None:
    meta = PdfReader(io.BytesIO(booklet)).metadata
    assert meta is not None and meta.title == f"{COURSE}: cheat sheets ({DATE})"


def test_same_inputs_same_bytes(booklet: bytes, sheets: Sheets) -> None:
    emoji = EmojiSet.load()
    assert booklet_bytes(COURSE, DATE, sheets, emoji) == booklet
    assert booklet_bytes(COURSE, DATE, fitted(), emoji) == booklet


def test_paper_comes_from_the_sheets() -> None:
    reader = PdfReader(io.BytesIO(booklet_bytes(COURSE, DATE, fitted("letter"), EmojiSet.load())))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(LETTER_LANDSCAPE, abs=0.1)


def test_long_contents_go_on_over_pages_and_number_sheets_where_they_are(sheets: Sheets) -> None:
    many = [
        (dataclasses.replace(topic, id=f"{topic.id}-{i}", title=f"{topic.title} {i}"), sheet)
        for i in range(45)
        for topic, sheet in [sheets[i % len(sheets)]]
    ]
    reader = PdfReader(io.BytesIO(booklet_bytes(COURSE, DATE, many, EmojiSet.load())))
    entries = outline(reader)
    first_sheet = entries[1][1]
    assert first_sheet is not None and first_sheet > 1 and len(reader.pages) == first_sheet + len(many)
    printed = [
        int(n)
        for page in reader.pages[:first_sheet]
        for n in re.findall(r"v\d+\.\d+\.\d+\s+(\d+)", page.extract_text())
    ]
    assert printed == [page + 1 for _, page in entries[1:] if page is not None]
    assert len(printed) == len(many)
    assert [title for title, _ in entries[1:]] == [t.title for t, _ in many]
