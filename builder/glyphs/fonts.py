"""The bundled DejaVu fonts: registered with ReportLab and asked which characters they draw.

Which characters the fonts draw is read from a table shipped beside them
(`data/coverage.json`): reading the fonts themselves costs a quarter of a second,
paid by every run. The table names each font file with its size, so a font
replaced without a new table is measured again instead of trusted.
`python -m builder.glyphs.fonts` rewrites the table after the fonts change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SANS = "DejaVuSans"
MONO = "DejaVuSansMono"
_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS + "-Bold": "DejaVuSans-Bold.ttf",
    SANS + "-Oblique": "DejaVuSans-Oblique.ttf",
    SANS + "-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    MONO + "-Bold": "DejaVuSansMono-Bold.ttf",
}


DATA = Path(__file__).resolve().parent.parent / "data"


def font_path(filename: str) -> Path:
    return DATA / "fonts" / filename


def table_path() -> Path:
    return DATA / "coverage.json"


@dataclass(frozen=True)
class Coverage:
    """Characters every face of a family draws: text may be bold or italic anywhere."""

    text: frozenset[int]
    code: frozenset[int]


def coverage() -> Coverage:
    """The shipped table when it was made from these font files, else the fonts measured."""
    return _shipped() or measure()


def measure() -> Coverage:
    """Coverage read from the font files themselves (what the shipped table holds)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    cmaps = {name: set(TTFontFile(str(font_path(f))).charToGlyph) for name, f in _FILES.items()}
    text = set.intersection(*(c for n, c in cmaps.items() if n.startswith(SANS + "-") or n == SANS))
    code = cmaps[MONO] & cmaps[MONO + "-Bold"]
    return Coverage(frozenset(text), frozenset(code))


def table(cover: Coverage) -> dict[str, Any]:
    """The shipped table's content: each font file's size and hash, and the characters as hex ranges."""
    import hashlib

    fonts = {
        f: {"bytes": font_path(f).stat().st_size, "sha256": hashlib.sha256(font_path(f).read_bytes()).hexdigest()}
        for f in sorted(_FILES.values())
    }
    return {"fonts": fonts, "text": _ranges(cover.text), "code": _ranges(cover.code)}


def _shipped() -> Coverage | None:
    """The table, when every font file has the size it names; None when it is missing, damaged or stale."""
    try:
        data = json.loads(table_path().read_text(encoding="utf-8"))
        sizes = {f: font_path(f).stat().st_size for f in _FILES.values()}
        if {f: entry["bytes"] for f, entry in data["fonts"].items()} != sizes:
            return None
        return Coverage(_chars(data["text"]), _chars(data["code"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def code_runs(chars: frozenset[int]) -> list[list[int]]:
    """Runs of consecutive codepoints, [first, last] each: how a font's coverage is stored compactly."""
    runs: list[list[int]] = []
    for code in sorted(chars):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return runs


def _ranges(chars: frozenset[int]) -> str:
    """`20-7E A0 ...`: runs of consecutive codepoints in hex."""
    return " ".join(f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in code_runs(chars))


def _chars(ranges: str) -> frozenset[int]:
    chars: set[int] = set()
    for run in ranges.split():
        first, _, last = run.partition("-")
        chars.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(chars)


def register() -> None:
    """Register the faces and the families (idempotent: ReportLab keeps one registry per process)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_path(filename))))
    for family, bold, italic, bold_italic in (
        (SANS, SANS + "-Bold", SANS + "-Oblique", SANS + "-BoldOblique"),
        (MONO, MONO + "-Bold", MONO, MONO + "-Bold"),
    ):
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, italic)
        addMapping(family, 1, 1, bold_italic)


if __name__ == "__main__":
    table_path().write_text(json.dumps(table(measure()), indent=1) + "\n", encoding="utf-8")
    print(table_path())
