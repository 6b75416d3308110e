"""CJK text on the sheet (the cjk extra's font, cut to the sheet's characters) and right-to-left text refused."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest
import rules
from helpers import EPOCH, FIXTURES, ROOT, load_file, run_cli

from builder.cache import store
from builder.content.checks import check_text
from builder.content.gather import gather
from builder.content.model import Topic
from builder.content.validate import validate
from builder.deck.card_diagram import SVG_FONT, SVG_WIDTH, diagram_svg, measure
from builder.diagram import wrap
from builder.errors import FontError
from builder.glyphs.cjk import CJKFont
from builder.glyphs.emoji import EmojiSet
from builder.glyphs.fonts import coverage
from builder.render.plan import plan
from builder.render.renderer import Renderer, sheet_texts
from builder.sheet.fit import FittedSheet
from builder.sheet.paragraph import Paragraph, break_lines
from builder.sheet.styles import GUTTER, MARGIN, Styles
from builder.text.marks import plain
from builder.text.scripts import NO_END, NO_START, is_cjk

JAPANESE = FIXTURES / "japanese.yaml"


def _japanese() -> Topic:
    """The fixture as a topic, with or without a CJK font to pass the text checks."""
    doc, _ = load_file(JAPANESE, str(JAPANESE))
    assert doc is not None
    topic, _ = validate(doc, None)
    assert topic is not None
    return topic


TOPIC = _japanese()
FONT = CJKFont.installed()
# The test extra installs the font; without it these are skipped, except under CI, where they fail.
needs_font = pytest.mark.skipif(FONT is None and not os.environ.get("CI"), reason="the cjk extra is not installed")


@pytest.fixture(scope="module")
def sheet_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("japanese")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, _, err = run_cli("build", str(JAPANESE), "--out", str(out), "--jobs", "1")
    assert code == 0, err
    return out / f"{TOPIC.id}.pdf"


@pytest.fixture(scope="module")
def fitted() -> FittedSheet:
    return Renderer().fit(plan([TOPIC], "a4")[0])


def test_the_fixture_has_kana_and_kanji_everywhere() -> None:
    texts = [TOPIC.title, *(s.name for s in TOPIC.sequences[0].steps), TOPIC.mnemonics[0].phrase]
    texts += [p.like for p in TOPIC.analogies[0].pairs]
    assert all(re.search("[\u3040-\u30ff]", t) for t in texts[1:]) and re.search("[\u4e00-\u9fff]", TOPIC.title)


@needs_font
def test_every_character_is_drawn_in_a_font_that_has_it(sheet_pdf: Path) -> None:
    """No missing glyphs: DejaVu draws what it covers, the CJK font every CJK character, each from its own map."""
    assert FONT is not None
    fonts = coverage()
    with pdfplumber.open(sheet_pdf) as pdf:
        chars = pdf.pages[0].chars
    wrong = []
    for char in chars:
        name = char["fontname"].split("+", 1)[1]
        cover = FONT.chars if name.startswith("NotoSansCJK") else fonts.code if "Mono" in name else fonts.text
        if char["text"].strip() and ord(char["text"]) not in cover:
            wrong.append((char["text"], name))
    assert wrong == []
    drawn_cjk = {c["text"] for c in chars if c["fontname"].split("+", 1)[1].startswith("NotoSansCJK")}
    assert drawn_cjk == {ch for text in sheet_texts(TOPIC) for ch in text if is_cjk(ch)}


@needs_font
def test_the_sheet_prints_every_text(sheet_pdf: Path) -> None:
    """Each text of the topic, read back from the column (or analogy table column) it is in (spaces and line
    breaks aside)."""
    with pdfplumber.open(sheet_pdf) as pdf:
        page = pdf.pages[0]
        width = (page.width - 2 * MARGIN - 2 * GUTTER) / 3
        parts = [page.extract_text()]
        for k in range(3):
            left = MARGIN + k * (width + GUTTER)
            for a, b in ((0, 1), (0, 0.45), (0.45, 1)):
                parts.append(page.crop((left + a * width, 0, left + b * width, page.height)).extract_text())
    read = ["".join(part.split()) for part in parts]
    seq = TOPIC.sequences[0]
    texts = [
        TOPIC.title,
        TOPIC.summary or "",
        seq.title,
        *(s.name for s in seq.steps),
        *(s.does or "" for s in seq.steps),
    ]
    texts += [p.like for p in TOPIC.analogies[0].pairs] + [c.hook or "" for c in TOPIC.mnemonics[0].cues]
    texts += [TOPIC.mnemonics[0].note or "", TOPIC.mnemonics[0].phrase]
    missing = [t for t in texts if not any("".join(plain(t).split()) in r.replace("-", "") for r in read)]
    assert missing == []


@needs_font
def test_the_sheet_embeds_cjk_subsets_and_stays_small(sheet_pdf: Path) -> None:
    reader = pypdf.PdfReader(sheet_pdf)
    resources: Any = reader.pages[0]["/Resources"]
    fonts = [f.get_object() for f in resources["/Font"].values()]
    cjk = [f for f in fonts if "NotoSansCJK" in str(f["/BaseFont"])]
    # Each cut is named after its face and its character set (NotoSansCJKJP-Regular-1a2b3c4d).
    names = {str(f["/BaseFont"]).split("+", 1)[1].rsplit("-", 1)[0] for f in cjk}
    assert names == {"NotoSansCJKJP-Regular", "NotoSansCJKJP-Bold"}
    assert all(re.fullmatch(r"/[A-Z]{6}\+\S+", str(f["/BaseFont"])) for f in cjk)  # subset fonts
    programs = [f["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data() for f in cjk]
    assert sum(len(p) for p in programs) < 100_000  # of a 33 MB font file
    assert sheet_pdf.stat().st_size < 200_000  # the English PyTorch sheet is 114 KB


@needs_font
def test_the_cut_font_is_the_same_from_the_cache_and_made_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sheet_pdf: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for out in ("fresh", "cached"):
        assert run_cli("build", str(JAPANESE), "--out", str(tmp_path / out), "--jobs", "1")[0] == 0
    assert list((tmp_path / "cache" / "flozp-builder" / f"v{store.FORMAT}").glob("cjk-cut-*"))
    fresh, cached = ((tmp_path / out / sheet_pdf.name).read_bytes() for out in ("fresh", "cached"))
    assert fresh == cached == sheet_pdf.read_bytes()


@needs_font
def test_cjk_lines_keep_the_line_breaking_rules_and_latin_words(fitted: FittedSheet) -> None:
    lines = []
    for column in fitted.columns:
        for paragraph in rules.paragraphs(column):
            if hasattr(paragraph, "blPara") and any(is_cjk(ch) for ch in paragraph.text):
                lines += ["".join(f.text for f in line.words) for line in paragraph.blPara.lines]
    assert len(lines) > 40
    assert [line for line in lines if line.strip()[:1] in NO_START or line.strip()[-1:] in NO_END] == []
    assert rules.words_broken_without_hyphen(fitted) == []


@needs_font
def test_bold_text_sets_cjk_in_the_bold_face(fitted: FittedSheet) -> None:
    heading = next(p for p in rules.paragraphs(fitted.columns[0]) if TOPIC.sequences[0].title in p.text)
    assert {f.fontName.endswith("-Bold") for f in heading.frags if any(is_cjk(ch) for ch in f.text)} == {True}


def test_a_latin_word_in_cjk_text_moves_whole_to_the_next_line() -> None:
    Renderer()  # registers the fonts
    paragraph = Paragraph("日本語のテキストとbackpropagationという単語", Styles(10).body)
    paragraph.wrap(120, 1000)
    lines = ["".join(f.text for f in line.words) for line in paragraph.blPara.lines]  # type: ignore[attr-defined]
    assert any("backpropagation" in line for line in lines), lines


def test_break_lines_breaks_between_cjk_characters_but_not_before_closing_punctuation() -> None:
    class Unit(str):
        width = 10.0

    units = [Unit(ch) for ch in "あいう。えお"]
    assert break_lines(units, [30.0]) == [(0, 2, False), (2, 5, False), (5, 6, False)]


def test_diagram_wraps_cjk_names_between_characters() -> None:
    wrapped = wrap("逆伝播で勾配を求める（自動微分）", 50, 50, 10, lambda text, size: len(text) * size)
    assert not wrapped.forced and "".join(wrapped.lines) == "逆伝播で勾配を求める（自動微分）"
    assert all(len(line) <= 5 for line in wrapped.lines)
    assert [line for line in wrapped.lines if line[0] in NO_START or line[-1] in NO_END] == []


def test_card_diagram_makes_room_for_wide_characters() -> None:
    svg = diagram_svg(TOPIC, TOPIC.sequences[0])
    lines = re.findall(r"<tspan(?: x=\"[\d.]+\" dy=\"[\d.]+\")?>([^<]*)</tspan>", svg)
    assert "".join(lines) == "".join(s.name for s in TOPIC.sequences[0].steps)
    assert max(measure(line, SVG_FONT) for line in lines) < SVG_WIDTH / 2
    assert measure("訓練", 10) == 20.0 and measure("ab", 10) > 2 * 10 * 0.6  # DejaVu Sans Bold is wide


def test_without_a_cjk_font_a_cjk_character_names_the_extra() -> None:
    doc, _ = load_file(JAPANESE, "japanese.yaml")
    assert doc is not None
    problems = check_text(doc, coverage(), EmojiSet.load(), None)
    assert str(problems[0]) == (
        "japanese.yaml:3:15: title: 12 characters in HIRAGANA, CJK, KATAKANA, KATAKANA-HIRAGANA, FULLWIDTH script "
        "cannot be drawn (の学習ループ（訓練流れ）): install the cjk extra: pip install 'flozp-builder[cjk]'"
    )
    assert all("pip install 'flozp-builder[cjk]'" in p.message for p in problems if not p.warning)


@needs_font
def test_with_the_font_the_japanese_topic_is_valid() -> None:
    doc, _ = load_file(JAPANESE, "japanese.yaml")
    assert doc is not None
    assert check_text(doc, coverage(), EmojiSet.load(), FONT) == []


def test_the_font_can_be_named_or_turned_off(tmp_path: Path) -> None:
    assert CJKFont.installed({"FLOZP_CJK_FONT": ""}) is None
    with pytest.raises(FontError, match="FLOZP_CJK_FONT names .*missing.ttf, which is not a file"):
        CJKFont.installed({"FLOZP_CJK_FONT": str(tmp_path / "missing.ttf")})
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    named = CJKFont.installed({"FLOZP_CJK_FONT": str(junk)})
    assert named is not None
    with pytest.raises(FontError, match="junk.ttf: cannot be read as a font"):
        _ = named.chars


@needs_font
def test_a_named_truetype_font_draws_cjk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A static TrueType font named by FLOZP_CJK_FONT (here one cut from the extra's): used as it is, bold too."""
    assert FONT is not None
    named_file = tmp_path / "named.ttf"
    named_file.write_bytes(FONT._made("日本語", (400,))[0])
    named = CJKFont.installed({"FLOZP_CJK_FONT": str(named_file)})
    assert named is not None and not named.variable and named.chars == {ord(c) for c in "日本語"}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    Renderer()
    face = named.face_for(["日本", "English"])
    assert face is not None and face.bold == face.name and face.credit == "named"
    assert face.chars == {ord("日"), ord("本")}
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth("日本", face.name, 10) == 20


@needs_font
def test_the_booklet_contents_print_cjk_titles(fitted: FittedSheet) -> None:
    import io

    from builder.sheet.booklet import booklet_bytes

    renderer = Renderer()
    data = booklet_bytes(
        "学習コース",
        "2026-01-01",
        [(TOPIC, fitted)],
        renderer.emoji,
        cjk=renderer.cjk_face(["学習コース", TOPIC.title]),
    )
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        contents = "".join(pdf.pages[0].extract_text().split())
        fonts = {c["fontname"].split("+", 1)[1] for c in pdf.pages[0].chars if is_cjk(c["text"])}
    assert "学習コース" in contents and "".join(TOPIC.title.split()) in contents
    assert {name.rsplit("-", 1)[0] for name in fonts} == {"NotoSansCJKJP-Regular", "NotoSansCJKJP-Bold"}


@needs_font
def test_the_extras_font_is_used_in_its_japanese_face() -> None:
    from fontTools.ttLib import TTFont

    assert FONT is not None
    with TTFont(FONT.path, fontNumber=FONT.face, lazy=True) as face:
        assert face["name"].getDebugName(1).startswith("Noto Sans CJK JP")


def test_cjk_mixed_with_other_undrawable_text_still_names_the_extra(tmp_path: Path) -> None:
    source = tmp_path / "mixed.yaml"
    source.write_text(
        "format: 1\nid: m\ntitle: 漢字と𓀀\nversion: 1.0.0\nsequences:\n  - id: s\n    title: S\n    steps: [A, B]\n",
        encoding="utf-8",
    )
    doc, _ = load_file(source, "mixed.yaml")
    assert doc is not None
    assert [str(p) for p in check_text(doc, coverage(), EmojiSet.load(), None)] == [
        "mixed.yaml:3:8: title: 4 characters in CJK, HIRAGANA, EGYPTIAN script cannot be drawn (漢字と𓀀): DejaVu Sans "
        "has no glyphs for them; for the CJK ones, install the cjk extra: pip install 'flozp-builder[cjk]'"
    ]


@needs_font
def test_the_japanese_deck_imports_into_anki_with_its_text(sheet_pdf: Path, tmp_path: Path) -> None:
    from helpers import import_deck, new_collection

    col = new_collection(tmp_path)
    import_deck(col, sheet_pdf.with_suffix(".apkg"))
    sides = rules.card_sides(col)
    col.close()
    answers = " ".join(answer for _, answer in sides)
    assert all(step.name in answers for step in TOPIC.sequences[0].steps)
    assert rules.duplicate_questions(sides) == []


@needs_font
def test_two_cjk_topics_in_one_process_each_draw_their_own_characters(tmp_path: Path) -> None:
    """ReportLab takes a TrueType font whose internal name it has seen for that font: two cuts of one face,
    made for two sheets of a run, must not share glyphs (the second sheet printed most kanji as blanks)."""
    from builder.render.plan import plan
    from builder.render.renderer import Renderer
    from builder.sheet.pdf import pdf_bytes

    renderer = Renderer()
    for source in (ROOT / "tests" / "i18n" / "ja-ocha.yaml", ROOT / "tests" / "fixtures" / "japanese.yaml"):
        topic = gather([source]).topics[0]
        data = pdf_bytes(topic, renderer.fit(plan([topic], "a4")[0]), renderer.emoji)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blanks = [c["text"] for c in pdf.pages[0].chars if c["text"] == "\x00"]
        assert blanks == [], source.name


def test_a_cjk_font_turned_off_by_the_variable_is_named_as_the_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The extra may well be installed: the fix is then to unset the variable, not to install it again."""
    monkeypatch.setenv("FLOZP_CJK_FONT", "")
    code, _, err = run_cli("check", str(JAPANESE))
    assert code == 1
    located = [line for line in err.splitlines() if line.startswith(str(JAPANESE.relative_to(ROOT)))]
    assert located and all("FLOZP_CJK_FONT is set but empty" in line for line in located), err
    assert "pip install" not in err
