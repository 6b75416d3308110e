"""Note specs in, `.apkg` bytes out: one frozen cloze note type, stable GUIDs, a repeatable zip.

Anki matches notes by GUID and note types by id and field list, so both are
fixed here forever; CSS and template text may change between releases.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import genanki

from ..output import deterministic_zip
from ..text.highlight import card_css
from .card_diagram import DIAGRAM_CSS
from .cards import NoteSpec
from .collection import Collection

MODEL_ID = 1_742_000_001
MODEL_NAME = "FLOZP Builder Cloze"
FIELDS = (
    {"name": "Text", "id": 4_817_300_101_238_472_001},
    {"name": "Back Extra", "id": 4_817_300_101_238_472_002},
    {"name": "Source", "id": 4_817_300_101_238_472_003},
)
TEMPLATE_ID = 4_817_300_101_238_472_101

FRONT = '<div class="source">{{Source}}</div>\n<div class="body">{{cloze:Text}}</div>'
BACK = (
    '<div class="source">{{Source}}</div>\n<div class="body">{{cloze:Text}}</div>\n'
    '{{#Back Extra}}<hr id="answer"><div class="extra">{{Back Extra}}</div>{{/Back Extra}}'
)

BASE_CSS = """\
.card { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  font-size: 20px; line-height: 1.45; color: #1d232b; background: #fbfbf8; text-align: left;
  margin: 0; padding: 16px; }
.body, .extra, .source { max-width: 40em; margin: 0 auto; }
.source { font-size: 0.7em; color: #5b6570; letter-spacing: 0.02em; margin-bottom: 0.6em; }
.prompt { font-weight: 600; margin-bottom: 0.5em; }
.seq-title { font-size: 0.8em; color: #1f4e79; font-weight: 600; margin: 0.3em 0; }
.shape { font-weight: normal; color: #5b6570; }
.step { display: flex; gap: 0.5em; padding: 0.15em 0; }
.step .n { min-width: 1.6em; text-align: right; color: #5b6570; font-variant-numeric: tabular-nums; }
.step.gap .name { color: #8a939c; }
.step.ask .name { font-weight: 600; }
.answer { font-size: 1.1em; margin: 0.4em 0; }
.phrase { letter-spacing: 0.08em; font-weight: 700; margin: 0.3em 0; }
.analogy-title, .order { margin: 0.3em 0; }
u.letter { text-decoration-thickness: 2px; text-underline-offset: 3px; }
.cloze { font-weight: 700; color: #1f4e79; }
.extra { font-size: 0.85em; }
.does { margin: 0.4em 0; }
.hook { color: #5b6570; font-style: italic; }
.cue b { display: inline-block; min-width: 1.4em; color: #1f4e79; }
ul.substeps { margin: 0.3em 0 0.3em 1.2em; padding: 0; }
pre.code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.8em; line-height: 1.4;
  background: #f1f3f5; border-radius: 6px; padding: 0.6em 0.8em; white-space: pre-wrap;
  overflow-wrap: anywhere; text-align: left; }
code.inline { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em;
  background: #f1f3f5; border-radius: 3px; padding: 0 0.2em; }
hr#answer { border: 0; border-top: 1px solid #d5d9de; margin: 0.8em 0; }
.mobile .card, .card.mobile { font-size: 18px; padding: 10px; }
.nightMode.card, .night_mode.card, .nightMode .card, .night_mode .card { color: #e6e8eb; background: #1e2126; }
.nightMode .source, .night_mode .source, .nightMode .step .n, .night_mode .step .n,
.nightMode .hook, .night_mode .hook, .nightMode .shape, .night_mode .shape { color: #a7b0ba; }
.nightMode .seq-title, .night_mode .seq-title, .nightMode .cloze, .night_mode .cloze,
.nightMode .cue b, .night_mode .cue b { color: #8cc4ff; }
.nightMode pre.code, .night_mode pre.code, .nightMode code.inline, .night_mode code.inline { background: #2a2e35; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #3a3f47; }
"""


def model_css() -> str:
    return BASE_CSS + DIAGRAM_CSS + card_css(".code", (".nightMode", ".night_mode"))


def note_model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[dict(f) for f in FIELDS],
        templates=[{"name": "Cloze", "qfmt": FRONT, "afmt": BACK, "id": TEMPLATE_ID}],
        css=model_css(),
        model_type=genanki.Model.CLOZE,
    )


def deck_id(name: str) -> int:
    """Stable per deck name, in genanki's recommended id range."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:12], 16)
    return (1 << 30) + digest % (1 << 30)


@dataclass(frozen=True)
class Preset:
    """A deck preset (Anki's deck options) that every deck of a package uses: a course's new cards a day."""

    name: str
    new_per_day: int

    @property
    def id(self) -> int:
        """Stable per name, so each release of a course updates the same preset."""
        return deck_id(f"preset:{self.name}")


@dataclass(frozen=True)
class DeckSpec:
    name: str
    notes: tuple[NoteSpec, ...]


class PackageWriter:
    """An `.apkg` written deck by deck, so a course of many topics never holds all its notes at once.

    Notes are stamped with `timestamp` as their modification time, or with their own
    time from `mods` (by GUID); `due` counts on across decks so new cards come in
    teaching order. A context manager: leaving
    it, even by an error, closes the collection and removes its temporary folder. With a `preset`, every deck
    uses it.
    """

    def __init__(self, timestamp: int, preset: Preset | None = None) -> None:
        self.timestamp = timestamp
        self.preset = preset
        self.model = note_model()
        self.due = itertools.count()
        self.ids = itertools.count(timestamp * 1000)
        self.collection = Collection()
        if preset:
            self.collection.add_preset(preset.id, preset.name, preset.new_per_day, timestamp)
        self.media: dict[str, str] = {}  # media name to the picture file it is read from

    def add(self, spec: DeckSpec, mods: Mapping[str, int] | None = None) -> None:
        deck = genanki.Deck(deck_id(spec.name), spec.name)
        deck.add_model(self.model)
        for note in spec.notes:
            self.media.update((picture.media_name, picture.path) for picture in note.media)
            deck.add_note(
                genanki.Note(
                    model=self.model,
                    fields=[note.text, note.extra, note.source],
                    tags=list(note.tags),
                    guid=note.guid,
                    due=next(self.due),
                )
            )
        self.collection.write_deck(deck, self.timestamp, self.ids)
        if self.preset:
            self.collection.use_preset(deck.deck_id, self.preset.id)
        older = {guid: mod for guid, mod in (mods or {}).items() if mod != self.timestamp}
        if older:
            self.collection.set_note_times(older)

    def finish(self) -> bytes:
        """The package bytes: the collection, the media map and the pictures (by name order) in a fixed-date zip."""
        collection = self.collection.finish()
        names = sorted(self.media)
        files = {str(i): Path(self.media[name]).read_bytes() for i, name in enumerate(names)}
        index = json.dumps({str(i): name for i, name in enumerate(names)}).encode()
        return deterministic_zip({"collection.anki2": collection, "media": index, **files})

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.collection.cleanup()


def package_bytes(decks: list[DeckSpec], timestamp: int, mods: Mapping[str, int] | None = None) -> bytes:
    with PackageWriter(timestamp) as writer:
        for spec in decks:
            writer.add(spec, mods)
        return writer.finish()
