"""What every page of the site shares: the document around its body, links, and the release's Markdown as HTML."""

from __future__ import annotations

import html
import re

from ..text.i18n import Words
from .inline import inline_html

STYLE = "style.css"
INDEX = "index.html"


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def document(lang: str, title: str, body: str) -> str:
    """A whole page: its language, a viewport for phones, the site's style sheet; no script, nothing remote."""
    return (
        f'<!DOCTYPE html>\n<html lang="{attr(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{STYLE}">\n<link rel="icon" href="data:,">\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def link(href: str, text: str) -> str:
    return f'<a href="{attr(href)}">{html.escape(text)}</a>'


def back_link(course: str, words: Words) -> str:
    """The way from any page back to the index."""
    back = words.gettext("All topics of %(course)s", course=course)
    return f'<nav aria-label="{attr(back)}">{link(INDEX, "← " + back)}</nav>'


_HEADING = re.compile(r"(#{1,3}) (.*)")


def markdown_html(markdown: str, shift: int = 0) -> str:
    """The Markdown the release writes (headings, lists, paragraphs and inline marks) as HTML; headings sit
    `shift` levels lower. Not a general Markdown reader: the release's documents use no more."""
    out: list[str] = []
    for block in markdown.strip("\n").split("\n\n"):
        lines = block.split("\n")
        heading = _HEADING.fullmatch(lines[0])
        if heading and len(lines) == 1:
            level = len(heading.group(1)) + shift
            out.append(f"<h{level}>{inline_html(heading.group(2))}</h{level}>")
            continue
        items = _items(lines)
        if items is not None:
            out.append("<ul>" + "".join(f"<li>{inline_html(item)}</li>" for item in items) + "</ul>")
        else:
            out.append(f"<p>{inline_html(' '.join(lines))}</p>")
    return "\n".join(out)


def _items(lines: list[str]) -> list[str] | None:
    """A list's items (a line indented under an item goes on with it), or None when the block is no list."""
    if not lines[0].startswith("- "):
        return None
    items: list[str] = []
    for line in lines:
        if line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        else:
            return None
    return items
