"""Find, load and validate every topic of a run before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ContentError, Problem, strictly
from . import memo
from .course import read_course
from .files import course_file, display, find_files
from .load import MapNode, read_file
from .model import Course, Topic

if TYPE_CHECKING:
    from ..glyphs.cjk import CJKFont
    from ..glyphs.emoji import EmojiSet
    from ..glyphs.fonts import Coverage

MAX_TOPICS = 1000

Validated = tuple[Topic | None, list[Problem], tuple[int, int]]
Drawers = tuple["Coverage", "EmojiSet", "CJKFont | None"]  # what draws text: fonts' coverage, emoji, the CJK font


@dataclass(frozen=True)
class Gathered:
    """A run's topics and warnings; `checked` holds this run's validations for the next run (`memo.py`), by key,
    when the caller asked for them: each made into JSON only when called, so that a build does not hold a
    second copy of every topic while it renders."""

    topics: tuple[Topic, ...]
    warnings: tuple[Problem, ...]
    files: tuple[Path, ...]
    course: Course | None = None
    checked: Mapping[str, Callable[[], memo.Entry]] = field(default_factory=dict)
    drawers: Drawers | None = None  # loaded to check the text, when a file was validated: rendering reuses them


def gather(paths: list[Path], strict: bool = False, known: Mapping[str, Any] | None = None) -> Gathered:
    """Every topic of the run and its course file, or a ContentError listing every problem found.

    With `known` (what an earlier run remembered, `Gathered.checked`), a file whose
    bytes and environment are unchanged is not read as YAML again, and this run's
    validations are returned for the next run.
    """
    files, problems = find_files(paths)
    run = _Run(known)
    course = None
    settings = course_file(paths)
    if settings is not None:
        course, found = run.course(settings, str(display(settings.resolve())))
        problems.extend(found)
    if len(files) > MAX_TOPICS:
        problems.append(
            Problem(str(paths[0]), 1, 1, "", f"{len(files)} content files; the limit is {MAX_TOPICS} per run")
        )
        raise ContentError(problems)
    if not files:
        if problems:
            raise ContentError(problems)
        return Gathered((), (), (), course, run.checked)
    topics: list[Topic] = []
    first_seen: dict[str, Topic] = {}
    for path in files:
        topic, found, (line, col) = run.topic(path, course)
        problems.extend(found)
        if topic is None:
            continue
        if topic.id in first_seen:
            problems.append(
                Problem(
                    str(path), line, col, "id", f"topic id '{topic.id}' is also used by {first_seen[topic.id].source}"
                )
            )
            continue
        first_seen[topic.id] = topic
        topics.append(topic)
    errors = [p for p in problems if strict or not p.warning]
    if errors:
        if strict:
            problems = strictly(problems)
        raise ContentError(problems)
    warnings = tuple(sorted(p for p in problems if p.warning))
    return Gathered(tuple(topics), warnings, tuple(files), course, run.checked, run.drawers)


class _Run:
    """One run's validations: remembered ones reused, new ones recorded (both only when a memory was given)."""

    def __init__(self, known: Mapping[str, Any] | None) -> None:
        self.known = known
        self.checked: dict[str, Callable[[], memo.Entry]] = {}
        self.context = memo.environment() if known is not None else ""
        self.drawers: Drawers | None = None

    def course(self, path: Path, display: str) -> tuple[Course | None, list[Problem]]:
        data, problem = read_file(path, display)
        if problem:
            return None, [problem]
        key = self._key(data, display, None)
        entry = self._entry(key)
        recalled = memo.recalled_course(entry)
        course, problems = recalled or read_course(data, display)
        if key and course is not None:
            self.checked[key] = memo.kept(entry) if entry and recalled else partial(memo.course_entry, course, problems)
        return course, problems

    def topic(self, path: Path, course: Course | None) -> Validated:
        display = str(path)
        data, problem = read_file(path, display)
        if problem:
            return None, [problem], (1, 1)
        key = self._key(data, display, course)
        entry = self._entry(key)
        recalled = memo.recalled_topic(entry)
        topic, problems, id_at = recalled or self._validate(data, display, course)
        if key and topic is not None:
            self.checked[key] = (
                memo.kept(entry) if entry and recalled else partial(memo.topic_entry, topic, problems, id_at)
            )
        return topic, problems, id_at

    def _key(self, data: bytes, display: str, course: Course | None) -> str:
        """The file's key in the memory; empty when this run keeps none."""
        return memo.key(data, display, course, self.context) if self.known is not None else ""

    def _entry(self, key: str) -> memo.Entry | None:
        """What an earlier run remembered under `key`, when it is a record at all."""
        entry = self.known.get(key) if self.known is not None and key else None
        return entry if isinstance(entry, dict) else None

    def _validate(self, data: bytes, display: str, course: Course | None) -> Validated:
        """Parse, check the shape and the text of one topic file (the modules load with the first file validated)."""
        from .checks import check_text, check_words
        from .load import load_bytes
        from .validate import validate

        doc, problems = load_bytes(data, display)
        if doc is None:
            return None, problems, (1, 1)
        topic, found = validate(doc, course)
        fonts, emoji, cjk = self._fonts()
        problems = found + check_text(doc, fonts, emoji, cjk) + check_words(doc, fonts, cjk)
        node = doc.root.get("id") if isinstance(doc.root, MapNode) else None
        return topic, problems, (node.start.line, node.start.col) if node else (1, 1)

    def _fonts(self) -> Drawers:
        """What draws text: the fonts' coverage, the emoji artwork and the CJK font, if one is installed."""
        if self.drawers is None:
            from ..glyphs.cjk import CJKFont
            from ..glyphs.emoji import EmojiSet
            from ..glyphs.fonts import coverage

            self.drawers = coverage(), EmojiSet.load(), CJKFont.installed()
        return self.drawers
