"""The cheat sheet opened by PDF readers: one page, every word, nothing outside, emoji as pixels."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from helpers import CONTENT, FIXTURES, run_cli
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from builder.content.gather import gather
from builder.sheet.code import wrap_code_line
from builder.sheet.fit import SPLIT_PENALTY, Cut, badness, best_cut
from builder.sheet.styles import MARGIN, MIN_SIZE
from builder.sheet.units import Unit

A4_LANDSCAPE = (841.89, 595.28)
LETTER_LANDSCAPE = (792.0, 612.0)


@pytest.fixture(scope="module")
def sheet(built_content: Path) -> Path:
    return built_content / "pytorch-training-loop.pdf"


def test_one_landscape_a4_page(sheet: Path) -> None:
    reader = PdfReader(sheet)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=0.1)


def test_letter_on_request(tmp_path: Path, epoch: int) -> None:
    assert run_cli("build", str(CONTENT), "--out", str(tmp_path), "--paper", "letter")[0] == 0
    box = PdfReader(tmp_path / "pytorch-training-loop.pdf").pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(LETTER_LANDSCAPE, abs=0.1)


def test_every_piece_of_content_is_in_the_text(sheet: Path) -> None:
    topic = gather([CONTENT]).topics[0]
    raw = PdfReader(sheet).pages[0].extract_text()  # content-stream order keeps each table cell together
    assert "\x00" not in raw
    text = " ".join(raw.split())
    expected = [topic.title, topic.version, "CC-BY-4.0", "OpenMoji"]
    for seq in topic.sequences:
        expected += [s.name for s in seq.steps] + [sub for s in seq.steps for sub in s.substeps]
    for mnemonic in topic.mnemonics:
        expected += [mnemonic.phrase] + [c.letter for c in mnemonic.cues]
    for pair in topic.analogies[0].pairs:
        expected += [pair.like] + ([pair.detail] if pair.detail else [])
    expected += [line.strip() for line in topic.snippets[0].lines if line.strip()]
    # Spaces and hyphens left out on both sides: a long word may break over two lines with a hyphen.
    squashed = re.sub(r"[\s\-\u00ad]", "", text)
    missing = [e for e in expected if re.sub(r"[\s\-]", "", e) not in squashed]
    assert missing == []


def test_everything_inside_the_margins_and_never_under_7pt(sheet: Path) -> None:
    with pdfplumber.open(sheet) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        assert len(chars) > 1000
        for c in chars:
            assert c["x0"] >= MARGIN - 0.5 and c["x1"] <= page.width - MARGIN + 0.5, c["text"]
            assert c["top"] >= MARGIN - 0.5 and c["bottom"] <= page.height - MARGIN + 0.5, c["text"]
        assert min(c["size"] for c in chars) >= MIN_SIZE - 0.01
        for item in (*page.rects, *page.lines, *page.curves):
            assert item["x0"] >= MARGIN - 1 and item["x1"] <= page.width - MARGIN + 1


def test_body_is_larger_than_the_minimum_for_the_real_topic(sheet: Path) -> None:
    """The PyTorch topic fits at 8.25 pt body text (9 pt before its terms and maths, 9.75 pt before diagrams)."""
    with pdfplumber.open(sheet) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    step_name = next(w for w in words if w["text"] == "Forward")
    assert step_name["size"] >= 8.25


def test_all_fonts_are_embedded_dejavu(sheet: Path) -> None:
    reader = PdfReader(sheet)
    resources = reader.pages[0]["/Resources"]
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"]
    assert isinstance(fonts, DictionaryObject)
    names = []
    for ref in fonts.values():
        font = ref.get_object()
        names.append(str(font["/BaseFont"]))
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert names and all("DejaVu" in n for n in names)
    assert not any("Helvetica" in n for n in names)


def test_metadata_from_the_topic(sheet: Path) -> None:
    meta = PdfReader(sheet).metadata
    assert meta is not None
    version = gather([CONTENT]).topics[0].version
    assert meta.title == f"PyTorch Training Loop (v{version})"
    assert meta.author == "A. Teacher"
    keywords = meta["/Keywords"]
    assert isinstance(keywords, str)
    assert "pytorch" in keywords


def test_metadata_is_the_text_as_a_reader_sees_it(tmp_path: Path, epoch: int) -> None:
    topic = (
        (FIXTURES / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace("title: Tiny topic", "title: Tiny *topic*\nsummary: 'A **short** one with `code` & *marks*'")
    )
    (tmp_path / "tiny.yaml").write_text(topic, encoding="utf-8")
    assert run_cli("build", str(tmp_path / "tiny.yaml"), "--out", str(tmp_path / "out"))[0] == 0
    meta = PdfReader(tmp_path / "out" / "tiny-topic.pdf").metadata
    assert meta is not None
    assert (meta.title, meta.subject) == ("Tiny topic (v0.1.0)", "A short one with code & marks")


def yellow_pixels(pdf: Path, box: tuple[float, float, float, float] | None = None) -> int:
    """Count emoji-yellow pixels (OpenMoji's face colour); the sheet's own palette has no yellow."""
    import pypdfium2 as pdfium

    scale = 3
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=scale).to_pil().convert("RGB")
    if box:
        image = image.crop(tuple(int(v * scale) for v in box))
    return sum(1 for r, g, b in image.get_flattened_data() if r > 200 and g > 180 and b < 120)


def test_emoji_are_drawn_as_pixels(sheet: Path) -> None:
    with pdfplumber.open(sheet) as pdf:
        cooking = next(w for w in pdf.pages[0].extract_words() if w["text"] == "Cooking")
    beside = (cooking["x1"], cooking["top"] - 4, cooking["x1"] + 20, cooking["bottom"] + 2)
    heading = yellow_pixels(sheet, beside)
    assert heading > 30
    assert yellow_pixels(sheet) - heading > 30  # 😂 in the lolo note and 👩‍🍳 in the table header


def test_the_room_kept_for_emoji_and_maths_is_not_an_image(sheet: Path) -> None:
    """The transparent pixel that holds their place in a line is never drawn: the sheet has emoji and maths and
    no picture, so it has no image at all."""
    assert yellow_pixels(sheet) > 30
    assert len(PdfReader(sheet).pages[0].images) == 0


def test_a_paragraph_is_wrapped_once_per_width() -> None:
    """Fitting wraps every paragraph and drawing wraps it again: the lines drawn are the lines measured."""
    from builder.sheet.paragraph import Paragraph
    from builder.sheet.styles import Styles

    paragraph = Paragraph("A long enough sentence to need more than one line in a narrow column.", Styles(9).body)
    narrow = paragraph.wrap(60, 1000)
    lines = vars(paragraph)["blPara"]  # ReportLab's broken lines, set by wrap
    assert paragraph.wrap(60, 500) == narrow and vars(paragraph)["blPara"] is lines
    assert paragraph.wrap(200, 1000)[1] < narrow[1]
    assert paragraph.wrap(60, 1000) == narrow and vars(paragraph)["blPara"] is not lines


def test_an_emoji_in_the_title_is_drawn_in_the_footer_too(tmp_path: Path, epoch: int) -> None:
    """The footer repeats the title; DejaVu has no colour emoji, so there it was an empty box."""
    topic = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("title: Tiny topic", "title: Tiny 🍋 topic")
    (tmp_path / "tiny.yaml").write_text(topic, encoding="utf-8")
    assert run_cli("build", str(tmp_path / "tiny.yaml"), "--out", str(tmp_path / "out"))[0] == 0
    sheet = tmp_path / "out" / "tiny-topic.pdf"
    with pdfplumber.open(sheet) as pdf:
        page = pdf.pages[0]
        footer = max(page.extract_words(), key=lambda w: w["top"])["top"]
        size = (float(page.width), float(page.height))
    assert yellow_pixels(sheet, (0, footer - 4, size[0], size[1])) > 5


def test_an_emoji_that_wraps_is_drawn_where_its_line_put_it() -> None:
    """Its callback and its room can land on two lines: drawn at the callback, it hung past the end of one line
    while the next began with an empty gap. At every width, no emoji ink lies right of the paragraph."""
    import io

    import pypdfium2 as pdfium

    from builder.glyphs.emoji import EmojiSet
    from builder.glyphs.fonts import coverage, register
    from builder.sheet.markup import Markup, blank_image
    from builder.sheet.paragraph import Paragraph
    from builder.sheet.pdf import SheetCanvas, emoji_drawer
    from builder.sheet.styles import Styles

    register()
    emoji = EmojiSet.load()
    markup = Markup(coverage(), emoji, blank_image()).text("Lemons: 🍋 and 🍋 and 🍋 are not needed here.", 9)
    overflows = []
    for width in range(40, 200, 6):
        out = io.BytesIO()
        canvas = SheetCanvas(out, pagesize=(width + 60, 120))
        canvas.setNamedCB("emoji", emoji_drawer(emoji))
        paragraph = Paragraph(markup, Styles(9).body)
        height = paragraph.wrapOn(canvas, width, 120)[1]
        paragraph.drawOn(canvas, 20, 110 - height)
        canvas.save()
        scale = 4
        image = pdfium.PdfDocument(out.getvalue())[0].render(scale=scale).to_pil().convert("RGB")
        right = image.crop((int((20 + width + 1) * scale), 0, image.width, image.height))
        if any(r > 200 and g > 180 and b < 120 for r, g, b in right.get_flattened_data()):
            overflows.append(width)
    assert overflows == []


def test_a_character_the_font_draws_is_artwork_only_when_asked_for_with_vs16() -> None:
    from builder.glyphs.emoji import EmojiSet
    from builder.glyphs.fonts import coverage

    emoji, cover = EmojiSet.load(), coverage().text
    art = {
        text: [a is not None for _, a in emoji.segments(text, cover.__contains__)]
        for text in ("⚠", "⚠️", "❤️ ok", "©", "😷")
    }
    assert art == {"⚠": [False], "⚠️": [True], "❤️ ok": [True, False], "©": [False], "😷": [False]}


def test_a_word_broken_at_its_own_hyphen_keeps_it(tmp_path: Path, epoch: int) -> None:
    """ReportLab drops a word's own hyphen when it wraps a paragraph again; the sheet wraps each paragraph once
    per width, so the lines drawn are the lines measured (on letter paper the Krebs sheet printed "acetylCoA")."""
    from helpers import CORPUS

    assert run_cli("build", str(CORPUS / "krebs-cycle.yaml"), "--out", str(tmp_path), "--paper", "letter")[0] == 0
    text = PdfReader(tmp_path / "krebs-cycle.pdf").pages[0].extract_text()
    assert "acetyl-\nCoA" in text or "acetyl-CoA," in text
    assert "acetylCoA" not in text


def test_no_emoji_no_yellow(tmp_path: Path, epoch: int) -> None:
    run_cli("build", str(FIXTURES / "literal.yaml"), "--out", str(tmp_path))
    assert yellow_pixels(tmp_path / "literal-text.pdf") == 0


def test_same_inputs_same_bytes(tmp_path: Path, epoch: int) -> None:
    for name in ("a", "b"):
        assert run_cli("build", str(CONTENT), "--out", str(tmp_path / name))[0] == 0
    assert (tmp_path / "a" / "pytorch-training-loop.pdf").read_bytes() == (
        tmp_path / "b" / "pytorch-training-loop.pdf"
    ).read_bytes()


def test_too_big_fails_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    code, out, err = run_cli("build", str(FIXTURES / "too-big.yaml"), "--out", str(tmp_path))
    assert code == 1
    assert "topic 'too-big' does not fit one page at 7 pt: " in err
    assert re.search(r"\d+ mm over 3 columns of \d+ mm( without its diagrams)?; the tallest parts are .+ \d+ mm, ", err)
    assert "shorten them or split the topic into two\n1 problem found; nothing was written" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_short_topic_uses_all_three_columns(tmp_path: Path, epoch: int) -> None:
    run_cli("build", str(FIXTURES / "literal.yaml"), "--out", str(tmp_path))
    with pdfplumber.open(tmp_path / "literal-text.pdf") as pdf:
        page = pdf.pages[0]
        third = (page.width - 2 * MARGIN) / 3
        columns = {int((c["x0"] - MARGIN) // third) for c in page.chars if c["top"] > 90 and c["bottom"] < 560}
        assert columns == {0, 1, 2}
        assert max(c["size"] for c in page.chars if c["top"] > 90) >= 11


def test_literal_markup_in_the_sheet(tmp_path: Path, epoch: int) -> None:
    run_cli("build", str(FIXTURES / "literal.yaml"), "--out", str(tmp_path))
    with pdfplumber.open(tmp_path / "literal-text.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    for literal in ("<script>alert(1)</script>", "x<y && y>z", "AT&T", "{{c2::not a cloze}}", "<b>stays</b>"):
        assert literal in text, literal


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("a function & more", "a function & more"),
        ("the function **bold** here", "the function bold here"),
        ("its function  < two spaces", "its function < two spaces"),
        ("function `code`", "function code"),
        ("(the *production*) **step**", "(the production) step"),
    ],
)
def test_a_space_after_a_hyphenated_word_survives_a_fragment_break(text: str, seen: str) -> None:
    """ReportLab drops a plain space between a soft-hyphenated word and the fragment after it ("function& more")."""
    import io

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from builder.glyphs.emoji import EmojiSet
    from builder.glyphs.fonts import coverage, register
    from builder.sheet.markup import Markup, blank_image
    from builder.sheet.paragraph import Paragraph
    from builder.sheet.styles import Styles

    register()
    paragraph = Paragraph(Markup(coverage(), EmojiSet.load(), blank_image()).text(text, 9), Styles(9).body)
    out = io.BytesIO()
    canvas = Canvas(out)
    paragraph.wrapOn(canvas, 400, 100)
    paragraph.drawOn(canvas, 20, 700)
    canvas.save()
    assert PdfReader(out).pages[0].extract_text().strip() == seen


def test_the_space_before_an_emoji_is_kept_and_a_space_inside_a_fragment_stays_plain() -> None:
    from builder.glyphs.emoji import EmojiSet
    from builder.glyphs.fonts import coverage
    from builder.sheet.markup import Markup, blank_image

    markup = Markup(coverage(), EmojiSet.load(), blank_image()).text("the *production*) 🔥 so much & more", 9)
    assert ")&#32;<onDraw" in markup
    assert "so much&#32;&amp; more" in markup


def test_long_code_lines_wrap_with_a_mark() -> None:
    from pygments.token import Name

    tokens = [(Name, "    " + "x" * 50)]
    lines = wrap_code_line(tokens, 20)
    rendered = ["".join(t for _, t in line) for line in lines]
    assert all(len(r) <= 20 for r in rendered)
    assert all(r.startswith("    ↪ ") for r in rendered[1:])
    assert "".join(r.replace("    ↪ ", "") for r in rendered).strip() == "x" * 50


def test_code_wraps_at_the_last_space_or_punctuation_that_fits_and_never_inside_a_number() -> None:
    from pygments.token import Text

    def wrapped(line: str, columns: int) -> list[str]:
        return ["".join(t for _, t in visual) for visual in wrap_code_line([(Text, line)], columns)]

    numbers = "x <- c(19.2, 21.5, 20.8, 22.1, 19.9, 21.0)"
    assert wrapped(numbers, 40) == ["x <- c(19.2, 21.5, 20.8, 22.1, 19.9,", "↪ 21.0)"]
    assert wrapped("ON c.id = o.customer_id", 10) == ["ON c.id =", "↪ o.", "↪ customer", "↪ _id"]
    assert wrapped("if (a<=b)", 6) == ["if (", "↪ a<=", "↪ b)"]  # never inside `<=`


def units(heights: list[float], starts: list[bool], continued: float = 0.0) -> list[Unit]:
    return [Unit((), h, s, (), 0.0 if s else continued) for h, s in zip(heights, starts, strict=True)]


def test_whole_sections_even_out_and_balance_never_buys_a_split() -> None:
    assert best_cut(units([10] * 6, [True] * 6), 100) == Cut(2, 4, 0.0, (20, 20, 20))
    # One section that fits a column stays whole there: two empty columns are fine.
    one = best_cut(units([10] * 6, [True] + [False] * 5, continued=4), 100)
    assert one is not None and (one.i, one.j, one.heights) == (6, 6, (60, 0, 0))
    # Uneven whole sections (30, 20, 10) beat even split ones.
    uneven = best_cut(units([10] * 6, [True, False, False, True, False, True]), 100)
    assert uneven is not None and (uneven.i, uneven.j) == (3, 5)


def test_a_section_splits_only_when_nothing_else_fits() -> None:
    cut = best_cut(units([10] * 6, [True] + [False] * 5, continued=4), 25)
    assert cut is not None and (cut.i, cut.j) == (2, 4) and cut.tallest == 24
    assert cut.cost >= 2 * SPLIT_PENALTY
    assert best_cut(units([30], [True]), 25) is None


def test_unevenness_is_a_preference_that_grows_with_the_spread() -> None:
    assert badness((50, 50, 50), 100) == 0.0
    assert 0 < badness((50, 40, 45), 100) < badness((50, 10, 45), 100) < badness((100, 0, 0), 100) < SPLIT_PENALTY
