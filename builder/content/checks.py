"""Checks on the text itself, beyond structure: every character drawable, nothing garbled in transit."""

from __future__ import annotations

import re
import unicodedata

from ..emoji import EmojiSet
from ..errors import Problem
from ..fonts import Coverage
from ..i18n import translated_characters
from ..text import spans
from .load import Document, MapNode, Scalar, locate, strings

_INVISIBLE = {0x200D, 0xFE0F, ord("\n"), ord("\t")}
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_MOJIBAKE_CODECS = ("cp1252", "mac_roman", "latin-1")


def char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def check_text(doc: Document, fonts: Coverage, emoji: EmojiSet) -> list[Problem]:
    """Characters nothing can draw (errors) and garbled-looking text (warnings), where they are typed."""
    return _undrawable(doc, fonts, emoji) + _garbled(doc)


def _undrawable(doc: Document, fonts: Coverage, emoji: EmojiSet) -> list[Problem]:
    """One problem per character nothing can draw, at the place it is typed (control characters are the validator's)."""
    if _literal(doc) and not any(_undrawn(ch, fonts.text) or _undrawn(ch, fonts.code) for ch in set(doc.text)):
        return []  # every character of the file can be drawn, so every text in it can
    problems: list[Problem] = []
    for path, node in strings(doc.root):
        assert isinstance(node.value, str)
        is_code = path.rsplit(".", 1)[-1] == "code"
        missing: dict[str, str] = {}
        for style, run in (("code", node.value),) if is_code else spans(node.value):
            cover = fonts.code if style == "code" else fonts.text
            if cover.issuperset(map(ord, run)):
                continue
            for piece, artwork in emoji.segments(run, cover.__contains__):
                if artwork is None:
                    missing.update((ch, style) for ch in piece if _undrawn(ch, cover) and ch not in missing)
        if missing:
            first = next(iter(missing))
            line, col = locate(doc, node.start, node.end, first)
            problems.append(Problem(doc.path, line, col, path, _cannot_draw(list(missing), missing[first])))
    return problems


def _undrawn(ch: str, cover: frozenset[int]) -> bool:
    return ord(ch) not in cover and ord(ch) not in _INVISIBLE and unicodedata.category(ch) != "Cc"


def _cannot_draw(chars: list[str], style: str) -> str:
    """One line per field: the character itself when it is one, else how many and in which scripts."""
    font = "DejaVu Sans Mono" if style == "code" else "DejaVu Sans"
    if len(chars) == 1:
        return f"character {char_name(chars[0])} cannot be drawn ({font} has no glyph for it)"
    scripts = ", ".join(dict.fromkeys(unicodedata.name(c, "UNKNOWN").split(" ")[0] for c in chars))
    shown = "".join(chars[:12]) + ("…" if len(chars) > 12 else "")
    return (
        f"{len(chars)} characters in {scripts} script cannot be drawn ({shown}): {font} has no glyphs for "
        "them; see 'Text' in docs/content-format.md"
    )


def _literal(doc: Document) -> bool:
    """Whether every character of the file's texts is in the file as typed: no escape (`"\\u2603"`) makes one."""
    return "\\" not in doc.text


def _garbled(doc: Document) -> list[Problem]:
    if _literal(doc) and not _MOJIBAKE_RUN.search(doc.text):
        return []
    problems: list[Problem] = []
    for path, node in strings(doc.root):
        assert isinstance(node.value, str)
        for match in _MOJIBAKE_RUN.finditer(node.value):
            fixed = repair_mojibake(match.group())
            if fixed is not None:
                line, col = locate(doc, node.start, node.end, match.group())
                problems.append(
                    Problem(
                        doc.path, line, col, path, f"text looks garbled: {match.group()!r} is probably {fixed!r}", True
                    )
                )
    return problems


def repair_mojibake(text: str) -> str | None:
    """UTF-8 bytes that were read as a legacy code page: re-encode and decode to see.

    Mac Roman shows byte 0xF0 (the first byte of most emoji) as a private-use
    Apple logo that transfers often drop, so a lost 0xF0 before 0x9F is restored.
    """
    for codec in _MOJIBAKE_CODECS:
        try:
            raw = text.encode(codec)
        except UnicodeError:
            continue
        for candidate in (raw, re.sub(rb"(?<!\xf0)\x9f", b"\xf0\x9f", raw)):
            try:
                fixed = candidate.decode("utf-8")
            except UnicodeError:
                continue
            if fixed != text and len(fixed) < len(text):
                return fixed
    return None


def check_words(doc: Document, fonts: Coverage) -> list[Problem]:
    """A `lang` whose translated words the sheet's font cannot draw (its labels would print as empty boxes)."""
    node = doc.root.get("lang") if isinstance(doc.root, MapNode) else None
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        return []
    missing = sorted(ch for ch in translated_characters(node.value) if _undrawn(ch, fonts.text))
    if not missing:
        return []
    shown = "".join(missing[:12]) + ("…" if len(missing) > 12 else "")
    message = (
        f"the builder's words in '{node.value}' cannot be drawn on the sheet: DejaVu Sans has no glyphs for "
        f"{len(missing)} of their characters ({shown})"
    )
    return [Problem(doc.path, node.start.line, node.start.col, "lang", message)]
