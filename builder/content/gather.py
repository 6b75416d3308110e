"""Find, load and validate every topic of a run before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cjk import CJKFont
from ..emoji import EmojiSet
from ..errors import ContentError, Problem
from ..fonts import coverage
from .checks import check_text, check_words
from .course import COURSE_FILE, course_file, read_course
from .load import MapNode, load_file
from .model import Course, Topic
from .validate import validate

MAX_TOPICS = 1000
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Gathered:
    topics: tuple[Topic, ...]
    warnings: tuple[Problem, ...]
    files: tuple[Path, ...]
    course: Course | None = None


def find_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Content files named on the command line, or found (sorted) in the folders named."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.name != COURSE_FILE and p.is_file())
            if not found:
                problems.append(Problem(str(path), 1, 1, "", "no content files (*.yaml) in this folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, 1, "", "no such file or folder"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return [_display(p) for p in unique], problems


def _display(path: Path) -> Path:
    """Paths in messages: relative to the working folder when inside it, else absolute."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def gather(paths: list[Path], strict: bool = False) -> Gathered:
    """Every topic of the run and its course file, or a ContentError listing every problem found."""
    files, problems = find_files(paths)
    course = None
    settings = course_file(paths)
    if settings is not None:
        course, found = read_course(settings, str(_display(settings.resolve())))
        problems.extend(found)
    if len(files) > MAX_TOPICS:
        problems.append(
            Problem(str(paths[0]), 1, 1, "", f"{len(files)} content files; the limit is {MAX_TOPICS} per run")
        )
        raise ContentError(problems)
    if not files:
        if problems:
            raise ContentError(problems)
        return Gathered((), (), (), course)
    fonts, emoji, cjk = coverage(), EmojiSet.load(), CJKFont.installed()
    topics: list[Topic] = []
    first_seen: dict[str, Topic] = {}
    for path in files:
        doc, load_problems = load_file(path, str(path))
        problems.extend(load_problems)
        if doc is None:
            continue
        topic, found = validate(doc, course)
        problems.extend(found)
        problems.extend(check_text(doc, fonts, emoji, cjk))
        problems.extend(check_words(doc, fonts, cjk))
        if topic is None:
            continue
        if topic.id in first_seen:
            node = doc.root.get("id") if isinstance(doc.root, MapNode) else None
            line, col = (node.start.line, node.start.col) if node else (1, 1)
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
            problems = [Problem(p.path, p.line, p.col, p.key, p.message) for p in problems]
        raise ContentError(problems)
    return Gathered(tuple(topics), tuple(sorted(p for p in problems if p.warning)), tuple(files), course)
