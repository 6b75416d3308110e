"""Fitting near the limit: compact diagrams, then diagrams left out with a warning, and `sheet: {diagrams: false}`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfplumber
import pytest
from helpers import FIXTURES, run_cli
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Spacer

from builder.content.gather import gather
from builder.content.model import Topic
from builder.diagram import COMPACT, NORMAL
from builder.render.plan import plan
from builder.render.renderer import Renderer
from builder.sheet.fit import SPLIT_PENALTY, FittedSheet, best_cut, cheapest, diagram_choices
from builder.sheet.styles import MIN_SIZE
from builder.sheet.units import Redraw, Unit

CAPACITY = FIXTURES / "capacity.yaml"
DROPPED = 'sequences[2]: the sheet leaves out the diagram of "Pipeline 3"'


def fitted(topic: Topic, paper: str) -> FittedSheet:
    return Renderer().fit(plan([topic], paper)[0])


def drawings(sheet: FittedSheet) -> int:
    return sum(1 for column in sheet.columns for f in column if isinstance(f, Drawing))


@pytest.fixture(scope="module")
def capacity() -> Topic:
    return gather([CAPACITY]).topics[0]


def test_a_topic_version_0_1_0_fitted_still_fits(capacity: Topic) -> None:
    """cf221f3 fitted it at 7.5 pt (A4) and 8 pt (letter); with every section whole, letter needs compact
    diagrams and A4 one diagram fewer (the longest sequence's), and both are set above 7 pt."""
    letter, a4 = fitted(capacity, "letter"), fitted(capacity, "a4")
    assert (letter.compact, letter.dropped, drawings(letter)) == (True, (), 3)
    assert (a4.compact, a4.dropped, drawings(a4)) == (True, ("seq3",), 2)
    assert letter.size >= MIN_SIZE and a4.size >= MIN_SIZE


def test_diagram_choices_come_compact_first_then_one_more_left_out_at_a_time(capacity: Topic) -> None:
    choices = diagram_choices(capacity)
    assert [c.dropped for c in choices] == [(), (), ("seq3",), ("seq2", "seq3"), ("seq1", "seq2", "seq3")]
    assert [c.spacing for c in choices] == [NORMAL, COMPACT, COMPACT, COMPACT, COMPACT]


def test_a_topic_that_fits_keeps_its_diagrams_as_drawn() -> None:
    topic = gather([FIXTURES / "minimal.yaml"]).topics[0]
    sheet = fitted(topic, "a4")
    assert (sheet.compact, sheet.dropped, drawings(sheet)) == (False, (), 1)


def _said(err: str, prefix: str) -> bool:
    rel = CAPACITY.relative_to(Path.cwd()) if CAPACITY.is_relative_to(Path.cwd()) else CAPACITY
    return any(line.startswith(f"{prefix}{rel}:82:5: {DROPPED}: ") for line in err.splitlines())


def test_a_dropped_diagram_warns_naming_its_sequence(tmp_path: Path, epoch: int) -> None:
    code, _, err = run_cli("build", str(CAPACITY), "--out", str(tmp_path))
    assert code == 0 and _said(err, "warning: ")
    assert _said(run_cli("build", str(CAPACITY), "--out", str(tmp_path))[2], "warning: ")  # the run record's
    assert _said(run_cli("build", "--force", str(CAPACITY), "--out", str(tmp_path))[2], "warning: ")
    (tmp_path / "capacity-synthetic.pdf").unlink()  # the topic's cache entry: the deck is left, the sheet rebuilt
    assert _said(run_cli("build", str(CAPACITY), "--out", str(tmp_path))[2], "warning: ")
    code, out, err = run_cli("check", str(CAPACITY))
    assert code == 0 and _said(err, "warning: ") and "1 topic OK (1 warning)" in out
    code, _, err = run_cli("check", "--strict", str(CAPACITY))
    assert code == 1 and _said(err, "error (strict): ")
    code, _, err = run_cli("build", "--strict", str(CAPACITY), "--out", str(tmp_path / "strict"))
    assert code == 1 and _said(err, "error (strict): ")
    assert err.splitlines()[-1] == "1 problem found; nothing was written"
    assert list((tmp_path / "strict").iterdir()) == []


def _steps_written(pdf: Path, name: str) -> int:
    with pdfplumber.open(pdf) as opened:
        return " ".join(opened.pages[0].extract_text().split()).count(name)


@pytest.mark.parametrize("where", ["topic", "sequence"])
def test_sheet_diagrams_false_leaves_the_diagram_out_without_a_warning(tmp_path: Path, epoch: int, where: str) -> None:
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    off = "sheet: {diagrams: false}"
    text = text.replace("sequences:", f"{off}\nsequences:") if where == "topic" else text + f"    {off}\n"
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    topic = gather([path]).topics[0]
    assert [s.diagram for s in topic.sequences] == [False]
    assert drawings(fitted(topic, "a4")) == 0
    code, _, err = run_cli("build", str(path), "--out", str(tmp_path / "out"))
    assert code == 0 and "warning" not in err
    assert _steps_written(tmp_path / "out" / "tiny-topic.pdf", "Brush teeth") == 1  # the step list; no diagram box
    run_cli("build", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path / "drawn"))
    assert _steps_written(tmp_path / "drawn" / "tiny-topic.pdf", "Brush teeth") == 2


def test_a_sequence_choice_wins_over_its_topic(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "format: 1\nid: two\ntitle: Two\nversion: 1.0.0\nsheet: {diagrams: false}\nsequences:\n"
        "  - {id: a, title: A, steps: [One, Two]}\n"
        "  - {id: b, title: B, steps: [One, Two], sheet: {diagrams: true}}\n",
        encoding="utf-8",
    )
    topic = gather([path]).topics[0]
    assert [s.diagram for s in topic.sequences] == [False, True]
    drawn = dataclasses.replace(topic, sequences=tuple(dataclasses.replace(s, diagram=True) for s in topic.sequences))
    assert topic.identity() != drawn.identity()  # a changed choice rebuilds the sheet
    assert "undrawn" not in gather([FIXTURES / "minimal.yaml"]).topics[0].identity()  # and others keep their hash


def test_check_strict_reports_the_fit_with_the_promoted_warnings(tmp_path: Path) -> None:
    warned = tmp_path / "warned.yaml"
    steps = ", ".join(f"Step {k}" for k in range(10))
    warned.write_text(
        f"format: 1\nid: warned\ntitle: Warned\nversion: 1.0.0\nsequences:\n"
        f"  - {{id: a, title: A, steps: [{steps}]}}\n",
        encoding="utf-8",
    )
    big = str(FIXTURES / "too-big.yaml")
    for strict in ([], ["--strict"]):
        code, _, err = run_cli("check", *strict, big, str(warned))
        lines = err.splitlines()
        assert code == 1
        assert any("topic 'too-big' does not fit one page at 7 pt" in line for line in lines), err
        said = [line for line in lines if "10 steps are hard to learn" in line]
        assert len(said) == 1 and said[0].startswith("error (strict): " if strict else "warning: ")
        assert lines[-1] == ("2 problems found" if strict else "1 problem found")


def test_a_release_says_the_diagram_left_out_and_strict_releases_nothing(tmp_path: Path) -> None:
    code, _, err = run_cli("release", str(CAPACITY), "--name", "Capacity", "--out", str(tmp_path / "a"), "-q")
    assert code == 0 and _said(err, "warning: ")
    code, _, err = run_cli("release", "--strict", str(CAPACITY), "--name", "Capacity", "--out", str(tmp_path / "b"))
    assert code == 1 and _said(err, "error (strict): ") and not (tmp_path / "b" / "release" / "manifest.json").exists()


def test_check_strict_labels_warnings_beside_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    steps = ", ".join(f"S{k}" for k in range(10))
    bad.write_text(
        "format: 1\nid: bad\ntitle: Bad\nversion: 1.0.0\nsequences:\n  - {id: a, title: A, steps: [One]}\n"
        f"  - {{id: b, title: B, steps: [{steps}]}}\n",
        encoding="utf-8",
    )
    for command in (["check"], ["build", "--out", str(tmp_path / "out")]):
        code, _, err = run_cli(*command, "--strict", str(bad))
        assert code == 1
        assert [line.split(": ", 1)[0] for line in err.splitlines()[:2]] == [f"{bad}:6:30", "error (strict)"]


def _section(*heights: float, saves: float = 0.0) -> list[Unit]:
    """A section of units this tall; the last holds a diagram whose redraw to the column is `saves` shorter."""
    units = [Unit((Spacer(1, h),), h, k == 0) for k, h in enumerate(heights)]
    if saves:
        units[-1] = dataclasses.replace(units[-1], diagram=heights[-1], redraw=Redraw(REDRAWN, saves))
    return units


REDRAWN = Spacer(1, 1)


def _redrawn(units: list[Unit]) -> list[int]:
    return [k for k, u in enumerate(units) if u.flowables[-1] is REDRAWN]


def test_diagrams_stay_as_on_their_cards_when_the_sheet_fits_so() -> None:
    units = _section(60, saves=20) + _section(50) + _section(50) + _section(50)
    chosen, cut = cheapest(units, 100)
    assert cut is not None and _redrawn(chosen) == [] and chosen == units


def test_a_diagram_is_redrawn_to_its_column_only_where_the_cards_drawing_does_not_fit() -> None:
    units = _section(95, saves=10) + _section(105, saves=10) + _section(50)
    chosen, cut = cheapest(units, 100)
    assert cut is not None and _redrawn(chosen) == [1]
    assert chosen[1].height == 95 and chosen[1].diagram == 95 and chosen[1].redraw is None


def test_a_redrawn_diagram_is_cheaper_than_a_split_section() -> None:
    """As on the card the first section is 110 tall: it would have to split; redrawn it is whole."""
    units = _section(60, 50, saves=15) + _section(40) + _section(40)
    as_cards = best_cut(units, 100)
    assert as_cards is not None and as_cards.cost >= SPLIT_PENALTY
    chosen, cut = cheapest(units, 100)
    assert cut is not None and cut.cost < SPLIT_PENALTY and _redrawn(chosen) == [1]


def test_with_nothing_fitting_the_units_come_back_at_their_shortest() -> None:
    units = _section(150, saves=10) + _section(50)
    chosen, cut = cheapest(units, 100)
    assert cut is None and [u.height for u in chosen] == [140, 50]
