"""Content text to ReportLab paragraph markup: escaped, marks applied, emoji placed for drawing.

ReportLab cannot embed colour emoji fonts, so an emoji becomes a transparent
image that keeps its room in the line and a named callback that draws its
OpenMoji artwork there (see `pdf.emoji_drawer`). TeX maths is placed the same
way, with room for its height and depth, and drawn as paths (`pdf.maths_drawer`).
CJK characters the DejaVu fonts lack are set in the sheet's CJK face, when it has one.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..glyphs.cjk import CJKFace
from ..glyphs.emoji import EmojiSet
from ..glyphs.fonts import MONO, Coverage
from ..text.hyphens import LANG, soft_hyphens
from ..text.marks import MATHS, escape_xml, plain, to_markup


def blank_image() -> Path:
    """A transparent pixel: the room a paragraph keeps in its line for an emoji or a formula drawn there by a
    callback. The canvas never draws it (`SheetCanvas`): room is not ink."""
    return Path(__file__).resolve().parent.parent / "data" / "blank.png"


_FRAGMENT_END_SPACES = re.compile(" +(?=&|$)")


def _kept_spaces(escaped: str) -> str:
    """Spaces that end a fragment (before an entity, or at the end of the run) typed as references: ReportLab drops
    a plain one there when the word before it has a soft hyphen, even a word begun in an earlier fragment
    ("function &amp; more" came out as "function& more", "*production*) **x**" as "production)x"). Only there:
    a reference splits the paragraph's fragments, and a paragraph of one-word fragments took a third longer to
    lay out."""
    return _FRAGMENT_END_SPACES.sub(lambda m: "&#32;" * len(m.group(0)), escaped)


class Markup:
    def __init__(
        self, fonts: Coverage, emoji: EmojiSet, blank: Path, cjk: CJKFace | None = None, hyphenation: str = LANG
    ) -> None:
        self.fonts = fonts
        self.emoji = emoji
        self.blank = blank
        self.cjk = cjk
        self.hyphenation = hyphenation  # the dictionary of the text's language (`hyphens.dictionary_for`)

    def chars(self, text: str, size: float, code: bool = False) -> str:
        """Literal characters (no marks): escaped, long words given soft hyphens, emoji as artwork at `size`."""
        cover = self.fonts.code if code else self.fonts.text
        out = []
        for piece, artwork in self.emoji.segments(text, lambda c: c in cover):
            if artwork is None:
                for run, cjk in self._scripts(piece, cover):
                    escaped = (
                        escape_xml(run)
                        if code or cjk
                        else _kept_spaces(escape_xml(soft_hyphens(run, self.hyphenation)))
                    )
                    out.append(f'<font face="{cjk}">{escaped}</font>' if cjk else escaped)
            else:
                width = size * 1.25
                out.append(
                    f'<onDraw name="emoji" label="{artwork.name}"/>'
                    f'<img src="{self.blank}" width="{width:.2f}" height="{size * 0.2:.2f}"/>'
                )
        return "".join(out)

    def maths(self, tex: str, size: float, display: bool) -> str:
        """Room in the line for the expression, and the callback that draws it there; display maths on its own line."""
        from ..glyphs.maths import PAD, SCALE, box

        room = box(tex, size * SCALE, display)
        # Taller than the text: room above and below, so ink never meets the next line or a table rule.
        pad = PAD * size if room.ascent > 0.75 * size or room.depth > 0.2 * size else 0.0
        label = f"{size * SCALE:g}:{int(display)}:{pad:.2f}:{tex.encode('utf-8').hex()}"
        placed = (
            f'<onDraw name="maths" label="{label}"/>'
            f'<img src="{self.blank}" width="{room.width:.2f}" height="{room.ascent + room.depth + 2 * pad:.2f}" '
            f'valign="{-room.depth - pad:.2f}"/>'
        )
        return f"<br/>{placed}<br/>" if display else placed

    def script(self, text: str) -> str:
        """Text as it is (no marks, soft hyphens or artwork), escaped, its CJK characters in the CJK face."""
        return "".join(
            f'<font face="{cjk}">{escape_xml(run)}</font>' if cjk else escape_xml(run)
            for run, cjk in self._scripts(text, self.fonts.text)
        )

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """Text cut where its font changes, for drawn strings: `font`, and the CJK face of its weight."""
        if self.cjk is None:
            return [(text, font)]
        bold = tt2ps(self.cjk.name, ps2tt(font)[1], 0)
        return [(run, bold if cjk else font) for run, cjk in self._scripts(text, self.fonts.text)]

    def width(self, text: str, font: str, size: float) -> float:
        """The width of a drawn string in `font` (its CJK characters in the CJK face)."""
        return sum(stringWidth(run, face, size) for run, face in self.runs(text, font))

    def _scripts(self, text: str, cover: frozenset[int]) -> list[tuple[str, str | None]]:
        """Runs of text with the CJK face that draws them, or None for the DejaVu font `cover` is of."""
        cjk = self.cjk
        if cjk is None or cover.issuperset(map(ord, text)):
            return [(text, None)]

        def face(ch: str) -> str | None:
            return cjk.name if ord(ch) not in cover and ord(ch) in cjk.chars else None

        return [("".join(run), name) for name, run in itertools.groupby(text, face)]

    def bare(self, text: str) -> str:
        """Text for drawn strings: marks removed, emoji left out (a drawn string cannot hold artwork)."""
        pieces = self.emoji.segments(plain(text), lambda c: c in self.fonts.text)
        return " ".join("".join(piece for piece, art in pieces if art is None).split())

    def text(self, text: str, size: float) -> str:
        """Content text with its marks (`**bold**`, `*italic*`, `` `code` ``) as markup."""
        markup = to_markup(
            text,
            lambda run, style: (
                self.maths(run, size, style == "display") if style in MATHS else self.chars(run, size, style == "code")
            ),
            MONO,
        )
        return markup.removeprefix("<br/>").removesuffix("<br/>")

    def uses_artwork(self, texts: list[tuple[str, bool]]) -> bool:
        """Whether any of these (text, is code) draws emoji artwork: the footer then credits OpenMoji."""
        for text, code in texts:
            cover = self.fonts.code if code else self.fonts.text
            if any(art is not None for _, art in self.emoji.segments(text, cover.__contains__)):
                return True
        return False
