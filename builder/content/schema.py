"""Content format v1, declared once: the validator walks it and the JSON Schema is generated from it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TAG = r"^[a-z0-9]+(-[a-z0-9]+)*(::[a-z0-9]+(-[a-z0-9]+)*)*$"
SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"

SCHEMA_ID = "https://flozp-builder.invalid/content-v1.schema.json"
COURSE_SCHEMA_ID = "https://flozp-builder.invalid/course-v1.schema.json"
LANG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


@dataclass(frozen=True)
class Text:
    """A non-empty string; `what` names it in messages when a pattern rejects it; `maths` lets it hold TeX."""

    max_len: int = 500
    multiline: bool = False
    pattern: str | None = None
    what: str = "text"
    maths: bool = False


@dataclass(frozen=True)
class Integer:
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Choice:
    values: tuple[object, ...]


@dataclass(frozen=True)
class ListOf:
    item: Kind
    min_items: int = 0
    max_items: int = 100


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Record:
    """A mapping with known keys; `shorthand` names the field a plain string stands for."""

    name: str
    fields: tuple[Field, ...]
    shorthand: str | None = None
    description: str = ""
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(f.name for f in self.fields))


Kind = Text | Integer | Boolean | Choice | ListOf | Record

MAX_STEPS = 20
MAX_SEQUENCES = 20
MAX_SNIPPET_LINES = 80

NAME = Text(max_len=80)
TITLE = Text(max_len=120)
PROSE = Text(max_len=500, multiline=True, maths=True)
NOTE = Text(max_len=200, maths=True)
MAX_TERMS = 60
ID = Text(max_len=64, pattern=SLUG, what="a slug (lowercase letters, digits and single hyphens, e.g. forward-pass)")
REF = ID
LANG_TEXT = Text(max_len=35, pattern=LANG, what="a language tag such as en, de or pt-BR")

IMAGE = Record(
    "image",
    (
        Field("src", Text(max_len=300), required=True, description="PNG, JPEG or SVG file, relative to this file."),
        Field("alt", Text(max_len=200), required=True, description="What the picture shows, for who cannot see it."),
    ),
    description="A picture: at most 2 MiB, inside the course's folder.",
)

STEP_CARDS = Record(
    "cards",
    (Field("code", Boolean(), description="This step's code card (default: its sequence's choice)."),),
    description="Which cards this one step gets: `code: false` for a line no one can recall (a data literal).",
)

STEP = Record(
    "step",
    (
        Field("id", ID, description="Slug; default: the slug of name. Part of every card's identity."),
        Field("name", NAME, required=True, description="Short name of the step."),
        Field("does", PROSE, description="What the step does, in one or two sentences."),
        Field("code", Text(max_len=200), description="One line of code; matched against the sequence's snippet."),
        Field("substeps", ListOf(NAME, 1, 10), description="Smaller steps shown under this one."),
        Field("image", IMAGE),
        Field("cards", STEP_CARDS),
    ),
    shorthand="name",
    description="A step, or a plain string that is the step's name.",
)

CARDS = Record(
    "cards",
    (
        Field("context", Integer(0, MAX_STEPS - 1), description="Earlier steps shown on a next-step card (default 2)."),
        Field("whole", Boolean(), description="One 'recall the whole sequence' card (default true)."),
        Field("reverse", Boolean(), description="'What comes right before X?' cards (default true)."),
        Field("code", Boolean(), description="A code card for each step whose line is in the snippet (default true)."),
        Field("letters", Boolean(), description="A card for each mnemonic letter (default true)."),
        Field("forward", Boolean(), description="Analogy cards: a step, then what it is like (default true)."),
        Field("backward", Boolean(), description="Analogy cards: what it is like, then the step (default true)."),
        Field("terms", Boolean(), description="Term cards: a term, then what it means (default true)."),
        Field("meanings", Boolean(), description="Term cards: a meaning, then its term (default true)."),
    ),
    description="Which cards to make; a sequence's choice wins over its topic's, the topic's over course.yaml's.",
)

SHEET = Record(
    "sheet",
    (Field("diagrams", Boolean(), description="Draw the sequences' diagrams on the sheet (default true)."),),
    description="How the one-page sheet shows it; a sequence's choice wins over its topic's.",
)

SEQUENCE = Record(
    "sequence",
    (
        Field("id", ID, required=True, description="Slug, unique within the file."),
        Field("title", TITLE, required=True),
        Field("summary", PROSE),
        Field("shape", Choice(("chain", "loop")), description="How diagrams draw it: chain (default) or loop."),
        Field("steps", ListOf(STEP, 2, MAX_STEPS), required=True, description="2 to 20 steps, in order."),
        Field("cards", CARDS),
        Field("sheet", SHEET),
        Field("image", IMAGE),
    ),
)

CUE = Record(
    "cue",
    (
        Field("letter", Text(max_len=10), required=True, description="A letter or syllable of the phrase."),
        Field("step", REF, required=True, description="Id of a step of the sequence."),
        Field("hook", NOTE, description="Why this letter, when it is not the step's initial."),
    ),
)

MNEMONIC = Record(
    "mnemonic",
    (
        Field("id", ID, required=True),
        Field("phrase", Text(max_len=60), required=True, description="The word or phrase to remember."),
        Field("for", REF, required=True, description="Id of a sequence in this file."),
        Field(
            "cues", ListOf(CUE, 1, MAX_STEPS), required=True, description="One per letter or syllable, in phrase order."
        ),
        Field("note", PROSE),
    ),
)

PAIR = Record(
    "pair",
    (
        Field("step", REF, required=True),
        Field("like", Text(max_len=200), required=True),
        Field("detail", NOTE),
        Field("image", IMAGE),
    ),
)

ANALOGY = Record(
    "analogy",
    (
        Field("id", ID, required=True),
        Field("title", TITLE, required=True),
        Field("for", REF, required=True, description="Id of a sequence in this file."),
        Field("pairs", ListOf(PAIR, 1, MAX_STEPS), required=True, description="One per step of that sequence."),
    ),
)

SNIPPET = Record(
    "snippet",
    (
        Field("id", ID, required=True),
        Field("title", TITLE),
        Field("language", Text(max_len=40), required=True, description="A Pygments lexer name, e.g. python."),
        Field("for", REF, description="Id of a sequence whose steps' code lines appear here."),
        Field("code", Text(max_len=4000, multiline=True), required=True),
    ),
)

TERM = Record(
    "term",
    (
        Field("id", ID, description="Slug; default: the slug of term. Part of its cards' identity."),
        Field("term", NAME, required=True, description="The word or phrase."),
        Field("means", Text(max_len=300, multiline=True, maths=True), required=True, description="What it means."),
        Field("image", IMAGE),
    ),
)

TOPIC = Record(
    "topic",
    (
        Field("format", Choice((1,)), required=True, description="Content format version; the only one is 1."),
        Field("id", ID, required=True, description="Slug; part of every card's identity."),
        Field("title", TITLE, required=True),
        Field(
            "version",
            Text(max_len=40, pattern=SEMVER, what="a semantic version MAJOR.MINOR.PATCH (e.g. 1.0.0)"),
            required=True,
            description="Semantic version of this content.",
        ),
        Field("deck", Text(max_len=200), description="Anki deck; default: title. '::' separates sub-decks."),
        Field("summary", PROSE),
        Field("tags", ListOf(Text(max_len=60, pattern=TAG, what="a tag slug ('::' allowed for hierarchy)"), 0, 20)),
        Field("license", Text(max_len=60), description="Printed in the sheet's footer."),
        Field("authors", ListOf(Text(max_len=80), 0, 20)),
        Field("lang", LANG_TEXT, description="Language of the builder's own words (BCP 47); wins over course.yaml."),
        Field("cards", CARDS),
        Field("sheet", SHEET),
        Field("sequences", ListOf(SEQUENCE, 1, MAX_SEQUENCES), required=True),
        Field("mnemonics", ListOf(MNEMONIC, 0, 20)),
        Field("analogies", ListOf(ANALOGY, 0, 20)),
        Field("snippets", ListOf(SNIPPET, 0, 10)),
        Field("terms", ListOf(TERM, 0, MAX_TERMS), description="Words of the topic and what they mean."),
        Field("image", IMAGE),
    ),
)


COURSE = Record(
    "course",
    (
        Field("format", Choice((1,)), required=True, description="Course file format version; the only one is 1."),
        Field("name", TITLE, required=True, description="The course's name: release file names and the course deck."),
        Field("license", Text(max_len=60), description="Licence of topics that name none of their own."),
        Field("authors", ListOf(Text(max_len=80), 0, 20), description="Authors of topics that name none."),
        Field("paper", Choice(("a4", "letter")), description="Sheet paper size (default a4); --paper overrides."),
        Field("lang", LANG_TEXT, description="Language of the words the builder writes itself (BCP 47 tag)."),
        Field("new_per_day", Integer(1, 9999), description="New cards a day the course is planned for (default 20)."),
        Field("cards", CARDS),
    ),
)


def maths_fields(kind: Record = TOPIC) -> frozenset[str]:
    """Names of the fields that may hold TeX maths (one answer per name across the format)."""
    found: set[str] = set()
    for f in kind.fields:
        inner = f.kind.item if isinstance(f.kind, ListOf) else f.kind
        if isinstance(inner, Record):
            found |= maths_fields(inner)
        elif isinstance(inner, Text) and inner.maths:
            found.add(f.name)
    return frozenset(found)


def json_schema(kind: Record = TOPIC) -> dict[str, object]:
    """The JSON Schema (draft 2020-12) editors use to autocomplete and check content or course files."""
    course = kind is COURSE
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": COURSE_SCHEMA_ID if course else SCHEMA_ID,
        "title": "Course settings (course.yaml, format 1)" if course else "Study topic (content format 1)",
        **_kind_schema(kind),
    }


def json_schema_text(kind: Record = TOPIC) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _kind_schema(kind: Kind) -> dict[str, object]:
    if isinstance(kind, Text):
        out: dict[str, object] = {"type": "string", "minLength": 1, "maxLength": kind.max_len}
        if kind.pattern:
            out["pattern"] = kind.pattern
        elif not kind.multiline:
            out["pattern"] = r"^[^\n]*$"
        return out
    if isinstance(kind, Integer):
        return {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum}
    if isinstance(kind, Boolean):
        return {"type": "boolean"}
    if isinstance(kind, Choice):
        return {"enum": list(kind.values)}
    if isinstance(kind, ListOf):
        return {
            "type": "array",
            "minItems": kind.min_items,
            "maxItems": kind.max_items,
            "items": _kind_schema(kind.item),
        }
    props = {}
    for f in kind.fields:
        sub = _kind_schema(f.kind)
        if f.description:
            sub = {"description": f.description, **sub}
        props[f.name] = sub
    obj: dict[str, object] = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in kind.fields if f.required],
        "properties": props,
    }
    if kind.shorthand:
        short = _kind_schema(next(f.kind for f in kind.fields if f.name == kind.shorthand))
        return {"description": kind.description, "anyOf": [short, obj]}
    return obj
