"""User-facing failures: one class each, caught only in the CLI (the Cookiecutter rule)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located message about content; `warning` ones fail only under --strict."""

    path: str
    line: int
    col: int
    key: str
    message: str
    warning: bool = False
    strict: bool = False  # a warning that --strict made an error: it says so, or the reader hunts for the error

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        prefix = "warning: " if self.warning else "error (strict): " if self.strict else ""
        return f"{prefix}{self.path}:{self.line}:{self.col}:{key} {self.message}"


def strictly(problems: list[Problem]) -> list[Problem]:
    """The problems as --strict reports them: every warning an error that says --strict made it one."""
    return [Problem(p.path, p.line, p.col, p.key, p.message, strict=p.warning) for p in problems]


class BuilderError(Exception):
    """Base of every failure the CLI reports as a clean message (exit 1)."""


class ContentError(BuilderError):
    """Content is wrong; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col, p.key, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class DoesNotFitError(BuilderError):
    """The sheet cannot fit one page at the smallest readable size; `problem` is how build and check report it."""

    def __init__(self, source: str, detail: str) -> None:
        super().__init__(source, detail)  # both in `args`: a worker process sends the error back pickled
        self.source, self.detail = source, detail

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}"

    def problem(self) -> Problem:
        return Problem(self.source, 1, 1, "", self.detail)


class OutputError(BuilderError):
    """An output file could not be written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot write: {reason}")


class ManifestError(BuilderError):
    """The previous release's manifest cannot be read, so nothing can be compared with it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path} is not a release manifest: {reason}; restore it from git or remove the release "
            "folder to start afresh"
        )


class MissingExtraError(BuilderError):
    """An optional dependency of a command is not installed."""


class FontError(BuilderError):
    """The CJK font named by FLOZP_CJK_FONT is missing, unreadable or may not be embedded."""


class CourseRenamedError(BuilderError):
    """A release would replace the release of another course: never silently."""

    def __init__(self, folder: Path, before: str, now: str) -> None:
        super().__init__(
            f"{folder} holds a release of the course '{before}', not '{now}'; name the course '{before}' "
            f"(course.yaml or --name), or give --rename to replace that release and remove its files"
        )


class UncommittedContentError(BuilderError):
    """A release from content that is not committed: its build times and bytes would change after the commit."""

    def __init__(self, files: list[Path]) -> None:
        listing = ", ".join(str(f) for f in files)
        super().__init__(
            f"commit these files before releasing (build times come from commits): {listing}; "
            "or give --allow-dirty to release them as they are"
        )


class CourseNameMissingError(BuilderError):
    """A release needs a course name, and guessing one would rename the course behind the teacher's back."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"name the course: write {folder / 'course.yaml'} with 'format: 1' and 'name: Your Course' "
            "(python -m builder init shows one), or give --name"
        )


class FolderNotEmptyError(BuilderError):
    """`init` never writes into a folder that holds something: it could overwrite a teacher's files."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"{folder} already exists and is not an empty folder; give a new or empty folder for the course"
        )


class WorkerDiedError(BuilderError):
    """A worker process ended while rendering (killed, crashed, out of memory): the run stops, naming the topic."""

    def __init__(self, topic: str, source: str, how: str) -> None:
        super().__init__(
            f"stopped while rendering topic '{topic}' ({source}): the worker process ended unexpectedly ({how})"
        )


class WorkerHungError(BuilderError):
    """A worker held one topic past the time limit (stopped, deadlocked, looping): it was killed, naming the topic."""

    def __init__(self, topic: str, source: str, limit: float) -> None:
        super().__init__(
            f"stopped while rendering topic '{topic}' ({source}): the worker did not answer for {limit:g} s and "
            "was stopped (--topic-timeout or FLOZP_TOPIC_TIMEOUT sets the limit)"
        )
