"""Build the typed Topic from a tree whose shape `structure` checked, applying the cross-value rules.

References, order, duplicates and defaults need more than one value; every
problem is collected with its key path and position, nothing stops at the first.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import replace
from pathlib import Path

from ..errors import Problem
from ..text.i18n import ENGLISH, lang_problem
from ..text.marks import slugify
from . import schema as S
from .load import Document
from .model import (
    Analogy,
    CardKinds,
    Course,
    Cue,
    Mnemonic,
    Pair,
    Picture,
    Sequence,
    Snippet,
    Step,
    Term,
    Topic,
    starts_with,
)
from .pictures import PictureProblem, read_picture
from .structure import INVALID, Checker, Data, check_shape


def validate(doc: Document, course: Course | None = None) -> tuple[Topic | None, list[Problem]]:
    """Return the topic (None when any error was found) and every problem, warnings included.

    The course file's settings are the topic's defaults: its card kinds, licence and authors.
    """
    data, checker = check_shape(doc, S.TOPIC)
    if data is INVALID:
        return None, checker.problems
    topic = _build(checker, data, course or Course(""))
    if any(not p.warning for p in checker.problems):
        return None, checker.problems
    return topic, checker.problems


def _build(checker: Checker, data: Data, course: Course) -> Topic:
    """Turn checked data into the model, applying defaults and the cross-value rules."""
    defaults = {**course.cards, **data.get("cards", {})}
    base = Path(checker.doc.path).parent
    pictures = _Pictures(checker, base, Path(course.source).parent if course.source else base)
    drawn = bool(data.get("sheet", {}).get("diagrams", True))
    sequences = tuple(
        _sequence(checker, s, f"sequences[{i}]", defaults, pictures, drawn) for i, s in enumerate(data["sequences"])
    )
    _unique(checker, [s.id for s in sequences], "sequences", "sequence")
    by_id = {s.id: s for s in sequences}
    mnemonics = tuple(_mnemonic(checker, m, f"mnemonics[{i}]", by_id) for i, m in enumerate(data.get("mnemonics", [])))
    _unique(checker, [m.id for m in mnemonics], "mnemonics", "mnemonic")
    analogies = tuple(
        _analogy(checker, a, f"analogies[{i}]", by_id, pictures) for i, a in enumerate(data.get("analogies", []))
    )
    _unique(checker, [a.id for a in analogies], "analogies", "analogy")
    snippets = tuple(_snippet(checker, s, f"snippets[{i}]", by_id) for i, s in enumerate(data.get("snippets", [])))
    _unique(checker, [s.id for s in snippets], "snippets", "snippet")
    terms = tuple(_term(checker, t, f"terms[{i}]", pictures) for i, t in enumerate(data.get("terms", [])))
    _unique_terms(checker, terms)
    _check_deck(checker, data.get("deck"))
    check_lang(checker, data)
    topic = Topic(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        deck=data.get("deck") or data["title"],
        sequences=sequences,
        source=checker.doc.path,
        summary=data.get("summary"),
        tags=tuple(data.get("tags", ())),
        license=data.get("license", course.license),
        authors=tuple(data.get("authors", course.authors)),
        lang=data.get("lang") or course.lang or ENGLISH,
        mnemonics=mnemonics,
        analogies=analogies,
        snippets=snippets,
        version_at=(checker.where["version"].start.line, checker.where["version"].start.col),
        terms=terms,
        image=pictures.get(data, ""),
        cards=CardKinds(**defaults),
    )
    _check_code_lines(checker, topic)
    return topic


def _unique(checker: Checker, ids: list[str], path: str, noun: str) -> None:
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in seen:
            checker.at(f"{path}[{i}].id", f"duplicate {noun} id '{ident}' (also {path}[{seen[ident]}])")
        else:
            seen[ident] = i


class _Pictures:
    """Reads each picture file once per topic (one file may be shown in several places)."""

    def __init__(self, checker: Checker, base: Path, root: Path) -> None:
        self.checker, self.base, self.root = checker, base, root
        self.read: dict[str, Picture | PictureProblem] = {}

    def get(self, data: Data, path: str) -> Picture | None:
        """The picture of a record's `image` key, None when it has none or it is unusable (reported)."""
        image = data.get("image")
        if image is None:
            return None
        src = image["src"]
        if src not in self.read:
            try:
                self.read[src] = read_picture(src, image["alt"], self.base, self.root)
            except PictureProblem as problem:
                self.read[src] = problem
        found = self.read[src]
        key = f"{path}.image.src" if path else "image.src"
        if isinstance(found, PictureProblem):
            self.checker.at(key, str(found))
            return None
        return replace(found, alt=image["alt"])  # one file may be shown with different words


def _derived_id(checker: Checker, data: Data, path: str, field: str, noun: str) -> str:
    """The record's `id`, else the slug of its `field`; an id that leaves letters out is worth giving by hand."""
    if data.get("id"):
        return str(data["id"])
    name = data[field]
    ident = derive_id(name)
    if not ident:
        checker.at(path, f"cannot make an id from the {field} {name!r}; give the {noun} an 'id'")
    elif ident == slugify(name) and any(ch.isalpha() and not ch.isascii() for ch in name):
        checker.at(
            path,
            f"the id '{ident}' made from {name!r} leaves out its letters outside a-z; give the {noun} an 'id' "
            "(ids are its cards' identity, so set it before you publish)",
            warning=True,
        )
    return ident


def derive_id(name: str) -> str:
    """The id a name gives: its a-z slug when it has one (today's ids, so no card loses its reviews), else its
    Unicode letters and digits, normalised (NFKC) and case-folded, joined by hyphens: a name in any script
    gets a stable id without one typed by hand."""
    ascii_slug = slugify(name)
    if ascii_slug:
        return ascii_slug
    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in folded)
    return "-".join(kept.split())


def _term(checker: Checker, data: Data, path: str, pictures: _Pictures) -> Term:
    ident = _derived_id(checker, data, path, "term", "term")
    return Term(ident, data["term"], data["means"], pictures.get(data, path))


def _unique_terms(checker: Checker, terms: tuple[Term, ...]) -> None:
    seen: dict[str, int] = {}
    for i, term in enumerate(terms):
        if term.id in seen:
            typed = f"terms[{i}].id" in checker.where
            checker.at(
                f"terms[{i}].id" if typed else f"terms[{i}]",
                f"duplicate term id '{term.id}' (also terms[{seen[term.id]}])"
                + ("" if typed else "; give one of them its own 'id'"),
            )
        seen.setdefault(term.id, i)


def _sequence(
    checker: Checker, data: Data, path: str, defaults: dict[str, int | bool], pictures: _Pictures, drawn: bool
) -> Sequence:
    """The sequence with its topic's defaults: card kinds, and whether the sheet draws its diagram."""
    steps = []
    for i, s in enumerate(data["steps"]):
        step_path = f"{path}.steps[{i}]"
        ident = _derived_id(checker, s, step_path, "name", "step")
        steps.append(
            Step(
                ident,
                s["name"],
                s.get("does"),
                s.get("code"),
                tuple(s.get("substeps", ())),
                pictures.get(s, step_path),
                s.get("cards", {}).get("code", True),
            )
        )
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
    cards = {**defaults, **data.get("cards", {})}
    return Sequence(
        id=data["id"],
        title=data["title"],
        steps=tuple(steps),
        summary=data.get("summary"),
        shape=data.get("shape", "chain"),
        cards=CardKinds(**cards),
        image=pictures.get(data, path),
        diagram=bool(data.get("sheet", {}).get("diagrams", drawn)),
        at=_place(checker, path),
    )


def _place(checker: Checker, path: str) -> tuple[int, int]:
    """Where a key's value starts in its file (line, column): for the problems later stages find."""
    node = checker.where.get(path)
    return (node.start.line, node.start.col) if node else (1, 1)


def _target(checker: Checker, path: str, ref: str, by_id: dict[str, Sequence]) -> Sequence | None:
    seq = by_id.get(ref)
    if seq is None:
        known = ", ".join(by_id) or "none"
        close = difflib.get_close_matches(ref, list(by_id), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; sequences: {known}"
        checker.at(path, f"no sequence with id '{ref}'{hint}")
    return seq


def _step_ref(checker: Checker, path: str, ref: str, seq: Sequence) -> int | None:
    ids = [s.id for s in seq.steps]
    if ref in ids:
        return ids.index(ref)
    close = difflib.get_close_matches(ref, ids, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else f"; its steps: {', '.join(ids)}"
    checker.at(path, f"no step '{ref}' in sequence '{seq.id}'{hint}")
    return None


def _mnemonic(checker: Checker, data: Data, path: str, by_id: dict[str, Sequence]) -> Mnemonic:
    cues = tuple(Cue(c["letter"], c["step"], c.get("hook")) for c in data["cues"])
    seq = _target(checker, f"{path}.for", data["for"], by_id)
    named: list[tuple[int, str]] = []  # each cue that names a step of the sequence, with that step's name
    if seq is not None:
        found = [(i, _step_ref(checker, f"{path}.cues[{i}].step", cue.step, seq)) for i, cue in enumerate(cues)]
        known = [(i, index) for i, index in found if index is not None]
        named = [(i, seq.steps[index].name) for i, index in known]
        late = next((i for (_, a), (i, b) in zip(known, known[1:], strict=False) if b <= a), None)
        if late is not None:
            _cues_out_of_order(checker, f"{path}.cues[{late}].step", cues, late, seq)
            return Mnemonic(data["id"], data["phrase"], data["for"], cues, data.get("note"))
    mnemonic = Mnemonic(data["id"], data["phrase"], data["for"], cues, data.get("note"))
    positions = mnemonic.letter_positions()
    for i, name in named:
        cue = cues[i]
        if positions[i] == -1:
            continue  # the phrase is what to mend first (below): a hook cannot place a letter
        if not cue.hook and not starts_with(name, cue.letter):
            checker.at(
                f"{path}.cues[{i}].letter",
                f"'{cue.letter}' is not the initial of '{name}'; add a 'hook' saying why",
                warning=True,
            )
    if -1 in positions:
        i = positions.index(-1)
        checker.at(
            f"{path}.cues[{i}].letter",
            f"'{cues[i].letter}' does not appear in the phrase '{data['phrase']}' after the earlier cues",
        )
    return mnemonic


def _cues_out_of_order(checker: Checker, key: str, cues: tuple[Cue, ...], late: int, seq: Sequence) -> None:
    """One message naming the order the cues must take; hooks and letters are judged once the order is right."""
    ids = [s.id for s in seq.steps]
    ordered = sorted((c for c in cues if c.step in ids), key=lambda c: ids.index(c.step))
    order = ", ".join(f"{c.letter} ({c.step})" for c in ordered)
    cue = cues[late]
    checker.at(
        key,
        f"cue '{cue.letter}' for step '{cue.step}' is out of order: cues follow the sequence's order, "
        f"here {order}; reorder the cues (and the phrase)",
    )


def _analogy(checker: Checker, data: Data, path: str, by_id: dict[str, Sequence], pictures: _Pictures) -> Analogy:
    pairs = tuple(
        Pair(p["step"], p["like"], p.get("detail"), pictures.get(p, f"{path}.pairs[{i}]"))
        for i, p in enumerate(data["pairs"])
    )
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


def _snippet(checker: Checker, data: Data, path: str, by_id: dict[str, Sequence]) -> Snippet:
    if "for" in data:
        _target(checker, f"{path}.for", data["for"], by_id)
    language = data["language"]
    from pygments.lexers import find_lexer_class_by_name
    from pygments.util import ClassNotFound

    try:
        find_lexer_class_by_name(language)  # the class only: making a lexer compiles its patterns
    except ClassNotFound:
        checker.at(
            f"{path}.language", f"unknown language '{language}' (a Pygments lexer name such as python, bash, text)"
        )
    code = data["code"]
    lines = code.rstrip("\n").split("\n")
    if len(lines) > S.MAX_SNIPPET_LINES:
        checker.at(f"{path}.code", f"has {len(lines)} lines; the limit is {S.MAX_SNIPPET_LINES}")
    return Snippet(data["id"], language, code.rstrip("\n"), data.get("title"), data.get("for"))


def _check_deck(checker: Checker, deck: str | None) -> None:
    if deck is not None and any(not part.strip() for part in deck.split("::")):
        checker.at("deck", "empty sub-deck name: '::' must separate non-empty names")


def check_lang(checker: Checker, data: Data) -> None:
    """A `lang` the builder has no words for, or no translation of its words, is a warning (English words)."""
    problem = lang_problem(data["lang"]) if "lang" in data else None
    if problem:
        checker.at("lang", *problem)


def _check_code_lines(checker: Checker, topic: Topic) -> None:
    for seq_index, seq in enumerate(topic.sequences):
        snippet = topic.snippet_for(seq.id)
        if snippet is None:
            continue
        owner: dict[int, int] = {}
        for i, step in enumerate(seq.steps):
            at = snippet.line_of(step.code) if step.code else None
            key = f"sequences[{seq_index}].steps[{i}].code"
            if step.code and at is None:
                close = difflib.get_close_matches(step.code.strip(), [ln.strip() for ln in snippet.lines], n=1)
                hint = f" (closest: {close[0]!r})" if close else ""
                checker.at(
                    key, f"code line {step.code!r} does not appear in snippet '{snippet.id}'{hint}", warning=True
                )
            elif at is not None and at in owner:
                checker.at(
                    key,
                    f"step {owner[at] + 1} already has this code line; a line can be asked for "
                    "one step only, so this step gets no code card",
                    warning=True,
                )
            elif at is not None:
                owner[at] = i
