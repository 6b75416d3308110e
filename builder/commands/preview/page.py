"""The preview page: each topic's sheet and cards, with night-mode and phone-width toggles, and the course site."""

from __future__ import annotations

import base64
import html
from importlib.resources import files
from pathlib import Path

from ...content.model import Topic
from ...output import write_atomic
from ...render.pool import Workers
from ...site.files import FOLDER, Site, SiteTopic, site_files
from ...text.i18n import ENGLISH, Words
from .cards import TopicView, topic_views

PAGE_CSS = files(__package__).joinpath("page.css").read_text(encoding="utf-8")
PAGE_JS = files(__package__).joinpath("page.js").read_text(encoding="utf-8")


def _kind_name(kind: str, words: Words) -> str:
    """A card kind as the page heads its cards."""
    names = {
        # Translators: kinds of card, heading their cards on the preview page.
        "term": words.gettext("term"),
        "next-step": words.gettext("next step"),
        "previous-step": words.gettext("previous step"),
        "whole-sequence": words.gettext("whole sequence"),
        "mnemonic": words.gettext("mnemonic"),
        "analogy": words.gettext("analogy"),
        "code": words.gettext("code"),
    }
    return names.get(kind, kind.replace("-", " "))


def _topic_section(view: TopicView, page_lang: str) -> str:
    """A topic's sheet and cards, labelled in the topic's language (marked on the section when the page's differs)."""
    t, words = view.topic, view.words
    count = len(view.cards)
    lang = f' lang="{html.escape(words.lang)}"' if words.lang != page_lang else ""
    cards = html.escape(words.ngettext("%(count)s card", "%(count)s cards", count))
    alt = html.escape(words.gettext("Cheat sheet of %(title)s", title=t.title))
    front, back = html.escape(words.gettext("front")), html.escape(words.gettext("back"))
    parts = [
        f'<section class="topic"{lang} data-topic="{html.escape(t.id)}" data-cards="{count}">',
        f"<h2>{html.escape(t.title)} <small>v{html.escape(t.version)} · {cards}</small></h2>",
        f'<img class="sheet" alt="{alt}" src="data:image/png;base64,{base64.b64encode(view.sheet_png).decode()}">',
    ]
    kind = None
    for card in view.cards:
        if card.kind != kind:
            kind = card.kind
            parts.append(f'<h3 class="kind">{html.escape(_kind_name(kind, words))}</h3>')
        parts.append(
            f'<div class="pair" data-kind="{html.escape(card.kind)}">'
            f'<div class="side"><div class="label">{front}</div><div class="card">{card.question}</div></div>'
            f'<div class="side"><div class="label">{back}</div><div class="card">{card.answer}</div></div></div>'
        )
    parts.append("</section>")
    return "".join(parts)


def page(views: list[TopicView], words: Words | None = None) -> str:
    """The whole page; its own words (title, header, toggles) in the course's language, English when not given."""
    words = Words() if words is None else words
    css = views[0].css if views else ""
    sections = [_topic_section(view, words.lang) for view in views]
    total = sum(len(v.cards) for v in views)
    cards = words.ngettext("%(count)s card", "%(count)s cards", total)
    topics = words.ngettext("%(count)s topic", "%(count)s topics", len(views))
    title = html.escape(words.ngettext("Preview: %(count)s card", "Preview: %(count)s cards", total))
    heading = html.escape(words.gettext("Preview · %(topics)s · %(cards)s", topics=topics, cards=cards))
    night, phone = html.escape(words.gettext("Night mode")), html.escape(words.gettext("Phone width (375 px)"))
    site = html.escape(words.gettext("The course as web pages"))
    return (
        f'<!DOCTYPE html><html lang="{html.escape(words.lang)}"><head><meta charset="utf-8"><link rel="icon" '
        'href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{PAGE_CSS}\n{css}</style></head><body>"
        f"<header><h1>{heading}</h1>"
        f'<a href="{FOLDER}/index.html">{site}</a>'
        f'<label><input type="checkbox" id="night"> {night}</label>'
        f'<label><input type="checkbox" id="phone"> {phone}</label></header>'
        f"<main>{''.join(sections)}</main><script>{PAGE_JS}</script></body></html>\n"
    )


def write_preview(
    topics: list[Topic], out: Path, paper: str, workers: Workers, lang: str = ENGLISH, course: str = ""
) -> Path:
    """DIR/preview/index.html, and beside it the course site as a release writes it, without the downloads
    (`site/index.html`); `lang` is the course's, for the pages' own words."""
    words = Words.load(lang)
    name = course or " · ".join(topic.title for topic in topics)
    site = Site(name, None, tuple(SiteTopic(topic) for topic in topics))
    for name, data in site_files(site, words).items():
        write_atomic(out / "preview" / FOLDER / name, data)
    target = out / "preview" / "index.html"
    write_atomic(target, page(topic_views(topics, paper, workers), words).encode("utf-8"))
    return target


def problems_page(out: Path, problems: str) -> Path:
    """What the watch serves while the content has errors: the problems, and the reload script."""
    target = out / "preview" / "index.html"
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        "<title>Preview: content has "
        f"problems</title><style>{PAGE_CSS}</style></head><body><header><h1>Content has problems</h1>"
        '<input type="checkbox" id="night" hidden><input type="checkbox" id="phone" hidden>'
        f"</header><main><pre>{html.escape(problems)}</pre></main><script>{PAGE_JS}</script></body></html>\n"
    )
    write_atomic(target, body.encode("utf-8"))
    return target
