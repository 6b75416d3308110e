"""Check a located tree against format v1 and build the typed Topic.

Every problem is collected with its key path and position; nothing stops at the
first one. Structure comes from `schema.py`; the rules that need more than one
value (references, order, duplicates) follow once the structure is known good.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from ..errors import Problem
from ..text import slugify
from . import schema as S
from .load import Document, ListNode, MapNode, Node, Scalar, key_path, locate
from .model import Analogy, Cue, Mnemonic, Pair, Sequence, Snippet, Step, Topic


class _Invalid(Enum):
    """The result of a check that reported a problem (a sentinel mypy can tell apart from data)."""

    INVALID = "invalid"


INVALID: Final = _Invalid.INVALID
Data = Any


@dataclass
class _Checker:
    doc: Document
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, Node] = field(default_factory=dict)

    def error(self, node: Node | None, key: str, message: str, warning: bool = False) -> None:
        mark = node.start if node is not None else None
        line, col = (mark.line, mark.col) if mark else (1, 1)
        self.problems.append(Problem(self.doc.path, line, col, key, message, warning))

    def at(self, key: str, message: str, warning: bool = False) -> None:
        self.error(self.where.get(key), key, message, warning)


def validate(doc: Document) -> tuple[Topic | None, list[Problem]]:
    """Return the topic (None when any error was found) and every problem, warnings included."""
    checker = _Checker(doc)
    data = _check(checker, doc.root, S.TOPIC, "")
    if data is INVALID:
        return None, checker.problems
    topic = _build(checker, data)
    if any(not p.warning for p in checker.problems):
        return None, checker.problems
    return topic, checker.problems


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


def _check(checker: _Checker, node: Node, kind: S.Kind, path: str) -> object:
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


def _check_scalar(checker: _Checker, node: Scalar, kind: S.Kind, path: str) -> object:
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
            checker.error(node, path, f"expected {kind.what}, got {value!r}")
            return INVALID
        quoted = checker.doc.text[node.start.offset : node.start.offset + 1] == '"'
        if quoted:
            _control_characters(checker, node, path, value.strip("\n"))
        if not kind.multiline and "\n" in value.strip("\n"):
            if quoted:
                line, col = locate(checker.doc, node.start, node.end, "\\n")
                checker.problems.append(
                    Problem(
                        checker.doc.path,
                        line,
                        col,
                        path,
                        "must be a single line; in a "
                        "double-quoted string '\\n' is a newline: use single quotes to keep "
                        "a backslash",
                    )
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


def _control_characters(checker: _Checker, node: Scalar, path: str, value: str) -> None:
    """Warn about control characters a double-quoted string made of backslashes (`"\\theta"` is a TAB and "heta").

    A newline is left to the single-line rule (an error where one line is expected).
    """
    found = sorted({c for c in value if unicodedata.category(c) == "Cc" and c != "\n"})
    for char in found:
        typed, name = _ESCAPES.get(char, (f"\\x{ord(char):02x}", "control character"))
        line, col = locate(checker.doc, node.start, node.end, typed)
        checker.problems.append(
            Problem(
                checker.doc.path,
                line,
                col,
                path,
                f"'{typed}' in a double-quoted string is a control character (U+{ord(char):04X} {name}), not a "
                "backslash and a letter; to keep backslashes as typed (as in TeX), put the text in single quotes",
                warning=True,
            )
        )


def _check_record(checker: _Checker, node: MapNode, kind: S.Record, path: str) -> object:
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
                    f'({before}: "{text}")'
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
            where = f"{kind.name}" if path else "the topic"
            checker.error(node, key_path(path, spec.name), f"missing required key '{spec.name}' in {where}")
            ok = False
    return out if ok else INVALID


def _build(checker: _Checker, data: Data) -> Topic:
    """Turn checked data into the model, applying defaults and the cross-value rules."""
    sequences = tuple(_sequence(checker, s, f"sequences[{i}]") for i, s in enumerate(data["sequences"]))
    _unique(checker, [s.id for s in sequences], "sequences", "sequence")
    by_id = {s.id: s for s in sequences}
    mnemonics = tuple(_mnemonic(checker, m, f"mnemonics[{i}]", by_id) for i, m in enumerate(data.get("mnemonics", [])))
    _unique(checker, [m.id for m in mnemonics], "mnemonics", "mnemonic")
    analogies = tuple(_analogy(checker, a, f"analogies[{i}]", by_id) for i, a in enumerate(data.get("analogies", [])))
    _unique(checker, [a.id for a in analogies], "analogies", "analogy")
    snippets = tuple(_snippet(checker, s, f"snippets[{i}]", by_id) for i, s in enumerate(data.get("snippets", [])))
    _unique(checker, [s.id for s in snippets], "snippets", "snippet")
    _check_deck(checker, data.get("deck"))
    topic = Topic(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        deck=data.get("deck") or data["title"],
        sequences=sequences,
        source=checker.doc.path,
        summary=data.get("summary"),
        tags=tuple(data.get("tags", ())),
        license=data.get("license"),
        authors=tuple(data.get("authors", ())),
        mnemonics=mnemonics,
        analogies=analogies,
        snippets=snippets,
        version_at=(checker.where["version"].start.line, checker.where["version"].start.col),
    )
    _check_code_lines(checker, topic)
    return topic


def _unique(checker: _Checker, ids: list[str], path: str, noun: str) -> None:
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in seen:
            checker.at(f"{path}[{i}].id", f"duplicate {noun} id '{ident}' (also {path}[{seen[ident]}])")
        else:
            seen[ident] = i


def _sequence(checker: _Checker, data: Data, path: str) -> Sequence:
    steps = []
    for i, s in enumerate(data["steps"]):
        step_path = f"{path}.steps[{i}]"
        ident = s.get("id") or slugify(s["name"])
        if not ident:
            checker.at(step_path, f"cannot make an id from the name {s['name']!r}; give the step an 'id'")
        steps.append(Step(ident, s["name"], s.get("does"), s.get("code"), tuple(s.get("substeps", ()))))
    seen: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step.id and step.id in seen:
            first = seen[step.id]
            typed = [f"{path}.steps[{k}].id" in checker.where for k in (first, i)]
            key = f"{path}.steps[{i}].id" if typed[1] else f"{path}.steps[{i}]"
            advice = "step ids must differ" if all(typed) else "give one of them its own 'id'"
            checker.at(key, f"duplicate step id '{step.id}' (also steps[{first}]); {advice}")
        seen.setdefault(step.id, i)
    if len(steps) > 9:
        checker.at(
            f"{path}.steps",
            f"{len(steps)} steps are hard to learn as one list; consider splitting (9 or fewer)",
            warning=True,
        )
    cards = data.get("cards", {})
    return Sequence(
        id=data["id"],
        title=data["title"],
        steps=tuple(steps),
        summary=data.get("summary"),
        shape=data.get("shape", "chain"),
        context=cards.get("context", 2),
        whole=cards.get("whole", True),
        reverse=cards.get("reverse", True),
    )


def _target(checker: _Checker, path: str, ref: str, by_id: dict[str, Sequence]) -> Sequence | None:
    seq = by_id.get(ref)
    if seq is None:
        known = ", ".join(by_id) or "none"
        close = difflib.get_close_matches(ref, list(by_id), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; sequences: {known}"
        checker.at(path, f"no sequence with id '{ref}'{hint}")
    return seq


def _step_ref(checker: _Checker, path: str, ref: str, seq: Sequence) -> int | None:
    ids = [s.id for s in seq.steps]
    if ref in ids:
        return ids.index(ref)
    close = difflib.get_close_matches(ref, ids, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else f"; its steps: {', '.join(ids)}"
    checker.at(path, f"no step '{ref}' in sequence '{seq.id}'{hint}")
    return None


def _mnemonic(checker: _Checker, data: Data, path: str, by_id: dict[str, Sequence]) -> Mnemonic:
    cues = tuple(Cue(c["letter"], c["step"], c.get("hook")) for c in data["cues"])
    seq = _target(checker, f"{path}.for", data["for"], by_id)
    if seq is not None:
        last = -1
        for i, cue in enumerate(cues):
            index = _step_ref(checker, f"{path}.cues[{i}].step", cue.step, seq)
            if index is None:
                continue
            if index <= last:
                checker.at(
                    f"{path}.cues[{i}].step",
                    f"cue '{cue.letter}' for step '{cue.step}' is out of order: cues follow the sequence's order",
                )
            last = max(last, index)
            name = seq.steps[index].name
            if not cue.hook and not name.lower().startswith(cue.letter.lower()):
                checker.at(
                    f"{path}.cues[{i}].letter",
                    f"'{cue.letter}' is not the initial of '{name}'; add a 'hook' saying why",
                    warning=True,
                )
    mnemonic = Mnemonic(data["id"], data["phrase"], data["for"], cues, data.get("note"))
    positions = mnemonic.letter_positions()
    if -1 in positions:
        i = positions.index(-1)
        checker.at(
            f"{path}.cues[{i}].letter",
            f"'{cues[i].letter}' does not appear in the phrase '{data['phrase']}' after the earlier cues",
        )
    return mnemonic


def _analogy(checker: _Checker, data: Data, path: str, by_id: dict[str, Sequence]) -> Analogy:
    pairs = tuple(Pair(p["step"], p["like"], p.get("detail")) for p in data["pairs"])
    seq = _target(checker, f"{path}.for", data["for"], by_id)
    if seq is not None:
        named: dict[str, int] = {}
        for i, pair in enumerate(pairs):
            if _step_ref(checker, f"{path}.pairs[{i}].step", pair.step, seq) is None:
                continue
            if pair.step in named:
                checker.at(
                    f"{path}.pairs[{i}].step", f"step '{pair.step}' is paired twice (also pairs[{named[pair.step]}])"
                )
            named.setdefault(pair.step, i)
        missing = [s.id for s in seq.steps if s.id not in named]
        if missing:
            checker.at(
                f"{path}.pairs",
                f"no pair for step{'s' if len(missing) > 1 else ''} {', '.join(missing)} of sequence '{seq.id}'",
            )
    return Analogy(data["id"], data["title"], data["for"], pairs)


def _snippet(checker: _Checker, data: Data, path: str, by_id: dict[str, Sequence]) -> Snippet:
    if "for" in data:
        _target(checker, f"{path}.for", data["for"], by_id)
    language = data["language"]
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(language)
    except ClassNotFound:
        checker.at(
            f"{path}.language", f"unknown language '{language}' (a Pygments lexer name such as python, bash, text)"
        )
    code = data["code"]
    lines = code.rstrip("\n").split("\n")
    if len(lines) > S.MAX_SNIPPET_LINES:
        checker.at(f"{path}.code", f"has {len(lines)} lines; the limit is {S.MAX_SNIPPET_LINES}")
    return Snippet(data["id"], language, code.rstrip("\n"), data.get("title"), data.get("for"))


def _check_deck(checker: _Checker, deck: str | None) -> None:
    if deck is not None and any(not part.strip() for part in deck.split("::")):
        checker.at("deck", "empty sub-deck name: '::' must separate non-empty names")


def _check_code_lines(checker: _Checker, topic: Topic) -> None:
    for seq_index, seq in enumerate(topic.sequences):
        snippet = topic.snippet_for(seq.id)
        if snippet is None:
            continue
        owner: dict[int, int] = {}
        for i, step in enumerate(seq.steps):
            at = snippet.line_of(step.code) if step.code else None
            key = f"sequences[{seq_index}].steps[{i}].code"
            if step.code and at is None:
                checker.at(key, f"code line {step.code!r} does not appear in snippet '{snippet.id}'", warning=True)
            elif at is not None and at in owner:
                checker.at(
                    key,
                    f"step {owner[at] + 1} already has this code line; a line can be asked for "
                    "one step only, so this step gets no code card",
                    warning=True,
                )
            elif at is not None:
                owner[at] = i
