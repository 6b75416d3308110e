"""Code on the sheet: highlighted snippets with step numbers in the margin, and a step's own code line."""

from __future__ import annotations

import re

from pygments.token import Comment, Keyword, Name, Number, Operator, _TokenType, is_token_subtype
from pygments.token import String as StringToken
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table

from ..content.model import Snippet, Topic
from ..glyphs.fonts import MONO
from ..text.highlight import token_lines
from ..text.i18n import Words
from ..text.marks import plain
from .markup import Markup
from .paragraph import Paragraph
from .styles import TINT, Styles
from .units import HOLE, Unit, cells, continued, rows_as_units, say

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
_TEXT_SPACE = re.compile(r" (?![^<>]*>)")  # a space of the text, not one inside a tag (a CJK run's font)


def keep_spaces(markup: str) -> str:
    """Runs of spaces in code stay as typed (a paragraph would fold them), single ones still allow a wrap."""
    return re.sub(r" {2,}", lambda run: " " + "&nbsp;" * (len(run.group(0)) - 1), markup)


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


def snippet_units(topic: Topic, snippet: Snippet, st: Styles, mk: Markup, width: float, words: Words) -> list[Unit]:
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
        grid = []
        for k, visual in enumerate(wrap_code_line(tokens, columns)):
            markup = "".join(_token_markup(kind, text, mk, st.code.fontSize) for kind, text in visual) or "&nbsp;"
            mark = str(number) if number and k == 0 else ""
            row = [Paragraph(mark, st.code_number), Paragraph(markup, st.code)]
            grid.append(row if seq else row[1:])
        table = Table(grid, colWidths=widths)
        table.setStyle(
            cells(
                0,
                pad * 0.5,
                pad * 0.6 if index == 0 else 0,
                0,
                ("BACKGROUND", (-1, 0), (-1, -1), TINT),
                ("LEFTPADDING", (-1, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.6 if index == len(lines) - 1 else 0),
                valign=None,
            )
        )
        rows.append(table)
    title = mk.text(snippet.title or (seq.title if seq else snippet.id), st.heading.fontSize)
    after: list[Flowable] = []
    if seq:
        said = words.gettext("Margin numbers are step numbers (%(sequence)s).", sequence=HOLE)
        margin = say(mk, said, mk.text(seq.title, st.small))
        after = [Paragraph(margin, st.note)]
    name = f'"{plain(snippet.title or (seq.title if seq else snippet.id))}"'
    again = continued(title, st, mk, words)
    return rows_as_units([Paragraph(title, st.heading)], rows, after, again, width, name)
