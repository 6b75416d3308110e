"""The site as files: its pages, its style sheet and its pictures, by their path inside the site folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.model import Topic
from ..text.i18n import Words
from .index_page import Listed, document_page, index_page
from .pages import INDEX, STYLE
from .style import style_sheet
from .topic_page import TopicLinks, media_path, topic_page

FOLDER = "site"


@dataclass(frozen=True)
class SiteTopic:
    """A topic and what the site says of it beyond the topic: its files (relative to the site) and card count."""

    topic: Topic
    cards: int | None = None
    deck: str | None = None
    sheet: str | None = None
    built: str | None = None  # YYYY-MM-DD


@dataclass(frozen=True)
class Site:
    """A whole site: the course, its topics, the downloads the index lists (link, label; a document's page is
    linked by its name), and the release's documents as pages (file name in the site, Markdown)."""

    course: str
    date: str | None
    topics: tuple[SiteTopic, ...]
    downloads: tuple[tuple[str, str], ...] = ()
    documents: tuple[tuple[str, str], ...] = ()


def page_name(topic: Topic) -> str:
    return f"{topic.id}.html"


def site_files(site: Site, words: Words) -> dict[str, bytes]:
    """Every file of the site by its path in the site; `words` in the course's language, each topic page in
    its topic's. Pictures are read from their files here, once each."""
    files: dict[str, bytes] = {STYLE: style_sheet().encode("utf-8")}
    listed = []
    for entry in site.topics:
        topic = entry.topic
        links = TopicLinks(site.course, entry.deck, entry.sheet, entry.cards, entry.built)
        files[page_name(topic)] = topic_page(topic, links, Words.load(topic.lang)).encode("utf-8")
        for picture in topic.pictures():
            files.setdefault(media_path(picture), Path(picture.path).read_bytes())
        listed.append(
            Listed(topic.title, topic.summary, topic.version, page_name(topic), entry.cards, entry.deck, entry.sheet)
        )
    for name, markdown in site.documents:
        files[name] = document_page(site.course, markdown, words).encode("utf-8")
    files[INDEX] = index_page(site.course, site.date, listed, list(site.downloads), words).encode("utf-8")
    return dict(sorted(files.items()))
