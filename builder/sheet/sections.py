"""The sheet's sections as flowables: steps, mnemonics, analogies, code, the title band and footer.

Each section is cut into `Unit`s, the pieces that must stay together in one
column; `fit` decides the type size and where the columns break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pygments.token import Comment, Keyword, Name, Number, Operator, _TokenType, is_token_subtype
from pygments.token import String as StringToken
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ..content.model import Analogy, Mnemonic, Sequence, Snippet, Topic
from ..diagram import NORMAL, Spacing
from ..glyphs.emoji import ARTWORK
from ..glyphs.fonts import MONO, SANS
from ..text.highlight import token_lines
from ..text.i18n import Words
from ..text.marks import escape_xml, plain
from .drawing import diagram_drawing
from .markup import Markup
from .paragraph import Paragraph
from .picture import PictureFlowable
from .styles import ACCENT, BOLD, MUTED, RULE, TINT, Styles, table_style

CONTINUED = "↪"
SHORT_SEQUENCE = 3  # steps: a sequence this short is never split over columns
ORPHANS = 2  # pieces of a section kept together at its start and at its end

_CODE_STYLE: tuple[tuple[_TokenType, str, str], ...] = (
    (Comment, "#5f6b76", "i"),
    (Keyword, "#1f4e79", "b"),
    (StringToken, "#7a3e00", ""),
    (Number, "#7a3e00", ""),
    (Name.Builtin, "#1f4e79", ""),
    (Operator, "#1d232b", ""),
)

Tokens = list[tuple[_TokenType, str]]
_TEXT_SPACE = re.compile(r" (?![^<>]*>)")  # a space of the text, not one inside a tag (a CJK run's font)


@dataclass(frozen=True)
class Unit:
    """Flowables that stay together in one column; `starts` marks the first unit of a section.

    `continued` is what a column that begins with this unit repeats first (the
    section's title, marked as continued), with its height; `section` names the
    section for a refusal's list of what takes the room, and `diagram` is the
    height of the sequence diagram the unit holds (0 if none).
    """

    flowables: tuple[Flowable, ...]
    height: float
    starts: bool
    continued: tuple[Flowable, ...] = ()
    continued_height: float = 0.0
    section: str = ""
    diagram: float = 0.0


def _height(flowables: list[Flowable], width: float) -> float:
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
    return Unit(tuple(flowables), _height(flowables, width), starts, tuple(again), _height(again, width), section)


def _prose(markup: str, style: ParagraphStyle, st: Styles) -> Paragraph:
    """A paragraph of free text (its lines make room for any maths they hold, as every paragraph's do)."""
    return Paragraph(markup, style)


HOLE = "\x00"  # where a message's placeholder takes content that is already markup (see `_say`)


def _say(mk: Markup, said: str, markup: str = "") -> str:
    """A message of the builder's (translated, its one placeholder filled with HOLE) as sheet markup: its words
    escaped and set in the CJK face where they need it, `markup` put in the hole as it is."""
    return markup.join(mk.script(piece) for piece in said.split(HOLE))


def _keep_spaces(markup: str) -> str:
    """Runs of spaces in code stay as typed (a paragraph would fold them), single ones still allow a wrap."""
    return re.sub(r" {2,}", lambda run: " " + "&nbsp;" * (len(run.group(0)) - 1), markup)


def _sequence_units(
    topic: Topic,
    seq: Sequence,
    st: Styles,
    mk: Markup,
    width: float,
    words: Words,
    diagrams: bool = True,
    spacing: Spacing = NORMAL,
) -> list[Unit]:
    """One unit per step, the head with the first and the diagram with the last: a column never starts
    with a diagram alone, and the orphans and widows rule counts steps."""
    letters = topic.cue_badges(seq.id, words)
    shape = "  " + _say(mk, words.gettext("↻ loop")) if seq.shape == "loop" else ""
    title = mk.text(seq.title, st.heading.fontSize)
    head: list[Flowable] = [Paragraph(title + shape, st.heading)]
    again = _continued(title, st, mk, words)
    if seq.summary:
        head.append(_prose(mk.text(seq.summary, st.small), st.note, st))
    if seq.image:
        head.append(PictureFlowable(seq.image, st.size, large=True))
    number_width = st.size * 2.0
    units = []
    for i, step in enumerate(seq.steps):
        name = f"<b>{mk.text(step.name, st.size)}</b>"
        if step.id in letters:
            name += f'<font color="{ACCENT.hexval()}"><b>  [{mk.script(letters[step.id])}]</b></font>'
        cell: list[Flowable] = [Paragraph(name, st.body)]
        if step.does:
            cell.append(_prose(mk.text(step.does, st.small), st.note, st))
        if step.code:
            cell.append(Paragraph(_keep_spaces(mk.chars(step.code, st.small, code=True)), st.code))
        for sub in step.substeps:
            cell.append(Paragraph("• " + mk.text(sub, st.small), st.note))
        if step.image:
            cell.append(PictureFlowable(step.image, st.small))
        table = Table([[Paragraph(str(i + 1), st.number), cell]], colWidths=[number_width, width - number_width])
        table.setStyle(
            table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), st.size * 0.5),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.15),
                ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.15),
            )
        )
        flowables = (head if i == 0 else []) + [table]
        if i == len(seq.steps) - 1 and diagrams:
            picture = diagram_drawing(topic, seq, st.small, mk, width, spacing)
            flowables += [Spacer(1, st.size * 0.4), picture]
        units.append(unit(flowables, width, i == 0, again, f'"{plain(seq.title)}"'))
        if i == len(seq.steps) - 1 and diagrams:
            units[-1] = replace(units[-1], diagram=_height(flowables[-2:], width))
    return _no_orphans(units) if len(seq.steps) > SHORT_SEQUENCE else [_joined(units)]


def _marked_phrase(mnemonic: Mnemonic, mk: Markup, size: float) -> str:
    """The phrase with each cue's letters underlined, where the cards mark them too."""
    phrase, out, at = mnemonic.phrase, [], 0
    for cue, found in zip(mnemonic.cues, mnemonic.letter_positions(), strict=True):
        end = found + len(cue.letter)
        out += [mk.chars(phrase[at:found], size), f"<u>{mk.chars(phrase[found:end], size)}</u>"]
        at = end
    return "".join(out) + mk.chars(phrase[at:], size)


def _joined(units: list[Unit]) -> Unit:
    first = units[0]
    flowables = tuple(f for u in units for f in u.flowables)
    height, diagram = sum(u.height for u in units), sum(u.diagram for u in units)
    return Unit(flowables, height, first.starts, first.continued, first.continued_height, first.section, diagram)


def _no_orphans(units: list[Unit]) -> list[Unit]:
    """A section that continues in the next column leaves at least two of its pieces on each side."""
    if len(units) < 2 * ORPHANS:
        return [_joined(units)]
    return [_joined(units[:ORPHANS]), *units[ORPHANS:-ORPHANS], _joined(units[-ORPHANS:])]


def _rows_as_units(
    heading: list[Flowable],
    rows: list[Table],
    after: list[Flowable],
    again: list[Flowable],
    width: float,
    section: str,
) -> list[Unit]:
    """A table section cut between rows, so long ones can continue in the next column under their title."""
    last = len(rows) - 1
    return _no_orphans(
        [
            unit((heading if k == 0 else []) + [row] + (after if k == last else []), width, k == 0, again, section)
            for k, row in enumerate(rows)
        ]
    )


def _continued(title: str, st: Styles, mk: Markup, words: Words) -> list[Flowable]:
    continued = _say(mk, words.gettext("(continued)"))
    return [Paragraph(f'{title}<font size="{st.small}"> {continued}</font>', st.heading)]


def _mnemonic_units(topic: Topic, mnemonic: Mnemonic, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    seq = topic.sequence(mnemonic.sequence)
    phrase = _marked_phrase(mnemonic, mk, st.heading.fontSize)
    muted = f'<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}">'
    title = f"{phrase}{muted} — {mk.text(seq.title, st.small)}</font>"
    letter_width = max(mk.width(c.letter, BOLD, st.letter.fontSize) for c in mnemonic.cues) + st.size
    style = table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.1),
    )
    rows = []
    for cue in mnemonic.cues:
        cell = [Paragraph(mk.text(seq.step(cue.step).name, st.size), st.body)]
        if cue.hook:
            cell.append(_prose(f"<i>{mk.text(cue.hook, st.small)}</i>", st.note, st))
        row = Table(
            [[Paragraph(mk.script(cue.letter), st.letter), cell]], colWidths=[letter_width, width - letter_width]
        )
        row.setStyle(style)
        rows.append(row)
    after: list[Flowable] = []
    if mnemonic.note:
        after = [Spacer(1, st.size * 0.3), _prose(mk.text(mnemonic.note, st.small), st.note, st)]
    again = _continued(phrase, st, mk, words)
    return _rows_as_units([Paragraph(title, st.heading)], rows, after, again, width, f'"{mnemonic.phrase}"')


def _analogy_units(topic: Topic, analogy: Analogy, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    seq = topic.sequence(analogy.sequence)
    header = [
        Paragraph(f"<b>{mk.text(seq.title, st.small)}</b>", st.note),
        Paragraph(f"<b>{mk.text(analogy.title, st.small)}</b>", st.note),
    ]
    order = {s.id: i for i, s in enumerate(seq.steps)}
    rows = []
    for k, pair in enumerate(sorted(analogy.pairs, key=lambda p: order[p.step])):
        like: list[Flowable] = [Paragraph(mk.text(pair.like, st.size), st.body)]
        if pair.detail:
            like.append(_prose("• " + mk.text(pair.detail, st.small), st.note, st))
        if pair.image:
            like.append(PictureFlowable(pair.image, st.small))
        step = f"{order[pair.step] + 1}. {mk.text(seq.step(pair.step).name, st.size)}"
        cells: list[list[Flowable | list[Flowable]]] = [[Paragraph(step, st.body), like]]
        row = Table([header, *cells] if k == 0 else cells, colWidths=[width * 0.45, width * 0.55])
        rule = ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT) if k == 0 else ("LINEABOVE", (0, 0), (-1, 0), 0.3, RULE)
        row.setStyle(
            table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                rule,
                ("LINEAFTER", (0, 0), (0, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), st.size * 0.3),
                ("RIGHTPADDING", (0, 0), (-1, -1), st.size * 0.3),
                ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.25),
            )
        )
        rows.append(row)
    title = mk.text(analogy.title, st.heading.fontSize)
    analogy_for = _say(mk, words.gettext("analogy for %(sequence)s", sequence=HOLE), mk.text(seq.title, st.small))
    heading = Paragraph(
        f'{title}<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}"> {analogy_for}</font>', st.heading
    )
    return _rows_as_units([heading], rows, [], _continued(title, st, mk, words), width, f'"{plain(analogy.title)}"')


def _token_markup(kind: _TokenType, text: str, mk: Markup, size: float) -> str:
    body = _TEXT_SPACE.sub("&nbsp;", mk.chars(text, size, code=True))
    for parent, colour, face in _CODE_STYLE:
        if is_token_subtype(kind, parent):
            if face:
                body = f"<{face}>{body}</{face}>"
            return f'<font color="{colour}">{body}</font>'
    return body


def wrap_code_line(tokens: Tokens, columns: int) -> list[Tokens]:
    """Split one line of tokens into visual lines of at most `columns` characters.

    Continuation lines start with the mark and the original indentation, so a
    wrapped line is visibly one line of code.
    """
    text_len = sum(len(t) for _, t in tokens)
    if text_len <= columns:
        return [tokens]
    indent = 0
    for _, value in tokens:
        stripped = value.lstrip(" ")
        indent += len(value) - len(stripped)
        if stripped:
            break
    prefix = " " * min(indent, columns // 2) + CONTINUED + " "
    lines: list[Tokens] = [[]]
    room = columns
    for kind, value in tokens:
        while value:
            if room <= 0:
                lines.append([(Comment, prefix)])
                room = columns - len(prefix)
            take = value[:room]
            lines[-1].append((kind, take))
            value = value[room:]
            room -= len(take)
    return lines


def _snippet_units(topic: Topic, snippet: Snippet, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    pad = st.size * 0.4
    seq = topic.sequence(snippet.sequence) if snippet.sequence else None
    step_of_line: dict[int, int] = {}
    if seq:
        for i, step in enumerate(seq.steps):
            at = snippet.line_of(step.code) if step.code else None
            if at is not None:
                step_of_line.setdefault(at, i + 1)
    gutter = st.small * 1.6 if seq else 0
    char_width = stringWidth("M", MONO, st.code.fontSize)
    columns = max(8, int((width - 2 * pad - gutter) // char_width))
    widths = [gutter, width - gutter] if seq else [width]
    lines = list(enumerate(token_lines(snippet.code, snippet.language)))
    rows = []
    for index, tokens in lines:
        number = step_of_line.get(index)
        cells = []
        for k, visual in enumerate(wrap_code_line(tokens, columns)):
            markup = "".join(_token_markup(kind, text, mk, st.code.fontSize) for kind, text in visual) or "&nbsp;"
            mark = str(number) if number and k == 0 else ""
            row = [Paragraph(mark, st.code_number), Paragraph(markup, st.code)]
            cells.append(row if seq else row[1:])
        table = Table(cells, colWidths=widths)
        table.setStyle(
            table_style(
                ("BACKGROUND", (-1, 0), (-1, -1), TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (-1, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad * 0.5),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6 if index == 0 else 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.6 if index == len(lines) - 1 else 0),
            )
        )
        rows.append(table)
    title = mk.text(snippet.title or (seq.title if seq else snippet.id), st.heading.fontSize)
    after: list[Flowable] = []
    if seq:
        said = words.gettext("Margin numbers are step numbers (%(sequence)s).", sequence=HOLE)
        margin = _say(mk, said, mk.text(seq.title, st.small))
        after = [Paragraph(margin, st.note)]
    name = f'"{plain(snippet.title or (seq.title if seq else snippet.id))}"'
    again = _continued(title, st, mk, words)
    return _rows_as_units([Paragraph(title, st.heading)], rows, after, again, width, name)


def _terms_units(topic: Topic, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
    """Term in bold, its meaning beside it: a table section like the analogies, cut between rows."""
    style = table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), st.size * 0.5),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.15),
        ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.15),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    )
    term_width = width * 0.34
    rows = []
    for term in topic.terms:
        means: list[Flowable] = [_prose(mk.text(term.means, st.small), st.body_small, st)]
        if term.image:
            means.append(PictureFlowable(term.image, st.small))
        row = Table(
            [[Paragraph(f"<b>{mk.text(term.term, st.size)}</b>", st.body), means]],
            colWidths=[term_width, width - term_width],
        )
        row.setStyle(style)
        rows.append(row)
    title = _say(mk, words.gettext("Terms"))
    return _rows_as_units([Paragraph(title, st.heading)], rows, [], _continued(title, st, mk, words), width, "terms")


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
        units += _snippet_units(topic, snippet, st, mk, width, words)
    if topic.terms:
        units += _terms_units(topic, st, mk, width, words)
    return units


def band(topic: Topic, st: Styles, mk: Markup, width: float) -> tuple[Flowable, float]:
    pad = st.size * 0.7
    left: list[Flowable] = [Paragraph(mk.text(topic.title, st.title.fontSize), st.title)]
    if topic.summary:
        left.append(_prose(mk.text(topic.summary, st.size), st.band, st))
    right = [Paragraph(f"<b>v{escape_xml(topic.version)}</b>", st.version)]
    version_width = st.size * 8
    table = Table([[left, right]], colWidths=[width - version_width, version_width])
    table.setStyle(
        table_style(
            ("BACKGROUND", (0, 0), (-1, -1), ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        )
    )
    return table, table.wrap(width, 1e6)[1]


def footer_text(topic: Topic, built: str, emoji_used: bool, words: Words, cjk_font: str | None = None) -> str:
    """Version, build date (YYYY-MM-DD, written as the topic's language writes dates), licence and credits;
    OpenMoji, the CJK font and the maths font are credited when the sheet uses them."""
    parts = [f"{topic.title} v{topic.version}", words.gettext("built %(date)s", date=words.date(built))]
    if topic.license:
        parts.append(words.gettext("licence %(license)s", license=topic.license))
    if topic.authors:
        parts.append(words.gettext("by %(authors)s", authors=words.join(topic.authors)))
    parts.append(words.gettext("Fonts: DejaVu (Bitstream Vera licence)") + (f", {cjk_font}" if cjk_font else ""))
    if topic.has_maths():
        parts.append(words.gettext("Maths: STIX Two Math (SIL Open Font License)"))
    if emoji_used:
        parts.append(words.gettext("Emoji: %(artwork)s", artwork=ARTWORK))
    return " · ".join(parts)
