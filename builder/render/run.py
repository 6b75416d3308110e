"""Running a plan: results in job order, in this process or in workers, with progress on the terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from typing import TYPE_CHECKING, TextIO, TypeVar

from ..errors import Problem
from .plan import RenderJob
from .pool import Workers, few_collections, in_workers
from .renderer import Rendered, Renderer

if TYPE_CHECKING:
    from ..content.gather import Drawers

Progress = Callable[[int, int, str], None]
T = TypeVar("T")


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
        results = in_workers(jobs, Workers(min(workers.count, total), workers.limit), work)
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
    with few_collections():
        renderer = Renderer(drawers)
        for job in jobs:
            yield work(renderer, job)


def terminal_progress(stream: TextIO = sys.stderr) -> Progress | None:
    """Topics done of total, on one refreshed line; nothing when stderr is not a terminal."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\x1b[K[{done}/{total}] {name}{end}")
        stream.flush()

    return show
