"""`init`: a new course repository, ready to check, build and release from its first commit.

The files are templates shipped in `builder/data/init/`. The course name is set
into them by replacing a placeholder, quoted for YAML where it lands in YAML, so
no name can change what a template means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ..errors import FolderNotEmptyError, OutputError
from ..output import Staging

PLACEHOLDER = "{name}"


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text`, whatever it holds."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 16).rstrip("\n")


def as_typed(text: str) -> str:
    return text


@dataclass(frozen=True)
class Template:
    """A file `init` writes: its template in the package, where it goes, and how the name is set into it."""

    source: str
    target: str
    name: Callable[[str], str] = as_typed


TEMPLATES = (
    Template("course.yaml", "content/course.yaml", yaml_string),
    Template("example-topic.yaml", "content/example-topic.yaml"),
    Template("gitignore", ".gitignore"),
    Template("README.md", "README.md"),
    Template("release.yml", ".github/workflows/release.yml"),
)


def course_title(folder_name: str) -> str:
    """The name a folder suggests: `my-course` → `My Course` (words keep their other capitals: `AI`)."""
    words = [w for w in re.split(r"[-_.\s]+", folder_name) if w]
    return " ".join(w[0].upper() + w[1:] for w in words) or "Course"


def init_course(folder: Path, name: str | None) -> list[Path]:
    """Write a new course into `folder` (created if needed, refused unless empty); returns the files written."""
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise FolderNotEmptyError(folder)
    except OSError as exc:
        raise OutputError(folder, exc.strerror or str(exc)) from exc
    course = name if name is not None else course_title(folder.resolve().name)
    templates = resources.files("builder") / "data" / "init"
    written = []
    with Staging() as staging:
        for template in TEMPLATES:
            text = (templates / template.source).read_text(encoding="utf-8")
            path = folder / template.target
            staging.add(path, text.replace(PLACEHOLDER, template.name(course)).encode("utf-8"))
            written.append(path)
        staging.commit()
    return written
