"""The render engine: topics in, each topic's deck and sheet as bytes out, in worker processes.

Every command that renders (build, release, preview) plans its jobs here and
gets results back in topic order; none of them writes anything until every
topic rendered.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from .buildtime import build_times
from .content.model import Topic
from .errors import Problem, WorkerDiedError, WorkerHungError
from .i18n import Words, translated_characters

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from .cjk import CJKFace
    from .content.gather import Drawers
    from .deck.cards import NoteSpec
    from .sheet.fit import FittedSheet

Progress = Callable[[int, int, str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Workers:
    """How topics render: in how many processes, and for how many seconds one topic may keep a worker busy.

    A worker that goes past the limit (stopped, deadlocked, looping) is killed and
    the run stops naming its topic. The builder's own process, which renders when
    there is one process or one topic, is not timed: Ctrl-C stops it.
    """

    count: int
    limit: float


@dataclass(frozen=True)
class RenderJob:
    """One topic to render: its sheet's paper size, its build time (seconds since the epoch), the deck its
    cards go in, and what its notes were last time (GUID to content hash and modification time)."""

    topic: Topic
    paper: str
    stamp: int
    deck: str
    known: Mapping[str, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    notes: tuple[NoteSpec, ...]
    deck: bytes
    sheet: bytes
    mods: dict[str, int]  # each note's modification time, by GUID
    warnings: tuple[Problem, ...] = ()  # what fitting the sheet had to give up (`fit_warnings`)


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


def sheet_texts(topic: Topic) -> Iterator[str]:
    """Every text a topic's sheet prints: its content, licence and authors."""
    yield from (text for text, _ in topic.texts())
    yield from (topic.license or "", *topic.authors)


class Renderer:
    """What rendering needs loaded once per process: fonts, their coverage, the emoji index, the CJK font."""

    def __init__(self, drawers: Drawers | None = None) -> None:
        """`drawers`: what validation loaded to check the text in this process, else loaded here."""
        from .cjk import CJKFont
        from .emoji import EmojiSet
        from .fonts import coverage, register

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
        from .deck.anki import DeckSpec, package_bytes
        from .deck.cards import notes
        from .sheet.fit import fit_warnings
        from .sheet.pdf import pdf_bytes

        specs = tuple(notes(job.topic, self.words(job.topic.lang)))
        mods = note_times(specs, job.known, job.stamp)
        deck = package_bytes([DeckSpec(job.deck, specs)], job.stamp, mods)
        sheet = self.fit(job)
        warnings = tuple(fit_warnings(job.topic, sheet))
        return Rendered(specs, deck, pdf_bytes(job.topic, sheet, self.emoji), mods, warnings)

    def fit(self, job: RenderJob) -> FittedSheet:
        """The topic's sheet laid out on one page (DoesNotFitError when it cannot be)."""
        from .sheet.fit import fit_sheet
        from .sheet.markup import blank_image

        words, built = self.words(job.topic.lang), build_date(job.stamp)
        # The CJK face must also draw the builder's words and the date as the topic's language writes it.
        said = "".join(sorted(translated_characters(job.topic.lang))) + words.date(built)
        cjk = self.cjk_face([*sheet_texts(job.topic), said])
        return fit_sheet(job.topic, job.paper, built, self.fonts, self.emoji, blank_image(), words, cjk)

    def sheet_problems(self, job: RenderJob) -> tuple[Problem, ...]:
        """What fitting the topic's sheet finds, in the words `build` would use: the refusal when it cannot fit
        one page (an error at the topic's file), else the diagrams it left out (warnings)."""
        from .errors import DoesNotFitError
        from .sheet.fit import fit_warnings

        try:
            sheet = self.fit(job)
        except DoesNotFitError as exc:
            return (exc.problem(),)
        return tuple(fit_warnings(job.topic, sheet))


def render_all(
    jobs: list[RenderJob], workers: Workers, progress: Progress | None = None, drawers: Drawers | None = None
) -> Iterator[Rendered]:
    """Render in order; in worker processes when there is more than one topic to share (`drawers`, what
    validation loaded, serve this process)."""
    return _run(jobs, workers, Renderer.render, progress, drawers)


def sheet_problems(jobs: list[RenderJob], workers: Workers) -> list[Problem]:
    """Every sheet that cannot fit one page, and every diagram one left out (what `check` must know that
    `build` knows)."""
    return [problem for found in _run(jobs, workers, Renderer.sheet_problems) for problem in found]


def _run(
    jobs: list[RenderJob],
    workers: Workers,
    work: Callable[[Renderer, RenderJob], T],
    progress: Progress | None = None,
    drawers: Drawers | None = None,
) -> Iterator[T]:
    """`work` for every job, results in job order; in worker processes when there is more than one job."""
    total = len(jobs)
    if workers.count <= 1 or total <= 1:
        results = _in_process(jobs, work, drawers)
    else:
        results = _in_workers(jobs, Workers(min(workers.count, total), workers.limit), work)
    with closing(results):
        for done, result in enumerate(results, 1):
            if progress:
                progress(done, total, jobs[done - 1].topic.id)
            yield result


def _in_process(
    jobs: list[RenderJob], work: Callable[[Renderer, RenderJob], T], drawers: Drawers | None = None
) -> Generator[T, None, None]:
    """In the builder's own process: for one topic, or when one process is asked for, a worker is not worth its
    start."""
    if not jobs:
        return
    with _few_collections():
        renderer = Renderer(drawers)
        for job in jobs:
            yield work(renderer, job)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run Python's cycle collector every 10,000 new objects instead of every 700 while rendering.

    Laying out a sheet makes hundreds of thousands of short-lived objects and keeps
    few; collecting every 700 took a tenth of a topic's time (50 ms of a cold build),
    every 10,000 takes a fortieth. Cycles are still collected.
    """
    before = gc.get_threshold()
    gc.set_threshold(10_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _in_workers(
    jobs: list[RenderJob], workers: Workers, work: Callable[[Renderer, RenderJob], T]
) -> Generator[T, None, None]:
    """The pool lives as long as its results are wanted: a caller that stops early (an error, Ctrl-C) ends it."""
    pool = _Pool(workers, work)
    try:
        yield from pool.results(jobs)
    finally:
        pool.close()


class _Pool:
    """Worker processes that render one job at a time each, and end with their parent.

    The parent knows which job every worker holds and since when, so a worker that
    dies (killed, crashed, out of memory) or holds one job past the time limit
    (stopped, deadlocked) stops the run with an error naming its topic; and every
    worker watches its parent (`_end_with_parent`), so a parent killed with SIGKILL,
    which cannot stop its workers, leaves none behind.
    """

    def __init__(self, workers: Workers, work: Callable[[Renderer, RenderJob], object]) -> None:
        import multiprocessing

        # Fork on Linux: fast, and this process is the workers' parent, which PR_SET_PDEATHSIG needs (Python 3.14
        # would pick forkserver). Spawn elsewhere, as Python does on macOS, where forking is unsafe.
        fork = sys.platform == "linux"
        context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
        self.processes: list[BaseProcess] = []
        self.conns: list[Connection] = []
        self.busy: dict[int, int] = {}  # worker -> index of the job it holds
        self.since: dict[int, float] = {}  # worker -> when it was given that job (time.monotonic)
        self.limit = workers.limit
        try:
            with _sigint_blocked():
                for _ in range(workers.count):
                    ours, theirs = context.Pipe()
                    process = context.Process(target=_serve, args=(theirs, work, os.getpid()), daemon=True)
                    self.conns.append(ours)
                    process.start()
                    self.processes.append(process)
                    theirs.close()
        except BaseException:
            self.close()
            raise

    def results(self, jobs: list[RenderJob]) -> Iterator[Any]:
        """Each job's result in job order; at most a few results wait for an earlier one, so memory stays flat."""
        from multiprocessing.connection import wait

        held: dict[int, Any] = {}
        sent = 0
        for index in range(len(jobs)):
            while index not in held:
                sent = self._hand_out(jobs, sent, index)
                waiting = [self.conns[w] for w in self.busy] + [self.processes[w].sentinel for w in self.busy]
                if not wait(waiting, self._time_left()):
                    self._stop_overdue(jobs)
                    continue
                for worker, job in list(self.busy.items()):
                    conn = self.conns[worker]
                    if not conn.poll() and self.processes[worker].is_alive():
                        continue
                    try:
                        done, value, remote = conn.recv()
                    except (EOFError, OSError):
                        raise self._died(worker, jobs[job]) from None
                    del self.busy[worker]
                    if not done:
                        value.__cause__ = _RemoteTraceback(remote)
                        raise value
                    held[job] = value
            sent = self._hand_out(jobs, sent, index + 1)  # workers go on while the caller writes this result
            yield held.pop(index)

    def _hand_out(self, jobs: list[RenderJob], sent: int, wanted: int) -> int:
        """Give idle workers the next jobs, up to a few past job `wanted`; return how many jobs were sent."""
        for worker in range(len(self.processes)):
            if worker not in self.busy and sent < min(len(jobs), wanted + 4 * len(self.processes)):
                self.busy[worker] = sent
                self.since[worker] = time.monotonic()
                try:
                    self.conns[worker].send(jobs[sent])
                except OSError:
                    raise self._died(worker, jobs[sent]) from None
                sent += 1
        return sent

    def _time_left(self) -> float:
        """Seconds until the first busy worker reaches the time limit."""
        now = time.monotonic()
        return max(0.0, min((self.since[w] + self.limit - now for w in self.busy), default=self.limit))

    def _stop_overdue(self, jobs: list[RenderJob]) -> None:
        """Kill a worker that has held its job past the time limit, and stop the run naming its topic."""
        now = time.monotonic()
        for worker, job in list(self.busy.items()):
            if now - self.since[worker] >= self.limit:
                self.processes[worker].kill()
                self.processes[worker].join()
                del self.busy[worker]
                raise WorkerHungError(jobs[job].topic.id, jobs[job].topic.source, self.limit)

    def _died(self, worker: int, job: RenderJob) -> WorkerDiedError:
        """The error for a worker that ended while it held `job`, with how it ended."""
        process = self.processes[worker]
        process.join(1)
        code = process.exitcode
        if code is None:
            how = "it stopped answering"
        elif code < 0:
            names = {s.value: s.name for s in signal.Signals}
            how = f"signal {-code}, {names.get(-code, 'unknown')}"
        else:
            how = f"exit status {code}"
        return WorkerDiedError(job.topic.id, job.topic.source, how)

    def close(self) -> None:
        """Let idle workers exit, end busy ones (their topics are no longer wanted) and wait for all."""
        for worker, process in enumerate(self.processes):
            if worker in self.busy:
                process.terminate()
            else:
                with suppress(OSError):
                    self.conns[worker].send(None)
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
        for conn in self.conns:
            conn.close()


class _RemoteTraceback(Exception):
    """Where a worker's exception was raised, chained to it in the parent."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


def _serve(conn: Connection, work: Callable[[Renderer, RenderJob], object], parent: int) -> None:
    """A worker's life: leave Ctrl-C to the parent, end with it, and render jobs until told to stop.

    The worker was started with SIGINT blocked (see `_sigint_blocked`); ignoring it
    before unblocking drops a Ctrl-C that arrived in between. Fonts load with the
    first job, so a failure to load them is that job's error.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_parent(parent)
    with _few_collections():
        _answer(conn, work)


def _answer(conn: Connection, work: Callable[[Renderer, RenderJob], object]) -> None:
    """Render jobs as they come until told to stop (None) or the parent's end of the pipe closes."""
    import pickle
    import traceback

    renderer = None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            renderer = renderer or Renderer()
            reply: tuple[bool, object, str] = (True, work(renderer, job), "")
        except Exception as exc:
            reply = (False, exc, traceback.format_exc())
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):  # an exception that cannot travel
            conn.send((False, RuntimeError(repr(reply[1])), reply[2]))


def _end_with_parent(parent: int) -> None:
    """End this worker when its parent dies, even of SIGKILL, which gives the parent no chance to stop it.

    Linux kills the worker the moment its parent dies (PR_SET_PDEATHSIG); on every
    platform a thread also checks the parent four times a second, which covers a
    parent that died before the worker got here.
    """
    import threading

    if sys.platform == "linux":
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, ctypes.c_ulong(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


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
