"""Where words may break: after their own hyphens, else where a hyphenation dictionary allows.

Both the sheet's paragraphs (as soft hyphens) and the diagram boxes break words
here, so no word is ever cut without a hyphen.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pyphen

from ..cache import store
from .scripts import has_cjk, may_break_between

LANG = "en_US"
FORMAT = 1  # of kept patterns
MIN_WORD = 6  # shorter words are never broken
SOFT_HYPHEN = "\u00ad"
_LONG_LETTERS = re.compile(r"[^\W\d_]{" + str(MIN_WORD) + ",}")


@lru_cache(maxsize=4)
def _dictionary(lang: str) -> pyphen.Pyphen:
    """At least three letters on each side of a break: 'mod-el' or 'Ox-aloacetate' read badly."""
    _load_patterns(lang)
    return pyphen.Pyphen(lang=lang, left=3, right=3)


def _load_patterns(lang: str) -> None:
    """Give pyphen the language's patterns from the user's cache when they were read from this same file.

    Pyphen parses its 11,000 English patterns in every process (40 ms, more than the
    rest of a sheet's hyphenation); the parsed table reads back from JSON in a fifth
    of that. This is the one use of pyphen's internals (`hdcache`, `HyphDict`'s
    `patterns`, `cache` and `maxlen`, unchanged since pyphen 0.9); anything
    unexpected leaves pyphen to read the file itself.
    """
    path = pyphen.LANGUAGES.get(pyphen.language_fallback(lang) or "")
    if not isinstance(path, Path) or path in pyphen.hdcache:
        return
    try:
        info = path.stat()
        stamp = [FORMAT, pyphen.__version__, info.st_size, info.st_mtime_ns]
        pyphen.hdcache[path] = store.remembered(
            "hyphenation", str(path), stamp, lambda: pyphen.HyphDict(path), encode=_table, decode=_parsed
        )
    except (OSError, AttributeError, KeyError, TypeError, ValueError):
        pyphen.hdcache.pop(path, None)


def _table(parsed: pyphen.HyphDict) -> object:
    """The parsed patterns as JSON; a dictionary with special breaks (nonstandard hyphenation) is not kept."""
    if not all(type(v) is int for _, values in parsed.patterns.values() for v in values):
        raise store.Unkept("special breaks")
    return {tags: [start, list(values)] for tags, (start, values) in parsed.patterns.items()}


def _parsed(table: object) -> pyphen.HyphDict:
    patterns = _patterns(table)
    if not patterns:
        raise ValueError("not a pattern table")
    hyph = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hyph.patterns, hyph.cache, hyph.maxlen = patterns, {}, max(len(tags) for tags in patterns)
    return hyph


def _patterns(table: object) -> dict[str, tuple[int, tuple[int, ...]]] | None:
    """The cached table as pyphen holds it; None unless every entry is a start and a list of numbers.

    Checked in bulk (one pass over every number, types compared as a set): entry by entry, the check took as long
    as reading the JSON.
    """
    try:
        patterns = {tags: (start, tuple(values)) for tags, (start, values) in table.items()}  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return None
    starts = {type(start) for start, _ in patterns.values()}
    numbers = {type(v) for _, values in patterns.values() for v in values}
    return patterns if starts <= {int} and numbers <= {int} else None


def dictionary_for(tag: str | None) -> str:
    """The hyphenation dictionary for a content `lang` (`de-AT` → de_AT's or de's); English's when there is none
    (Japanese and Chinese text breaks between characters, so only its Latin words use one)."""
    if not tag or tag.split("-")[0].lower() == "en":
        return LANG
    return pyphen.language_fallback(tag.replace("-", "_")) or LANG


def word_breaks(word: str, lang: str = LANG) -> list[tuple[str, str]]:
    """Where a word may break, longest first part first: after its own hyphens, next to its CJK characters
    (where the line-breaking rules allow), else where the dictionary allows (the first part then ends with a
    hyphen)."""
    breaks: list[tuple[str, str]] = []
    if has_cjk(word):
        breaks = [(word[:k], word[k:]) for k in range(1, len(word)) if may_break_between(word[k - 1], word[k])]
    if not word_is_prose(word):
        # A formula or a number (H₂SO₄, 3.14) breaks only where it has a hyphen (or next to CJK characters).
        own = _own_hyphens(word)
        return sorted(breaks + own, key=lambda b: len(b[0]), reverse=True) if breaks else own
    for run in _LONG_LETTERS.finditer(word):
        for at in _dictionary(lang).positions(run.group(0)):
            breaks.append((word[: run.start() + at] + "-", word[run.start() + at :]))
    return sorted(breaks + _own_hyphens(word), key=lambda b: len(b[0]), reverse=True)


def _own_hyphens(word: str) -> list[tuple[str, str]]:
    return [(word[: h.end()], word[h.end() :]) for h in re.finditer("-", word) if 0 < h.end() < len(word)]


@lru_cache(maxsize=8192)
def soft_hyphens(text: str, lang: str = LANG) -> str:
    """The text with soft hyphens where its long words may break (ReportLab draws one only at a line end).

    Kept per text: a sheet is laid out at several type sizes, and the same words would be hyphenated at each.
    """

    def mark(run: re.Match[str]) -> str:
        return str(_dictionary(lang).inserted(run.group(0), hyphen=SOFT_HYPHEN))

    return " ".join(_LONG_LETTERS.sub(mark, word) if word_is_prose(word) else word for word in text.split(" "))


def word_is_prose(word: str) -> bool:
    """Words to hyphenate: not formulas or numbers (H₂SO₄, 3.14), which break only at their own hyphens."""
    return not any(unicodedata.category(c).startswith("N") for c in word)
