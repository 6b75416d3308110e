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
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..content.model import Topic
from ..emoji import EmojiSet
from ..errors import DoesNotFitError
from ..fonts import Coverage
from .markup import Markup
from .sections import band, footer_text, topic_units, unit
from .styles import GUTTER, MARGIN, MAX_SIZE, MIN_SIZE, SIZE_STEP, Styles

PAPERS = {"a4": landscape(A4), "letter": landscape(letter)}
Cut = tuple[int, int, float]


@dataclass(frozen=True)
class FittedSheet:
    """Everything the PDF stage draws: the chosen size, the columns' flowables, band and footer."""

    size: float
    columns: tuple[tuple[Flowable, ...], ...]
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


def balanced_cut(heights: list[float], starts: list[bool], split: bool) -> Cut | None:
    """Cut points (i, j) splitting units into three non-empty columns, and the tallest column's height.

    Without `split`, columns break only where a section starts. The cut with the
    shortest tallest column wins; None when there is no allowed cut.
    """
    n = len(heights)
    prefix = [0.0]
    for h in heights:
        prefix.append(prefix[-1] + h)
    best: Cut | None = None
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


class _Fitter:
    """Lays a topic out at each size at most once; both kinds of column cut share one layout per size."""

    def __init__(self, topic: Topic, paper: str, built: str, markup: Markup) -> None:
        self.topic = topic
        self.page = PAPERS[paper]
        self.width = self.page[0] - 2 * MARGIN
        self.column_width = (self.width - 2 * GUTTER) / 3
        count = int(round((MAX_SIZE - MIN_SIZE) / SIZE_STEP))
        self.sizes = [MIN_SIZE + k * SIZE_STEP for k in range(count + 1)]
        self.markup = markup
        self.footer_text = footer_text(topic, built, markup.uses_artwork(list(topic.texts())))
        self.tried: dict[int, Trial] = {}

    def trial(self, k: int) -> Trial:
        if k not in self.tried:
            self.tried[k] = self._lay_out(self.sizes[k])
        return self.tried[k]

    def _lay_out(self, size: float) -> Trial:
        st = Styles(size)
        units = topic_units(self.topic, st, self.markup, self.column_width)
        title_band, band_height = band(self.topic, st, self.markup, self.width)
        footer = Paragraph(xml_escape(self.footer_text), st.footer)
        footer_height = footer.wrap(self.width, 1e6)[1]
        column_height = self.page[1] - 2 * MARGIN - band_height - footer_height - 2 * GUTTER
        units += [unit([Spacer(0, 0)], self.column_width, True)] * (3 - len(units))
        heights, starts = [u.height for u in units], [u.starts for u in units]

        def sheet(cut: Cut | None) -> FittedSheet | None:
            if cut is None or cut[2] > column_height:
                return None
            i, j, _ = cut
            columns = tuple(tuple(f for u in part for f in u.flowables) for part in (units[:i], units[i:j], units[j:]))
            return FittedSheet(
                size,
                columns,
                self.page,
                title_band,
                band_height,
                footer,
                footer_height,
                self.column_width,
                column_height,
            )

        finest = balanced_cut(heights, starts, True)
        assert finest is not None, "three units always have a cut"
        return Trial(
            sheet(balanced_cut(heights, starts, False)),
            sheet(finest),
            sum(heights),
            3 * column_height,
            finest[2] - column_height,
        )

    def largest(self, fits: Callable[[Trial], FittedSheet | None], start: int) -> int | None:
        """Walk from `start` to the largest size index whose trial fits; None when even 7 pt does not."""
        k = start
        if fits(self.trial(k)) is not None:
            while k + 1 < len(self.sizes) and fits(self.trial(k + 1)) is not None:
                k += 1
            return k
        while k > 0:
            k -= 1
            if fits(self.trial(k)) is not None:
                return k
        return None


def _whole(trial: Trial) -> FittedSheet | None:
    return trial.whole


def _split(trial: Trial) -> FittedSheet | None:
    return trial.split


def fit_sheet(topic: Topic, paper: str, built: str, fonts: Coverage, emoji: EmojiSet, blank: Path) -> FittedSheet:
    """The largest type size whose three columns fit; DoesNotFitError below 7 pt."""
    fitter = _Fitter(topic, paper, built, Markup(fonts, emoji, blank))
    top = len(fitter.sizes) - 1
    first = fitter.trial(top)
    if first.whole is not None:
        return first.whole
    # Column text grows about as the square of the type size: aim near the answer, then walk.
    estimate = fitter.sizes[top] * (first.capacity / max(first.total, 1.0)) ** 0.5
    guess = max(0, min(top, int((estimate - MIN_SIZE) / SIZE_STEP)))
    split_k = fitter.largest(_split, guess)
    if split_k is None:
        smallest = fitter.trial(0)
        raise DoesNotFitError(
            f"{topic.source}: topic '{topic.id}' does not fit one page at {MIN_SIZE:g} pt: even balanced, a "
            f"column is {math.ceil(max(smallest.over, 0.1) / mm)} mm longer than the "
            f"{smallest.capacity / 3 / mm:.0f} mm there is; shorten it or split it into two topics"
        )
    whole_k = fitter.largest(_whole, split_k)
    split_sheet = fitter.trial(split_k).split
    assert split_sheet is not None
    if whole_k is not None and fitter.sizes[split_k] - fitter.sizes[whole_k] <= 1.0:
        whole_sheet = fitter.trial(whole_k).whole
        assert whole_sheet is not None
        return whole_sheet
    return split_sheet
