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

import dataclasses
import hashlib
import os
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

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


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _decode(kind: Any, data: object) -> Any:
    """JSON back into `kind` (a model dataclass or what its fields hold), exactly: anything else is a ValueError.

    Types are checked exactly (`True` is not an int here), so a remembered topic is
    equal to the one validation made, and so is its build cache key.
    """
    return _decoder(kind)(data)


@cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that decodes JSON into `kind`, made once per type: the walk over the type is done once."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        parts = tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind))
        names = {name for name, _ in parts}
        record = kind

        def fields(data: Any) -> Any:
            if type(data) is not dict or data.keys() != names:
                raise ValueError(f"not a {record.__name__}")
            return record(**{name: decode(data[name]) for name, decode in parts})

        return fields
    if origin in (typing.Union, types.UnionType):
        options = [_decoder(option) for option in args if option is not type(None)]
        optional = type(None) in args

        def either(data: Any) -> Any:
            if data is None and optional:
                return None
            for option in options:
                try:
                    return option(data)
                except ValueError:
                    continue
            raise ValueError(f"none of {kind}")

        return either
    if origin in (tuple, list):
        each = [_decoder(arg) for arg in args if arg is not Ellipsis]
        many = origin is list or args[-1] is Ellipsis
        made = list if origin is list else tuple

        def items(data: Any) -> Any:
            if type(data) is not list or not (many or len(data) == len(each)):
                raise ValueError(f"not a {kind}")
            return made(each[0](v) for v in data) if many else made(d(v) for d, v in zip(each, data, strict=True))

        return items
    if origin is dict:
        keys, values = _decoder(args[0]), _decoder(args[1])

        def mapping(data: Any) -> Any:
            if type(data) is not dict:
                raise ValueError(f"not a {kind}")
            return {keys(k): values(v) for k, v in data.items()}

        return mapping

    def plain(data: Any) -> Any:
        if type(data) is not kind:
            raise ValueError(f"not a {kind}")
        return data

    return plain
