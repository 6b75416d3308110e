"""Chinese, Japanese and Korean text on the sheet: a CJK font cut down to the characters a sheet uses.

The bundled DejaVu fonts have no CJK glyphs, and a CJK font is too large to
ship with the builder, so it comes from the `cjk` extra (Noto Sans CJK, in the
`manimgx-fonts-cjk` package) or from a font file named by `FLOZP_CJK_FONT`.
ReportLab embeds only TrueType outlines and Noto Sans CJK has CFF2 ones, so
the characters a sheet uses are cut out of it with fontTools (subset, set at
regular and bold weight, curves converted to TrueType's) and the result is
cached in the user's cache folder, keyed by the font file and the characters:
about a second the first time, nothing after. ReportLab then embeds only the
glyphs the sheet draws.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import store
from ..errors import FontError
from ..text.scripts import is_cjk

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

EXTRA = "install the cjk extra: pip install 'flozp-builder[cjk]'"
ENVIRONMENT = "FLOZP_CJK_FONT"


def missing_font_hint(environ: Mapping[str, str] | None = None) -> str:
    """What to do when no CJK font draws a text: install the extra, or stop turning it off."""
    if (os.environ if environ is None else environ).get(ENVIRONMENT) == "":
        return f"{ENVIRONMENT} is set but empty, which turns the CJK font off: unset it to use the cjk extra's"
    return EXTRA


PACKAGE = "manimgx_fonts_cjk"
PACKAGE_FILE = "NotoSansCJK-VF.otf.ttc"
PACKAGE_FACE = 0  # its Japanese face (then KR, SC, TC, HK): known, so finding the font reads none of it
CREDIT = "Noto Sans CJK (SIL OFL 1.1)"
FACE_PREFIX = "CJK-"  # of the names the cut fonts are registered under
_FORMAT = 1  # of the cut fonts: a change to how they are cut makes new cache entries
_REGULAR, _BOLD = 400, 700


@dataclass(frozen=True)
class CJKFace:
    """A sheet's CJK characters as fonts registered with ReportLab: `name` (regular, its family) and `bold`."""

    name: str
    bold: str
    chars: frozenset[int]
    credit: str


@dataclass(frozen=True)
class CJKFont:
    """A font file that draws CJK text, and which face of it when it is a collection."""

    path: Path
    face: int = 0
    _cut: dict[str, CJKFace] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def installed(cls, environ: dict[str, str] | None = None) -> CJKFont | None:
        """The font named by FLOZP_CJK_FONT (empty: none), else the cjk extra's; None when there is none."""
        named = (os.environ if environ is None else environ).get(ENVIRONMENT)
        if named is not None:
            if not named:
                return None
            path = Path(named).expanduser()
            if not path.is_file():
                raise FontError(f"{ENVIRONMENT} names {path}, which is not a file")
            return cls(path, _japanese_face(path))
        from importlib.util import find_spec

        spec = find_spec(PACKAGE)
        if spec is None or spec.origin is None:
            return None
        path = Path(spec.origin).parent / PACKAGE_FILE
        return cls(path, PACKAGE_FACE) if path.is_file() else None

    @cached_property
    def chars(self) -> frozenset[int]:
        """The CJK characters the font draws: read from its character map when a text first needs them (a
        third of a second for Noto Sans CJK), then from the user's cache as runs of codepoints."""
        return store.remembered("cjk-chars", self._key(""), [_FORMAT], self._read_chars, encode=_runs, decode=_chars)

    def _read_chars(self) -> frozenset[int]:
        font = self._open()
        try:
            return frozenset(code for code in font.getBestCmap() if is_cjk(chr(code)))
        finally:
            font.close()

    @cached_property
    def variable(self) -> bool:
        """Whether the font has a weight axis: then its bold is made from it, else bold text uses the one face."""
        font = self._open()
        try:
            return "fvar" in font and any(axis.axisTag == "wght" for axis in font["fvar"].axes)
        finally:
            font.close()

    def face_for(self, texts: Iterable[str]) -> CJKFace | None:
        """The font cut to the CJK characters of `texts` and registered with ReportLab; None when there are none.

        The fonts' names in ReportLab name their characters, so every sheet of a run gets its own.
        """
        wanted = "".join(sorted({ch for text in texts for ch in text if is_cjk(ch) and ord(ch) in self.chars}))
        if not wanted:
            return None
        key = self._key(wanted)
        if key not in self._cut:
            self._cut[key] = self._register(key, wanted)
        return self._cut[key]

    def _key(self, chars: str) -> str:
        stat = self.path.stat()
        identity = [_FORMAT, str(self.path.resolve()), stat.st_size, stat.st_mtime_ns, self.face, chars]
        return hashlib.sha256(json.dumps(identity).encode("utf-8")).hexdigest()[:20]

    def _register(self, key: str, chars: str) -> CJKFace:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError
        from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont

        name = f"{FACE_PREFIX}{key}"
        weights = (_REGULAR, _BOLD) if self.variable else (_REGULAR,)
        faces = (name, f"{name}-Bold") if self.variable else (name,)
        for face, data in zip(faces, self._cached(key, chars, weights), strict=True):
            try:
                font = ReportLabFont(face, io.BytesIO(data))
            except TTFError as exc:
                raise FontError(f"{self.path}: cannot embed this font in a PDF: {exc}") from exc
            # ReportLab takes a font whose internal name it has seen for that font (so a second cut of one
            # face would draw with the first cut's glyphs): each cut gets its own name, its key's start.
            font.face.name = font.face.name + b"-" + key[:8].encode("ascii")
            pdfmetrics.registerFont(font)
        bold = faces[-1]
        addMapping(name, 0, 0, name)
        addMapping(name, 1, 0, bold)
        addMapping(name, 0, 1, name)
        addMapping(name, 1, 1, bold)
        credit = CREDIT if self.path.name == PACKAGE_FILE else self.path.stem
        return CJKFace(name, bold, frozenset(map(ord, chars)), credit)

    def _cached(self, key: str, chars: str, weights: tuple[int, ...]) -> list[bytes]:
        """The cut fonts from the user's cache, else made and stored there."""
        names = [f"{key}-{weight}" for weight in weights]
        found = [store.read("cjk-cut", name, [_FORMAT]) for name in names]
        if all(data is not None for data in found):
            return [data for data in found if data is not None]
        made = self._made(chars, weights)
        for name, data in zip(names, made, strict=True):
            store.write("cjk-cut", name, data, [_FORMAT])
        return made

    def _open(self) -> TTFont:
        try:
            from fontTools.ttLib import TTFont, TTLibError
        except ImportError as exc:
            raise FontError(f"reading {self.path} needs fontTools: {EXTRA}") from exc
        try:
            return TTFont(self.path, fontNumber=self.face, lazy=True, recalcTimestamp=False)
        except (OSError, TTLibError) as exc:
            raise FontError(f"{self.path}: cannot be read as a font: {exc}") from exc

    def _made(self, chars: str, weights: tuple[int, ...]) -> list[bytes]:
        """The font with only `chars`, at each weight when it is variable, with TrueType outlines, as bytes."""
        from fontTools import subset

        font = self._open()
        options = subset.Options()
        options.layout_features = []  # ReportLab neither substitutes nor positions glyphs
        options.notdef_outline = True
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG", "STAT"]
        cutter = subset.Subsetter(options)
        cutter.populate(text=chars)
        cutter.subset(font)
        made = []
        for weight in weights:
            instance = font
            if "fvar" in font:
                from fontTools.varLib import instancer

                pins = {
                    a.axisTag: max(a.minValue, min(a.maxValue, weight)) if a.axisTag == "wght" else a.defaultValue
                    for a in font["fvar"].axes
                }
                instance = instancer.instantiateVariableFont(font, pins)
            if "CFF " in instance or "CFF2" in instance:
                _to_truetype(instance)
            _name(instance, weight)
            out = io.BytesIO()
            instance.save(out)
            made.append(out.getvalue())
        return made


def _runs(chars: frozenset[int]) -> object:
    from .fonts import code_runs

    return code_runs(chars)


def _chars(runs: Any) -> frozenset[int]:
    return frozenset(code for first, last in runs for code in range(first, last + 1))


def _japanese_face(path: Path) -> int:
    """The Japanese face of a font collection (Noto Sans CJK holds JP, KR, SC, TC and HK), else the first."""
    try:
        from fontTools.ttLib import TTCollection, TTLibError
    except ImportError:
        return 0
    with open(path, "rb") as handle:
        if handle.read(4) != b"ttcf":
            return 0
    try:
        faces = TTCollection(path, lazy=True).fonts
    except (OSError, TTLibError):
        return 0
    for index, face in enumerate(faces):
        if " JP" in str(face["name"].getDebugName(1)):
            return index
    return 0


def _to_truetype(font: TTFont) -> None:
    """Replace CFF outlines with TrueType ones (cubic curves approximated by quadratic ones within 1 unit)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "CFF2", "VORG", "VVAR"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\0\1\0\0"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order


def _name(font: TTFont, weight: int) -> None:
    """Name the cut font by its weight: a variable font's names are those of its lightest instance."""
    table = font["name"]
    family = str(table.getDebugName(16) or table.getDebugName(1))
    style = "Bold" if weight == _BOLD else "Regular"
    postscript = "".join(family.split()) + "-" + style
    for record_id, value in ((1, family), (2, style), (4, f"{family} {style}"), (6, postscript)):
        table.setName(value, record_id, 3, 1, 0x409)
        table.setName(value, record_id, 1, 0, 0)
