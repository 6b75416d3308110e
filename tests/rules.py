"""Rules every topic's output must keep, written once for the corpus tests and the property tests."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ink
import sheet_parts
from helpers import visible_text
from reportlab.platypus import Flowable, Paragraph, Table

from builder.content.model import Mnemonic, Topic
from builder.sheet.fit import FittedSheet
from builder.sheet.styles import MAX_SIZE
from builder.text.marks import plain
from builder.text.scripts import is_cjk

if TYPE_CHECKING:
    from anki.collection import Collection

_WORD = re.compile(r"\w+")


def card_sides(col: Collection) -> list[tuple[str, str]]:
    """Every card's question and answer as a student reads them (HTML removed, spaces folded)."""
    sides = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        sides.append((visible_text(card.question()), visible_text(card.answer())))
    return sides


def duplicate_questions(sides: list[tuple[str, str]]) -> list[str]:
    """Questions asked twice with different answers."""
    answers: dict[str, set[str]] = {}
    for question, answer in sides:
        answers.setdefault(question, set()).add(answer)
    return [q for q, a in answers.items() if len(a) > 1]


def expected_letter_positions(mnemonic: Mnemonic) -> list[int]:
    """The rule as the issue states it, written independently of the builder: next word, then next letter."""
    phrase, at, found = mnemonic.phrase, 0, []
    starts = [m.start() for m in _WORD.finditer(phrase)]
    for cue in mnemonic.cues:
        later = [s for s in starts if s >= at]
        exact = [s for s in later if phrase[s:].startswith(cue.letter)]
        loose = [s for s in later if phrase[s:].lower().startswith(cue.letter.lower())]
        where = (exact or loose or [phrase.lower().find(cue.letter.lower(), at)])[0]
        found.append(where)
        at = where + len(cue.letter)
    return found


def bracketed(phrase: str, at: int, letter: str) -> str:
    return f"{phrase[:at]}[{phrase[at : at + len(letter)]}]{phrase[at + len(letter) :]}"


def paragraphs(flowables: tuple[Flowable, ...] | list[Flowable]) -> Iterator[Paragraph]:
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            yield flowable
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:  # type: ignore[attr-defined]  # the cells as given to Table
                for cell in row:
                    yield from paragraphs(cell if isinstance(cell, (list, tuple)) else [cell])


def _line_words(paragraph: Paragraph) -> list[list[str]]:
    """The words of each line as ReportLab broke them (plain lines hold words, styled ones fragments)."""
    lines = []
    for line in paragraph.blPara.lines:  # type: ignore[attr-defined]  # set by wrap(): the broken lines
        if isinstance(line, tuple):
            lines.append(list(line[1]))
        else:
            lines.append("".join(frag.text for frag in line.words).split())
    return lines


def broken_brackets(columns: tuple[tuple[Flowable, ...], ...]) -> list[str]:
    """Lines of laid-out paragraphs that open a `[` they do not close (a step's `[cue: L]` cut in two)."""
    broken = []
    for column in columns:
        for paragraph in paragraphs(column):
            if not hasattr(paragraph, "blPara"):
                continue
            for line in paragraph.blPara.lines[:-1]:  # set by wrap()
                text = " ".join(line[1]) if isinstance(line, tuple) else "".join(f.text for f in line.words)
                if text.count("[") > text.count("]"):
                    broken.append(text.strip())
    return broken


def cut_without_hyphen(lines: list[list[str]], words: set[str]) -> list[str]:
    """Where a line ends inside a word with no hyphen: its end and the next line's start make one word.

    A break next to a CJK character is no cut: CJK text has no spaces between its words.
    """
    cuts = []
    for this, after in zip(lines, lines[1:], strict=False):
        cut = this and after and not this[-1].endswith("-") and this[-1] + after[0] in words
        if cut and not (is_cjk(this[-1][-1]) or is_cjk(after[0][0])):
            cuts.append(f"{this[-1]}|{after[0]}")
    return cuts


def words_broken_without_hyphen(sheet: FittedSheet) -> list[str]:
    """Line ends in the sheet's paragraphs that cut a word with no hyphen: 'Oxaloace|tate'."""
    broken = []
    for column in sheet.columns:
        for paragraph in paragraphs(column):
            if hasattr(paragraph, "blPara"):
                words = set(visible_text(paragraph.text).replace("\u00ad", "").split())
                lines = [[w.replace("\u00ad", "") for w in line] for line in _line_words(paragraph)]
                broken += cut_without_hyphen(lines, words)
    return broken


def words_run_together(sheet: FittedSheet) -> list[str]:
    """Words of the sheet's paragraphs as laid out that are not words of the text (a space went missing)."""
    wrong = []
    for column in sheet.columns:
        for paragraph in paragraphs(column):
            if not hasattr(paragraph, "blPara"):
                continue
            expected = visible_text(paragraph.text).replace("\u00ad", "").split()
            laid: list[str] = []
            for line in _line_words(paragraph):
                words = [piece for w in line for piece in w.replace("\u00ad", "").split()]  # "16\xa0mm": 2 words
                if laid and words and laid[-1].endswith("-"):
                    # A soft hyphen's break shows a '-' the text lacks; a hard one's ('t-test') keeps its own.
                    for joined in (laid[-1][:-1] + words[0], laid[-1] + words[0]):
                        if joined in expected:
                            laid[-1] = joined
                            words.pop(0)
                            break
                laid += words
            wrong += [word for word in laid if word not in expected]
    return wrong


def stranded_steps(sheet: FittedSheet) -> list[str]:
    """Parts of a split sequence with fewer than two steps (CSS orphans and widows of 2)."""
    return sheet_parts.stranded(sheet_parts.parts(sheet.columns, sheet.column_width))


def needless_splits(sheet: FittedSheet) -> list[str]:
    """Split sections whose rest would have fitted in the free space of the column they start in."""
    return sheet_parts.needless_splits(sheet_parts.parts(sheet.columns, sheet.column_width), sheet.column_height)


def diagrams_apart_from_their_last_step(sheet: FittedSheet) -> list[str]:
    """Parts that hold a sequence's diagram but none of its steps."""
    found = sheet_parts.parts(sheet.columns, sheet.column_width)
    return [f"{p.title} in column {p.column + 1}" for p in found if p.diagram and not p.steps]


def columns_start_with_a_title(sheet: FittedSheet) -> bool:
    """A column never starts in the middle of a section without repeating its title (the first may start with the
    topic's picture)."""
    return all(
        isinstance(column[0], Paragraph) and column[0].style.name == "heading" for column in sheet.columns[1:] if column
    )


def small_topics_grow_first(sheet: FittedSheet) -> bool:
    """Less than half a page of content (at the largest size) is set at the largest size.

    Column heights grow about as the square of the type size, which gives the content's height at 11 pt.
    """
    at_largest = sum(sheet.heights) * (MAX_SIZE / sheet.size) ** 2
    return at_largest >= 1.5 * sheet.column_height or sheet.size == MAX_SIZE


def continued_titles(sheet: FittedSheet) -> list[str]:
    """The titles repeated at the top of a column because their section goes on there."""
    heads = [
        visible_text(column[0].text).replace("\u00ad", "")
        for column in sheet.columns
        if column and isinstance(column[0], Paragraph)
    ]
    return [head.removesuffix(" (continued)") for head in heads if head.endswith("(continued)")]


def short_sequences_split(topic: Topic, sheet: FittedSheet) -> list[str]:
    """Sequences of three steps or fewer that continue in another column (there should be none)."""
    short = {" ".join(plain(seq.title).split()) for seq in topic.sequences if len(seq.steps) <= 3}
    return [title for title in continued_titles(sheet) if title in short]


_TOUCH = 0.1  # pt: ink that meets by less than this, both ways, only touches


def _overlap(a: ink.Box, b: ink.Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > _TOUCH and min(a[3], b[3]) - max(a[1], b[1]) > _TOUCH


def _within(inner: ink.Box, outer: ink.Box) -> bool:
    return all(i >= o - _TOUCH for i, o in zip(inner[:2], outer[:2], strict=True)) and all(
        i <= o + _TOUCH for i, o in zip(inner[2:], outer[2:], strict=True)
    )


def _collide(a: ink.Ink, b: ink.Ink) -> bool:
    """Whether two overlapping pieces of ink are a collision, not one thing's or a glyph on its ground.

    Not collisions: pieces of one line, one formula or one shape; text or art wholly on
    a filled shape (a background, a badge); an underline on its own paragraph's glyphs;
    and the sheet's structure among itself (a diagram's arrows meet its boxes by design).
    """
    if a.owner == b.owner or {a.kind, b.kind} <= {"fill", "stroke"}:
        return False
    for ground, piece in ((a, b), (b, a)):
        if ground.kind == "fill":
            return not _within(piece.box, ground.box)
        if ground.kind == "decoration" and piece.kind == "glyph" and piece.owner[0] == ground.owner[0]:
            return False
    return True


def ink_collisions(pieces: list[ink.Ink], cell: float = 24.0) -> list[str]:
    """Pieces of ink of different lines, formulas or shapes that overlap (`_collide`): 'art at … meets 'S' at …'."""
    grid: dict[tuple[int, int], list[int]] = {}
    for n, piece in enumerate(pieces):
        x0, y0, x1, y1 = (int(v // cell) for v in piece.box)
        for gx in range(x0, x1 + 1):
            for gy in range(y0, y1 + 1):
                grid.setdefault((gx, gy), []).append(n)
    found: set[tuple[int, int]] = set()
    for members in grid.values():
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                a, b = pieces[i], pieces[j]
                if (i, j) not in found and _overlap(a.box, b.box) and _collide(a, b):
                    found.add((i, j))
    return sorted(f"{pieces[i].what} meets {pieces[j].what}" for i, j in found)


_CODE_BREAK_AFTER = ",;:([{)]}="  # punctuation a line of code may end after (the test's own, smaller list)


def drawn_code_lines(pdf: Path) -> list[list[str]]:
    """The code lines of a sheet as drawn: each a list of visual lines, continuations (`↪ `) joined to theirs.

    Code is found by its mono font; visual lines are the mono characters of one
    column at one height, in reading order.
    """
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        rows: dict[tuple[int, float], list[dict[str, Any]]] = {}
        for char in page.chars:
            if "Mono" in char["fontname"]:
                rows.setdefault((int(char["x0"] // (page.width / 3)), round(char["top"], 1)), []).append(char)
    logical: list[list[str]] = []
    for key in sorted(rows):
        text = "".join(c["text"] for c in sorted(rows[key], key=lambda c: c["x0"])).replace("\xa0", " ")
        if text.lstrip().startswith("↪") and logical:
            logical[-1].append(text.lstrip().removeprefix("↪").strip())
        elif text.strip():
            logical.append([text])
    return logical


def bad_code_breaks(topic: Topic, pdf: Path) -> list[str]:
    """Code lines drawn fewer times than typed (a wrap without ↪ makes two lines of one), and breaks inside a
    token although the visual line had a space or punctuation to end at."""
    squeeze = functools.partial(re.sub, r"\s", "")
    typed = Counter(squeeze(line) for line in _typed_code(topic))
    drawn = drawn_code_lines(pdf)
    seen = Counter(squeeze("".join(pieces)) for pieces in drawn)
    problems = [f"drawn {seen[line]} of {n} times: {line}" for line, n in typed.items() if seen[line] < n]
    sources = {squeeze(line): line.strip() for line in _typed_code(topic)}
    for pieces in drawn:
        source = sources.get(squeeze("".join(pieces)))
        if source is None or len(pieces) == 1:
            continue
        at = 0
        for piece, after in zip(pieces, pieces[1:], strict=False):
            start = at
            for char in squeeze(piece):  # walk the source past this visual line's characters
                at = source.index(char, at) + 1
            good = source[at : at + 1] == " " or source[at - 1] in _CODE_BREAK_AFTER
            chance = re.search(rf"\S( |[{re.escape(_CODE_BREAK_AFTER)}])\S", source[start:at].strip())
            if not good and chance:
                problems.append(f"{piece!r} | {after!r}")
    return problems


def _typed_code(topic: Topic) -> list[str]:
    steps = [s.code for seq in topic.sequences for s in seq.steps if s.code]
    return steps + [line for snippet in topic.snippets for line in snippet.code.split("\n") if line.strip()]


def needless_hyphens(lines: list[list[str]], words: set[str], fits: Callable[[str, int], bool]) -> list[str]:
    """Where a line ends inside a word at an added hyphen although the whole word fits a line of its own
    (`fits` is told the word and the line it started on, for a box whose first line is shorter)."""
    found = []
    for k, (this, after) in enumerate(zip(lines, lines[1:], strict=False)):
        if this and after and this[-1].endswith("-"):
            whole = this[-1][:-1] + after[0]
            if whole in words and whole != this[-1] + after[0] and fits(whole, k):
                found.append(f"{this[-1]}|{after[0]}")
    return found


def needless_hyphens_in_cells(sheet: FittedSheet) -> list[str]:
    """Hyphenated breaks in the terms' and the analogies' cells whose word fits the cell on a line of its own."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from builder.sheet.styles import BOLD

    found = []
    for column in sheet.columns:
        for table in (f for f in column if isinstance(f, Table)):
            first = table._cellvalues[0][0]  # type: ignore[attr-defined]  # the cells as given to Table
            first = first[0] if isinstance(first, (list, tuple)) else first
            if not isinstance(first, Paragraph) or first.style.name not in ("body", "note"):
                continue  # steps, mnemonics and code have their own first cells
            for paragraph in paragraphs([table]):
                if not hasattr(paragraph, "blPara"):
                    continue
                words = set(visible_text(paragraph.text).replace("\u00ad", "").split())
                lines = [[w.replace("\u00ad", "") for w in line] for line in _line_words(paragraph)]
                size, width = paragraph.style.fontSize, paragraph.width

                def fits(word: str, _: int, size: float = size, width: float = width) -> bool:
                    return bool(stringWidth(word, BOLD, size) <= width)

                found += needless_hyphens(lines, words, fits)
    return found
