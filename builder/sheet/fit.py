"""Topic in, a fitted one-page sheet out: the type size and where the three columns break.

One search, scored as TeX's page builder scores breaks: at each type size (11 pt
down to 7 pt, in quarter points) every way of breaking the units into three
columns that fit is a candidate; a candidate's cost is a penalty for each section
it splits plus the badness of its columns' unevenness. The sheet is the largest
size with any candidate, and the cheapest candidate there. Units carry CSS
fragmentation's rules already (`sections`): breaks only between steps or rows,
two steps or rows on each side of one, short sequences whole.

Diagrams drawn compact, then diagrams left out, are costlier candidates
(`diagram_choices`), tried only when no cheaper one fits at any size down to
7 pt; a diagram left out is a warning naming its sequence (`fit_warnings`). Below
7 pt with every diagram out the sheet is refused with what takes the room, never
scaled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..content.model import Topic
from ..diagram import COMPACT, NORMAL, Spacing
from ..errors import DoesNotFitError, Problem
from ..glyphs.cjk import CJKFace
from ..glyphs.emoji import EmojiSet
from ..glyphs.fonts import Coverage
from ..text.hyphens import dictionary_for
from ..text.i18n import Words
from .band import band, footer_text
from .markup import Markup
from .paragraph import Paragraph
from .sections import topic_units
from .styles import GUTTER, MARGIN, MAX_SIZE, MIN_SIZE, SIZE_STEP, Styles
from .units import Unit

PAPERS = {"a4": landscape(A4), "letter": landscape(letter)}

SPLIT_PENALTY = 1000.0  # a split section costs more than any unevenness: balance never buys a split
BADNESS = 100.0  # TeX's scale: the badness of columns as uneven as one full and one empty
REDRAW_PENALTY = 300.0  # a diagram not drawn as on its card: worse than any unevenness, better than a split
GROWTH = 1.8  # how the tallest column grows with the type size (1.2 to 2.1 over the corpus, on both papers)
LISTED = 3  # sections a refusal names


@dataclass(frozen=True)
class Diagrams:
    """Which sequences a layout draws as a diagram and how tightly; `dropped` are those left out for room."""

    drawn: frozenset[str]
    spacing: Spacing
    dropped: tuple[str, ...]


def diagram_choices(topic: Topic) -> list[Diagrams]:
    """The diagram candidates in the order the search tries them, each costlier than any layout of the one
    before (so each is tried only when none of those fits at 7 pt): as wanted; compact; then compact with one
    more left out at a time, the longest sequence's first (its diagram is the tallest), the later one of two as
    long."""
    wanted = [s for s in topic.sequences if s.diagram]
    drawn = frozenset(s.id for s in wanted)
    choices = [Diagrams(drawn, NORMAL, ())]
    if not wanted:
        return choices
    choices.append(Diagrams(drawn, COMPACT, ()))
    order = sorted(range(len(wanted)), key=lambda k: (-len(wanted[k].steps), -k))
    for count in range(1, len(wanted) + 1):
        dropped = {wanted[k].id for k in order[:count]}
        left_out = tuple(s.id for s in wanted if s.id in dropped)  # in reading order
        choices.append(Diagrams(drawn - dropped, COMPACT, left_out))
    return choices


@dataclass(frozen=True)
class FittedSheet:
    """Everything the PDF stage draws: the chosen size, the columns' flowables, band and footer."""

    size: float
    columns: tuple[tuple[Flowable, ...], ...]
    heights: tuple[float, ...]
    page: tuple[float, float]
    band: Flowable
    band_height: float
    footer: Flowable
    footer_height: float
    column_width: float
    column_height: float
    splits: int = 0
    layouts: int = 0
    compact: bool = False
    dropped: tuple[str, ...] = ()  # sequences whose diagrams were left out for room (`fit_warnings`)


@dataclass(frozen=True)
class Cut:
    """Where the columns break (before units i and j), what it costs and its columns' heights."""

    i: int
    j: int
    cost: float
    heights: tuple[float, float, float]

    @property
    def tallest(self) -> float:
        return max(self.heights)


def _cuts(units: list[Unit]) -> list[tuple[int, int, tuple[float, float, float]]]:
    """Every pair of breaks with its columns' heights (prefix sums: the search is quadratic, not cubic)."""
    n = len(units)
    prefix = [0.0]
    for u in units:
        prefix.append(prefix[-1] + u.height)
    extra = [u.continued_height for u in units] + [0.0]
    found = []
    for i in range(n + 1):
        for j in range(i, n + 1):
            second = prefix[j] - prefix[i] + (extra[i] if j > i else 0.0)
            found.append((i, j, (prefix[i], second, prefix[n] - prefix[j] + (extra[j] if n > j else 0.0))))
    return found


def badness(heights: tuple[float, float, float], room: float) -> float:
    """Unevenness as a preference: the spread between the fullest and the emptiest column, cubed as TeX does."""
    return BADNESS * ((max(heights) - min(heights)) / room) ** 3


def best_cut(units: list[Unit], room: float) -> Cut | None:
    """The cheapest breaks into three columns of at most `room` (None when none fits): each break inside a
    section costs SPLIT_PENALTY. Ties go to the layout that fills columns from the left."""
    n = len(units)
    best: tuple[float, int, int] | None = None
    chosen: Cut | None = None
    for i, j, heights in _cuts(units):
        if max(heights) > room:
            continue
        splits = sum(1 for k in {i, j} if 0 < k < n and not units[k].starts)
        cost = SPLIT_PENALTY * splits + badness(heights, room)
        if best is None or (cost, -i, -j) < best:
            best, chosen = (cost, -i, -j), Cut(i, j, cost, heights)
    return chosen


def cheapest(units: list[Unit], room: float) -> tuple[list[Unit], Cut | None]:
    """The units with the diagrams drawn as on their cards wherever the sheet affords it, and their breaks.

    A diagram drawn to the column instead (when that is shorter) costs REDRAW_PENALTY: more than any
    unevenness, less than a split, so a sheet keeps a section whole before it keeps a card's drawing. With
    every diagram as on its card and no split nothing is cheaper; otherwise, from every diagram at its
    shortest (None when even that does not fit), diagrams go back to the card's drawing one at a time, the
    one leaving the cheapest layout first, while that lowers the cost: quadratic in the diagrams, not exponential.
    """
    as_cards = best_cut(units, room)
    if as_cards is not None and as_cards.cost < REDRAW_PENALTY:
        return units, as_cards
    redrawn = {k for k, u in enumerate(units) if u.redraw is not None}

    def trial(drawn_to_column: set[int]) -> tuple[float, list[Unit], Cut | None]:
        laid = [u.redrawn() if k in drawn_to_column else u for k, u in enumerate(units)]
        cut = best_cut(laid, room)
        return (math.inf if cut is None else cut.cost + REDRAW_PENALTY * len(drawn_to_column)), laid, cut

    best = trial(redrawn)
    while best[2] is not None and redrawn:
        k, back = min(((k, trial(redrawn - {k})) for k in sorted(redrawn)), key=lambda tried: tried[1][0])
        if back[0] >= best[0]:
            break
        best, redrawn = back, redrawn - {k}
    if as_cards is not None and as_cards.cost <= best[0]:  # a split the greedy walk back did not reach past
        return units, as_cards
    return best[1], best[2]


def tightest(units: list[Unit]) -> float:
    """The shortest tallest column any breaks give: how far a layout is from fitting."""
    return min(max(heights) for _, _, heights in _cuts(units))


@dataclass(frozen=True)
class _Layout:
    """The topic laid out at one type size: what the search judges there."""

    size: float
    units: list[Unit]
    band: Flowable
    band_height: float
    footer: Flowable
    footer_height: float
    column_height: float
    cut: Cut | None
    diagrams: Diagrams


class _Fitter:
    """Lays a topic out at each size and diagram choice at most once (each layout costs about 40 ms)."""

    def __init__(self, topic: Topic, paper: str, built: str, markup: Markup, words: Words) -> None:
        self.topic = topic
        self.words = words
        self.page = PAPERS[paper]
        self.width = self.page[0] - 2 * MARGIN
        self.column_width = (self.width - 2 * GUTTER) / 3
        count = int(round((MAX_SIZE - MIN_SIZE) / SIZE_STEP))
        self.sizes = [MIN_SIZE + k * SIZE_STEP for k in range(count + 1)]
        self.markup = markup
        credit = markup.cjk.credit if markup.cjk else None
        self.footer_text = footer_text(topic, built, markup.uses_artwork(list(topic.texts())), words, credit)
        self.choices = diagram_choices(topic)
        self.layouts: dict[tuple[int, int], _Layout] = {}

    def layout(self, k: int, choice: int = 0) -> _Layout:
        if (choice, k) not in self.layouts:
            self.layouts[choice, k] = self._lay_out(self.sizes[k], self.choices[choice])
        return self.layouts[choice, k]

    def _lay_out(self, size: float, diagrams: Diagrams) -> _Layout:
        st = Styles(size)
        width = self.column_width
        units = topic_units(self.topic, st, self.markup, width, self.words, diagrams.drawn, diagrams.spacing)
        title_band, band_height = band(self.topic, st, self.markup, self.width)
        footer = Paragraph(self.markup.chars(self.footer_text, st.footer.fontSize), st.footer)
        footer_height = footer.wrap(self.width, 1e6)[1]
        column_height = self.page[1] - 2 * MARGIN - band_height - footer_height - 2 * GUTTER
        units, cut = cheapest(units, column_height)
        return _Layout(size, units, title_band, band_height, footer, footer_height, column_height, cut, diagrams)

    def largest(self, start: int, choice: int = 0) -> int | None:
        """The largest size index with a layout that fits, walking from `start`; None when none does."""
        k = start
        if self.layout(k, choice).cut is not None:
            while k + 1 < len(self.sizes) and self.layout(k + 1, choice).cut is not None:
                k += 1
            return k
        while k > 0:
            k -= 1
            if self.layout(k, choice).cut is not None:
                return k
        return None

    def sheet(self, k: int, choice: int = 0) -> FittedSheet:
        layout = self.layout(k, choice)
        cut, units = layout.cut, layout.units
        assert cut is not None
        columns = tuple(
            (*part[0].continued, *(f for u in part for f in u.flowables)) if part else ()
            for part in (units[: cut.i], units[cut.i : cut.j], units[cut.j :])
        )
        return FittedSheet(
            layout.size,
            columns,
            cut.heights,
            self.page,
            layout.band,
            layout.band_height,
            layout.footer,
            layout.footer_height,
            self.column_width,
            layout.column_height,
            int(cut.cost // SPLIT_PENALTY),
            len(self.layouts),
            layout.diagrams.spacing is COMPACT,
            layout.diagrams.dropped,
        )

    def refusal(self) -> DoesNotFitError:
        """What to cut: the tallest sections at 7 pt (diagrams counted apart) and how much is over."""
        layout = self.layout(0)
        sections: dict[str, float] = {}
        diagrams = [u.diagram for u in layout.units if u.diagram]
        for u in layout.units:
            sections[u.section] = sections.get(u.section, 0.0) + u.height - u.diagram
        tallest = sorted(sections.items(), key=lambda item: -item[1])[:LISTED]
        listed = [f"{name} {s / mm:.0f} mm" for name, s in tallest]
        if diagrams:
            listed.append(f"diagrams {len(diagrams)} × {sum(diagrams) / len(diagrams) / mm:.0f} mm")
        room = layout.column_height
        bare = self.layout(0, len(self.choices) - 1).units  # what is over with every diagram out
        over = max(tightest(bare) - room, sum(u.height for u in bare) - 3 * room, 0.1 * mm)
        without = " without its diagrams" if diagrams else ""
        return DoesNotFitError(
            self.topic.source,
            f"topic '{self.topic.id}' does not fit one page at {MIN_SIZE:g} pt: "
            f"{math.ceil(over / mm)} mm over 3 columns of {room / mm:.0f} mm{without}; the tallest parts are "
            f"{', '.join(listed)}; shorten them or split the topic into two",
        )


def fit_sheet(
    topic: Topic,
    paper: str,
    built: str,
    fonts: Coverage,
    emoji: EmojiSet,
    blank: Path,
    words: Words | None = None,
    cjk: CJKFace | None = None,
) -> FittedSheet:
    """The largest type size whose three columns fit, laid out at the least cost; DoesNotFitError below 7 pt.

    `built` is the build date as YYYY-MM-DD; `words` are the builder's words in the topic's language,
    loaded here when not given; `cjk` is the CJK font cut to the topic's and the words' CJK characters.
    """
    words = Words.load(topic.lang) if words is None else words
    fitter = _Fitter(topic, paper, built, Markup(fonts, emoji, blank, cjk, dictionary_for(topic.lang)), words)
    top = len(fitter.sizes) - 1
    first = fitter.layout(top)
    if first.cut is not None:
        return fitter.sheet(top)
    # The tallest column shrinks about as the type size to the power GROWTH: aim at the size where it fits, then
    # walk. The answer is the size the walk finds from any start; a close start saves layouts.
    column = first.column_height
    estimate = fitter.sizes[top] * (column / tightest(first.units)) ** (1 / GROWTH)
    guess = max(0, min(top, int((estimate - MIN_SIZE) / SIZE_STEP)))
    k = fitter.largest(guess)
    if k is not None:
        return fitter.sheet(k)
    for choice in range(1, len(fitter.choices)):
        if fitter.layout(0, choice).cut is not None:
            found = fitter.largest(0, choice)
            assert found is not None
            return fitter.sheet(found, choice)
    raise fitter.refusal()


def fit_warnings(topic: Topic, sheet: FittedSheet) -> list[Problem]:
    """A diagram the sheet left out for room is a warning at its sequence (`--strict` makes it an error)."""
    return [
        Problem(
            topic.source,
            *seq.at,
            f"sequences[{index}]",
            f'the sheet leaves out the diagram of "{seq.title}": the topic does not fit one page at '
            f"{MIN_SIZE:g} pt with it; shorten the topic, or give the sequence 'sheet: {{diagrams: false}}' "
            "to leave it out on purpose",
            warning=True,
        )
        for index, seq in enumerate(topic.sequences)
        if seq.id in sheet.dropped
    ]
