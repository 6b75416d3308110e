"""The render engine: topics in, each topic's deck and sheet as bytes out, in worker processes.

Every command that renders (build, release, preview) plans its jobs here and
gets results back in topic order; none of them writes anything until every
topic rendered.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO, TypeVar

from .buildtime import build_times
from .content.model import Topic
from .deck.cards import NoteSpec

Progress = Callable[[int, int, str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class RenderJob:
    """One topic to render: the paper size of its sheet and its build time (seconds since the epoch)."""

    topic: Topic
    paper: str
    stamp: int


@dataclass(frozen=True)
class Rendered:
    notes: tuple[NoteSpec, ...]
    deck: bytes
    sheet: bytes


def plan(topics: Sequence[Topic], paper: str) -> list[RenderJob]:
    """One job per topic, stamped with its build time (asked of git once for the whole run)."""
    stamps = build_times([Path(t.source) for t in topics])
    return [RenderJob(topic, paper, stamps[Path(topic.source)]) for topic in topics]


def build_date(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d")


def blank_image() -> Path:
    """A transparent pixel: the room a paragraph keeps for an emoji drawn over it."""
    return Path(str(resources.files("builder") / "data" / "blank.png"))


class Renderer:
    """What rendering needs loaded once per process: fonts, their coverage, the emoji index."""

    def __init__(self) -> None:
        from .emoji import EmojiSet
        from .fonts import coverage, register

        register()
        self.fonts = coverage()
        self.emoji = EmojiSet.load()

    def render(self, job: RenderJob) -> Rendered:
        """Both artifacts of a topic, in memory."""
        from .deck.anki import DeckSpec, package_bytes
        from .deck.cards import notes
        from .sheet.fit import fit_sheet
        from .sheet.pdf import pdf_bytes

        specs = tuple(notes(job.topic))
        deck = package_bytes([DeckSpec(job.topic.deck, specs)], job.stamp)
        sheet = fit_sheet(job.topic, job.paper, build_date(job.stamp), self.fonts, self.emoji, blank_image())
        return Rendered(specs, deck, pdf_bytes(job.topic, sheet, self.emoji))

    def misfit(self, job: RenderJob) -> str | None:
        """Why the topic's sheet cannot fit one page, in the words `build` would use; None when it fits."""
        from .errors import DoesNotFitError
        from .sheet.fit import fit_sheet

        try:
            fit_sheet(job.topic, job.paper, build_date(job.stamp), self.fonts, self.emoji, blank_image())
        except DoesNotFitError as exc:
            return str(exc)
        return None


class _Worker:
    """The renderer of a worker process, made once by the pool's initializer."""

    renderer: Renderer | None = None


def _start_worker() -> None:
    """Per worker process: load fonts once; leave Ctrl-C to the parent, which reports it in one line.

    The worker was started with SIGINT blocked (see `_sigint_blocked`); ignoring it
    before unblocking drops a Ctrl-C that arrived in between.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _Worker.renderer = Renderer()


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Start workers with Ctrl-C held back: a new worker must not die of it before it can ignore it.

    The parent's own Ctrl-C stays pending meanwhile and arrives when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _render_in_worker(job: RenderJob) -> Rendered:
    assert _Worker.renderer is not None
    return _Worker.renderer.render(job)


def _misfit_in_worker(job: RenderJob) -> str | None:
    assert _Worker.renderer is not None
    return _Worker.renderer.misfit(job)


def render_all(jobs: list[RenderJob], workers: int, progress: Progress | None = None) -> Iterator[Rendered]:
    """Render in order; in `workers` processes when there is more than one topic to share."""
    return _run(jobs, workers, Renderer.render, _render_in_worker, progress)


def misfits(jobs: list[RenderJob], workers: int) -> list[str]:
    """Every topic whose sheet cannot fit one page (what `check` must know that `build` knows)."""
    return [reason for reason in _run(jobs, workers, Renderer.misfit, _misfit_in_worker) if reason]


def _run(
    jobs: list[RenderJob],
    workers: int,
    work: Callable[[Renderer, RenderJob], T],
    in_worker: Callable[[RenderJob], T],
    progress: Progress | None = None,
) -> Iterator[T]:
    """`work` for every job, results in job order; in `workers` processes when there is more than one job."""
    total = len(jobs)
    pool = None
    if workers <= 1 or total <= 1:
        renderer = Renderer() if jobs else None
        results: Iterator[T] = (work(renderer, job) for job in jobs if renderer)
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers, total), initializer=_start_worker)
        with _sigint_blocked():
            results = pool.map(in_worker, jobs, chunksize=max(1, total // (workers * 8)))
    try:
        for done, result in enumerate(results, 1):
            if progress:
                progress(done, total, jobs[done - 1].topic.id)
            yield result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def terminal_progress(stream: TextIO = sys.stderr) -> Progress | None:
    """Topics done of total, on one refreshed line; nothing when stderr is not a terminal."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\x1b[K[{done}/{total}] {name}{end}")
        stream.flush()

    return show
