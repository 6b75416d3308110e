"""The sheet's title band and its footer line."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table

from ..content.model import Topic
from ..glyphs.emoji import ARTWORK
from ..text.i18n import Words
from ..text.marks import escape_xml
from .markup import Markup
from .paragraph import Paragraph
from .styles import ACCENT, Styles
from .units import cells


def band(topic: Topic, st: Styles, mk: Markup, width: float) -> tuple[Flowable, float]:
    pad = st.size * 0.7
    left: list[Flowable] = [Paragraph(mk.text(topic.title, st.title.fontSize), st.title)]
    if topic.summary:
        left.append(Paragraph(mk.text(topic.summary, st.size), st.band))
    right = [Paragraph(f"<b>v{escape_xml(topic.version)}</b>", st.version)]
    version_width = st.size * 8
    table = Table([[left, right]], colWidths=[width - version_width, version_width])
    table.setStyle(cells(pad, pad, pad * 0.8, pad, ("BACKGROUND", (0, 0), (-1, -1), ACCENT), valign="MIDDLE"))
    return table, table.wrap(width, 1e6)[1]


def footer_text(topic: Topic, built: str, emoji_used: bool, words: Words, cjk_font: str | None = None) -> str:
    """Version, build date (YYYY-MM-DD, written as the topic's language writes dates), licence and credits;
    OpenMoji, the CJK font and the maths font are credited when the sheet uses them."""
    parts = [f"{topic.title} v{topic.version}", words.gettext("built %(date)s", date=words.date(built))]
    if topic.license:
        parts.append(words.gettext("licence %(license)s", license=topic.license))
    if topic.authors:
        parts.append(words.gettext("by %(authors)s", authors=words.join(topic.authors)))
    parts.append(words.gettext("Fonts: DejaVu (Bitstream Vera licence)") + (f", {cjk_font}" if cjk_font else ""))
    if topic.has_maths():
        parts.append(words.gettext("Maths: STIX Two Math (SIL Open Font License)"))
    if emoji_used:
        parts.append(words.gettext("Emoji: %(artwork)s", artwork=ARTWORK))
    return " · ".join(parts)
