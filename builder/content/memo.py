"""Validated content files remembered by their bytes, so that a rebuild of unchanged content reads no YAML.

Validating a file depends on its bytes and its name (messages and `Topic.source`
carry it), on the course's settings for a topic, on the builder's own code and
data, on the Python that runs it (Unicode tables) and on the packages it
consults: PyYAML reads the file, Pygments knows the languages, OpenMoji the
emoji, latex2mathml and ziamath judge maths, Pillow and svglib pictures, Babel
language tags, and the CJK font (the cjk extra's or FLOZP_CJK_FONT) which
characters can be drawn. The key covers all of them (the build stamp, `cache/stamp.py`), so a change to any
validates the file again. The picture files a topic shows are checked on every
run by size and modification time, and a changed one validates its topic again.
What validation said (warnings too) is remembered and said again; files with
errors are never remembered. What spans files (one topic id used twice) is
checked on every run, from the remembered topics.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..cache.codec import decode as _decode
from ..cache.codec import encode as _encode
from ..errors import Problem

if TYPE_CHECKING:
    from .model import Course, Topic

FORMAT = 1  # of a remembered entry

Entry = dict[str, Any]


def environment() -> str:
    """What validation depends on besides the files: the build stamp (the builder's files by their bytes, the
    packages it consults, the Python, the CJK font setting) and this entry format."""
    from ..cache.stamp import build_stamp

    return f"{FORMAT}:{build_stamp()}"


def key(data: bytes, display: str, course: Course | None, context: str) -> str:
    """The key of one file's validation: its bytes and name, the course (topics only) and the environment."""
    digest = hashlib.sha256()
    for part in (context, display, repr(course)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def topic_entry(topic: Topic, problems: list[Problem], id_at: tuple[int, int]) -> Entry:
    return {"topic": _encode(topic), "problems": _encode(problems), "id_at": list(id_at), "pictures": _shown(topic)}


def _shown(topic: Topic) -> list[list[object]]:
    """The picture files a topic shows, as they are now: path, size and modification time (None: gone)."""
    states: list[list[object]] = []
    for picture in topic.pictures():
        try:
            info = os.stat(picture.path)
        except OSError:
            states.append([picture.path, None, None])
        else:
            states.append([picture.path, info.st_size, info.st_mtime_ns])
    return states


def course_entry(course: Course, problems: list[Problem]) -> Entry:
    return {"course": _encode(course), "problems": _encode(problems)}


def kept(entry: Entry) -> Callable[[], Entry]:
    """A remembered entry, to be stored again as it was read."""
    return lambda: entry


def recalled_topic(entry: object) -> tuple[Topic, list[Problem], tuple[int, int]] | None:
    """A remembered topic, its problems and where its id is written; None for no entry or one that is not this."""
    from .model import Topic  # here: `environment` is asked by builds that load no topic

    if not isinstance(entry, dict):
        return None
    try:
        topic = _decode(Topic, entry.get("topic"))
        recalled = (topic, _decode(list[Problem], entry.get("problems")), _decode(tuple[int, int], entry.get("id_at")))
    except ValueError:
        return None
    return recalled if entry.get("pictures") == _shown(topic) else None


def recalled_course(entry: object) -> tuple[Course, list[Problem]] | None:
    """A remembered course and its problems; None for no entry or one that is not this."""
    from .model import Course

    if not isinstance(entry, dict):
        return None
    try:
        return _decode(Course, entry.get("course")), _decode(list[Problem], entry.get("problems"))
    except ValueError:
        return None
