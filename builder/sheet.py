"""Topic in, a fitted one-page layout out: the cheat sheet's flowables, columns and type size.

The type size is chosen here, not by ReportLab's shrinking: the largest size
(11 pt down to 7 pt, in quarter points) at which the sections can be split over
three columns that all fit. Below 7 pt the sheet is refused, never scaled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.graphics.shapes import Drawing, PolyLine, Polygon, Rect, String
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from .emoji import CREDIT, EmojiSet
from .errors import DoesNotFitError
from .fonts import MONO, SANS, Coverage
from .highlight import token_lines
from .model import Analogy, Mnemonic, Sequence, Snippet, Topic
from . import diagram
from .text import plain, to_markup
from pygments.token import Comment, Keyword, Name, Number, Operator
from pygments.token import String as StringToken

PAPERS = {"a4": landscape(A4), "letter": landscape(letter)}
MARGIN = 10 * mm
GUTTER = 5 * mm
MIN_SIZE = 7.0
MAX_SIZE = 11.0
SIZE_STEP = 0.25
FOOTER_SIZE = 7.0
CONTINUED = "↪"

ACCENT = colors.HexColor("#1f4e79")
INK = colors.HexColor("#1d232b")
MUTED = colors.HexColor("#4f5963")
RULE = colors.HexColor("#b8c2cc")
TINT = colors.HexColor("#eef2f6")
WHITE = colors.white

_CODE_STYLE: tuple[tuple[object, str, str], ...] = (
    (Comment, "#5f6b76", "i"),
    (Keyword, "#1f4e79", "b"),
    (StringToken, "#7a3e00", ""),
    (Number, "#7a3e00", ""),
    (Name.Builtin, "#1f4e79", ""),
    (Operator, "#1d232b", ""),
)


@dataclass(frozen=True)
class Unit:
    """Flowables that stay together in one column; `starts` marks the first unit of a section."""

    flowables: tuple[Flowable, ...]
    height: float
    starts: bool


@dataclass(frozen=True)
class Layout:
    size: float
    columns: tuple[tuple[Flowable, ...], ...]
    page: tuple[float, float]
    band: Flowable
    band_height: float
    footer: Flowable
    footer_height: float
    column_width: float
    column_height: float


class Styles:
    """Every paragraph style of the sheet, derived from one base size; nothing is ever under 7 pt."""

    def __init__(self, size: float) -> None:
        small = max(MIN_SIZE, size - 1)
        self.size = size
        self.small = small
        self.body = ParagraphStyle("body", fontName=SANS, bulletFontName=SANS, fontSize=size, leading=size * 1.22, textColor=INK)
        self.note = ParagraphStyle("note", parent=self.body, fontSize=small, leading=small * 1.22, textColor=MUTED)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=SANS + "-Bold", fontSize=size * 1.2,
                                      leading=size * 1.45, textColor=ACCENT, spaceBefore=size * 0.5,
                                      spaceAfter=size * 0.2)
        self.code = ParagraphStyle("code", parent=self.body, fontName=MONO, fontSize=small, leading=small * 1.25)
        self.number = ParagraphStyle("number", parent=self.body, fontName=SANS + "-Bold", textColor=ACCENT,
                                     alignment=TA_RIGHT)
        self.letter = ParagraphStyle("letter", parent=self.body, fontName=SANS + "-Bold", fontSize=size * 1.3,
                                     leading=size * 1.45, textColor=ACCENT)
        self.title = ParagraphStyle("title", parent=self.body, fontName=SANS + "-Bold", fontSize=min(size * 2, 20),
                                    leading=min(size * 2, 20) * 1.15, textColor=WHITE)
        self.band = ParagraphStyle("band", parent=self.body, textColor=WHITE)
        self.version = ParagraphStyle("version", parent=self.band, alignment=TA_RIGHT)
        self.footer = ParagraphStyle("footer", parent=self.body, fontSize=FOOTER_SIZE, leading=FOOTER_SIZE * 1.2,
                                     textColor=MUTED)


class Markup:
    """Content text to ReportLab markup: escaped, marks applied, emoji replaced by drawn artwork."""

    def __init__(self, fonts: Coverage, emoji: EmojiSet, blank: Path) -> None:
        self.fonts = fonts
        self.emoji = emoji
        self.blank = blank
        self.used_emoji = False

    def run(self, text: str, size: float, code: bool = False) -> str:
        cover = self.fonts.code if code else self.fonts.text
        out = []
        for piece, artwork in self.emoji.segments(text, lambda c: c in cover):
            if artwork is None:
                out.append(xml_escape(piece))
            else:
                self.used_emoji = True
                width = size * 1.25
                out.append(f'<onDraw name="emoji" label="{artwork.name}"/>'
                           f'<img src="{self.blank}" width="{width:.2f}" height="{size * 0.2:.2f}"/>')
        return "".join(out)

    def bare(self, text: str) -> str:
        """Text for drawn strings: marks removed, emoji left out (a drawn string cannot hold artwork)."""
        pieces = self.emoji.segments(plain(text), lambda c: c in self.fonts.text)
        return " ".join("".join(piece for piece, art in pieces if art is None).split())

    def text(self, text: str, size: float) -> str:
        return to_markup(text, lambda run, style: self.run(run, size, style == "code"), MONO)


def _unit(flowables: list[Flowable], width: float, starts: bool) -> Unit:
    height = 0.0
    for f in flowables:
        height += f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return Unit(tuple(flowables), height, starts)


def _sequence_units(topic: Topic, seq: Sequence, st: Styles, mk: Markup, width: float) -> list[Unit]:
    letters = topic.cue_letters(seq.id)
    shape = "  ↻ loop" if seq.shape == "loop" else ""
    head: list[Flowable] = [Paragraph(mk.text(seq.title, st.heading.fontSize) + shape, st.heading)]
    if seq.summary:
        head.append(Paragraph(mk.text(seq.summary, st.small), st.note))
    number_width = st.size * 2.0
    units = []
    for i, step in enumerate(seq.steps):
        name = f"<b>{mk.text(step.name, st.size)}</b>"
        if step.id in letters:
            name += f'  <font color="{ACCENT.hexval()}"><b>[{xml_escape(letters[step.id])}]</b></font>'
        cell: list[Flowable] = [Paragraph(name, st.body)]
        if step.does:
            cell.append(Paragraph(mk.text(step.does, st.small), st.note))
        if step.code:
            cell.append(Paragraph(mk.run(step.code, st.small, code=True), st.code))
        for sub in step.substeps:
            cell.append(Paragraph("• " + mk.text(sub, st.small), st.note))
        table = Table([[Paragraph(str(i + 1), st.number), cell]], colWidths=[number_width, width - number_width])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the cell default is unembedded Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), st.size * 0.5),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.15),
            ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.15),
        ]))
        flowables = (head if i == 0 else []) + [table]
        units.append(_unit(flowables, width, i == 0))
    picture = diagram_drawing(topic, seq, st.small, mk, width)
    units.append(_unit([Spacer(1, st.size * 0.4), picture], width, False))
    return units


def diagram_drawing(topic: Topic, seq: Sequence, size: float, mk: Markup, width: float) -> Drawing:
    """The sequence as boxes and arrows, in ReportLab vector graphics (y grows upwards here)."""
    letters = topic.cue_letters(seq.id)
    shape = diagram.layout([mk.bare(s.name) for s in seq.steps], [letters.get(s.id) for s in seq.steps],
                           seq.shape == "loop", width, size, lambda text, fs: stringWidth(text, SANS + "-Bold", fs))
    height = shape.height
    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=size)
    pad = size * 0.45
    for box in shape.boxes:
        top = height - box.y
        drawing.add(Rect(box.x, top - box.h, box.w, box.h, rx=size * 0.3, ry=size * 0.3, fillColor=WHITE,
                         strokeColor=ACCENT, strokeWidth=0.8))
        number = f"{box.number} "
        baseline = top - pad - size * 0.85
        drawing.add(String(box.x + pad, baseline, number, fontName=SANS + "-Bold", fontSize=size, fillColor=ACCENT))
        indent = stringWidth(number, SANS + "-Bold", size)
        for k, line in enumerate(box.lines):
            drawing.add(String(box.x + pad + (indent if k == 0 else 0), baseline - k * shape.leading, line,
                               fontName=SANS, fontSize=size, fillColor=INK))
        if box.letter:
            badge_w = stringWidth(box.letter, SANS + "-Bold", size) + pad
            drawing.add(Rect(box.x + box.w - badge_w - pad * 0.5, top - size * 1.25 - pad * 0.3, badge_w,
                             size * 1.25, fillColor=ACCENT, strokeColor=None))
            drawing.add(String(box.x + box.w - badge_w / 2 - pad * 0.5, top - size * 1.05 - pad * 0.1, box.letter,
                               fontName=SANS + "-Bold", fontSize=size, fillColor=WHITE, textAnchor="middle"))
    for arrow in shape.arrows:
        points = [(x, height - y) for x, y in arrow.points]
        flat = [c for point in points for c in point]
        drawing.add(PolyLine(flat, strokeColor=MUTED, strokeWidth=0.9,
                             strokeDashArray=[2, 1.5] if arrow.back else None))
        head = diagram.arrow_head(points[-2], points[-1], size * 0.55)
        drawing.add(Polygon([c for point in head for c in point], fillColor=MUTED, strokeColor=None))
    return drawing


def _mnemonic_units(topic: Topic, mnemonic: Mnemonic, st: Styles, mk: Markup, width: float) -> list[Unit]:
    seq = topic.sequence(mnemonic.sequence)
    title = (f"{xml_escape(mnemonic.phrase)} "
             f'<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}">'
             f"— {mk.text(seq.title, st.small)}</font>")
    rows = []
    for cue in mnemonic.cues:
        cell = [Paragraph(mk.text(seq.step(cue.step).name, st.size), st.body)]
        if cue.hook:
            cell.append(Paragraph(f"<i>{mk.text(cue.hook, st.small)}</i>", st.note))
        rows.append([Paragraph(xml_escape(cue.letter), st.letter), cell])
    letter_width = max(stringWidth(c.letter, SANS + "-Bold", st.letter.fontSize) for c in mnemonic.cues) + st.size
    table = Table(rows, colWidths=[letter_width, width - letter_width])
    table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the cell default is unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.1),
    ]))
    flowables: list[Flowable] = [Paragraph(title, st.heading), table]
    if mnemonic.note:
        flowables.append(Spacer(1, st.size * 0.3))
        flowables.append(Paragraph(mk.text(mnemonic.note, st.small), st.note))
    return [_unit(flowables, width, True)]


def _analogy_units(topic: Topic, analogy: Analogy, st: Styles, mk: Markup, width: float) -> list[Unit]:
    seq = topic.sequence(analogy.sequence)
    rows = [[Paragraph(f"<b>{mk.text(seq.title, st.small)}</b>", st.note),
             Paragraph(f"<b>{mk.text(analogy.title, st.small)}</b>", st.note)]]
    order = {s.id: i for i, s in enumerate(seq.steps)}
    for pair in sorted(analogy.pairs, key=lambda p: order[p.step]):
        like: list[Flowable] = [Paragraph(mk.text(pair.like, st.size), st.body)]
        if pair.detail:
            like.append(Paragraph("• " + mk.text(pair.detail, st.small), st.note))
        step = f"{order[pair.step] + 1}. {mk.text(seq.step(pair.step).name, st.size)}"
        rows.append([Paragraph(step, st.body), like])
    table = Table(rows, colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the cell default is unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, RULE),
        ("LINEAFTER", (0, 0), (0, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), st.size * 0.3),
        ("RIGHTPADDING", (0, 0), (-1, -1), st.size * 0.3),
        ("TOPPADDING", (0, 0), (-1, -1), st.size * 0.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), st.size * 0.25),
    ]))
    heading = Paragraph(f"{mk.text(analogy.title, st.heading.fontSize)} "
                        f'<font name="{SANS}" size="{st.small}" color="{MUTED.hexval()}">'
                        f"analogy for {mk.text(seq.title, st.small)}</font>", st.heading)
    return [_unit([heading, table], width, True)]


def _token_markup(kind: object, text: str, mk: Markup, size: float) -> str:
    body = mk.run(text, size, code=True).replace(" ", "&nbsp;")
    for parent, colour, face in _CODE_STYLE:
        if kind in parent:
            if face:
                body = f"<{face}>{body}</{face}>"
            return f'<font color="{colour}">{body}</font>'
    return body


def wrap_code_line(tokens: list[tuple[object, str]], columns: int) -> list[list[tuple[object, str]]]:
    """Split one line of tokens into visual lines of at most `columns` characters.

    Continuation lines start with the mark and the original indentation, so a
    wrapped line is visibly one line of code.
    """
    text_len = sum(len(t) for _, t in tokens)
    if text_len <= columns:
        return [tokens]
    indent = 0
    for _, value in tokens:
        stripped = value.lstrip(" ")
        indent += len(value) - len(stripped)
        if stripped:
            break
    prefix = " " * min(indent, columns // 2) + CONTINUED + " "
    lines: list[list[tuple[object, str]]] = [[]]
    room = columns
    for kind, value in tokens:
        while value:
            if room <= 0:
                lines.append([(Comment, prefix)])
                room = columns - len(prefix)
            take = value[:room]
            lines[-1].append((kind, take))
            value = value[room:]
            room -= len(take)
    return lines


def _snippet_units(topic: Topic, snippet: Snippet, st: Styles, mk: Markup, width: float) -> list[Unit]:
    pad = st.size * 0.4
    seq = topic.sequence(snippet.sequence) if snippet.sequence else None
    step_of_line = {}
    if seq:
        for i, step in enumerate(seq.steps):
            if step.code:
                step_of_line.setdefault(step.code.strip(), i + 1)
    gutter = st.small * 1.6 if seq else 0
    char_width = stringWidth("M", MONO, st.code.fontSize)
    columns = max(8, int((width - 2 * pad - gutter) // char_width))
    rows = []
    for source, tokens in zip(snippet.lines, token_lines(snippet.code, snippet.language)):
        number = step_of_line.get(source.strip())
        for k, visual in enumerate(wrap_code_line(tokens, columns)):
            markup = "".join(_token_markup(kind, text, mk, st.code.fontSize) for kind, text in visual) or "&nbsp;"
            mark = str(number) if number and k == 0 else ""
            row = [Paragraph(mark, ParagraphStyle("g", parent=st.number, fontSize=st.small, leading=st.code.leading)),
                   Paragraph(markup, st.code)]
            rows.append(row if seq else row[1:])
    widths = [gutter, width - gutter] if seq else [width]
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the cell default is unembedded Helvetica
        ("BACKGROUND", (-1, 0), (-1, -1), TINT),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (-1, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad * 0.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), pad * 0.6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.6),
    ]))
    title = snippet.title or (seq.title if seq else snippet.id)
    heading = Paragraph(mk.text(title, st.heading.fontSize), st.heading)
    flowables: list[Flowable] = [heading, table]
    if seq:
        flowables.append(Paragraph(f"Numbers: the steps of {mk.text(seq.title, st.small)}.", st.note))
    return [_unit(flowables, width, True)]


def _units(topic: Topic, st: Styles, mk: Markup, width: float) -> list[Unit]:
    units: list[Unit] = []
    for seq in topic.sequences:
        units += _sequence_units(topic, seq, st, mk, width)
    for mnemonic in topic.mnemonics:
        units += _mnemonic_units(topic, mnemonic, st, mk, width)
    for analogy in topic.analogies:
        units += _analogy_units(topic, analogy, st, mk, width)
    for snippet in topic.snippets:
        units += _snippet_units(topic, snippet, st, mk, width)
    return units


def balanced_cut(heights: list[float], starts: list[bool], split: bool) -> tuple[int, int, float] | None:
    """Cut points (i, j) splitting units into three non-empty columns, and the tallest column's height.

    Without `split`, columns break only where a section starts. The cut with the
    shortest tallest column wins; None when there is no allowed cut.
    """
    n = len(heights)
    prefix = [0.0]
    for h in heights:
        prefix.append(prefix[-1] + h)
    best: tuple[int, int, float] | None = None
    for i in range(1, n - 1):
        if not (split or starts[i]):
            continue
        for j in range(i + 1, n):
            if not (split or starts[j]):
                continue
            tallest = max(prefix[i], prefix[j] - prefix[i], prefix[n] - prefix[j])
            if best is None or tallest < best[2]:
                best = (i, j, tallest)
    return best


def partition(heights: list[float], starts: list[bool], limit: float, split: bool) -> tuple[int, int] | None:
    """The balanced cut when its tallest column fits `limit`."""
    cut = balanced_cut(heights, starts, split)
    return (cut[0], cut[1]) if cut and cut[2] <= limit else None


def _band(topic: Topic, st: Styles, mk: Markup, width: float) -> tuple[Flowable, float]:
    pad = st.size * 0.7
    left: list[Flowable] = [Paragraph(mk.text(topic.title, st.title.fontSize), st.title)]
    if topic.summary:
        left.append(Paragraph(mk.text(topic.summary, st.size), st.band))
    right = [Paragraph(f"<b>v{xml_escape(topic.version)}</b>", st.version)]
    version_width = st.size * 8
    table = Table([[left, right]], colWidths=[width - version_width, version_width])
    table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the cell default is unembedded Helvetica
        ("BACKGROUND", (0, 0), (-1, -1), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    return table, table.wrap(width, 1e6)[1]


def footer_text(topic: Topic, built: str, emoji_used: bool) -> str:
    parts = [f"{topic.title} v{topic.version}", f"built {built}"]
    if topic.license:
        parts.append(f"licence {topic.license}")
    if topic.authors:
        parts.append("by " + ", ".join(topic.authors))
    parts.append("Fonts: DejaVu (Bitstream Vera licence)")
    if emoji_used:
        parts.append(CREDIT)
    return " · ".join(parts)


def layout(topic: Topic, paper: str, built: str, fonts: Coverage, emoji: EmojiSet, blank: Path) -> Layout:
    """The largest type size whose three columns fit; DoesNotFitError below 7 pt.

    Keeping every section whole in one column wins unless splitting one buys
    more than a point of type size.
    """
    page = PAPERS[paper]
    width = page[0] - 2 * MARGIN
    column_width = (width - 2 * GUTTER) / 3
    count = int(round((MAX_SIZE - MIN_SIZE) / SIZE_STEP))
    sizes = [MIN_SIZE + k * SIZE_STEP for k in range(count + 1)]

    @dataclass(frozen=True)
    class Trial:
        whole: Layout | None
        split: Layout | None
        total: float
        capacity: float
        over: float

    tried: dict[int, Trial] = {}

    def trial(k: int) -> Trial:
        """Lay out at sizes[k] once; both kinds of column cut are checked on the same units."""
        if k in tried:
            return tried[k]
        size = sizes[k]
        st = Styles(size)
        mk = Markup(fonts, emoji, blank)
        units = _units(topic, st, mk, column_width)
        band, band_height = _band(topic, st, mk, width)
        footer = Paragraph(xml_escape(footer_text(topic, built, mk.used_emoji)), st.footer)
        footer_height = footer.wrap(width, 1e6)[1]
        column_height = page[1] - 2 * MARGIN - band_height - footer_height - 2 * GUTTER
        units += [_unit([Spacer(0, 0)], column_width, True)] * (3 - len(units))
        heights, starts = [u.height for u in units], [u.starts for u in units]

        def build(cut: tuple[int, int, float] | None) -> Layout | None:
            if cut is None or cut[2] > column_height:
                return None
            i, j, _ = cut
            columns = tuple(tuple(f for u in part for f in u.flowables)
                            for part in (units[:i], units[i:j], units[j:]))
            return Layout(size, columns, page, band, band_height, footer, footer_height, column_width,
                          column_height)

        finest = balanced_cut(heights, starts, True)
        result = Trial(build(balanced_cut(heights, starts, False)), build(finest), sum(heights),
                       3 * column_height, finest[2] - column_height)
        tried[k] = result
        return result

    def largest(kind: str, start: int) -> int | None:
        """Walk from `start` to the largest index whose trial fits; None when even 7 pt does not."""
        k = start
        if getattr(trial(k), kind) is not None:
            while k + 1 < len(sizes) and getattr(trial(k + 1), kind) is not None:
                k += 1
            return k
        while k > 0:
            k -= 1
            if getattr(trial(k), kind) is not None:
                return k
        return None

    top = len(sizes) - 1
    first = trial(top)
    if first.whole is not None:
        return first.whole
    # Column text grows about as the square of the type size: aim near the answer, then walk.
    estimate = sizes[top] * (first.capacity / max(first.total, 1.0)) ** 0.5
    guess = max(0, min(top, int((estimate - MIN_SIZE) / SIZE_STEP)))
    split_k = largest("split", guess)
    if split_k is None:
        smallest = trial(0)
        raise DoesNotFitError(
            f"{topic.source}: topic '{topic.id}' does not fit one page at {MIN_SIZE:g} pt: even balanced, a "
            f"column is {math.ceil(max(smallest.over, 0.1) / mm)} mm longer than the {smallest.capacity / 3 / mm:.0f} mm "
            f"there is; shorten it or split it into two topics")
    whole_k = largest("whole", split_k)
    split_layout = trial(split_k).split
    if whole_k is not None and sizes[split_k] - sizes[whole_k] <= 1.0:
        return trial(whole_k).whole
    return split_layout


def emoji_drawer(emoji: EmojiSet) -> Callable[[object, str, str], None]:
    """The canvas callback that draws an emoji's artwork where the paragraph reserved room for it."""
    from reportlab.graphics import renderPDF
    from svglib.svglib import svg2rlg

    drawings: dict[str, object] = {}

    def draw(canvas: object, kind: str, label: str) -> None:
        info = canvas._curr_tx_info
        size = info["tx"]._fontsize or info["xs"].style.fontSize
        if label not in drawings:
            art = svg2rlg(str(emoji.folder / label))
            art.initialFontName = SANS  # the renderer's default state would otherwise select unembedded Helvetica
            drawings[label] = art
        drawing = drawings[label]
        scale = size * 1.25 / drawing.width
        canvas.saveState()
        canvas.translate(info["cur_x"], info["cur_y"] - size * 0.3)
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.restoreState()

    return draw

