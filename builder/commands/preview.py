"""Author preview: every card and the sheet of every topic on one self-contained page.

Cards are rendered by Anki's own template engine (the official `anki` package,
the `preview` extra) from the real deck, in a throwaway collection, so the page
shows what a student sees. Nothing under the build's own outputs is touched:
the page goes to DIR/preview/.
"""

from __future__ import annotations

import base64
import html
import http.server
import io
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.model import Topic
from ..deck.cards import KINDS
from ..errors import BuilderError, MissingExtraError
from ..output import write_atomic
from ..render import Workers, plan, render_all
from ..site.files import FOLDER, Site, SiteTopic, site_files
from ..text.i18n import ENGLISH, Words

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
EXTRA_HINT = "pip install 'flozp-builder[preview]' (or, in a checkout: pip install -e '.[preview]')"


@dataclass(frozen=True)
class CardView:
    kind: str
    question: str
    answer: str


@dataclass(frozen=True)
class TopicView:
    topic: Topic
    sheet_png: bytes
    cards: tuple[CardView, ...]
    css: str
    words: Words  # in the topic's language


def _require(module: str) -> None:
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(f"the preview needs the '{module}' package: {EXTRA_HINT}") from exc


def render_cards(deck: bytes) -> tuple[tuple[CardView, ...], str]:
    """Import the deck into a throwaway collection; Anki renders each card's two sides."""
    _require("anki")
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "deck.apkg"
        package.write_bytes(deck)
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
            )
            css = ""
            views = []
            media = Path(col.media.dir())
            for cid in sorted(col.find_cards(""), key=lambda c: col.get_card(c).due):
                card = col.get_card(cid)
                output = card.render_output()
                css = output.css
                kind = next((t.split("::", 1)[1] for t in card.note().tags if t.startswith("card::")), "")
                sides = (_self_contained(side, media) for side in (output.question_text, output.answer_text))
                views.append(CardView(kind, *sides))
        finally:
            col.close()
    order = {kind: i for i, kind in enumerate(KINDS)}
    return tuple(sorted(views, key=lambda v: order.get(v.kind, len(order)))), css


_PICTURE = re.compile(r'<img src="(flozp-[0-9a-f]{20}\.(png|jpg|svg))"')
_MATHS = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_MIME = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}


def _self_contained(side: str, media: Path) -> str:
    """A card side that shows everything from one file: pictures inlined, and maths typeset as Anki's
    MathJax would (by the sheet's renderer, as SVG), since the page has no MathJax of its own."""
    from ..glyphs.maths import svg

    def picture(m: re.Match[str]) -> str:
        data = base64.b64encode((media / m.group(1)).read_bytes()).decode()
        return f'<img src="data:{_MIME[m.group(2)]};base64,{data}"'

    def maths(m: re.Match[str]) -> str:
        display = m.group(2) is not None
        tex = html.unescape(m.group(2) if display else m.group(1))
        label = html.escape(tex)
        image, room = svg(tex, display)
        if display:  # MathJax sets display maths centred on a line of its own
            return f'<div class="maths display" role="img" aria-label="{label}" title="{label}">{image}</div>'
        place = f"vertical-align: {-room.depth:.1f}px"
        return f'<span class="maths" role="img" aria-label="{label}" title="{label}" style="{place}">{image}</span>'

    return _MATHS.sub(maths, _PICTURE.sub(picture, side))


def sheet_png(pdf: bytes, scale: float = 1.5) -> bytes:
    _require("pypdfium2")
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[0].render(scale=scale).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def topic_views(topics: list[Topic], paper: str, workers: Workers) -> list[TopicView]:
    _require("anki")
    _require("pypdfium2")
    views = []
    for topic, rendered in zip(topics, render_all(plan(topics, paper), workers), strict=True):
        cards, css = render_cards(rendered.deck)
        views.append(TopicView(topic, sheet_png(rendered.sheet), cards, css, Words.load(topic.lang)))
    return views


PAGE_CSS = """
body { margin: 0; font-family: system-ui, sans-serif; background: #eceff3; color: #1d232b; }
header { position: sticky; top: 0; z-index: 2; background: #1f4e79; color: #fff; padding: 8px 16px;
  display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0 auto 0 0; }
header label { font-size: 14px; cursor: pointer; }
main { padding: 16px; }
section.topic { margin-bottom: 40px; }
section.topic > h2 { margin: 8px 0; }
img.sheet { max-width: 100%; border: 1px solid #c9d1da; background: #fff; }
.card img { max-width: 100%; height: auto; }
span.maths { display: inline-block; line-height: 0; }
div.maths.display { text-align: center; margin: 0.4em 0; }
.card svg { max-width: 100%; }
h3.kind { margin: 24px 0 8px; text-transform: capitalize; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-bottom: 12px; }
.side { border: 1px solid #c9d1da; border-radius: 8px; overflow: hidden; background: #fff; min-width: 0;
  display: flex; flex-direction: column; }
.side > .card { flex: 1; }
.side > .label { font-size: 11px; color: #5b6570; padding: 2px 8px; background: #f4f6f8; }
.narrow .pair { grid-template-columns: 375px 375px; }
.narrow .side { width: 375px; }
"""

PAGE_JS = """
const root = document.documentElement;
function apply() {
  const night = document.getElementById('night').checked;
  const phone = document.getElementById('phone').checked;
  document.querySelectorAll('.card').forEach(c => {
    c.classList.toggle('nightMode', night); c.classList.toggle('night_mode', night);
    c.classList.toggle('mobile', phone);
  });
  document.body.classList.toggle('narrow', phone);
}
document.getElementById('night').addEventListener('change', apply);
document.getElementById('phone').addEventListener('change', apply);
if (location.protocol.startsWith('http')) {
  let seen = null;
  setInterval(() => fetch('/__version', {cache: 'no-store'}).then(r => r.text()).then(v => {
    if (seen !== null && v !== seen) location.reload();
    seen = v;
  }).catch(() => {}), 700);
}
"""


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


class PreviewServer:
    """Serves DIR/preview on 127.0.0.1; `/__version` changes after each rebuild so the page reloads."""

    def __init__(self, folder: Path, port: int) -> None:
        self.version = 0
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self) -> None:
                if self.path == "/__version":
                    body = str(server.version).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Cache-Control", "no-store")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/index.html"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def watch(paths: list[Path], rebuild: Callable[[], str], server: PreviewServer, say: Callable[[str], None]) -> None:
    """Rebuild on every change of a content file; a bad save prints its problems and the watch goes on.

    A folder or file deleted and created again (a `git checkout`, an editor's atomic
    save) is a new one that the watcher of the old one never hears from: when a
    watched path is deleted or replaced, the watch starts again on what exists (or
    waits for it) and then rebuilds, so nothing written in between is missed.
    """
    _require("watchfiles")
    from watchfiles import Change
    from watchfiles import watch as changes

    from ..content.files import SUFFIXES

    roots = {os.path.abspath(p) for p in paths}

    def wanted(change: Change, name: str) -> bool:
        return name.endswith(SUFFIXES + PICTURE_SUFFIXES) or name in roots

    seen = [_identity(p) for p in paths]
    pending = None in seen  # a path missing now may have been there for the first build
    while True:
        watched = [p for p, identity in zip(paths, seen, strict=True) if identity]
        batches = (
            changes(*watched, watch_filter=wanted, rust_timeout=500, yield_on_timeout=True) if watched else _ticks()
        )
        with closing(batches):
            while True:
                try:
                    batch = next(batches)
                except FileNotFoundError:  # deleted as the watcher started
                    break
                if [_identity(p) for p in paths] != seen or any(
                    change == Change.deleted and name in roots for change, name in batch
                ):
                    break
                if batch or pending:
                    pending = False
                    try:
                        say(rebuild())
                        server.version += 1
                    except (BuilderError, OSError) as exc:  # OSError: files deleted while being read
                        say(f"not rebuilt:\n{exc}")
        seen = [_identity(p) for p in paths]
        pending = True


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file or folder is at `path` now (None: nothing)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _ticks() -> Generator[set[tuple[Any, str]], None, None]:
    """No changes, twice a second: how the watch waits for a deleted path to come back."""
    while True:
        time.sleep(0.5)
        yield set()
