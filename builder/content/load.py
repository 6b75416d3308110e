"""Read a content file into a located YAML tree.

The tree is built from PyYAML's event stream rather than its composer or
constructor: events come from an iterative parser (so 10,000-deep nesting cannot
exhaust Python's stack), no tag is ever constructed (so `!!python/...` is never
executed), duplicate keys are seen, and every alias is charged its expanded size
(so an alias bomb stops after a bounded amount of work). PyYAML is imported only
when a file is parsed: a rebuild of remembered files (`memo.py`) parses none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ..errors import Problem

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\x00\x00\xfe\xff": "UTF-32"}


class Mark(NamedTuple):
    """A position, 1-based line and column; a tuple because a file holds tens of thousands of them."""

    line: int
    col: int
    offset: int


@dataclass(frozen=True)
class Scalar:
    value: object
    start: Mark
    end: Mark
    size: int = 1


@dataclass(frozen=True)
class MapNode:
    items: tuple[tuple[Scalar, Node], ...]
    start: Mark
    end: Mark
    size: int

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass(frozen=True)
class ListNode:
    items: tuple[Node, ...]
    start: Mark
    end: Mark
    size: int


Node = Scalar | MapNode | ListNode


@dataclass(frozen=True)
class Document:
    """A parsed file: its text (for locating characters) and its root node."""

    path: str
    text: str
    root: Node


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _ParserMark(Protocol):
    """A position as either of PyYAML's parsers (pure Python or libyaml) reports it, 0-based."""

    line: int
    column: int
    index: int


def _mark(m: _ParserMark | None) -> Mark:
    return Mark(m.line + 1, m.column + 1, m.index) if m is not None else Mark(1, 1, 0)


def read_file(path: Path, name: str) -> tuple[bytes, Problem | None]:
    """A content file's bytes, or the problem that keeps them from being read (too large, unreadable)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return b"", Problem(name, 1, 1, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
        return path.read_bytes(), None
    except OSError as exc:
        return b"", Problem(name, 1, 1, "", f"cannot read file: {exc.strerror or exc}")


def load_bytes(data: bytes, name: str) -> tuple[Document | None, list[Problem]]:
    text, problem = _decode(data, name)
    if problem:
        return None, [problem]
    try:
        root = _build(text, name)
    except _Abort as abort:
        return None, [abort.problem]
    return Document(name, text, root), []


def _decode(data: bytes, name: str) -> tuple[str, Problem | None]:
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            return "", Problem(name, 1, 1, "", f"file is {encoding}; save it as UTF-8")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = data[exc.start]
        return "", Problem(name, line, col, "", f"file is not UTF-8 text (byte 0x{bad:02x}); save it as UTF-8")


def _build(text: str, name: str) -> Node:
    """Turn the event stream into nodes, with a stack instead of recursion."""
    import yaml

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    anchors: dict[str, Node] = {}
    stack: list[tuple[yaml.Event, list[Node], str | None]] = []
    root: Node | None = None
    documents = 0
    total = 0

    def fail(mark: _ParserMark | None, message: str) -> _Abort:
        m = _mark(mark)
        return _Abort(Problem(name, m.line, m.col, "", message))

    def check_tag(event: yaml.Event) -> None:
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _ALLOWED_TAGS:
            shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
            raise fail(event.start_mark, f"YAML tag '{shown}' is not allowed: content is plain YAML")

    def finish(node: Node, anchor: str | None) -> None:
        nonlocal root, total
        total += 1
        if total > MAX_NODES:
            raise fail_at(node.start, f"document has more than {MAX_NODES:,} values (aliases included)")
        if anchor:
            anchors[anchor] = node
        if stack:
            stack[-1][1].append(node)
        else:
            root = node

    def fail_at(m: Mark, message: str) -> _Abort:
        return _Abort(Problem(name, m.line, m.col, "", message))

    try:
        for event in yaml.parse(text, Loader=parser):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(event.start_mark, "only one YAML document per file is allowed")
            elif isinstance(event, yaml.ScalarEvent):
                check_tag(event)
                tag = (
                    event.tag
                    if event.tag not in (None, "!")
                    else resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
                )
                value = _scalar_value(constructor, tag, event)
                finish(Scalar(value, _mark(event.start_mark), _mark(event.end_mark)), event.anchor)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                check_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise fail(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
                stack.append((event, [], event.anchor))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                start_event, children, anchor = stack.pop()
                size = 1 + sum(c.size for c in children)
                start, end = _mark(start_event.start_mark), _mark(event.end_mark)
                if isinstance(start_event, yaml.SequenceStartEvent):
                    node: Node = ListNode(tuple(children), start, end, size)
                else:
                    node = MapNode(_pairs(children, name), start, end, size)
                finish(node, anchor)
            elif isinstance(event, yaml.AliasEvent):
                target = anchors.get(event.anchor or "")
                if target is None:
                    raise fail(event.start_mark, f"alias '*{event.anchor}' refers to no finished anchor")
                total += target.size - 1
                finish(target, None)
    except yaml.MarkedYAMLError as exc:
        at, message = _syntax_problem(text, exc)
        raise _Abort(Problem(name, at.line, at.col, "", message)) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line, col = _line_col(text, position) if isinstance(position, int) else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise _Abort(Problem(name, line, col, "", f"cannot parse YAML: {reason}")) from None
    if root is None:
        raise _Abort(Problem(name, 1, 1, "", "file is empty; expected a topic (a mapping with format, id, title, ...)"))
    return root


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[Mark, str]:
    """PyYAML's complaint, moved to the line a newcomer must fix and given a hint where the mistake is common."""
    at = _mark(exc.problem_mark or exc.context_mark)
    message = exc.problem or exc.context or "YAML syntax error"
    if exc.context and exc.problem:
        message = f"{exc.problem} ({exc.context})"
    if exc.problem == "could not find expected ':'" and exc.context_mark is not None:
        return _mark(exc.context_mark), "this line has no ':' after its key; write 'key: value' (a colon and a space)"
    if text[at.offset : at.offset + 1] == "\t":
        return at, "a TAB character: YAML indents with spaces, not tabs"
    before = text[text.rfind("\n", 0, at.offset) + 1 : at.offset]
    if (exc.problem or "").startswith("mapping values are not allowed") and ": " in before:
        return at, f"{message}: a ': ' inside text makes YAML read a key, so put the text in quotes"
    if exc.problem == "found unknown escape character":
        start = at.offset if text[at.offset : at.offset + 1] == "\\" else at.offset - 1
        escape = text[start : start + 2]
        return at, (
            f"'{escape}' in a double-quoted string is not an escape YAML knows; to keep backslashes as typed "
            "(as in TeX), put the text in single quotes"
        )
    indented = _indent_problem(text, at) if exc.problem in _INDENT_PROBLEMS else None
    if indented:
        return indented
    if exc.problem and "expected ',' or '}'" in exc.problem:
        return at, (
            f"{message}; inside {{…}} a ',' or ': ' ends the value, so put text that contains them in "
            'quotes (like: "roads, planes and trucks")'
        )
    return at, message


_INDENT_PROBLEMS = (
    "mapping values are not allowed in this context",
    "did not find expected key",
    "did not find expected '-' indicator",
)
_DASH_KEY = re.compile(r"( *)-([^\s\-#][^:\s]*):")
_ITEM = re.compile(r"( *)- ")
_KEY = re.compile(r"( *)(- +)?([^\s:#\-\"'][^:]*?):(?:\s|$)")


def _indent_problem(text: str, at: Mark) -> tuple[Mark, str] | None:
    """A list dash without its space (`-id:`), or a key out of line with the one above it: the parser's words
    for both are about indicators and contexts, so the line is named with its fix."""
    lines = text.split("\n")
    here = at.line - 1
    above = next(
        (i for i in range(here - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None
    )
    for i in (here, above):
        dash = _DASH_KEY.match(lines[i]) if i is not None else None
        if i is not None and dash:
            key, col = dash.group(2), len(dash.group(1)) + 1
            return Mark(i + 1, col, 0), f"'-{key}:' has no space after '-': write '- {key}:' to start a list item"
    if above is None:
        return None
    item = _ITEM.match(lines[here])
    if item:
        return _item_problem(lines, here, len(item.group(1)) + 1)
    key, upper = _KEY.match(lines[here]), _KEY.match(lines[above])
    if key is None or upper is None or key.group(2):
        return None
    col, upper_col = len(key.group(1)) + 1, len(upper.group(1)) + len(upper.group(2) or "") + 1
    if col == upper_col:
        return None
    how = "less" if col < upper_col else "more"
    return Mark(here + 1, col, 0), (
        f"'{key.group(3)}' is indented {how} than '{upper.group(3)}' on line {above + 1}: the keys of one mapping "
        f"start in the same column, so start '{key.group(3)}' in column {upper_col}"
    )


def _item_problem(lines: list[str], here: int, col: int) -> tuple[Mark, str] | None:
    """A list item whose '-' is out of line with the item before it (the nearest '-' above at another column
    that has no key between it and this line at this column or left of it)."""
    for i in range(here - 1, -1, -1):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        start = len(text) - len(text.lstrip()) + 1
        dash = _ITEM.match(text)
        if dash and start != col:
            how = "less" if col < start else "more"
            return Mark(here + 1, col, 0), (
                f"this list item is indented {how} than the one on line {i + 1}: the items of one list start in "
                f"the same column, so start its '-' in column {start}"
            )
        if start <= col or dash:
            return None
    return None


def _scalar_value(constructor: yaml.constructor.SafeConstructor, tag: str, event: yaml.ScalarEvent) -> object:
    """Numbers, booleans and nulls as YAML reads them; text in NFC, as Anki stores it on import."""
    import yaml

    if tag in (_CORE + "int", _CORE + "float", _CORE + "bool", _CORE + "null"):
        try:
            return constructor.construct_object(yaml.ScalarNode(tag, event.value))
        except (ValueError, yaml.YAMLError):
            pass
    return unicodedata.normalize("NFC", event.value)


def _pairs(children: list[Node], name: str) -> tuple[tuple[Scalar, Node], ...]:
    pairs: list[tuple[Scalar, Node]] = []
    seen: dict[str, Scalar] = {}
    for key, value in zip(children[0::2], children[1::2], strict=False):
        if not isinstance(key, Scalar) or not isinstance(key.value, str) or key.value == "":
            m = key.start
            raise _Abort(Problem(name, m.line, m.col, "", "mapping keys must be plain words"))
        first = seen.get(key.value)
        if first is not None:
            m = key.start
            raise _Abort(
                Problem(
                    name, m.line, m.col, "", f"duplicate key '{key.value}' (first given at line {first.start.line})"
                )
            )
        seen[key.value] = key
        pairs.append((key, value))
    return tuple(pairs)


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def locate(doc: Document, start: Mark, end: Mark, needle: str) -> tuple[int, int]:
    """Line and column of `needle` inside a scalar's source span, else the scalar's start."""
    found = doc.text.find(needle, start.offset, max(end.offset, start.offset + 1))
    if found < 0:
        return start.line, start.col
    return _line_col(doc.text, found)


def key_path(path: str, key: str) -> str:
    """A dotted key path as messages show it: `sequences[0].steps[2].name`."""
    return f"{path}.{key}" if path else key


def strings(node: Node, path: str = "") -> Iterator[tuple[str, Scalar]]:
    """Every text value of a tree with its key path, in document order."""
    if isinstance(node, MapNode):
        for key, value in node.items:
            yield from strings(value, key_path(path, str(key.value)))
    elif isinstance(node, ListNode):
        for i, item in enumerate(node.items):
            yield from strings(item, f"{path}[{i}]")
    elif isinstance(node.value, str):
        yield path, node
