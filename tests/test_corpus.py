"""The output rules, held over a corpus of topics from many fields (tests/corpus), as teachers write them."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import ink
import pytest
import rules
from helpers import CORPUS, EPOCH, FIXTURES, ROOT, import_deck, new_collection, run_cli, visible_text
from reportlab.pdfgen.canvas import Canvas

from builder.content.gather import Gathered, gather
from builder.content.model import Topic
from builder.deck.card_diagram import diagram_svg
from builder.glyphs.emoji import EmojiSet
from builder.glyphs.fonts import SANS, coverage, register
from builder.sheet.drawing import DiagramDrawing
from builder.sheet.fit import FittedSheet, fit_sheet
from builder.sheet.markup import Markup, blank_image
from builder.sheet.styles import MAX_SIZE
from builder.text.marks import MATHS, glued, plain, spans

GATHERED = gather([CORPUS])
TOPICS = {t.id: t for t in GATHERED.topics}


def test_the_corpus_is_broad() -> None:
    assert len(TOPICS) >= 14
    lengths = [len(s.steps) for t in TOPICS.values() for s in t.sequences]
    assert min(lengths) == 2 and max(lengths) == 20
    assert {"bash", "sql"} <= {s.language for t in TOPICS.values() for s in t.snippets}
    names = [[s.name for s in seq.steps] for t in TOPICS.values() for seq in t.sequences]
    assert any(len(set(n)) < len(n) for n in names), "a sequence with a step name that occurs twice"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, _, err = run_cli("build", str(CORPUS), "--out", str(out), "--jobs", "2")
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def decks(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str]]]:
    """Every corpus deck imported into its own real Anki collection: each card's two sides as read."""
    sides = {}
    for topic_id in TOPICS:
        folder = tmp_path_factory.mktemp(topic_id)
        col = new_collection(folder)
        import_deck(col, built / f"{topic_id}.apkg")
        sides[topic_id] = rules.card_sides(col)
        col.close()
    return sides


@pytest.fixture(scope="module")
def sheets() -> dict[str, FittedSheet]:
    register()
    fonts, emoji = coverage(), EmojiSet.load()
    return {t.id: fit_sheet(t, "a4", "2026-01-01", fonts, emoji, blank_image()) for t in TOPICS.values()}


def test_the_size_estimate_only_saves_layouts(sheets: dict[str, FittedSheet], monkeypatch: pytest.MonkeyPatch) -> None:
    """Walking down from the largest size, as with no estimate at all, ends at every size the estimate led to."""
    import math

    from builder.sheet import fit

    shrunk = {topic_id: sheet.size for topic_id, sheet in sheets.items() if sheet.size < MAX_SIZE}
    assert len(shrunk) >= 5, "the corpus has topics set below the largest size"
    monkeypatch.setattr(fit, "GROWTH", math.inf)  # the estimate is then the largest size
    fonts, emoji = coverage(), EmojiSet.load()
    walked = {
        topic_id: fit_sheet(TOPICS[topic_id], "a4", "2026-01-01", fonts, emoji, blank_image()).size
        for topic_id in shrunk
    }
    assert walked == shrunk


def test_no_two_cards_ask_the_same_question(decks: dict[str, list[tuple[str, str]]]) -> None:
    assert {topic: rules.duplicate_questions(sides) for topic, sides in decks.items()} == {t: [] for t in decks}


def mnemonics() -> Iterator[tuple[Topic, int]]:
    for topic in TOPICS.values():
        for k in range(len(topic.mnemonics)):
            yield topic, k


def test_the_marked_letter_is_the_cues_own(decks: dict[str, list[tuple[str, str]]]) -> None:
    checked = 0
    for topic, k in mnemonics():
        mnemonic = topic.mnemonics[k]
        questions = [q for q, _ in decks[topic.id]]
        expected = rules.expected_letter_positions(mnemonic)
        assert list(mnemonic.letter_positions()) == expected, mnemonic.phrase
        for cue, at in zip(mnemonic.cues, expected, strict=True):
            marked = rules.bracketed(mnemonic.phrase, at, cue.letter)
            assert any(marked in q for q in questions), (topic.id, marked)
            checked += 1
    assert checked >= 40


def test_known_phrases_mark_the_right_words() -> None:
    osi = TOPICS["osi-model"].mnemonics[0]
    throw = osi.letter_positions()[3]
    assert osi.phrase[throw:].startswith("Throw")
    krebs = TOPICS["krebs-cycle"].mnemonics[0]
    assert [krebs.phrase[a:].split()[0] for a in krebs.letter_positions()][3:5] == ["Selling", "Sex"]


def test_text_arrives_as_typed_on_cards(decks: dict[str, list[tuple[str, str]]]) -> None:
    for topic in TOPICS.values():
        shown = re.sub(r"\s+", "", " ".join(q + " " + a for q, a in decks[topic.id]))
        for seq in topic.sequences:
            for step in seq.steps:
                assert re.sub(r"\s+", "", plain(step.name)) in shown, (topic.id, step.name)
        for analogy in topic.analogies:
            for pair in analogy.pairs:
                assert re.sub(r"\s+", "", plain(pair.like)) in shown, (topic.id, pair.like)
    proof = " ".join(a for _, a in decks["proof-by-induction"])
    assert "1*2*3 = 3! the product a*b*c is written with stars, and a literal * is typed" in proof


def _between_maths(text: str) -> list[str]:
    """The plain text around maths, which is drawn as paths (with the punctuation typed against it)."""
    pieces = [""]
    for style, run in glued(spans(text)):
        if style in MATHS:
            pieces.append("")
        else:
            pieces[-1] += run
    return [p for p in pieces if p.strip()]


def test_text_arrives_as_typed_on_sheets(built: Path) -> None:
    from pypdf import PdfReader

    emoji = EmojiSet.load()
    fonts = coverage()
    for topic in TOPICS.values():
        raw = PdfReader(built / f"{topic.id}.pdf").pages[0].extract_text()  # content-stream order: cell by cell
        text = re.sub(r"[\s\-\u00ad↪]", "", raw)  # a wrapped code line continues after its ↪ mark
        for typed, code in topic.texts():
            cover = fonts.code if code else fonts.text
            for line in plain(typed).split("\n") if code else _between_maths(typed):
                drawn = "".join(piece for piece, art in emoji.segments(line, cover.__contains__) if art is None)
                assert re.sub(r"[\s\-]", "", drawn) in text, (topic.id, line)


def test_no_word_is_broken_without_a_hyphen(sheets: dict[str, FittedSheet]) -> None:
    assert {t: rules.words_broken_without_hyphen(s) for t, s in sheets.items()} == {t: [] for t in sheets}


def test_a_cue_badge_stays_on_one_line(sheets: dict[str, FittedSheet], letter_sheets: dict[str, FittedSheet]) -> None:
    for paper in (sheets, letter_sheets):
        assert {t: rules.broken_brackets(s.columns) for t, s in paper.items()} == {t: [] for t in paper}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_cue_badge_stays_on_one_line_at_every_size(lang: str) -> None:
    """`Loss backwards [cue: Z]` (`[Merkhilfe: Z]`) laid out at each type size: wherever its line breaks,
    never inside the badge."""
    from builder.sheet.sections import topic_units
    from builder.sheet.styles import MIN_SIZE, SIZE_STEP, Styles
    from builder.text.i18n import Words

    register()
    topic = dataclasses.replace(gather([ROOT / "content"]).topics[0], lang=lang)
    mk, words = Markup(coverage(), EmojiSet.load(), blank_image()), Words.load(lang)
    size, broken = MIN_SIZE, {}
    while size <= MAX_SIZE:
        for width in (150.0, 190.0, 240.0):
            units = topic_units(topic, Styles(size), mk, width, words)  # each measured, so wrapped, there
            broken[size, width] = rules.broken_brackets((tuple(f for u in units for f in u.flowables),))
        size += SIZE_STEP
    assert broken == {key: [] for key in broken}


def test_no_words_run_together(sheets: dict[str, FittedSheet]) -> None:
    assert {t: rules.words_run_together(s) for t, s in sheets.items()} == {t: [] for t in sheets}


def test_diagram_boxes_break_words_only_with_a_hyphen_and_only_when_too_wide() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from builder.diagram import arrange
    from builder.glyphs.fonts import SANS

    register()
    for topic in TOPICS.values():
        for seq in topic.sequences:
            names = [plain(s.name) for s in seq.steps]
            shape = arrange(
                names, [None] * len(names), seq.shape == "loop", 240, 7, lambda t, s: stringWidth(t, SANS + "-Bold", s)
            )
            for box, name in zip(shape.boxes, names, strict=True):
                inner = box.w - 2 * 0.45 * 7
                beside = inner - stringWidth(f"{box.number} ", SANS + "-Bold", 7)  # what the step number leaves
                if not box.lines[0]:  # the number alone: the first word went below, whole, as it did not fit beside
                    assert stringWidth(name.split()[0], SANS + "-Bold", 7) > beside, (topic.id, box.lines)
                    assert box.lines[1].split()[0] == name.split()[0], (topic.id, box.lines)
                lines = [line.split() for line in box.lines if line]
                assert rules.cut_without_hyphen(lines, set(name.split())) == [], (topic.id, box.lines)
                # A word begun at the start of line 1 had only the room the step number leaves there.
                first = beside if box.lines[0] and len(lines[0]) == 1 else inner

                def fits(word: str, line: int, inner: float = inner, first: float = first) -> bool:
                    return bool(stringWidth(word, SANS + "-Bold", 7) <= (first if line == 0 else inner))

                assert rules.needless_hyphens(lines, set(name.split()), fits) == [], (topic.id, box.lines)


def _card_lines(svg: str) -> list[tuple[str, ...]]:
    """Each box's lines as the card's SVG writes them (its number's tspan left out)."""
    boxes = re.findall(r'<text class="dg-text"[^>]*>(.*?)</text>', svg)
    return [tuple(html.unescape(t) for t in re.findall(r"<tspan(?! class)[^>]*>(.*?)</tspan>", box)) for box in boxes]


def test_the_sheet_draws_diagrams_as_their_cards_do_where_that_costs_nothing(
    sheets: dict[str, FittedSheet], letter_sheets: dict[str, FittedSheet]
) -> None:
    """Drawn as on its card, a diagram's boxes hold the card's lines, word breaks included, on both papers.
    A sheet redraws one to its column only when the card's drawing costs a split or a smaller size
    (`test_fit`), which over this corpus is rare."""
    as_card, redrawn = 0, []
    for paper, fitted in (("a4", sheets), ("letter", letter_sheets)):
        for topic_id, sheet in fitted.items():
            topic = TOPICS[topic_id]
            for drawing in (f for column in sheet.columns for f in column if isinstance(f, DiagramDrawing)):
                if not drawing.as_card:
                    redrawn.append(f"{topic_id}@{paper}")
                    continue
                card = _card_lines(diagram_svg(topic, topic.sequence(drawing.sequence)))
                assert [b.lines for b in drawing.shape.boxes] == card, (topic_id, paper, drawing.sequence)
                as_card += 1
    assert as_card >= 40 and len(redrawn) <= as_card // 10, redrawn


def test_terms_and_analogies_hyphenate_only_words_too_wide_for_their_cell(
    sheets: dict[str, FittedSheet], letter_sheets: dict[str, FittedSheet]
) -> None:
    for paper in (sheets, letter_sheets):
        assert {t: rules.needless_hyphens_in_cells(s) for t, s in paper.items()} == {t: [] for t in paper}
    assert any(t.terms for t in TOPICS.values()) and any(t.analogies for t in TOPICS.values())


def test_columns_continue_under_their_title(sheets: dict[str, FittedSheet]) -> None:
    assert [t for t, s in sheets.items() if not rules.columns_start_with_a_title(s)] == []
    assert any(rules.continued_titles(s) for s in sheets.values()), "the corpus never continues a section"


@pytest.fixture(scope="module")
def letter_sheets() -> dict[str, FittedSheet]:
    register()
    fonts, emoji = coverage(), EmojiSet.load()
    return {t.id: fit_sheet(t, "letter", "2026-01-01", fonts, emoji, blank_image()) for t in TOPICS.values()}


def test_no_stranded_steps_and_no_needless_splits(
    sheets: dict[str, FittedSheet], letter_sheets: dict[str, FittedSheet]
) -> None:
    for paper in (sheets, letter_sheets):
        assert {t: rules.stranded_steps(s) for t, s in paper.items()} == {t: [] for t in paper}
        assert {t: rules.needless_splits(s) for t, s in paper.items()} == {t: [] for t in paper}
        assert {t: rules.diagrams_apart_from_their_last_step(s) for t, s in paper.items()} == {t: [] for t in paper}
    assert any(s.splits for s in sheets.values()), "the corpus has a topic that must split a section"


@pytest.fixture(scope="module")
def built_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus-letter")
    code, _, err = run_cli("build", str(CORPUS), "--out", str(out), "--jobs", "2", "--paper", "letter")
    assert code == 0, err
    return out


def test_code_wraps_at_spaces_or_punctuation_and_always_with_a_mark(built: Path, built_letter: Path) -> None:
    coded = [t for t in TOPICS.values() if t.snippets or any(s.code for q in t.sequences for s in q.steps)]
    assert len(coded) >= 4
    for folder in (built, built_letter):
        assert {t.id: rules.bad_code_breaks(t, folder / f"{t.id}.pdf") for t in coded} == {t.id: [] for t in coded}
    wrapped = [p for f in (built, built_letter) for t in coded for p in rules.drawn_code_lines(f / f"{t.id}.pdf")]
    assert any(len(pieces) > 1 for pieces in wrapped), "the corpus wraps a line of code"


# Each topic's type size on A4 and letter before the layout search (benchmarks/sheet_layout.py on that tree).
BEFORE = json.loads((Path(__file__).parent / "sheet_sizes_before.json").read_text())


def test_no_topic_is_set_smaller_than_before(
    sheets: dict[str, FittedSheet], letter_sheets: dict[str, FittedSheet]
) -> None:
    smaller = {
        f"{t}@{paper}": (BEFORE[f"{t}@{paper}"], s.size)
        for paper, fitted in (("a4", sheets), ("letter", letter_sheets))
        for t, s in fitted.items()
        if s.size < BEFORE[f"{t}@{paper}"] - 0.25
    }
    assert smaller == {}
    assert {f"{t}@{paper}" for t in TOPICS for paper in ("a4", "letter")} <= set(BEFORE)


def test_small_topics_are_set_large_and_short_sequences_kept_whole(sheets: dict[str, FittedSheet]) -> None:
    assert [t for t, s in sheets.items() if not rules.small_topics_grow_first(s)] == []
    assert {t: rules.short_sequences_split(TOPICS[t], s) for t, s in sheets.items()} == {t: [] for t in sheets}
    two = sheets["two-step"]
    assert sum(1 for column in two.columns if column) == 1


def test_check_knows_what_build_knows(tmp_path: Path, epoch: int) -> None:
    big = str(FIXTURES / "too-big.yaml")
    checked = run_cli("check", big)
    built = run_cli("build", big, "--out", str(tmp_path))
    assert checked[0] == built[0] == 1
    said, reported = checked[2].splitlines(), built[2].splitlines()
    assert said[:-1] == reported[:-1] and "does not fit one page" in checked[2]
    assert run_cli("check", str(CORPUS))[0] == 0


def test_prompts_set_titles_off_and_ask_for_the_first_step(decks: dict[str, list[tuple[str, str]]]) -> None:
    titled = [
        visible_text(title)
        for t in TOPICS.values()
        for title in [s.title for s in t.sequences] + [a.title for a in t.analogies]
        if re.search(r"[,\"'“”]", title)
    ]
    assert titled, "the corpus has titles with commas or quotes"
    for topic_id, sides in decks.items():
        for question, _ in sides:
            for title in titled:
                for sentence in re.findall(r"[^?…]*[?…]", question):
                    assert f"{title}," not in sentence and f"in {title}" not in sentence, (topic_id, question)
        firsts = [q for q, _ in sides if "Which step comes first?" in q]
        assert len(firsts) == len(TOPICS[topic_id].sequences)
        assert not any("What comes next?" in q and "[" in q.split("What comes next?")[1][:12] for q, _ in sides)


def test_a_repeated_step_name_is_told_apart_by_its_number(decks: dict[str, list[tuple[str, str]]]) -> None:
    questions = [q for q, _ in decks["pancake-recipe"]]
    assert any("What comes right before Stir (step 5)?" in q for q in questions)
    assert not any(re.search(r"before Stir\?", q) for q in questions)


def test_gathered_has_only_expected_warnings() -> None:
    assert isinstance(GATHERED, Gathered)
    assert [w.key for w in GATHERED.warnings] == ["sequences[0].steps"] * 2  # the 12 cranial nerves, the 20 steps


def test_no_ink_meets_another_lines(built: Path, letter_sheets: dict[str, FittedSheet]) -> None:
    """Glyphs, formulas and emoji keep to their own line, off rules and badges, on every sheet on both papers."""
    from builder.sheet.pdf import pdf_bytes

    emoji = EmojiSet.load()
    found, art = {}, {}
    for topic in TOPICS.values():
        a4 = (built / f"{topic.id}.pdf").read_bytes()
        for paper, pdf in (("a4", a4), ("letter", pdf_bytes(topic, letter_sheets[topic.id], emoji))):
            pieces = ink.page_ink(pdf)
            found[f"{topic.id}@{paper}"] = rules.ink_collisions(pieces)
            art[f"{topic.id}@{paper}"] = sum(piece.kind == "art" for piece in pieces)
    assert found == {name: [] for name in found}
    assert art["t-test@a4"] > 100 and art["t-test@letter"] > 100, "the formulas are read as art in their lines"


def _collisions(*draws: Callable[[Canvas], None]) -> list[str]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 100))
    for draw in draws:
        draw(canvas)
    canvas.save()
    return rules.ink_collisions(ink.page_ink(buffer.getvalue()))


def _line(canvas: Canvas, y: float, text: str = "Hello") -> None:
    canvas.saveState()
    canvas.setFont(SANS, 10)
    canvas.drawString(20, y, text)
    canvas.restoreState()


def _formula(canvas: Canvas, y: float) -> None:
    """A line of text with a formula set in it: a path in a state of its own inside the line's."""
    canvas.saveState()
    canvas.setFont(SANS, 10)
    canvas.drawString(60, y, "Take")
    canvas.saveState()
    canvas.rect(25, y - 6, 12, 20, stroke=0, fill=1)
    canvas.restoreState()
    canvas.restoreState()


def _shape(canvas: Canvas, fill: bool, x: float, y: float, width: float, height: float) -> None:
    canvas.saveState()
    canvas.rect(x, y, width, height, stroke=int(not fill), fill=int(fill))
    canvas.restoreState()


def _underlined(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFont(SANS, 10)
    canvas.drawString(20, 50, "Hello")
    canvas.line(20, 48.5, 45, 48.5)
    canvas.restoreState()


def test_the_ink_rule_can_fail_and_passes_ink_on_its_ground() -> None:
    """Lines too close, a formula rising into the line above, text off its badge or across a rule are found; a glyph
    on its badge, an underline under its own letters and lines a leading apart are not."""
    register()
    first = partial(_line, y=50)
    assert _collisions(first, partial(_line, y=38)) == []
    assert _collisions(first, partial(_line, y=43)) != []
    assert _collisions(first, partial(_formula, y=30)) == []
    assert _collisions(first, partial(_formula, y=38)) != []
    assert _collisions(partial(_shape, fill=True, x=15, y=45, width=40, height=15), first) == []
    assert _collisions(partial(_shape, fill=True, x=15, y=45, width=20, height=15), first) != []
    assert _collisions(first, partial(_shape, fill=False, x=10, y=53, width=100, height=0)) != []
    assert _collisions(_underlined) == []
