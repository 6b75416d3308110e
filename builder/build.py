"""The build stage: every validated topic to its deck and sheet, each written atomically.

Outputs are staged as they are rendered and put in place only when every topic
rendered. Topics render in parallel processes (same bytes as a serial build), and a topic
whose inputs, options, build time and builder version match the cache kept in
the output folder is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .buildtime import build_times
from .cards import NoteSpec
from .gather import Gathered
from .model import Topic
from .output import Staging, write_atomic

CACHE = ".build-cache.json"


def blank_image() -> Path:
    return Path(str(resources.files("builder") / "data" / "blank.png"))


def build_date(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Rendered:
    notes: tuple[NoteSpec, ...]
    deck: bytes
    sheet: bytes


class Renderer:
    """What rendering needs loaded once per process: fonts, their coverage, the emoji index."""

    def __init__(self) -> None:
        from .emoji import EmojiSet
        from .fonts import coverage, register

        register()
        self.fonts = coverage()
        self.emoji = EmojiSet.load()

    def render(self, topic: Topic, paper: str, stamp: int) -> Rendered:
        """Both artifacts of a topic, in memory: nothing is written until every topic rendered."""
        from .anki import DeckSpec, package_bytes
        from .cards import notes
        from .pdf import pdf_bytes
        from .sheet import layout

        specs = tuple(notes(topic))
        deck = package_bytes([DeckSpec(topic.deck, specs)], stamp)
        sheet = layout(topic, paper, build_date(stamp), self.fonts, self.emoji, blank_image())
        return Rendered(specs, deck, pdf_bytes(topic, sheet, self.emoji))


_worker: list[Renderer] = []


def _start_worker() -> None:
    """Per worker process: load fonts once; leave Ctrl-C to the parent, which reports it in one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.append(Renderer())


def _render_in_worker(job: tuple[Topic, str, int]) -> Rendered:
    return _worker[0].render(*job)


Progress = Callable[[int, int, str], None]


def render_all(jobs: list[tuple[Topic, str, int]], workers: int, progress: Progress | None = None
               ) -> Iterator[Rendered]:
    """Render in order; in `workers` processes when there is more than one topic to share."""
    total = len(jobs)
    if workers <= 1 or total <= 1:
        renderer = Renderer() if jobs else None
        results: Iterator[Rendered] = (renderer.render(*job) for job in jobs)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers, total), initializer=_start_worker)
        results = pool.map(_render_in_worker, jobs, chunksize=max(1, total // (workers * 8)))
    try:
        for done, result in enumerate(results, 1):
            if progress:
                progress(done, total, jobs[done - 1][0].id)
            yield result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def cache_key(topic: Topic, paper: str, stamp: int) -> str:
    ident = repr((topic, paper, stamp, __version__))
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()


def _read_cache(out: Path) -> dict:
    try:
        data = json.loads((out / CACHE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _file_state(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def terminal_progress(stream=sys.stderr) -> Progress | None:
    """Topics done of total, on one refreshed line; nothing when stderr is not a terminal."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\x1b[K[{done}/{total}] {name}{end}")
        stream.flush()

    return show


def build_all(gathered: Gathered, out: Path, paper: str, force: bool = False, workers: int = 1,
              progress: Progress | None = None) -> list[Path]:
    """Every topic's deck and sheet in `out`; topics with a matching cache entry are left as they are."""
    stamps = build_times([Path(t.source) for t in gathered.topics])
    stored = _read_cache(out).get("topics", {})
    cache = {} if force else stored
    entries: dict[str, dict] = {}
    todo = []
    for topic in gathered.topics:
        key = cache_key(topic, paper, stamps[Path(topic.source)])
        paths = [out / f"{topic.id}.apkg", out / f"{topic.id}.pdf"]
        old = cache.get(topic.id, {})
        if old.get("key") == key and old.get("files") == [_file_state(p) for p in paths]:
            entries[topic.id] = old
        else:
            todo.append((topic, key, paths))
    jobs = [(topic, paper, stamps[Path(topic.source)]) for topic, _, _ in todo]
    with Staging() as staging:
        for (_, _, paths), result in zip(todo, render_all(jobs, workers, progress)):
            staging.add(paths[0], result.deck)
            staging.add(paths[1], result.sheet)
        staging.commit()
    for topic, key, paths in todo:
        entries[topic.id] = {"key": key, "files": [_file_state(p) for p in paths]}
    if todo or not (out / CACHE).exists():
        merged = {**stored, **entries}
        write_atomic(out / CACHE, (json.dumps({"builder": __version__, "topics": merged}, indent=1,
                                              sort_keys=True) + "\n").encode("utf-8"))
    return [out / f"{t.id}{suffix}" for t in gathered.topics for suffix in (".apkg", ".pdf")]
