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

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        prefix = "warning: " if self.warning else ""
        return f"{prefix}{self.path}:{self.line}:{self.col}:{key} {self.message}"


class BuilderError(Exception):
    """Base of every failure the CLI reports as a clean message (exit 1)."""


class ContentError(BuilderError):
    """Content is wrong; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col, p.key, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class DoesNotFitError(BuilderError):
    """The sheet cannot fit one page at the smallest readable size."""


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
