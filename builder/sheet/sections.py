"""The sheet's sections as flowables: steps, mnemonics, analogies, code, the title band and footer.

Each section is cut into `Unit`s, the pieces that must stay together in one
column; `fit` decides the type size and where the columns break.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from pygments.token import Comment, Keyword, Name, Number, Operator, _TokenType, is_token_subtype
from pygments.token import String as StringToken
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..content.model import Analogy, Mnemonic, Sequence, Snippet, Topic
from ..emoji import CREDIT
from ..fonts import MONO, SANS
from ..highlight import token_lines
from .drawing import diagram_drawing
from .markup import Markup
from .styles import ACCENT, BOLD, MUTED, RULE, TINT, Styles, table_style

CONTINUED = "↪"

_CODE_STYLE: tuple[tuple[_TokenType, str, str], ...] = (
    (Comment, "#5f6b76", "i"),
    (Keyword, "#1f4e79", "b"),
    (StringToken, "#7a3e00", ""),
    (Number, "#7a3e00", ""),
    (Name.Builtin, "#1f4e79", ""),
    (Operator, "#1d232b", ""),
)

Tokens = list[tuple[_TokenType, str]]


@dataclass(frozen=True)
class Unit:
    """Flowables that stay together in one column; `starts` marks the first unit of a section."""

    flowables: tuple[Flowable, ...]
    height: float
    starts: bool


def unit(flowables: list[Flowable], width: float, starts: bool) -> Unit:
    height = 0.0
    for f in flowables:
        height += f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return Unit(tuple(flowables), height, starts)


def _sequence_units(topic: Topic, seq: Sequence, st: Styles, mk: Markup, width: float) -> list[Unit]:
    letters = topic.cue_letters(seq.id)
    shape = "  ↻ loop" if seq.shape == "loop" else ""
    head: list[Flowable] = [Paragraph(mk.text(seq.title, st.heading.fontSize) + shape, st.heading)]
    if seq.summary:
        head.append(Paragraph(mk.text(seq.summary, st.small), st.note))
    number_width = st.size * 2.0
    units = []
    for i, step in enumerate(seq.steps):
        name = f"<b>{mk.text(step.name, st.size)}</b>"
        if step.id in letters:
            name += f'  <font color="{ACCENT.hexval()}"><b>[{xml_escape(letters[step.id])}]</b></font>'
        cell: list[Flowable] = [Paragraph(name, st.body)]
        if step.does:
            cell.append(Paragraph(mk.text(step.does, st.small), st.note))
        if step.code:
            cell.append(Paragraph(mk.chars(step.code, st.small, code=True), st.code))
        for sub in step.substeps:
            cell.append(Paragraph("• " + mk.text(sub, st.small), st.note))
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
        units.append(unit(flowables, width, i == 0))
    picture = diagram_drawing(topic, seq, st.small, mk, width)
    units.append(unit([Spacer(1, st.size * 0.4), picture], width, False))
    return units


def _mnemonic_units(topic: Topic, mnemonic: Mnemonic, st: Styles, mk: Markup, width: float) -> list[Unit]:
    seq = topic.sequence(mnemonic.sequence)
    title = (
        f"{mk.chars(mnemonic.phrase, st.heading.fontSize)} "
        f'<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}">'
        f"— {mk.text(seq.title, st.small)}</font>"
    )
    rows = []
    for cue in mnemonic.cues:
        cell = [Paragraph(mk.text(seq.step(cue.step).name, st.size), st.body)]
        if cue.hook:
            cell.append(Paragraph(f"<i>{mk.text(cue.hook, st.small)}</i>", st.note))
        rows.append([Paragraph(xml_escape(cue.letter), st.letter), cell])
    letter_width = max(stringWidth(c.letter, BOLD, st.letter.fontSize) for c in mnemonic.cues) + st.size
    table = Table(rows, colWidths=[letter_width, width - letter_width])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.1),
        )
    )
    flowables: list[Flowable] = [Paragraph(title, st.heading), table]
    if mnemonic.note:
        flowables.append(Spacer(1, st.size * 0.3))
        flowables.append(Paragraph(mk.text(mnemonic.note, st.small), st.note))
    return [unit(flowables, width, True)]


def _analogy_units(topic: Topic, analogy: Analogy, st: Styles, mk: Markup, width: float) -> list[Unit]:
    seq = topic.sequence(analogy.sequence)
    rows: list[list[Flowable | list[Flowable]]] = [
        [
            Paragraph(f"<b>{mk.text(seq.title, st.small)}</b>", st.note),
            Paragraph(f"<b>{mk.text(analogy.title, st.small)}</b>", st.note),
        ]
    ]
    order = {s.id: i for i, s in enumerate(seq.steps)}
    for pair in sorted(analogy.pairs, key=lambda p: order[p.step]):
        like: list[Flowable] = [Paragraph(mk.text(pair.like, st.size), st.body)]
        if pair.detail:
            like.append(Paragraph("• " + mk.text(pair.detail, st.small), st.note))
        step = f"{order[pair.step] + 1}. {mk.text(seq.step(pair.step).name, st.size)}"
        rows.append([Paragraph(step, st.body), like])
    table = Table(rows, colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, RULE),
            ("LINEAFTER", (0, 0), (0, -1), 0.3, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), st.size * 0.3),
            ("RIGHTPADDING", (0, 0), (-1, -1), st.size * 0.3),
            ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.25),
        )
    )
    heading = Paragraph(
        f"{mk.text(analogy.title, st.heading.fontSize)} "
        f'<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}">'
        f"analogy for {mk.text(seq.title, st.small)}</font>",
        st.heading,
    )
    return [unit([heading, table], width, True)]


def _token_markup(kind: _TokenType, text: str, mk: Markup, size: float) -> str:
    body = mk.chars(text, size, code=True).replace(" ", "&nbsp;")
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


def _snippet_units(topic: Topic, snippet: Snippet, st: Styles, mk: Markup, width: float) -> list[Unit]:
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
    rows = []
    for index, tokens in enumerate(token_lines(snippet.code, snippet.language)):
        number = step_of_line.get(index)
        for k, visual in enumerate(wrap_code_line(tokens, columns)):
            markup = "".join(_token_markup(kind, text, mk, st.code.fontSize) for kind, text in visual) or "&nbsp;"
            mark = str(number) if number and k == 0 else ""
            row = [Paragraph(mark, st.code_number), Paragraph(markup, st.code)]
            rows.append(row if seq else row[1:])
    widths = [gutter, width - gutter] if seq else [width]
    table = Table(rows, colWidths=widths)
    table.setStyle(
        table_style(
            ("BACKGROUND", (-1, 0), (-1, -1), TINT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (-1, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad * 0.5),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), pad * 0.6),
            ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.6),
        )
    )
    title = snippet.title or (seq.title if seq else snippet.id)
    heading = Paragraph(mk.text(title, st.heading.fontSize), st.heading)
    flowables: list[Flowable] = [heading, table]
    if seq:
        flowables.append(Paragraph(f"Numbers: the steps of {mk.text(seq.title, st.small)}.", st.note))
    return [unit(flowables, width, True)]


def topic_units(topic: Topic, st: Styles, mk: Markup, width: float) -> list[Unit]:
    units: list[Unit] = []
    for seq in topic.sequences:
        units += _sequence_units(topic, seq, st, mk, width)
    for mnemonic in topic.mnemonics:
        units += _mnemonic_units(topic, mnemonic, st, mk, width)
    for analogy in topic.analogies:
        units += _analogy_units(topic, analogy, st, mk, width)
    for snippet in topic.snippets:
        units += _snippet_units(topic, snippet, st, mk, width)
    return units


def band(topic: Topic, st: Styles, mk: Markup, width: float) -> tuple[Flowable, float]:
    pad = st.size * 0.7
    left: list[Flowable] = [Paragraph(mk.text(topic.title, st.title.fontSize), st.title)]
    if topic.summary:
        left.append(Paragraph(mk.text(topic.summary, st.size), st.band))
    right = [Paragraph(f"<b>v{xml_escape(topic.version)}</b>", st.version)]
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


def footer_text(topic: Topic, built: str, emoji_used: bool) -> str:
    """Version, build date, licence and credits; OpenMoji is credited when the sheet draws its artwork."""
    parts = [f"{topic.title} v{topic.version}", f"built {built}"]
    if topic.license:
        parts.append(f"licence {topic.license}")
    if topic.authors:
        parts.append("by " + ", ".join(topic.authors))
    parts.append("Fonts: DejaVu (Bitstream Vera licence)")
    if emoji_used:
        parts.append(CREDIT)
    return " · ".join(parts)
