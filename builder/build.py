"""The build stage: every validated topic to its deck and sheet, each written atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .anki import DeckSpec, package_bytes
from .buildtime import build_time
from .cards import NoteSpec, notes
from .emoji import EmojiSet
from .fonts import coverage, register
from .gather import Gathered
from .model import Topic
from .output import write_atomic
from .pdf import pdf_bytes
from .sheet import layout


def blank_image() -> Path:
    return Path(str(resources.files("builder") / "data" / "blank.png"))


def build_date(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Rendered:
    notes: tuple[NoteSpec, ...]
    deck: bytes
    sheet: bytes


def render(topic: Topic, paper: str, emoji: EmojiSet) -> Rendered:
    """Both artifacts of a topic, in memory: nothing is written until every topic rendered."""
    stamp = build_time(Path(topic.source))
    specs = tuple(notes(topic))
    deck = package_bytes([DeckSpec(topic.deck, specs)], stamp)
    sheet = layout(topic, paper, build_date(stamp), coverage(), emoji, blank_image())
    return Rendered(specs, deck, pdf_bytes(topic, sheet, emoji))


def build_all(gathered: Gathered, out: Path, paper: str) -> list[Path]:
    register()
    emoji = EmojiSet.load()
    rendered = [(topic, render(topic, paper, emoji)) for topic in gathered.topics]
    written = []
    for topic, result in rendered:
        for suffix, data in ((".apkg", result.deck), (".pdf", result.sheet)):
            path = out / f"{topic.id}{suffix}"
            write_atomic(path, data)
            written.append(path)
    return written
