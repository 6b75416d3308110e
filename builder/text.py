"""Inline marks of content text: `**bold**`, `*italic*` and `` `code` ``, recognised after escaping."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

_MARK = re.compile(r"`([^`\n]+)`|\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^*\s])([^*\n]*?[^*\s])\*")

Span = tuple[str, str]


def spans(text: str) -> list[Span]:
    """Split text into (style, text) runs; style is '', 'b', 'i' or 'code'."""
    out: list[Span] = []
    at = 0
    for m in _MARK.finditer(text):
        if m.start() > at:
            out.append(("", text[at : m.start()]))
        if m.group(1) is not None:
            out.append(("code", m.group(1)))
        elif m.group(2) is not None:
            out.append(("b", m.group(2)))
        else:
            out.append(("i", m.group(3)))
        at = m.end()
    if at < len(text):
        out.append(("", text[at:]))
    return out


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: ids made from names, file names made from titles."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plain(text: str) -> str:
    """The text as a reader sees it, marks removed."""
    return "".join(t for _, t in spans(text))


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
