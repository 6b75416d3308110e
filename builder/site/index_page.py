"""The site's index (the course's topics and the release's downloads) and its pages for the release's documents."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..text.i18n import Words
from ..text.marks import plain
from .inline import inline_html
from .pages import back_link, document, link, markdown_html


@dataclass(frozen=True)
class Listed:
    """A topic as the index lists it: its page, and in a release its files and card count."""

    title: str
    summary: str | None
    version: str
    page: str
    cards: int | None = None
    deck: str | None = None
    sheet: str | None = None


def topic_meta(version: str, cards: int | None, sheet: str | None, deck: str | None, words: Words) -> str:
    """Version, card count and the topic's files, as the index and the topic's page show them."""
    meta = [f"v{html.escape(version)}"]
    if cards is not None:
        meta.append(html.escape(words.ngettext("%(count)s card", "%(count)s cards", cards)))
    if sheet:
        meta.append(link(sheet, words.gettext("Cheat sheet (PDF)")))
    if deck:
        meta.append(link(deck, words.gettext("Anki deck")))
    return f'<p class="meta">{" · ".join(meta)}</p>'


def index_page(
    course: str, date: str | None, topics: list[Listed], downloads: list[tuple[str, str]], words: Words
) -> str:
    """`downloads` are (link, label) pairs, in the order shown."""
    head = [f"<h1>{html.escape(course)}</h1>"]
    if date:
        head.append(f'<p class="meta">{html.escape(words.gettext("Release of %(date)s", date=words.date(date)))}</p>')
    items = []
    for t in topics:
        summary = f"<p>{inline_html(t.summary)}</p>" if t.summary else ""
        meta = topic_meta(t.version, t.cards, t.sheet, t.deck, words)
        items.append(f'<li><h3><a href="{html.escape(t.page)}">{inline_html(t.title)}</a></h3>{summary}{meta}</li>')
    sections = [
        f'<section aria-labelledby="topics"><h2 id="topics">{html.escape(words.gettext("Topics"))}</h2>'
        f'<ul class="topics">{"".join(items)}</ul></section>'
    ]
    if downloads:
        files = "".join(f"<li>{link(href, label)}</li>" for href, label in downloads)
        sections.append(
            f'<section class="downloads" aria-labelledby="downloads"><h2 id="downloads">'
            f'{html.escape(words.gettext("Downloads"))}</h2><ul class="files">{files}</ul></section>'
        )
    body = f"<header>{''.join(head)}</header>\n<main>{''.join(sections)}</main>"
    return document(words.lang, course, body)


def document_page(course: str, markdown: str, words: Words) -> str:
    """One of the release's Markdown documents as a page of the site, its first heading the page's title."""
    title = plain(markdown.split("\n", 1)[0].lstrip("# "))
    body = f"{back_link(course, words)}\n<main>{markdown_html(markdown)}</main>"
    return document(words.lang, title, body)
