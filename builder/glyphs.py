"""Every character of a topic must be drawable: by the bundled fonts, or as OpenMoji artwork."""

from __future__ import annotations

import unicodedata

from .emoji import EmojiSet
from .errors import Problem
from .fonts import Coverage
from .load import Document, Mapping, Node, Scalar, Sequence, locate
from .text import spans

_INVISIBLE = {0x200D, 0xFE0F, ord("\n"), ord("\t")}


def char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def check_document(doc: Document, fonts: Coverage, emoji: EmojiSet) -> list[Problem]:
    """One problem per character nothing can draw, at the place it is typed."""
    problems: list[Problem] = []
    for path, node in _strings(doc.root, ""):
        is_code = path.rsplit(".", 1)[-1] == "code"
        reported: set[str] = set()
        for style, run in [("code", node.value)] if is_code else spans(node.value):
            cover = fonts.code if style == "code" else fonts.text
            if cover.issuperset(map(ord, run)):
                continue
            for piece, artwork in emoji.segments(run, cover.__contains__):
                if artwork is not None:
                    continue
                for ch in piece:
                    if ord(ch) in cover or ord(ch) in _INVISIBLE or ch in reported:
                        continue
                    reported.add(ch)
                    line, col = locate(doc, node.start, node.end, ch)
                    font = "DejaVu Sans Mono" if style == "code" else "DejaVu Sans"
                    problems.append(Problem(doc.path, line, col, path,
                                            f"character {char_name(ch)} cannot be drawn ({font} has no glyph for it)"))
    return problems


def _strings(node: Node, path: str):
    if isinstance(node, Mapping):
        for key, value in node.items:
            yield from _strings(value, f"{path}.{key.value}" if path else str(key.value))
    elif isinstance(node, Sequence):
        for i, item in enumerate(node.items):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(node, Scalar) and isinstance(node.value, str):
        yield path, node
