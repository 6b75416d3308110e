"""The one codec between the model's frozen dataclasses and JSON, for whatever the builder keeps.

Decoding is typed (it walks the dataclass's fields and their hints) and exact, so
what comes back equals what was kept, and anything else is a ValueError: a kept
entry that no longer fits the model is a miss, never a wrong value.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any


def encode(value: object) -> object:
    """A model dataclass (or what its fields hold) as JSON: records as objects, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(kind: Any, data: object) -> Any:
    """JSON back into `kind` (a model dataclass or what its fields hold), exactly: anything else is a ValueError.

    Types are checked exactly (`True` is not an int here), so a remembered topic is
    equal to the one validation made, and so is its build cache key.
    """
    return _decoder(kind)(data)


_PLAIN = (bool, int, float, str, type(None))


@cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that decodes JSON into `kind`, made once per type: the walk over the type is done once."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        names = {f.name for f in dataclasses.fields(kind)}
        record = kind
        parts: list[tuple[str, Callable[[Any], Any]]] = []

        def fields(data: Any) -> Any:
            if not parts:  # made at the first call, so that a record may hold records of its own kind
                hints = typing.get_type_hints(record)
                parts.extend((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(record))
            if type(data) is not dict or data.keys() != names:
                raise ValueError(f"not a {record.__name__}")
            return record(**{name: decode(data[name]) for name, decode in parts})

        return fields
    if origin in (typing.Union, types.UnionType):
        exact = {option for option in args if option in _PLAIN}  # told by their type alone, without a try
        options = [_decoder(option) for option in args if option not in _PLAIN]

        def either(data: Any) -> Any:
            if type(data) in exact:
                return data
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
