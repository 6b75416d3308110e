"""The model's fingerprint: a digest of named fields without defaults, so the model can grow and keep hashes."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from helpers import CORPUS, FIXTURES

from builder.commands.release import topic_hash
from builder.content.gather import gather
from builder.content.model import Cue, Topic, fingerprint

TOPICS = gather([CORPUS, FIXTURES / "minimal.yaml", FIXTURES / "literal.yaml"]).topics
NOT_CONTENT = {"source", "version", "version_at"}


def test_the_digest_is_of_its_version_tag_and_the_named_fields_that_are_not_defaults() -> None:
    """Pins how the digest is written: a change to it must come with a new `FINGERPRINT` number."""
    expected = 'fingerprint 1\n{"hook":"x","letter":"W","step":"wake"}'
    assert fingerprint(Cue("W", "wake", "x")) == hashlib.sha256(expected.encode()).hexdigest()
    assert fingerprint(Cue("W", "wake")) == hashlib.sha256(b'fingerprint 1\n{"letter":"W","step":"wake"}').hexdigest()


@cache
def _with_added_field(kind: type[Any]) -> type[Any]:
    """The model class as it would be with one more field, with a default, after those it has."""
    added = [("added", str, dataclasses.field(default=""))]
    return dataclasses.make_dataclass(kind.__name__, added, bases=(kind,), frozen=True)


def _grown(value: Any) -> Any:
    """The same value in a model where every dataclass has one more field, left at its default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        named = {f.name: _grown(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return _with_added_field(type(value))(**named)
    if isinstance(value, tuple):
        return tuple(_grown(item) for item in value)
    return value


@pytest.mark.parametrize("topic", TOPICS, ids=[t.id for t in TOPICS])
def test_a_field_added_with_a_default_keeps_every_hash(topic: Topic) -> None:
    grown = _grown(topic)
    steps = [step for seq in grown.sequences for step in seq.steps]
    assert grown.added == "" and all(step.added == "" for step in steps), "every level has the new field"
    assert topic_hash(grown) == topic_hash(topic)
    assert grown.identity() == topic.identity()
    # The new field is read when it is set: at the top and inside a step.
    assert topic_hash(dataclasses.replace(grown, added="new")) != topic_hash(topic)
    seq = grown.sequences[0]
    step = dataclasses.replace(seq.steps[0], added="new")
    sequences = (dataclasses.replace(seq, steps=(step, *seq.steps[1:])), *grown.sequences[1:])
    assert topic_hash(dataclasses.replace(grown, sequences=sequences)) != topic_hash(topic)


def _changed(value: object) -> Iterator[tuple[str, object]]:
    """Every value one edit away from this one, each with where the edit is: each scalar changed, each
    non-empty tuple one item shorter, at every depth."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if not f.compare:
                continue  # where a thing was written, not what it says (`test_where_a_sequence_lies_is_not_content`)
            for where, new in _changed(getattr(value, f.name)):
                yield f"{f.name}{where}", dataclasses.replace(value, **{f.name: new})
    elif isinstance(value, tuple):
        if value:
            yield "[-1 dropped]", value[:-1]
        for i, item in enumerate(value):
            for where, new in _changed(item):
                yield f"[{i}]{where}", (*value[:i], new, *value[i + 1 :])
    else:
        edits: dict[type, Callable[[Any], object]] = {
            bool: lambda v: not v,
            int: lambda v: v + 1,
            float: lambda v: v + 0.5,
            str: lambda v: v + "·",
        }
        edit = edits.get(type(value))
        if edit is not None:
            yield "", edit(value)


@pytest.mark.parametrize("topic", TOPICS, ids=[t.id for t in TOPICS])
def test_changing_any_value_of_the_content_changes_its_hash(topic: Topic) -> None:
    edits = [(where, new) for where, new in _changed(topic) if isinstance(new, Topic)]
    content = [(where, new) for where, new in edits if where.split("[")[0] not in NOT_CONTENT]
    assert len(content) > 20, "the topic has many values to change"
    hashes = {where: topic_hash(new) for where, new in content}
    assert [where for where, digest in hashes.items() if digest == topic_hash(topic)] == []
    # Where the file lies and the version it claims are not content, but the build cache tells them apart.
    for where, new in edits:
        if where.split("[")[0] in NOT_CONTENT:
            assert topic_hash(new) == topic_hash(topic), where
            assert new.identity() != topic.identity(), where


def test_where_a_sequence_lies_is_not_content() -> None:
    topic = TOPICS[0]
    moved = dataclasses.replace(topic, sequences=tuple(dataclasses.replace(s, at=(99, 3)) for s in topic.sequences))
    assert moved.sequences[0].at != topic.sequences[0].at
    assert topic_hash(moved) == topic_hash(topic)
