"""What one process does for one job: the topic's cards, deck and sheet, with what it loaded once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.model import Topic
from ..errors import Problem
from ..text.i18n import Words, translated_characters
from .plan import RenderJob, build_date, note_times

if TYPE_CHECKING:
    from ..content.gather import Drawers
    from ..deck.cards import NoteSpec
    from ..glyphs.cjk import CJKFace
    from ..sheet.fit import FittedSheet


@dataclass(frozen=True)
class Rendered:
    notes: tuple[NoteSpec, ...]
    deck: bytes
    sheet: bytes
    mods: dict[str, int]  # each note's modification time, by GUID
    warnings: tuple[Problem, ...] = ()  # what fitting the sheet had to give up (`fit_warnings`)


def sheet_texts(topic: Topic) -> Iterator[str]:
    """Every text a topic's sheet prints: its content, licence and authors."""
    yield from (text for text, _ in topic.texts())
    yield from (topic.license or "", *topic.authors)


class Renderer:
    """What rendering needs loaded once per process: fonts, their coverage, the emoji index, the CJK font."""

    def __init__(self, drawers: Drawers | None = None) -> None:
        """`drawers`: what validation loaded to check the text in this process, else loaded here."""
        from ..glyphs.cjk import CJKFont
        from ..glyphs.emoji import EmojiSet
        from ..glyphs.fonts import coverage, register

        register()
        self.fonts, self.emoji, self.cjk = drawers or (coverage(), EmojiSet.load(), CJKFont.installed())
        self.languages: dict[str, Words] = {}

    def cjk_face(self, texts: Iterable[str]) -> CJKFace | None:
        """The CJK font cut to these texts' CJK characters; None when they have none or no CJK font is installed."""
        return self.cjk.face_for(texts) if self.cjk else None

    def words(self, lang: str) -> Words:
        """The builder's words in a language, read from its catalog once per process."""
        if lang not in self.languages:
            self.languages[lang] = Words.load(lang)
        return self.languages[lang]

    def render(self, job: RenderJob) -> Rendered:
        """Both artifacts of a topic, in memory."""
        from ..deck.anki import DeckSpec, package_bytes
        from ..deck.cards import notes
        from ..sheet.fit import fit_warnings
        from ..sheet.pdf import pdf_bytes

        specs = tuple(notes(job.topic, self.words(job.topic.lang)))
        mods = note_times(specs, job.known, job.stamp)
        deck = package_bytes([DeckSpec(job.deck, specs)], job.stamp, mods)
        sheet = self.fit(job)
        warnings = tuple(fit_warnings(job.topic, sheet))
        return Rendered(specs, deck, pdf_bytes(job.topic, sheet, self.emoji), mods, warnings)

    def fit(self, job: RenderJob) -> FittedSheet:
        """The topic's sheet laid out on one page (DoesNotFitError when it cannot be)."""
        from ..sheet.fit import fit_sheet
        from ..sheet.markup import blank_image

        words, built = self.words(job.topic.lang), build_date(job.stamp)
        # The CJK face must also draw the builder's words and the date as the topic's language writes it.
        said = "".join(sorted(translated_characters(job.topic.lang))) + words.date(built)
        cjk = self.cjk_face([*sheet_texts(job.topic), said])
        return fit_sheet(job.topic, job.paper, built, self.fonts, self.emoji, blank_image(), words, cjk)

    def sheet_problems(self, job: RenderJob) -> tuple[Problem, ...]:
        """What fitting the topic's sheet finds, in the words `build` would use: the refusal when it cannot fit
        one page (an error at the topic's file), else the diagrams it left out (warnings)."""
        from ..errors import DoesNotFitError
        from ..sheet.fit import fit_warnings

        try:
            sheet = self.fit(job)
        except DoesNotFitError as exc:
            return (exc.problem(),)
        return tuple(fit_warnings(job.topic, sheet))
