"""Checks on the text itself, beyond structure: every character drawable in order, nothing garbled in transit."""

from __future__ import annotations

import re
import unicodedata

from ..errors import Problem
from ..glyphs.cjk import CJKFont, missing_font_hint
from ..glyphs.emoji import EmojiSet
from ..glyphs.fonts import Coverage
from ..text.i18n import translated_characters
from ..text.marks import MATHS, maths_source, spans, unclosed_maths
from ..text.scripts import is_cjk
from .load import Document, MapNode, Scalar, locate, strings
from .schema import maths_fields

_INVISIBLE = {0x200D, 0xFE0F, ord("\n"), ord("\t")}
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_MOJIBAKE_CODECS = ("cp1252", "mac_roman", "latin-1")
_RIGHT_TO_LEFT = {"R", "AL", "RLE", "RLO", "RLI"}


def char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def check_text(doc: Document, fonts: Coverage, emoji: EmojiSet, cjk: CJKFont | None) -> list[Problem]:
    """Characters nothing can draw or order (errors) and garbled-looking text (warnings), where they are typed.

    `cjk` is the CJK font when one is installed: without it, CJK text is an error that names the extra.
    """
    return _undrawable(doc, fonts, emoji, cjk) + _right_to_left(doc) + _garbled(doc) + _maths(doc)


def _undrawable(doc: Document, fonts: Coverage, emoji: EmojiSet, cjk: CJKFont | None) -> list[Problem]:
    """One problem per field with characters nothing can draw, at the first one (control characters are the
    validator's)."""
    if _literal(doc) and not any(_undrawn(ch, fonts.text) or _undrawn(ch, fonts.code) for ch in set(doc.text)):
        return []  # every character of the file can be drawn, so every text in it can
    problems: list[Problem] = []
    for path, node in strings(doc.root):
        assert isinstance(node.value, str)
        is_code = path.rsplit(".", 1)[-1] == "code"
        missing: dict[str, str] = {}
        for style, run in (("code", node.value),) if is_code else spans(node.value):
            if style in MATHS:
                continue  # drawn as paths by the maths renderer, which judges it
            cover = fonts.code if style == "code" else fonts.text
            if cover.issuperset(map(ord, run)):
                continue
            for piece, artwork in emoji.segments(run, cover.__contains__):
                if artwork is None:
                    missing.update((ch, style) for ch in piece if _undrawn(ch, cover) and ch not in missing)
        if cjk is not None and any(is_cjk(ch) for ch in missing):
            missing = {ch: style for ch, style in missing.items() if not (is_cjk(ch) and ord(ch) in cjk.chars)}
        if missing:
            first = next(iter(missing))
            line, col = locate(doc, node.start, node.end, first)
            problems.append(Problem(doc.path, line, col, path, _cannot_draw(list(missing), missing[first], cjk)))
    return problems


def _undrawn(ch: str, cover: frozenset[int]) -> bool:
    """Whether a character is missing from `cover`; right-to-left ones are refused as such (`_right_to_left`)."""
    return (
        ord(ch) not in cover
        and ord(ch) not in _INVISIBLE
        and unicodedata.category(ch) != "Cc"
        and not _is_right_to_left(ch)
    )


def _cannot_draw(chars: list[str], style: str, cjk: CJKFont | None) -> str:
    """One line per field: the character itself when it is one, else how many and in which scripts.

    CJK text without a CJK font says which extra brings one.
    """
    font = "DejaVu Sans Mono" if style == "code" else "DejaVu Sans"
    if cjk is None and any(is_cjk(ch) for ch in chars):
        what = f"character {char_name(chars[0])} cannot be drawn" if len(chars) == 1 else _counted(chars)
        if all(is_cjk(ch) for ch in chars):
            return f"{what}: {missing_font_hint()}"
        return f"{what}: {font} has no glyphs for them; for the CJK ones, {missing_font_hint()}"
    if cjk is not None and any(is_cjk(ch) for ch in chars):
        font += f" and {cjk.path.name}"
    if len(chars) == 1:
        return f"character {char_name(chars[0])} cannot be drawn ({font} has no glyph for it)"
    return f"{_counted(chars)}: {font} has no glyphs for them; see 'Text' in docs/content-format.md"


def _counted(chars: list[str]) -> str:
    """`4 characters in CJK script cannot be drawn (训练循环)` without its verb: how many, which scripts, which."""
    scripts = ", ".join(dict.fromkeys(unicodedata.name(c, "UNKNOWN").split(" ")[0] for c in chars))
    shown = "".join(chars[:12]) + ("…" if len(chars) > 12 else "")
    return f"{len(chars)} characters in {scripts} script cannot be drawn ({shown})"


def _right_to_left(doc: Document) -> list[Problem]:
    """Arabic or Hebrew text, at its first character in the file: the sheet would print it in the wrong order.

    ReportLab would draw such text letter by letter from left to right, unshaped, so
    it is refused rather than printed wrong.
    """
    if _literal(doc) and not any(_is_right_to_left(ch) for ch in set(doc.text)):
        return []
    for path, node in strings(doc.root):
        assert isinstance(node.value, str)
        first = next((ch for ch in node.value if _is_right_to_left(ch)), None)
        if first is not None:
            line, col = locate(doc, node.start, node.end, first)
            message = f"right-to-left scripts (Arabic, Hebrew) are not supported on the sheet yet ({char_name(first)})"
            return [Problem(doc.path, line, col, path, message)]
    return []


def _is_right_to_left(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT


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


def _maths(doc: Document) -> list[Problem]:
    """TeX maths where it may go and typesettable; one problem per field, at the expression."""
    if "\\(" not in doc.text and "\\[" not in doc.text:
        return []
    from ..glyphs.maths import problem

    allowed = maths_fields()
    places = ", ".join(sorted(allowed))
    problems: list[Problem] = []
    for path, node in strings(doc.root):
        assert isinstance(node.value, str)
        field = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if field == "code":
            continue
        found: tuple[str, str] | None = None
        for style, run in spans(node.value):
            if style in MATHS:
                source = maths_source(style, run)
                if field not in allowed:
                    found = source, f"maths is not allowed in '{field}' (plain text); it may go in {places}"
                else:
                    reason = problem(run, style == "display")
                    if reason:
                        found = source, f"maths {source} cannot be typeset: {reason}"
            if found:
                break
        opener = unclosed_maths(node.value) if field in allowed and not found else None
        if opener:
            closer = "\\)" if opener == "\\(" else "\\]"
            found = opener, f"'{opener}' opens maths that no '{closer}' closes (write '\\\\{opener[1]}' for the text)"
        if found:
            line, col = locate(doc, node.start, node.end, found[0])
            problems.append(Problem(doc.path, line, col, path, found[1]))
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


def check_words(doc: Document, fonts: Coverage, cjk: CJKFont | None) -> list[Problem]:
    """A `lang` whose translated words the sheet's fonts cannot draw (its labels would print as empty boxes)."""
    node = doc.root.get("lang") if isinstance(doc.root, MapNode) else None
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        return []
    missing = sorted(
        ch
        for ch in translated_characters(node.value)
        if _undrawn(ch, fonts.text) and not (cjk is not None and is_cjk(ch) and ord(ch) in cjk.chars)
    )
    if not missing:
        return []
    shown = "".join(missing[:12]) + ("…" if len(missing) > 12 else "")
    message = (
        f"the builder's words in '{node.value}' cannot be drawn on the sheet: DejaVu Sans has no glyphs for "
        f"{len(missing)} of their characters ({shown})"
    )
    if cjk is None and any(is_cjk(ch) for ch in missing):
        message += f"; {missing_font_hint()}"
    return [Problem(doc.path, node.start.line, node.start.col, "lang", message)]
