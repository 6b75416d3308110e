"""Topic in, a fitted one-page sheet out: the type size and where the three columns break.

The type size is chosen here, not by ReportLab's shrinking: the largest size
(11 pt down to 7 pt, in quarter points) at which the sections can be split over
three columns that all fit. Below 7 pt the sheet is refused, never scaled.
Keeping every section whole in one column wins unless splitting one buys more
than a point of type size.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..cjk import CJKFace
from ..content.model import Topic
from ..emoji import EmojiSet
from ..errors import DoesNotFitError
from ..fonts import Coverage
from ..hyphens import dictionary_for
from ..i18n import Words
from .markup import Markup
from .paragraph import Paragraph
from .sections import Unit, band, footer_text, topic_units
from .styles import GUTTER, MARGIN, MAX_SIZE, MIN_SIZE, SIZE_STEP, Styles

PAPERS = {"a4": landscape(A4), "letter": landscape(letter)}
Cut = tuple[int, int, float]


BALANCE = 0.6  # the emptiest column is at least this full, relative to the fullest, when more than one is needed
SPLIT_GAIN = 1.0  # points of type size that splitting a section must buy over keeping every section whole
GROWTH = 1.8  # how the tallest column grows with the type size (1.2 to 2.1 over the corpus, on both papers)


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


@dataclass(frozen=True)
class Trial:
    """One type size tried: the sheet with whole sections and with split ones (None where they do not fit)."""

    whole: FittedSheet | None
    split: FittedSheet | None
    total: float
    capacity: float
    over: float


def column_heights(units: list[Unit], i: int, j: int) -> tuple[float, float, float]:
    """The three columns' heights when they break before units i and j (a column may be empty)."""
    heights = []
    for a, b in ((0, i), (i, j), (j, len(units))):
        part = units[a:b]
        heights.append(sum(u.height for u in part) + (part[0].continued_height if part else 0.0))
    return heights[0], heights[1], heights[2]


def balanced_cut(units: list[Unit], split: bool) -> Cut:
    """Breaks (i, j) into three columns with the shortest tallest column (ties: the fullest shortest one,
    then the one that fills columns from the left).

    Without `split`, columns break only where a section starts; a column may stay
    empty when there are fewer sections than columns.
    """
    n = len(units)
    prefix = [0.0]
    for u in units:
        prefix.append(prefix[-1] + u.height)
    allowed = [k for k in range(n + 1) if k in (0, n) or split or units[k].starts]
    extra = [u.continued_height for u in units] + [0.0]
    best: tuple[float, float, int, int] | None = None
    for i in allowed:
        for j in allowed:
            if j < i:
                continue
            first = prefix[i]
            second = prefix[j] - prefix[i] + (extra[i] if j > i else 0.0)
            third = prefix[n] - prefix[j] + (extra[j] if n > j else 0.0)
            key = (max(first, second, third), -min(first, second, third), -i, -j)
            if best is None or key < best:
                best = key
    assert best is not None
    return -best[2], -best[3], best[0]


def balanced(heights: tuple[float, ...]) -> bool:
    """The 60 % rule: the emptiest column at least this full, relative to the fullest."""
    return min(heights) >= BALANCE * max(heights)


@dataclass(frozen=True)
class _Layout:
    """The topic laid out at one type size, before any rule is applied: what each trial at that size judges."""

    size: float
    units: list[Unit]
    band: Flowable
    band_height: float
    footer: Flowable
    footer_height: float
    column_height: float
    whole: Cut
    finest: Cut


class _Fitter:
    """Lays a topic out at each size at most once: both kinds of column cut, and the trials before and after the
    balance rule is given up, judge the same layout."""

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
        self.layouts: dict[int, _Layout] = {}
        self.tried: dict[int, Trial] = {}
        self.even = True
        largest = self._layout(len(self.sizes) - 1)
        # Content that fits one column at the largest size needs no even columns; shrinking type to
        # squeeze a larger topic into fewer columns is not a way around the rule.
        self.small = sum(u.height for u in largest.units) <= 3 * largest.column_height / 3

    def trial(self, k: int) -> Trial:
        if k not in self.tried:
            self.tried[k] = self._judge(self._layout(k))
        return self.tried[k]

    def _layout(self, k: int) -> _Layout:
        if k not in self.layouts:
            self.layouts[k] = self._lay_out(self.sizes[k])
        return self.layouts[k]

    def _lay_out(self, size: float) -> _Layout:
        st = Styles(size)
        units = topic_units(self.topic, st, self.markup, self.column_width, self.words)
        title_band, band_height = band(self.topic, st, self.markup, self.width)
        footer = Paragraph(self.markup.chars(self.footer_text, st.footer.fontSize), st.footer)
        footer_height = footer.wrap(self.width, 1e6)[1]
        column_height = self.page[1] - 2 * MARGIN - band_height - footer_height - 2 * GUTTER
        whole, finest = balanced_cut(units, False), balanced_cut(units, True)
        return _Layout(size, units, title_band, band_height, footer, footer_height, column_height, whole, finest)

    def _judge(self, layout: _Layout) -> Trial:
        units, column_height = layout.units, layout.column_height

        def sheet(cut: Cut, even: bool) -> FittedSheet | None:
            i, j, tallest = cut
            heights = column_heights(units, i, j)
            if tallest > column_height or (even and not self.small and not balanced(heights)):
                return None
            columns = tuple(
                (*part[0].continued, *(f for u in part for f in u.flowables)) if part else ()
                for part in (units[:i], units[i:j], units[j:])
            )
            return FittedSheet(
                layout.size,
                columns,
                heights,
                self.page,
                layout.band,
                layout.band_height,
                layout.footer,
                layout.footer_height,
                self.column_width,
                column_height,
            )

        return Trial(
            sheet(layout.whole, self.even),
            sheet(layout.finest, self.even),
            sum(u.height for u in units),
            3 * column_height,
            layout.finest[2] - column_height,
        )

    def relax(self) -> None:
        """Give up the balance rule: for content whose units are too large to spread evenly at any size."""
        self.even = False
        self.tried.clear()

    def largest(self, fits: Callable[[Trial], FittedSheet | None], start: int, floor: int = 0) -> int | None:
        """Walk from `start` to the largest size index whose trial fits, looking no lower than `floor`; None when
        none does."""
        k = start
        if fits(self.trial(k)) is not None:
            while k + 1 < len(self.sizes) and fits(self.trial(k + 1)) is not None:
                k += 1
            return k
        while k > floor:
            k -= 1
            if fits(self.trial(k)) is not None:
                return k
        return None


def _whole(trial: Trial) -> FittedSheet | None:
    return trial.whole


def _split(trial: Trial) -> FittedSheet | None:
    return trial.split


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
    """The largest type size whose three columns fit; DoesNotFitError below 7 pt.

    `built` is the build date as YYYY-MM-DD; `words` are the builder's words in the topic's language,
    loaded here when not given; `cjk` is the CJK font cut to the topic's and the words' CJK characters.
    """
    words = Words.load(topic.lang) if words is None else words
    fitter = _Fitter(topic, paper, built, Markup(fonts, emoji, blank, cjk, dictionary_for(topic.lang)), words)
    top = len(fitter.sizes) - 1
    first = fitter.trial(top)
    if first.whole is not None:
        return first.whole
    # The tallest column shrinks about as the type size to the power GROWTH: aim at the size where it fits, then
    # walk. The answer is the size the walk finds from any start; a close start saves layouts (each is 40 ms).
    column = first.capacity / 3
    estimate = fitter.sizes[top] * (column / (column + first.over)) ** (1 / GROWTH)
    guess = max(0, min(top, int((estimate - MIN_SIZE) / SIZE_STEP)))
    split_k = fitter.largest(_split, guess)
    if split_k is None:
        fitter.relax()
        split_k = fitter.largest(_split, guess)
    if split_k is None:
        smallest = fitter.trial(0)
        raise DoesNotFitError(
            f"{topic.source}: topic '{topic.id}' does not fit one page at {MIN_SIZE:g} pt: even balanced, a "
            f"column is {math.ceil(max(smallest.over, 0.1) / mm)} mm longer than the "
            f"{smallest.capacity / 3 / mm:.0f} mm there is; shorten it or split it into two topics"
        )
    # Whole sections win unless splitting buys more than SPLIT_GAIN: no need to look further down for them.
    whole_k = fitter.largest(_whole, split_k, floor=max(0, split_k - round(SPLIT_GAIN / SIZE_STEP)))
    split_sheet = fitter.trial(split_k).split
    assert split_sheet is not None
    if whole_k is not None and fitter.sizes[split_k] - fitter.sizes[whole_k] <= SPLIT_GAIN:
        whole_sheet = fitter.trial(whole_k).whole
        assert whole_sheet is not None
        return whole_sheet
    return split_sheet
