"""Deck writing against raw genanki writing the same notes, in the same run.

    python benchmarks/deck_speed.py            # 1,000 and 10,000 notes
    python benchmarks/deck_speed.py 500 5000   # other sizes

Writer: `package_bytes` (genanki's database, then a sorted, fixed-date, deflated zip)
writing note specs already made; +cards adds making those specs from the topics (the
cards stage). Raw: the same field texts written by `genanki.Package.write_to_file`
with genanki's default GUIDs. Target: writer / raw <= 1.3.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import genanki

from builder.content.model import Analogy, Cue, Mnemonic, Pair, Sequence, Snippet, Step, Topic
from builder.deck.anki import DeckSpec, note_model, package_bytes
from builder.deck.cards import notes


def synthetic_topic(index: int) -> Topic:
    """Shaped like the PyTorch topic: 3 sequences of 8 steps, code on the first one's steps, its snippet,
    a mnemonic and an analogy (82 notes)."""
    sequences = []
    for s in range(3):
        steps = tuple(
            Step(
                f"step-{k}",
                f"Step {k} of part {s} in topic {index}",
                f"What step {k} does, in a sentence or so, for topic {index}.",
                f"do_step_{k}(x)" if s == 0 else None,
            )
            for k in range(8)
        )
        sequences.append(Sequence(f"part-{s}", f"Part {s}", steps, shape="loop" if s == 0 else "chain"))
    first = sequences[0]
    mnemonic = Mnemonic("m", "SSSSSSSS", first.id, tuple(Cue("S", st.id) for st in first.steps))
    analogy = Analogy("a", "Kitchen", first.id, tuple(Pair(st.id, f"Kitchen step {st.id}") for st in first.steps))
    code = "\n".join(st.code for st in first.steps if st.code is not None)
    snippet = Snippet("code", "python", code, "Code", first.id)
    return Topic(
        f"topic-{index}",
        f"Topic {index}",
        "1.0.0",
        f"Course::Topic {index}",
        tuple(sequences),
        "synthetic",
        mnemonics=(mnemonic,),
        analogies=(analogy,),
        snippets=(snippet,),
    )


def course(note_count: int) -> list[Topic]:
    per_topic = len(notes(synthetic_topic(0)))
    return [synthetic_topic(i) for i in range(max(1, round(note_count / per_topic)))]


def ours(topics: list[Topic]) -> tuple[float, int, int, float]:
    """Seconds for the cards stage plus the deck writer, notes, bytes, and seconds of the writer alone."""
    start = time.perf_counter()
    decks = [DeckSpec(t.deck, tuple(notes(t))) for t in topics]
    middle = time.perf_counter()
    data = package_bytes(decks, 1_767_225_600)
    end = time.perf_counter()
    return end - start, sum(len(d.notes) for d in decks), len(data), end - middle


def raw(topics: list[Topic]) -> tuple[float, int]:
    """Seconds for raw genanki to write the same notes, and the bytes it wrote."""
    specs = [(t.deck, notes(t)) for t in topics]
    model = note_model()
    start = time.perf_counter()
    decks = []
    for i, (name, deck_notes) in enumerate(specs):
        deck = genanki.Deck(2_000_000_000 + i, name)
        for n in deck_notes:
            deck.add_note(genanki.Note(model=model, fields=[n.text, n.extra, n.source], tags=list(n.tags)))
        decks.append(deck)
    with tempfile.TemporaryDirectory() as tmp:
        genanki.Package(decks).write_to_file(str(Path(tmp) / "raw.apkg"), timestamp=1_767_225_600)
        size = (Path(tmp) / "raw.apkg").stat().st_size
    return time.perf_counter() - start, size


def main(sizes: list[int]) -> None:
    print(
        f"{'notes':>7} {'writer s':>9} {'+cards s':>9} {'raw s':>7} {'writer/raw':>11} {'+cards/raw':>11} "
        f"{'ours MB':>8} {'raw MB':>7}"
    )
    for size in sizes:
        topics = course(size)
        best_ours = best_writer = best_raw = float("inf")
        for _ in range(3):  # alternate, keep the best of each: fair on a busy machine
            t_ours, count, nbytes, t_writer = ours(topics)
            best_ours, best_writer = min(best_ours, t_ours), min(best_writer, t_writer)
            t_raw, raw_size = raw(topics)
            best_raw = min(best_raw, t_raw)
        print(
            f"{count:>7,} {best_writer:>9.2f} {best_ours:>9.2f} {best_raw:>7.2f} {best_writer / best_raw:>11.2f} "
            f"{best_ours / best_raw:>11.2f} {nbytes / 1e6:>8.2f} {raw_size / 1e6:>7.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
