"""Inline marks of content text: `**bold**`, `*italic*` and `` `code` ``, and the backslash that escapes them.

`\\*`, `` \\` `` and `\\\\` stand for a literal `*`, `` ` `` and `\\` (outside code, where text is
literal). A `*` right after a letter or digit (`a*b*c`, `2*3*4`) does not open a mark; one can close it
(`**S**elling`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

_MARK = re.compile(
    r"`([^`\n]+)`"
    r"|(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*"
    r"|(?<![\w*])\*(?=[^*\s])([^*\n]*?[^*\s])\*"
)
_ESCAPED = {"*": "\ue000", "`": "\ue001", "\\": "\ue002"}
_ESCAPE = re.compile(r"\\([*`\\])")
_LITERAL = str.maketrans({held: char for char, held in _ESCAPED.items()})
_AS_TYPED = str.maketrans({held: "\\" + char for char, held in _ESCAPED.items()})

Span = tuple[str, str]


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[Span, ...]:
    """Split text into (style, text) runs; style is '', 'b', 'i' or 'code'. Escapes are resolved here."""
    held = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], text)
    out: list[Span] = []
    at = 0
    for m in _MARK.finditer(held):
        if m.start() > at:
            out.append(("", held[at : m.start()]))
        if m.group(1) is not None:
            out.append(("code", m.group(1).translate(_AS_TYPED)))
        elif m.group(2) is not None:
            out.append(("b", m.group(2)))
        else:
            out.append(("i", m.group(3)))
        at = m.end()
    if at < len(held):
        out.append(("", held[at:]))
    return tuple((style, run if style == "code" else run.translate(_LITERAL)) for style, run in out)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: ids made from names, file names made from titles."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plain(text: str) -> str:
    """The text as a reader sees it, marks removed."""
    return "".join(t for _, t in spans(text))


def escape_xml(text: str) -> str:
    """`&`, `<` and `>` as entities, for ReportLab's paragraph markup: what `xml.sax.saxutils.escape` does,
    without importing urllib, http and email with it (15 ms of every sheet's start)."""
    return html.escape(text, quote=False)


def escape_html(text: str, in_cloze: bool = False) -> str:
    """HTML-escape, and keep Anki from reading braces (or colons inside a cloze) as cloze syntax."""
    out = html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return out.replace(":", "&#58;") if in_cloze else out


@lru_cache(maxsize=8192)
def to_html(text: str, in_cloze: bool = False) -> str:
    """Card HTML for content text (memoised: a step's name appears on many cards)."""
    tags = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>"), "code": ('<code class="inline">', "</code>"), "": ("", "")}
    out = []
    for style, run in spans(text):
        start, end = tags[style]
        out.append(start + escape_html(run, in_cloze) + end)
    return "".join(out).replace("\n", "<br>")


def to_markup(text: str, escape: Callable[[str, str], str], mono: str) -> str:
    """ReportLab paragraph markup; `escape(run, style)` escapes a run (and may draw emoji)."""
    out = []
    for style, run in spans(text):
        body = escape(run, style)
        if style == "b":
            body = f"<b>{body}</b>"
        elif style == "i":
            body = f"<i>{body}</i>"
        elif style == "code":
            body = f'<font face="{mono}">{body}</font>'
        out.append(body)
    return "".join(out)
