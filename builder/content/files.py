"""Which files a run reads: the content files named on the command line or found in its folders, and the course
file. Kept apart from loading and validating them, so that a build can tell that nothing changed without either."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem

SUFFIXES = (".yaml", ".yml")
COURSE_FILE = "course.yaml"


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
    return [display(p) for p in unique], problems


def course_file(paths: list[Path]) -> Path | None:
    """The course file of a run: `course.yaml` in the first folder named, or beside the first file."""
    if not paths:
        return None
    folder = paths[0] if paths[0].is_dir() else paths[0].parent
    found = folder / COURSE_FILE
    return found if found.is_file() else None


def display(path: Path) -> Path:
    """Paths in messages: relative to the working folder when inside it, else absolute."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
