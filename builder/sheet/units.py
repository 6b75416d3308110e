"""Units, the pieces of a section that must stay together in one column, and what every section shares.

CSS fragmentation's rules live here: a section is cut only between its steps or
rows, keeps two pieces on each side of a cut, and a column that begins inside a
section repeats its title, marked as continued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

from ..text.i18n import Words
from .markup import Markup
from .paragraph import Paragraph
from .styles import Styles, table_style

ORPHANS = 2  # pieces of a section kept together at its start and at its end
HOLE = "\x00"  # where a message's placeholder takes content that is already markup (see `say`)


@dataclass(frozen=True)
class Unit:
    """Flowables that stay together in one column; `starts` marks the first unit of a section.

    `continued` is what a column that begins with this unit repeats first (the
    section's title, marked as continued), with its height; `section` names the
    section for a refusal's list of what takes the room, and `diagram` is the
    height of the sequence diagram the unit holds (0 if none), its last flowable;
    `redraw` is that diagram drawn to the column instead of as on the card, when
    that is shorter.
    """

    flowables: tuple[Flowable, ...]
    height: float
    starts: bool
    continued: tuple[Flowable, ...] = ()
    continued_height: float = 0.0
    section: str = ""
    diagram: float = 0.0
    redraw: Redraw | None = None

    def redrawn(self) -> Unit:
        """The unit with its diagram drawn to the column: shorter, but its lines are no longer the card's."""
        assert self.redraw is not None
        saved = self.redraw.saves
        flowables = (*self.flowables[:-1], self.redraw.drawing)
        return replace(self, flowables=flowables, height=self.height - saved, diagram=self.diagram - saved, redraw=None)


@dataclass(frozen=True)
class Redraw:
    """A sequence's diagram drawn to fill the column, and how much shorter that is than the card's drawing."""

    drawing: Flowable
    saves: float


def height(flowables: list[Flowable], width: float) -> float:
    return sum(f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def unit(
    flowables: list[Flowable], width: float, starts: bool, continued: list[Flowable] | None = None, section: str = ""
) -> Unit:
    """The flowables as one unit, measured; a section's continued heading is measured again for each unit.

    Not once per section: ReportLab's wrap is not idempotent (a paragraph broken at a
    word's own hyphen loses that hyphen on its next wrap, 'acetyl- CoA' becoming
    'acetylCoA'), so a height depends on how often its paragraph was wrapped before.
    """
    again = [] if starts or continued is None else continued
    return Unit(tuple(flowables), height(flowables, width), starts, tuple(again), height(again, width), section)


def joined(units: list[Unit]) -> Unit:
    first = units[0]
    flowables = tuple(f for u in units for f in u.flowables)
    total, diagram = sum(u.height for u in units), sum(u.diagram for u in units)
    redraw = units[-1].redraw  # a diagram is its sequence's last flowable
    return Unit(flowables, total, first.starts, first.continued, first.continued_height, first.section, diagram, redraw)


def no_orphans(units: list[Unit]) -> list[Unit]:
    """A section that continues in the next column leaves at least two of its pieces on each side."""
    if len(units) < 2 * ORPHANS:
        return [joined(units)]
    return [joined(units[:ORPHANS]), *units[ORPHANS:-ORPHANS], joined(units[-ORPHANS:])]


def rows_as_units(
    heading: list[Flowable],
    rows: list[Table],
    after: list[Flowable],
    again: list[Flowable],
    width: float,
    section: str,
) -> list[Unit]:
    """A table section cut between rows, so long ones can continue in the next column under their title."""
    last = len(rows) - 1
    return no_orphans(
        [
            unit((heading if k == 0 else []) + [row] + (after if k == last else []), width, k == 0, again, section)
            for k, row in enumerate(rows)
        ]
    )


def cells(
    left: float,
    right: float,
    top: float,
    bottom: float,
    *commands: tuple[Any, ...],
    valign: str | None = "TOP",
) -> TableStyle:
    """The one table style of the sheet: every cell padded alike, then what this table draws or pads apart.

    `commands` come after the padding, so a column or row padded apart wins; lines
    and backgrounds keep their given order (ReportLab draws them in it).
    """
    return table_style(
        *([("VALIGN", (0, 0), (-1, -1), valign)] if valign else []),
        ("LEFTPADDING", (0, 0), (-1, -1), left),
        ("RIGHTPADDING", (0, 0), (-1, -1), right),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
        *commands,
    )


def say(mk: Markup, said: str, markup: str = "") -> str:
    """A message of the builder's (translated, its one placeholder filled with HOLE) as sheet markup: its words
    escaped and set in the CJK face where they need it, `markup` put in the hole as it is."""
    return markup.join(mk.script(piece) for piece in said.split(HOLE))


def continued(title: str, st: Styles, mk: Markup, words: Words) -> list[Flowable]:
    """The section's title again at the top of the next column, marked as continued."""
    said = say(mk, words.gettext("(continued)"))
    return [Paragraph(f'{title}<font size="{st.small}"> {said}</font>', st.heading)]


_HYPHENATED = re.compile(r"[^\s<>;&]*\u00ad[^\s<>&]*")  # a word with soft hyphens, outside tags and entities


def wider_words_only(markup: str, mk: Markup, font: str, size: float, width: float) -> str:
    """The markup with soft hyphens left only in words too wide for a line of `width` of their own.

    A paragraph breaks at a soft hyphen whenever the word does not fit the rest of
    the line; in a narrow table cell a word that fits a line of its own should move
    there whole (`Control` / `variable`, not `Control vari-` / `able`).
    """

    def keep(word: re.Match[str]) -> str:
        whole = word.group(0).replace("\u00ad", "")
        return word.group(0) if mk.width(whole, font, size) > width else whole

    return _HYPHENATED.sub(keep, markup)
