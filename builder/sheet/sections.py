"""The sheet's sections as units: steps, mnemonics, analogies, terms; code in `code`, pieces in `units`.

Each section is cut into `Unit`s, the pieces that must stay together in one
column; `fit` decides the type size and where the columns break.
"""

from __future__ import annotations

from dataclasses import replace

from pygments.token import Text
from reportlab.platypus import Flowable, Spacer, Table

from ..content.model import Analogy, Mnemonic, Sequence, Topic
from ..diagram import NORMAL, Spacing
from ..glyphs.fonts import SANS
from ..text.i18n import Words
from ..text.marks import plain
from .code import code_columns, code_paragraphs, snippet_units
from .drawing import diagram_drawing
from .markup import Markup
from .paragraph import Paragraph
from .picture import PictureFlowable
from .styles import ACCENT, BOLD, MUTED, RULE, Styles
from .units import (
    HOLE,
    Redraw,
    Unit,
    cells,
    continued,
    height,
    joined,
    no_orphans,
    rows_as_units,
    say,
    unit,
    wider_words_only,
)

SHORT_SEQUENCE = 3  # steps: a sequence this short is never split over columns
TERM_COLUMN = (0.2, 0.4)  # the narrowest and widest the terms' column may be, as parts of the sheet's column
ANALOGY_COLUMNS = (0.45, 0.55)  # the step and the thing it is like


def _sequence_units(
    topic: Topic,
    seq: Sequence,
    st: Styles,
    mk: Markup,
    width: float,
    words: Words,
    diagram: bool,
    spacing: Spacing,
) -> list[Unit]:
    """One unit per step, the head with the first and the diagram with the last: a column never starts
    with a diagram alone, and the orphans and widows rule counts steps."""
    letters = topic.cue_badges(seq.id, words)
    shape = "  " + say(mk, words.gettext("↻ loop")) if seq.shape == "loop" else ""
    title = mk.text(seq.title, st.heading.fontSize)
    head: list[Flowable] = [Paragraph(title + shape, st.heading)]
    again = continued(title, st, mk, words)
    if seq.summary:
        head.append(Paragraph(mk.text(seq.summary, st.small), st.note))
    if seq.image:
        head.append(PictureFlowable(seq.image, st.size, large=True))
    number_width = st.size * 2.0
    style = cells(0, 0, st.size * 0.15, st.size * 0.15, ("RIGHTPADDING", (0, 0), (0, 0), st.size * 0.5))
    units = []
    for i, step in enumerate(seq.steps):
        name = f"<b>{mk.text(step.name, st.size)}</b>"
        if step.id in letters:
            badge = "\u00a0".join(letters[step.id].split())  # one piece: never `[cue:` / `L]`
            name += f'<font color="{ACCENT.hexval()}"><b>  [{mk.script(badge)}]</b></font>'
        cell: list[Flowable] = [Paragraph(name, st.body)]
        if step.does:
            cell.append(Paragraph(mk.text(step.does, st.small), st.note))
        if step.code:
            cell += code_paragraphs([(Text, step.code)], code_columns(width - number_width, st), mk, st)
        for sub in step.substeps:
            cell.append(Paragraph("• " + mk.text(sub, st.small), st.note))
        if step.image:
            cell.append(PictureFlowable(step.image, st.small))
        table = Table([[Paragraph(str(i + 1), st.number), cell]], colWidths=[number_width, width - number_width])
        table.setStyle(style)
        flowables = (head if i == 0 else []) + [table]
        if i == len(seq.steps) - 1 and diagram:
            picture = diagram_drawing(topic, seq, st.small, mk, width, spacing, as_card=spacing is NORMAL)
            flowables += [Spacer(1, st.size * 0.4), picture]
        units.append(unit(flowables, width, i == 0, again, f'"{plain(seq.title)}"'))
        if i == len(seq.steps) - 1 and diagram:
            redraw = _redraw(topic, seq, st, mk, width, flowables[-1]) if spacing is NORMAL else None
            units[-1] = replace(units[-1], diagram=height(flowables[-2:], width), redraw=redraw)
    return no_orphans(units) if len(seq.steps) > SHORT_SEQUENCE else [joined(units)]


def _redraw(topic: Topic, seq: Sequence, st: Styles, mk: Markup, width: float, card: Flowable) -> Redraw | None:
    """The diagram with its boxes filling the column, when that is shorter than the card's drawing."""
    filled = diagram_drawing(topic, seq, st.small, mk, width)
    saves = height([card], width) - height([filled], width)
    return Redraw(filled, saves) if saves > 0 else None


def _marked_phrase(mnemonic: Mnemonic, mk: Markup, size: float) -> str:
    """The phrase with each cue's letters underlined, where the cards mark them too."""
    phrase, out, at = mnemonic.phrase, [], 0
    for cue, found in zip(mnemonic.cues, mnemonic.letter_positions(), strict=True):
        end = found + len(cue.letter)
        out += [mk.chars(phrase[at:found], size), f"<u>{mk.chars(phrase[found:end], size)}</u>"]
        at = end
    return "".join(out) + mk.chars(phrase[at:], size)


def _mnemonic_units(topic: Topic, mnemonic: Mnemonic, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    seq = topic.sequence(mnemonic.sequence)
    phrase = _marked_phrase(mnemonic, mk, st.heading.fontSize)
    muted = f'<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}">'
    title = f"{phrase}{muted} — {mk.text(seq.title, st.small)}</font>"
    letter_width = max(mk.width(c.letter, BOLD, st.letter.fontSize) for c in mnemonic.cues) + st.size
    style = cells(0, 0, st.size * 0.1, st.size * 0.1)
    rows = []
    for cue in mnemonic.cues:
        cell = [Paragraph(mk.text(seq.step(cue.step).name, st.size), st.body)]
        if cue.hook:
            cell.append(Paragraph(f"<i>{mk.text(cue.hook, st.small)}</i>", st.note))
        row = Table(
            [[Paragraph(mk.script(cue.letter), st.letter), cell]], colWidths=[letter_width, width - letter_width]
        )
        row.setStyle(style)
        rows.append(row)
    after: list[Flowable] = []
    if mnemonic.note:
        after = [Spacer(1, st.size * 0.3), Paragraph(mk.text(mnemonic.note, st.small), st.note)]
    again = continued(phrase, st, mk, words)
    return rows_as_units([Paragraph(title, st.heading)], rows, after, again, width, f'"{mnemonic.phrase}"')


def _analogy_units(topic: Topic, analogy: Analogy, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    seq = topic.sequence(analogy.sequence)
    order = {s.id: i for i, s in enumerate(seq.steps)}
    pad = st.size * 0.3
    widths = [width * part for part in ANALOGY_COLUMNS]

    def fits(markup: str, size: float, column: int, font: str = SANS) -> str:
        return wider_words_only(markup, mk, font, size, widths[column] - 2 * pad)

    header = [
        Paragraph(f"<b>{fits(mk.text(title, st.small), st.small, k, BOLD)}</b>", st.note)
        for k, title in enumerate((seq.title, analogy.title))
    ]
    rows = []
    for k, pair in enumerate(sorted(analogy.pairs, key=lambda p: order[p.step])):
        like: list[Flowable] = [Paragraph(fits(mk.text(pair.like, st.size), st.size, 1), st.body)]
        if pair.detail:
            like.append(Paragraph("• " + fits(mk.text(pair.detail, st.small), st.small, 1), st.note))
        if pair.image:
            like.append(PictureFlowable(pair.image, st.small))
        step = f"{order[pair.step] + 1}. {fits(mk.text(seq.step(pair.step).name, st.size), st.size, 0)}"
        grid: list[list[Flowable | list[Flowable]]] = [[Paragraph(step, st.body), like]]
        row = Table([header, *grid] if k == 0 else grid, colWidths=widths)
        rule = ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT) if k == 0 else ("LINEABOVE", (0, 0), (-1, 0), 0.3, RULE)
        row.setStyle(cells(pad, pad, st.size * 0.2, st.size * 0.25, rule, ("LINEAFTER", (0, 0), (0, -1), 0.3, RULE)))
        rows.append(row)
    title = mk.text(analogy.title, st.heading.fontSize)
    analogy_for = say(mk, words.gettext("analogy for %(sequence)s", sequence=HOLE), mk.text(seq.title, st.small))
    heading = Paragraph(
        f'{title}<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}"> {analogy_for}</font>', st.heading
    )
    return rows_as_units([heading], rows, [], continued(title, st, mk, words), width, f'"{plain(analogy.title)}"')


def _terms_units(topic: Topic, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    """Term in bold, its meaning beside it: a table section like the analogies, cut between rows.

    The term column is as wide as the widest term needs on one line, within limits, so
    terms do not wrap while their meanings have room.
    """
    gap = st.size * 0.5
    style = cells(
        0,
        0,
        st.size * 0.15,
        st.size * 0.15,
        ("RIGHTPADDING", (0, 0), (0, -1), gap),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    )
    longest = max(mk.width(mk.bare(term.term), BOLD, st.size) for term in topic.terms) + gap + 1
    term_width = min(max(longest, width * TERM_COLUMN[0]), width * TERM_COLUMN[1])
    rows = []
    for term in topic.terms:
        meaning = wider_words_only(mk.text(term.means, st.small), mk, SANS, st.small, width - term_width)
        means: list[Flowable] = [Paragraph(meaning, st.body_small)]
        if term.image:
            means.append(PictureFlowable(term.image, st.small))
        name = wider_words_only(mk.text(term.term, st.size), mk, BOLD, st.size, term_width - gap)
        row = Table([[Paragraph(f"<b>{name}</b>", st.body), means]], colWidths=[term_width, width - term_width])
        row.setStyle(style)
        rows.append(row)
    title = say(mk, words.gettext("Terms"))
    return rows_as_units([Paragraph(title, st.heading)], rows, [], continued(title, st, mk, words), width, "terms")


def topic_units(
    topic: Topic,
    st: Styles,
    mk: Markup,
    width: float,
    words: Words,
    diagrams: frozenset[str] | None = None,
    spacing: Spacing = NORMAL,
) -> list[Unit]:
    """The topic's sections in reading order; `diagrams` names the sequences drawn as a diagram (default: all),
    `spacing` how tightly."""
    units: list[Unit] = []
    if topic.image:
        units.append(unit([PictureFlowable(topic.image, st.size, large=True)], width, True, section="picture"))
    for seq in topic.sequences:
        drawn = diagrams is None or seq.id in diagrams
        units += _sequence_units(topic, seq, st, mk, width, words, drawn, spacing)
    for mnemonic in topic.mnemonics:
        units += _mnemonic_units(topic, mnemonic, st, mk, width, words)
    for analogy in topic.analogies:
        units += _analogy_units(topic, analogy, st, mk, width, words)
    for snippet in topic.snippets:
        units += snippet_units(topic, snippet, st, mk, width, words)
    if topic.terms:
        units += _terms_units(topic, st, mk, width, words)
    return units
