"""Planning a run: one job per topic, with its build time and what its notes were last time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..buildtime import build_times
from ..content.model import Topic

if TYPE_CHECKING:
    from ..deck.cards import NoteSpec


@dataclass(frozen=True)
class RenderJob:
    """One topic to render: its sheet's paper size, its build time (seconds since the epoch), the deck its
    cards go in, and what its notes were last time (GUID to content hash and modification time)."""

    topic: Topic
    paper: str
    stamp: int
    deck: str
    known: Mapping[str, tuple[str, int]] = field(default_factory=dict)


def note_times(specs: Sequence[NoteSpec], known: Mapping[str, tuple[str, int]], stamp: int) -> dict[str, int]:
    """Each note's modification time: kept while its content is unchanged, else this build's time.

    Anki updates a note on re-import only when its time is newer, and reports it as updated, so a
    one-note edit updates one note.
    """
    times = {}
    for spec in specs:
        before = known.get(spec.guid)
        times[spec.guid] = before[1] if before and before[0] == spec.content_hash else stamp
    return times


def plan(
    topics: Sequence[Topic],
    paper: str,
    course: str | None = None,
    known: Mapping[str, Mapping[str, tuple[str, int]]] | None = None,
    stamps: Mapping[Path, int] | None = None,
) -> list[RenderJob]:
    """One job per topic, stamped with its build time (asked of git once for the whole run, unless `stamps`
    already holds every topic's).

    `known` holds, per topic id, its notes as last written, so unchanged notes keep their time.
    """
    sources = [Path(t.source) for t in topics]
    if stamps is None or not all(source in stamps for source in sources):
        stamps = build_times(sources)
    return [
        RenderJob(topic, paper, stamps[Path(topic.source)], topic.deck_in(course), (known or {}).get(topic.id, {}))
        for topic in topics
    ]


def build_date(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d")
