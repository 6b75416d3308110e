"""Where words may break: after their own hyphens, else where a hyphenation dictionary allows.

Both the sheet's paragraphs (as soft hyphens) and the diagram boxes break words
here, so no word is ever cut without a hyphen.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

LANG = "en_US"
MIN_WORD = 6  # shorter words are never broken
SOFT_HYPHEN = "\u00ad"
_WORD = re.compile(r"\w[\w-]{" + str(MIN_WORD - 1) + ",}")


@lru_cache(maxsize=4)
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang)


def word_breaks(word: str, lang: str = LANG) -> list[tuple[str, str]]:
    """Where a word may break, longest first part first: after its own hyphens, else where the dictionary
    allows (the first part then ends with a hyphen)."""
    breaks: list[tuple[str, str]] = []
    start = 0
    for part in word.split("-"):
        end = start + len(part)
        for at in _dictionary(lang).positions(part):
            breaks.append((word[: start + at] + "-", word[start + at :]))
        if end < len(word):
            breaks.append((word[: end + 1], word[end + 1 :]))
        start = end + 1
    return sorted(breaks, key=lambda b: len(b[0]), reverse=True)


def soft_hyphens(text: str, lang: str = LANG) -> str:
    """The text with soft hyphens where its long words may break (ReportLab draws one only at a line end)."""

    def mark(match: re.Match[str]) -> str:
        parts = match.group(0).split("-")
        return "-".join(_dictionary(lang).inserted(p, hyphen=SOFT_HYPHEN) if len(p) >= MIN_WORD else p for p in parts)

    return _WORD.sub(mark, text)
