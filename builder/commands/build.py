"""The build stage: every validated topic to its deck and sheet, each written atomically.

Outputs are staged as they are rendered and put in place only when every topic
rendered. Topics render in parallel processes (same bytes as a serial build), and a topic
whose inputs, options, build time and build stamp (`cache/stamp.py`) match the cache kept in
the output folder is skipped. The same cache remembers which content files
validated, so that unchanged files are not read as YAML again, and the run as a
whole (`run_inputs`): a build whose every input and output is as the last one
left them is answered from that record, with no topic loaded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..cache import stamp as stamps
from ..content.gather import Gathered
from ..content.model import Topic
from ..errors import ContentError, DoesNotFitError, Problem, strictly
from ..output import Staging, write_atomic
from ..render.plan import plan
from ..render.pool import Workers
from ..render.run import Progress, render_all
from .buildcache import CACHE, BuildCache, file_state, run_record


def cache_key(topic: Topic, paper: str, stamp: int, deck: str) -> str:
    """A topic's outputs are those last built when its content, options, build time and the build stamp match."""
    ident = repr((topic.identity(), paper, stamp, deck, stamps.build_stamp()))
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()


def _known_notes(stored: dict[str, Any]) -> dict[str, dict[str, tuple[str, int]]]:
    """Per topic, its notes' content hashes and times as last built (a cache from an older builder has none)."""
    known: dict[str, dict[str, tuple[str, int]]] = {}
    for topic_id, entry in stored.items():
        notes = entry.get("notes") if isinstance(entry, dict) else None
        if isinstance(notes, dict):
            known[topic_id] = {g: (v[0], int(v[1])) for g, v in notes.items() if isinstance(v, list) and len(v) == 2}
    return known


def build_all(
    gathered: Gathered,
    out: Path,
    paper: str,
    cache: BuildCache,
    force: bool,
    workers: Workers,
    progress: Progress | None = None,
    inputs: tuple[str, Mapping[Path, int]] | None = None,
    strict: bool = False,
) -> tuple[list[tuple[Path, bool]], list[Problem]]:
    """Every topic's deck and sheet in `out`, each with whether this run wrote it, and what fitting the sheets
    warned of (kept with each topic's cache entry, so a topic left as it is still warns): topics with a matching
    cache entry are left as they are. `inputs`
    (`run_inputs`: the digest, recorded with the run's warnings and outputs for `unchanged`, and the build times)
    saves asking git again. With `strict`, a sheet's warning is an error and nothing is written."""
    stored = cache.topics
    usable = {} if force else stored
    entries: dict[str, Any] = {}
    todo = []
    course = gathered.course.name if gathered.course else None
    for job in plan(gathered.topics, paper, course, _known_notes(stored), inputs[1] if inputs else None):
        key = cache_key(job.topic, paper, job.stamp, job.deck)
        paths = [out / f"{job.topic.id}.apkg", out / f"{job.topic.id}.pdf"]
        old = usable.get(job.topic.id, {})
        if old.get("key") == key and old.get("files") == [file_state(p) for p in paths]:
            entries[job.topic.id] = old
        else:
            todo.append((job, key, paths))
    notes: dict[str, dict[str, list[str | int]]] = {}
    warned: dict[str, list[list[str | int]]] = {}
    rendered = render_all([job for job, _, _ in todo], workers, progress, gathered.drawers)
    with Staging() as staging, _refusal_as_problem():
        for (job, _, paths), result in zip(todo, rendered, strict=True):
            staging.add(paths[0], result.deck)
            staging.add(paths[1], result.sheet)
            notes[job.topic.id] = {s.guid: [s.content_hash, result.mods[s.guid]] for s in result.notes}
            warned[job.topic.id] = [[w.line, w.col, w.key, w.message] for w in result.warnings]
        warnings = _sheet_warnings(gathered.topics, {**entries, **{t: {"warnings": w} for t, w in warned.items()}})
        if strict and warnings:
            raise ContentError(strictly(warnings))
        staging.commit()
    for job, key, paths in todo:
        entries[job.topic.id] = {"key": key, "files": [file_state(p) for p in paths], "notes": notes[job.topic.id]}
        if warned[job.topic.id]:
            entries[job.topic.id]["warnings"] = warned[job.topic.id]
    outputs = [out / f"{t.id}{suffix}" for t in gathered.topics for suffix in (".apkg", ".pdf")]
    run = run_record(inputs[0], gathered, outputs, warnings) if inputs else {}
    if todo or not (out / CACHE).exists() or set(gathered.checked) != set(cache.checked) or run != cache.run:
        merged = {**stored, **entries}
        checked = {key: entry() for key, entry in gathered.checked.items()}
        data = {"format": stamps.FORMAT, "topics": merged, "checked": checked, "run": run}
        write_atomic(out / CACHE, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    written = {path for _, _, paths in todo for path in paths}
    return [(path, path in written) for path in outputs], warnings


@contextmanager
def _refusal_as_problem() -> Iterator[None]:
    """A sheet that cannot fit is reported as `check` reports it: a located problem, in one clean abort."""
    try:
        yield
    except DoesNotFitError as exc:
        raise ContentError([exc.problem()]) from None


def _sheet_warnings(topics: tuple[Topic, ...], entries: Mapping[str, Any]) -> list[Problem]:
    """The sheets' warnings, in topic order, from each topic's cache entry as this run leaves it."""
    found = []
    for topic in topics:
        for line, col, key, message in entries.get(topic.id, {}).get("warnings", []):
            found.append(Problem(topic.source, int(line), int(col), str(key), str(message), warning=True))
    return found
