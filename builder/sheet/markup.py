"""Content text to ReportLab paragraph markup: escaped, marks applied, emoji placed for drawing.

ReportLab cannot embed colour emoji fonts, so an emoji becomes a transparent
image that keeps its room in the line and a named callback that draws its
OpenMoji artwork there (see `pdf.emoji_drawer`).
"""

from __future__ import annotations

from pathlib import Path

from ..emoji import EmojiSet
from ..fonts import MONO, Coverage
from ..hyphens import soft_hyphens
from ..text import escape_xml, plain, to_markup


class Markup:
    def __init__(self, fonts: Coverage, emoji: EmojiSet, blank: Path) -> None:
        self.fonts = fonts
        self.emoji = emoji
        self.blank = blank

    def chars(self, text: str, size: float, code: bool = False) -> str:
        """Literal characters (no marks): escaped, long words given soft hyphens, emoji as artwork at `size`."""
        cover = self.fonts.code if code else self.fonts.text
        out = []
        for piece, artwork in self.emoji.segments(text, lambda c: c in cover):
            if artwork is None:
                # A space typed as a reference: ReportLab drops a plain one between a soft-hyphenated
                # word and the next fragment ("function &amp; more" came out as "function& more").
                out.append(escape_xml(piece) if code else escape_xml(soft_hyphens(piece)).replace(" ", "&#32;"))
            else:
                width = size * 1.25
                out.append(
                    f'<onDraw name="emoji" label="{artwork.name}"/>'
                    f'<img src="{self.blank}" width="{width:.2f}" height="{size * 0.2:.2f}"/>'
                )
        return "".join(out)

    def bare(self, text: str) -> str:
        """Text for drawn strings: marks removed, emoji left out (a drawn string cannot hold artwork)."""
        pieces = self.emoji.segments(plain(text), lambda c: c in self.fonts.text)
        return " ".join("".join(piece for piece, art in pieces if art is None).split())

    def text(self, text: str, size: float) -> str:
        """Content text with its marks (`**bold**`, `*italic*`, `` `code` ``) as markup."""
        return to_markup(text, lambda run, style: self.chars(run, size, style == "code"), MONO)

    def uses_artwork(self, texts: list[tuple[str, bool]]) -> bool:
        """Whether any of these (text, is code) draws emoji artwork: the footer then credits OpenMoji."""
        for text, code in texts:
            cover = self.fonts.code if code else self.fonts.text
            if any(art is not None for _, art in self.emoji.segments(text, cover.__contains__)):
                return True
        return False
