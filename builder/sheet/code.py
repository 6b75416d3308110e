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


def _token_markup(kind: _TokenType, text: str, mk: Markup, size: float) -> str:
    body = _TEXT_SPACE.sub("&nbsp;", mk.chars(text, size, code=True))
    for parent, colour, face in _CODE_STYLE:
        if is_token_subtype(kind, parent):
            if face:
                body = f"<{face}>{body}</{face}>"
            return f'<font color="{colour}">{body}</font>'
    return body


_BREAK_AFTER = frozenset(",;:([{)]}=+-*/%<>!&|^~@")  # a line of code may end after these
_DOT_BREAK = 2  # after a dot only when nothing better fits: a dot binds a name (`c.id`) or a number (`19.8`)
_NUMBER = re.compile(r"[-+]\d")  # no break between a sign and its number: `x=-1`


def _breaks(text: str, start: int) -> list[tuple[int, int]]:
    """Where a line of code may end: (length kept, 1 for a space or punctuation, 2 after a dot).

    A space at the break is dropped; no break falls between two punctuation marks
    (`),`, `<=`) or inside a number.
    """
    out = []
    for at in range(start + 1, len(text)):
        before, here = text[at - 1], text[at]
        if here == " " and before != " ":
            out.append((at, 1))
        elif here in " ." or here in _BREAK_AFTER or _NUMBER.match(text, at - 1):
            continue
        elif before in _BREAK_AFTER:
            out.append((at, 1))
        elif before == "." and not here.isdigit():
            out.append((at, _DOT_BREAK))
    return out


def _slice(tokens: Tokens, start: int, end: int) -> Tokens:
    """The tokens' characters from `start` to `end`, each piece keeping its token's kind."""
    out, at = [], 0
    for kind, value in tokens:
        piece = value[max(0, start - at) : max(0, end - at)]
        if piece:
            out.append((kind, piece))
        at += len(value)
    return out


def wrap_code_line(tokens: Tokens, columns: int) -> list[Tokens]:
    """One line of code as visual lines of at most `columns` characters, as a typesetter breaks code.

    A line ends at the last space or punctuation that fits (never inside a number),
    inside a token only when the line part that fits has no such place; every
    continuation starts with the indentation and the mark, so a wrapped line reads
    as one line of code.
    """
    text = "".join(value for _, value in tokens)
    if len(text) <= columns:
        return [tokens]
    indent = len(text) - len(text.lstrip(" "))
    prefix = " " * min(indent, columns // 2) + CONTINUED + " "
    breaks = _breaks(text, indent)
    lines: list[Tokens] = []
    at, room = 0, columns
    while len(text) - at > room:
        fitting = [(rank, b) for b, rank in breaks if at < b <= at + room]
        end = max(fitting, key=lambda rb: (-rb[0], rb[1]))[1] if fitting else at + room
        lines.append(([(Comment, prefix)] if lines else []) + _slice(tokens, at, end))
        at, room = end, columns - len(prefix)
        while at < len(text) and text[at] == " ":
            at += 1
    lines.append(([(Comment, prefix)] if lines else []) + _slice(tokens, at, len(text)))
    return lines


def code_paragraphs(tokens: Tokens, columns: int, mk: Markup, st: Styles) -> list[Paragraph]:
    """A line of code as one paragraph per visual line: the snippet's rows and a step's code line alike."""
    return [
        Paragraph(
            "".join(_token_markup(kind, text, mk, st.code.fontSize) for kind, text in visual) or "&nbsp;", st.code
        )
        for visual in wrap_code_line(tokens, columns)
    ]


def code_columns(width: float, st: Styles) -> int:
    """How many characters of code a line of `width` points holds."""
    return max(8, int(width // stringWidth("M", MONO, st.code.fontSize)))


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
    columns = code_columns(width - 2 * pad - gutter, st)
    widths = [gutter, width - gutter] if seq else [width]
    lines = list(enumerate(token_lines(snippet.code, snippet.language)))
    rows = []
    for index, tokens in lines:
        number = step_of_line.get(index)
        grid = []
        for k, visual in enumerate(code_paragraphs(tokens, columns, mk, st)):
            mark = str(number) if number and k == 0 else ""
            row = [Paragraph(mark, st.code_number), visual]
            grid.append(row if seq else row[1:])
        table = Table(grid, colWidths=widths)
        table.setStyle(
            cells(
                0,
                pad * 0.5,
                0,
                0,
                ("BACKGROUND", (-1, 0), (-1, -1), TINT),
                ("TOPPADDING", (0, 0), (-1, 0), pad * 0.6 if index == 0 else 0),  # above the snippet, not a wrap
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
