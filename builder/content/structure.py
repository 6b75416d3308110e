"""Check a located YAML tree against a declared shape (`schema.py`): types, keys, limits, text.

Every problem is collected with its key path and position; nothing stops at the
first one. Topics and course files are both checked here; what needs more than
one value (references, order, duplicates) is the validator's.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from ..errors import Problem
from . import schema as S
from .load import Document, ListNode, MapNode, Node, Scalar, key_path, locate


class _Invalid(Enum):
    """The result of a check that reported a problem (a sentinel mypy can tell apart from data)."""

    INVALID = "invalid"


INVALID: Final = _Invalid.INVALID
Data = Any


@dataclass
class Checker:
    doc: Document
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, Node] = field(default_factory=dict)

    def error(self, node: Node | None, key: str, message: str, warning: bool = False) -> None:
        mark = node.start if node is not None else None
        line, col = (mark.line, mark.col) if mark else (1, 1)
        self.problems.append(Problem(self.doc.path, line, col, key, message, warning))

    def at(self, key: str, message: str, warning: bool = False) -> None:
        self.error(self.where.get(key), key, message, warning)

    def within(self, node: Scalar, key: str, needle: str, message: str, warning: bool = False) -> None:
        """A problem at `needle` as typed inside a text value, else at the value's start."""
        line, col = locate(self.doc, node.start, node.end, needle)
        self.problems.append(Problem(self.doc.path, line, col, key, message, warning))


def quoted(text: str) -> str:
    """Text as a YAML string that reads back as typed: double quotes, or single ones when it holds a double."""
    if '"' not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def check_shape(doc: Document, kind: S.Record) -> tuple[Data, Checker]:
    """The document's plain data (or INVALID) and the checker holding its problems and key positions."""
    checker = Checker(doc)
    return _check(checker, doc.root, kind, ""), checker


def _describe(node: Node) -> str:
    if isinstance(node, MapNode):
        return "a mapping"
    if isinstance(node, ListNode):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"text ({value!r})"


def _check(checker: Checker, node: Node, kind: S.Kind, path: str) -> object:
    """Structural check of one value; returns plain data, or INVALID after reporting why."""
    checker.where[path] = node
    if isinstance(kind, S.Record):
        if kind.shorthand and isinstance(node, Scalar):
            value = _check(checker, node, next(f.kind for f in kind.fields if f.name == kind.shorthand), path)
            return INVALID if value is INVALID else {kind.shorthand: value}
        if not isinstance(node, MapNode):
            expected = f"a {kind.name} (a mapping{' or a plain string' if kind.shorthand else ''})"
            if not path:
                expected = "a topic: a mapping with format, id, title, version and sequences"
            checker.error(node, path, f"expected {expected}, got {_describe(node)}")
            return INVALID
        return _check_record(checker, node, kind, path)
    if isinstance(kind, S.ListOf):
        if not isinstance(node, ListNode):
            checker.error(node, path, f"expected a list, got {_describe(node)}")
            return INVALID
        n = len(node.items)
        if n < kind.min_items or n > kind.max_items:
            noun = "item" if kind.max_items == 1 else "items"
            if n < kind.min_items:
                checker.error(node, path, f"needs at least {kind.min_items} {noun}, has {n}")
            else:
                checker.error(node, path, f"has {n} items; the limit is {kind.max_items}")
        items = [_check(checker, item, kind.item, f"{path}[{i}]") for i, item in enumerate(node.items)]
        return INVALID if any(i is INVALID for i in items) else items
    if not isinstance(node, Scalar):
        checker.error(node, path, f"expected {_scalar_name(kind)}, got {_describe(node)}")
        return INVALID
    return _check_scalar(checker, node, kind, path)


def _scalar_name(kind: S.Kind) -> str:
    if isinstance(kind, S.Text):
        return kind.what
    if isinstance(kind, S.Integer):
        return f"a whole number from {kind.minimum} to {kind.maximum}"
    if isinstance(kind, S.Boolean):
        return "true or false"
    assert isinstance(kind, S.Choice)
    return "one of " + ", ".join(str(v) for v in kind.values)


def _check_scalar(checker: Checker, node: Scalar, kind: S.Kind, path: str) -> object:
    value = node.value
    if isinstance(kind, S.Text):
        if not isinstance(value, str):
            if kind.pattern == S.SEMVER and isinstance(value, (int, float)) and not isinstance(value, bool):
                typed = checker.doc.text[node.start.offset : node.end.offset].strip()
                version = ".".join((typed.split(".") + ["0", "0"])[:3])
                checker.error(
                    node, path, f"expected {kind.what}, got a number ({typed}); write all three parts: {version}"
                )
            else:
                checker.error(
                    node, path, f"expected {kind.what}, got {_describe(node)}; put it in quotes if it is text"
                )
            return INVALID
        if not value.strip():
            checker.error(node, path, "must not be empty")
            return INVALID
        if kind.pattern and not re.match(kind.pattern, value):
            dashed = value.replace("_", "-")
            fix = f" (write {dashed!r}: a BCP 47 tag joins its parts with '-')"
            fixable = kind.pattern == S.LANG and re.match(kind.pattern, dashed)
            checker.error(node, path, f"expected {kind.what}, got {value!r}" + (fix if fixable else ""))
            return INVALID
        _comment_cut(checker, node, path)
        quoted = checker.doc.text[node.start.offset : node.start.offset + 1] == '"'
        if quoted:
            _control_characters(checker, node, path, value.strip("\n"))
        if not kind.multiline and "\n" in value.strip("\n"):
            if quoted:
                checker.within(
                    node,
                    path,
                    "\\n",
                    "must be a single line; in a "
                    "double-quoted string '\\n' is a newline: use single quotes to keep "
                    "a backslash",
                )
            else:
                checker.error(node, path, "must be a single line")
            return INVALID
        if len(value) > kind.max_len:
            checker.error(node, path, f"is {len(value)} characters long; the limit is {kind.max_len}")
            return INVALID
        return value.strip("\n") if not kind.multiline else value.rstrip("\n").strip(" ")
    if isinstance(kind, S.Integer):
        if isinstance(value, bool) or not isinstance(value, int) or not kind.minimum <= value <= kind.maximum:
            checker.error(node, path, f"expected {_scalar_name(kind)}, got {_describe(node)}")
            return INVALID
        return value
    if isinstance(kind, S.Boolean):
        if not isinstance(value, bool):
            checker.error(node, path, f"expected true or false, got {_describe(node)}")
            return INVALID
        return value
    assert isinstance(kind, S.Choice)
    if isinstance(value, bool) or value not in kind.values:
        if path == "format":
            checker.error(node, path, f"format {value!r} is not supported; the only format so far is 1")
        else:
            checker.error(node, path, f"expected {_scalar_name(kind)}, got {_describe(node)}")
        return INVALID
    return value


# A '#' right against a word ('#1', '#tag') reads as text; '# words' after a space is how YAML comments are written.
_COMMENT = re.compile(r"[ \t]+#(\S.*)")


def _comment_cut(checker: Checker, node: Scalar, path: str) -> None:
    """Warn where ' #' after unquoted text starts what reads as more text but is a YAML comment: the words after it
    would be lost unseen. A comment written as '# words' is left alone: the course template is full of them."""
    text = checker.doc.text
    if text[node.start.offset : node.start.offset + 1] in ("'", '"', "|", ">"):
        return
    line_end = text.find("\n", node.end.offset)
    cut = _COMMENT.match(text, node.end.offset, len(text) if line_end < 0 else line_end)
    if cut is None:
        return
    rest = cut.group(1).rstrip()
    whole = str(node.value) + " #" + rest
    offset = cut.start() + cut.group(0).index("#")
    before = text[:offset]
    line, col = before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
    message = (
        f"' #' starts a YAML comment, so this text ends before it ({node.value!r}); to keep '#{rest}', put the "
        f"whole text in quotes: {quoted(whole)}"
    )
    checker.problems.append(Problem(checker.doc.path, line, col, path, message, True))


_ESCAPES = {
    "\t": ("\\t", "TAB"),
    "\n": ("\\n", "NEWLINE"),
    "\b": ("\\b", "BACKSPACE"),
    "\f": ("\\f", "FORM FEED"),
    "\r": ("\\r", "CARRIAGE RETURN"),
    "\a": ("\\a", "BELL"),
    "\v": ("\\v", "VERTICAL TAB"),
    "\x1b": ("\\e", "ESCAPE"),
    "\x00": ("\\0", "NULL"),
}


def _control_characters(checker: Checker, node: Scalar, path: str, value: str) -> None:
    """Warn about control characters a double-quoted string made of backslashes (`"\\theta"` is a TAB and "heta").

    A newline is left to the single-line rule (an error where one line is expected).
    """
    found = sorted({c for c in value if unicodedata.category(c) == "Cc" and c != "\n"})
    for char in found:
        typed, name = _ESCAPES.get(char, (f"\\x{ord(char):02x}", "control character"))
        checker.within(
            node,
            path,
            typed,
            f"'{typed}' in a double-quoted string is a control character (U+{ord(char):04X} {name}), not a "
            "backslash and a letter; to keep backslashes as typed (as in TeX), put the text in single quotes",
            warning=True,
        )


def _check_record(checker: Checker, node: MapNode, kind: S.Record, path: str) -> object:
    out: dict[str, object] = {}
    ok = True
    flow = checker.doc.text[node.start.offset : node.start.offset + 1] == "{"
    previous: tuple[Scalar, Node] | None = None
    for key, value in node.items:
        name = str(key.value)
        sub = key_path(path, name)
        spec = next((f for f in kind.fields if f.name == name), None)
        if spec is None:
            close = difflib.get_close_matches(name, kind.names, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; expected one of: {', '.join(kind.names)}"
            if flow and previous and isinstance(value, Scalar) and value.value is None and not close:
                before, text = previous[0].value, checker.doc.text[previous[1].start.offset : key.end.offset]
                hint = (
                    f": inside {{…}} a comma starts a new key, so put text that contains commas in quotes "
                    f"({before}: {quoted(text)})"
                )
            checker.error(key, sub, f"unknown key '{name}'{hint}")
            ok = False
            continue
        previous = (key, value)
        checked = _check(checker, value, spec.kind, sub)
        if checked is INVALID:
            ok = False
        else:
            out[name] = checked
    for spec in kind.fields:
        if spec.required and node.get(spec.name) is None:
            where = kind.name if path else ("the topic" if kind is S.TOPIC else f"the {kind.name} file")
            checker.error(node, key_path(path, spec.name), f"missing required key '{spec.name}' in {where}")
            ok = False
    return out if ok else INVALID
