"""The course file, `course.yaml` beside the topics: read with the same located loader, checked the same way."""

from __future__ import annotations

from ..errors import Problem
from .load import load_bytes
from .model import Course


def read_course(raw: bytes, display: str) -> tuple[Course | None, list[Problem]]:
    """The course's settings, or None and every problem found in the file (its checks load with the first file)."""
    from . import schema as S
    from .structure import INVALID, check_shape
    from .validate import check_lang

    doc, problems = load_bytes(raw, display)
    if doc is None:
        return None, problems
    data, checker = check_shape(doc, S.COURSE)
    if data is not INVALID:
        check_lang(checker, data)
    if data is INVALID or any(not p.warning for p in checker.problems):
        return None, checker.problems
    course = Course(
        name=data["name"],
        source=display,
        license=data.get("license"),
        authors=tuple(data.get("authors", ())),
        paper=data.get("paper"),
        lang=data.get("lang"),
        new_per_day=data.get("new_per_day", 20),
        cards=dict(data.get("cards", {})),
    )
    if not course.lang:
        return course, checker.problems
    from ..glyphs.cjk import CJKFont
    from ..glyphs.fonts import coverage
    from .checks import check_words

    # Its words go on every sheet without a lang of its own.
    return course, checker.problems + check_words(doc, coverage(), CJKFont.installed())
