"""Cards as a student sees them: Anki renders each side from the real deck; pictures and maths made self-contained."""

from __future__ import annotations

import base64
import html
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...content.model import Topic
from ...deck.cards import KINDS
from ...errors import MissingExtraError
from ...render.plan import plan
from ...render.pool import Workers
from ...render.run import render_all
from ...text.i18n import Words

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


def require(module: str) -> None:
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(f"the preview needs the '{module}' package: {EXTRA_HINT}") from exc


def render_cards(deck: bytes) -> tuple[tuple[CardView, ...], str]:
    """Import the deck into a throwaway collection; Anki renders each card's two sides."""
    require("anki")
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
    from ...glyphs.maths import svg

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
    require("pypdfium2")
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[0].render(scale=scale).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def topic_views(topics: list[Topic], paper: str, workers: Workers) -> list[TopicView]:
    require("anki")
    require("pypdfium2")
    views = []
    for topic, rendered in zip(topics, render_all(plan(topics, paper), workers), strict=True):
        cards, css = render_cards(rendered.deck)
        views.append(TopicView(topic, sheet_png(rendered.sheet), cards, css, Words.load(topic.lang)))
    return views
