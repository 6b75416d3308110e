"""Inline marks of content text: `**bold**`, `*italic*` and `` `code` ``, and the backslash that escapes them.

`\\*`, `` \\` `` and `\\\\` stand for a literal `*`, `` ` `` and `\\` (outside code, where text is
literal). A `*` right after a letter or digit (`a*b*c`, `2*3*4`) does not open a mark; one can close it
(`**S**elling`). `\\(…\\)` is inline TeX maths and `\\[…\\]` display maths, Anki's own delimiters:
their source is kept as typed (styles "math" and "display"); which fields may hold them is the schema's rule.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

_MARK = re.compile(
    r"`([^`\n]+)`"
    r"|(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*"
    r"|(?<![\w*])\*(?=[^*\s])([^*\n]*?[^*\s])\*"
)
# Maths is cut out first (an escaped backslash or a code span before it wins), held as a placeholder
# character while marks are found, then put back as its own run.
_MATHS = re.compile(r"\\\\|`[^`\n]+`|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_HELD_MATHS = re.compile("\ue003(.)")
_MATHS_BASE = 0xE100
_DELIMITER = re.compile(r"\\([()[\]])")
_ESCAPED = {"*": "\ue000", "`": "\ue001", "\\": "\ue002"}
_ESCAPE = re.compile(r"\\([*`\\])")
_LITERAL = str.maketrans({held: char for char, held in _ESCAPED.items()})
_AS_TYPED = str.maketrans({held: "\\" + char for char, held in _ESCAPED.items()})

Span = tuple[str, str]
MATHS = ("math", "display")


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[Span, ...]:
    """Split text into (style, text) runs; style is '', 'b', 'i', 'code', 'math' or 'display' (the TeX source
    without its delimiters). Escapes are resolved here."""
    maths: list[Span] = []

    def hold(m: re.Match[str]) -> str:
        if m.group(1) is None and m.group(2) is None:
            return m.group(0)
        maths.append(("math", m.group(1)) if m.group(1) is not None else ("display", m.group(2)))
        return "\ue003" + chr(_MATHS_BASE + len(maths) - 1)

    held = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], _MATHS.sub(hold, text) if "\\" in text else text)
    out: list[Span] = []
    at = 0
    for m in _MARK.finditer(held):
        if m.start() > at:
            out.append(("", held[at : m.start()]))
        if m.group(1) is not None:
            out.append(("code", m.group(1).translate(_AS_TYPED)))
        elif m.group(2) is not None:
            out.append(("b", m.group(2)))
        else:
            out.append(("i", m.group(3)))
        at = m.end()
    if at < len(held):
        out.append(("", held[at:]))
    runs = tuple((style, run if style == "code" else run.translate(_LITERAL)) for style, run in out)
    return _with_maths(runs, maths) if maths else runs


def _with_maths(runs: tuple[Span, ...], maths: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for style, run in runs:
        pieces = _HELD_MATHS.split(run)
        for k, piece in enumerate(pieces):
            if k % 2:
                out.append(maths[ord(piece) - _MATHS_BASE])
            elif piece:
                out.append((style, piece))
    return tuple(out)


def _not_maths(run: str) -> str:
    """A typed `\\(` that is text, not maths: a word joiner after the backslash keeps MathJax from reading it."""
    return _DELIMITER.sub("\\\\\u2060\\1", run) if "\\" in run else run


def unclosed_maths(text: str) -> str | None:
    """The `\\(` or `\\[` of text that opens maths nothing closes (an escaped backslash or code aside)."""
    rest = _MATHS.sub("", text)
    return next((opener for opener in ("\\(", "\\[") if opener in rest), None)


def maths_source(style: str, tex: str) -> str:
    """A maths run as typed, with its delimiters."""
    return f"\\({tex}\\)" if style == "math" else f"\\[{tex}\\]"


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: ids made from names, file names made from titles."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def file_slug(text: str) -> str:
    """A slug for file names a person reads: letters with accents keep their base letter (é → e), German
    umlauts their spelling (für → fuer), so "Zellbiologie für Anfänger" is not "f-r-anf-nger"."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    return slugify("".join(ch for ch in folded if not unicodedata.combining(ch)))


def plain(text: str) -> str:
    """The text as a reader sees it, marks removed."""
    return "".join(maths_source(style, t) if style in MATHS else t for style, t in spans(text))


def escape_xml(text: str) -> str:
    """`&`, `<` and `>` as entities, for ReportLab's paragraph markup: what `xml.sax.saxutils.escape` does,
    without importing urllib, http and email with it (15 ms of every sheet's start)."""
    return html.escape(text, quote=False)


def escape_html(text: str, in_cloze: bool = False) -> str:
    """HTML-escape, and keep Anki from reading braces (or colons inside a cloze) as cloze syntax."""
    out = html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return out.replace(":", "&#58;") if in_cloze else out


@lru_cache(maxsize=8192)
def to_html(text: str, in_cloze: bool = False) -> str:
    """Card HTML for content text (memoised: a step's name appears on many cards)."""
    tags = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>"), "code": ('<code class="inline">', "</code>"), "": ("", "")}
    out = []
    for style, run in spans(text):
        if style in MATHS:
            # Braces and colons stay entities, so a `}}` in the maths cannot end a cloze; MathJax reads the
            # decoded text.
            out.append(escape_html(maths_source(style, run), in_cloze))
            continue
        start, end = tags[style]
        out.append(start + escape_html(_not_maths(run), in_cloze) + end)
    return "".join(out).replace("\n", "<br>")


_BEFORE = re.compile(r"[(\[{‘“«¿¡]+$")
_AFTER = re.compile(r"^[.,;:!?)\]}’”»…%]+")


def glued(runs: tuple[Span, ...]) -> tuple[Span, ...]:
    """Punctuation typed against maths goes into the maths (as `\\text{…}`): ReportLab may break a line
    between an image and the text beside it, which would start a line with the full stop after a formula."""
    out = list(runs)
    for i, (style, tex) in enumerate(out):
        if style not in MATHS:
            continue
        if i and out[i - 1][0] not in MATHS and out[i - 1][0] != "code":
            before = _BEFORE.search(out[i - 1][1])
            if before:
                out[i - 1] = (out[i - 1][0], out[i - 1][1][: before.start()])
                tex = f"\\text{{{_tex_text(before.group())}}}{tex}"
        if i + 1 < len(out) and out[i + 1][0] not in MATHS and out[i + 1][0] != "code":
            after = _AFTER.match(out[i + 1][1])
            if after:
                out[i + 1] = (out[i + 1][0], out[i + 1][1][after.end() :])
                tex = f"{tex}\\text{{{_tex_text(after.group())}}}"
        out[i] = (style, tex)
    return tuple(run for run in out if run[1])


def _tex_text(punctuation: str) -> str:
    return "".join("\\" + ch if ch in "{}%" else ch for ch in punctuation)


_UNITS = """
nm µm mm cm m km in ft yd mi µg mg g kg t lb oz ns µs ms s min h ml mL cl dl l L Hz kHz MHz GHz mV V kV mA A W kW
MW J kJ MJ kcal cal eV N kN Pa hPa kPa MPa bar atm mmHg K °C °F ° % ‰ mol mmol M mM bit B kB KB MB GB TB px pt dB Ω
kΩ rpm mph bpm
"""
_UNIT = "|".join(map(re.escape, sorted(_UNITS.split(), key=len, reverse=True)))  # longest first: `mm` before `m`
_NUMBER_UNIT = re.compile(rf"(?<=\d) (?=(?:{_UNIT})(?![^\W\d_]))")


def bound_units(text: str) -> str:
    """A number and the unit after it joined by a no-break space: no line ends at `16` and starts at `mm`."""
    return _NUMBER_UNIT.sub("\u00a0", text)


def to_markup(text: str, escape: Callable[[str, str], str], mono: str) -> str:
    """ReportLab paragraph markup; `escape(run, style)` escapes a run (and may draw emoji or maths). A number
    keeps its unit on its line (`bound_units`)."""
    out = []
    for style, run in glued(spans(text)):
        body = escape(run if style in (*MATHS, "code") else bound_units(run), style)
        if style == "b":
            body = f"<b>{body}</b>"
        elif style == "i":
            body = f"<i>{body}</i>"
        elif style == "code":
            body = f'<font face="{mono}">{body}</font>'
        out.append(body)
    return "".join(out)
