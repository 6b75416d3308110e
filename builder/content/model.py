"""The typed topic: what every later stage reads. Built only from validated content."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from ..text.i18n import Words

_WORD = re.compile(r"\w+")
FINGERPRINT = "fingerprint 1"  # what the digest's input starts with: a new way of writing it is a new number


def fingerprint(value: DataclassInstance, leave_out: Collection[str] = ()) -> str:
    """A digest of a model value's named fields, each left out when it equals its default (at every depth),
    and of the top-level fields not in `leave_out`: a field added with a default changes no fingerprint."""
    kept = {name: data for name, data in _fields(value).items() if name not in leave_out}
    text = FINGERPRINT + "\n" + json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fields(value: DataclassInstance) -> dict[str, object]:
    """A dataclass by the names of its fields that are not written as their defaults are; a field that takes no
    part in comparing values (`compare=False`: where a thing was written) takes none here either."""
    written = {}
    for f in dataclasses.fields(value):
        if not f.compare:
            continue
        item, default = getattr(value, f.name), _default(f)
        if type(item) is type(default) and item == default:
            continue  # a default, known without writing it out
        data = _named(item)
        if default is _NONE or data != _named(default):
            written[f.name] = data
    return written


def _named(value: object) -> object:
    """A model value as JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, tuple | list):
        return [_named(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _named(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"a fingerprint has no way to write a {type(value).__name__}")


_NONE = object()  # the default of a field that has none


def _default(f: dataclasses.Field[object]) -> object:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return _NONE


@dataclass(frozen=True)
class Picture:
    """A picture file that was read and judged whole; `digest` is of its bytes, so a changed picture is new."""

    path: str
    alt: str
    kind: str  # png, jpeg or svg
    digest: str
    width: float
    height: float

    @property
    def media_name(self) -> str:
        """Its file name in a deck's media: the same picture is one file, whichever topics show it."""
        return f"flozp-{self.digest[:20]}.{'jpg' if self.kind == 'jpeg' else self.kind}"


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    does: str | None = None
    code: str | None = None
    substeps: tuple[str, ...] = ()
    image: Picture | None = None
    code_card: bool = True  # the step's own `cards: {code: false}` turns its code card off


@dataclass(frozen=True)
class CardKinds:
    """Which cards a sequence gets: the teacher's choice in course.yaml, a topic or the sequence itself."""

    context: int = 2  # earlier steps shown on a next-step card
    whole: bool = True  # one whole-sequence card
    reverse: bool = True  # previous-step cards
    code: bool = True  # code cards for steps with a line of the snippet
    letters: bool = True  # a card per mnemonic letter (the phrase card is always made)
    forward: bool = True  # analogy cards from a step to what it is like
    backward: bool = True  # analogy cards from what it is like to the step
    terms: bool = True  # term cards from a term to what it means
    meanings: bool = True  # term cards from a meaning to its term


@dataclass(frozen=True)
class Sequence:
    id: str
    title: str
    steps: tuple[Step, ...]
    summary: str | None = None
    shape: str = "chain"
    cards: CardKinds = CardKinds()
    image: Picture | None = None
    # `sheet: {diagrams: false}`: its sheet draws no diagram of it. Out of the repr, as `Topic.lang` is, so that
    # manifests of format 1 (which hashed the repr) still read.
    diagram: bool = field(default=True, repr=False)
    at: tuple[int, int] = field(default=(1, 1), repr=False, compare=False)  # line and column, for the sheet's warnings

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)

    def repeats_name(self, step: Step) -> bool:
        """Whether another step has the same name, so that cards must tell the two apart by number."""
        return sum(1 for s in self.steps if s.name == step.name) > 1


@dataclass(frozen=True)
class Cue:
    letter: str
    step: str
    hook: str | None = None


@dataclass(frozen=True)
class Mnemonic:
    id: str
    phrase: str
    sequence: str
    cues: tuple[Cue, ...]
    note: str | None = None

    def letter_positions(self) -> tuple[int, ...]:
        """Where each cue's letter sits in the phrase, in cue order; -1 from the first cue not found.

        Cues are matched left to right. A cue's letter goes to the next word that
        starts with it (as typed, then ignoring case); only when no later word
        does ("lolo") to the next matching letter inside a word. The one place
        this is decided: the validator, the cards and the sheet all ask here.
        """
        starts = [m.start() for m in _WORD.finditer(self.phrase)]
        positions: list[int] = []
        at = 0
        for cue in self.cues:
            found = _next_cue(self.phrase, starts, cue.letter, at) if at >= 0 else -1
            positions.append(found)
            at = found + len(cue.letter) if found >= 0 else -1
        return tuple(positions)


def _next_cue(phrase: str, starts: list[int], letter: str, at: int) -> int:
    later = [s for s in starts if s >= at]
    for word in later:
        if phrase.startswith(letter, word):
            return word
    for word in later:
        if phrase[word:].lower().startswith(letter.lower()):
            return word
    return phrase.lower().find(letter.lower(), at)


def starts_with(name: str, letter: str) -> bool:
    """Whether a name as a reader sees it begins with a cue letter, whatever the case."""
    from ..text.marks import plain

    return plain(name).lstrip().casefold().startswith(letter.casefold())


def cue_label(letter: str, words: Words) -> str:
    """A cue letter that is not its step's initial, as cards and the sheet show it: named as a cue."""
    # Translators: a mnemonic's letter shown beside a step whose name does not begin with it.
    return words.gettext("cue: %(letter)s", letter=letter)


@dataclass(frozen=True)
class Pair:
    step: str
    like: str
    detail: str | None = None
    image: Picture | None = None


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    means: str
    image: Picture | None = None


@dataclass(frozen=True)
class Analogy:
    id: str
    title: str
    sequence: str
    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class Snippet:
    id: str
    language: str
    code: str
    title: str | None = None
    sequence: str | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.code.rstrip("\n").split("\n"))

    def line_of(self, code: str) -> int | None:
        """The index of the first line that is `code` (surrounding spaces ignored): a step's line."""
        wanted = code.strip()
        return next((i for i, line in enumerate(self.lines) if line.strip() == wanted), None)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    version: str
    deck: str
    sequences: tuple[Sequence, ...]
    source: str
    summary: str | None = None
    tags: tuple[str, ...] = ()
    license: str | None = None
    authors: tuple[str, ...] = ()
    mnemonics: tuple[Mnemonic, ...] = ()
    analogies: tuple[Analogy, ...] = ()
    snippets: tuple[Snippet, ...] = ()
    version_at: tuple[int, int] = (1, 1)
    terms: tuple[Term, ...] = ()
    image: Picture | None = None
    cards: CardKinds = CardKinds()
    # Of the builder's own words: the topic's, else the course's. Out of the repr, as the hashes of release
    # manifests of format 1 (the repr of a topic) had it.
    lang: str = field(default="en", repr=False)

    def identity(self) -> str:
        """The topic as the build cache sees it: its fingerprint, where it lies and its version included."""
        return fingerprint(self)

    def deck_in(self, course: str | None) -> str:
        """The Anki deck of the topic's cards: under the course's when there is one, so that a topic deck and
        the course deck put the same cards in the same place, whichever a student imports first."""
        return f"{course}::{self.deck}" if course else self.deck

    def sequence(self, sequence_id: str) -> Sequence:
        return next(s for s in self.sequences if s.id == sequence_id)

    def mnemonics_for(self, sequence_id: str) -> tuple[Mnemonic, ...]:
        return tuple(m for m in self.mnemonics if m.sequence == sequence_id)

    def cue_letters(self, sequence_id: str) -> dict[str, str]:
        """Step id to the letter of the first mnemonic that covers it: the hint on cards, the badge on sheets."""
        letters: dict[str, str] = {}
        for mnemonic in self.mnemonics_for(sequence_id):
            for cue in mnemonic.cues:
                letters.setdefault(cue.step, cue.letter)
        return letters

    def initials(self, sequence_id: str) -> dict[str, str]:
        """The cue letters that are the start of their step's name: only these may be shown as the name's
        beginning (`F…`); any other cue letter is shown as a cue, never as if the name began with it."""
        steps = {s.id: s for s in self.sequence(sequence_id).steps}
        return {
            step: letter
            for step, letter in self.cue_letters(sequence_id).items()
            if starts_with(steps[step].name, letter)
        }

    def cue_badges(self, sequence_id: str, words: Words) -> dict[str, str]:
        """Step id to its cue as a list of steps shows it beside the name: the letter when the name begins
        with it, else the letter named as a cue."""
        initials = self.initials(sequence_id)
        return {
            step: letter if step in initials else cue_label(letter, words)
            for step, letter in self.cue_letters(sequence_id).items()
        }

    def snippet_for(self, sequence_id: str) -> Snippet | None:
        return next((s for s in self.snippets if s.sequence == sequence_id), None)

    def texts(self) -> Iterator[tuple[str, bool]]:
        """Every text a reader sees on the sheet, with whether it is code (set in the mono font)."""
        yield self.title, False
        if self.summary:
            yield self.summary, False
        for seq in self.sequences:
            yield from ((t, False) for t in (seq.title, seq.summary) if t)
            for step in seq.steps:
                yield from ((t, False) for t in (step.name, step.does, *step.substeps) if t)
                if step.code:
                    yield step.code, True
        for mnemonic in self.mnemonics:
            yield from ((t, False) for t in (mnemonic.phrase, mnemonic.note) if t)
            yield from ((c.hook, False) for c in mnemonic.cues if c.hook)
        for analogy in self.analogies:
            yield analogy.title, False
            for pair in analogy.pairs:
                yield from ((t, False) for t in (pair.like, pair.detail) if t)
        for snippet in self.snippets:
            if snippet.title:
                yield snippet.title, False
            yield snippet.code, True
        for term in self.terms:
            yield term.term, False
            yield term.means, False

    def has_maths(self) -> bool:
        """Whether any text holds TeX maths: its sheet then credits the maths font."""
        from ..text.marks import MATHS, spans

        return any(style in MATHS for text, code in self.texts() if not code for style, _ in spans(text))

    def pictures(self) -> Iterator[Picture]:
        """Every picture the topic shows, in document order, each once."""
        seen: set[str] = set()
        found = [self.image]
        for seq in self.sequences:
            found += [seq.image, *(step.image for step in seq.steps)]
        found += [pair.image for analogy in self.analogies for pair in analogy.pairs]
        found += [term.image for term in self.terms]
        for picture in found:
            if picture is not None and picture.digest not in seen:
                seen.add(picture.digest)
                yield picture


@dataclass(frozen=True)
class Course:
    """The course file's settings: defaults for every topic of the course and for every command."""

    name: str
    source: str | None = None
    license: str | None = None
    authors: tuple[str, ...] = ()
    paper: str | None = None
    lang: str | None = None
    new_per_day: int = 20
    cards: dict[str, int | bool] = field(default_factory=dict)
