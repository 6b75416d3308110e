"""Sequence diagrams: geometry without overlaps, every name drawn, on the sheet and on the card."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pdfplumber
import pytest
from helpers import CONTENT

from builder.content.gather import gather
from builder.deck.card_diagram import diagram_svg
from builder.deck.cards import notes
from builder.diagram import COMPACT, NORMAL, Diagram, arrange, overlaps, wrap
from builder.text.hyphens import word_breaks


def measure(text: str, size: float) -> float:
    return len(text) * size * 0.6


def drawn_names(diagram: Diagram) -> list[str]:
    """The names as drawn, lines joined again (these test names have no hyphens of their own)."""
    return [" ".join(box.lines).replace("- ", "") for box in diagram.boxes]


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("count,loop", [(20, False), (20, True), (2, True), (2, False), (7, True)])
def test_boxes_never_intersect_and_stay_inside(count: int, loop: bool, compact: bool) -> None:
    names = [f"Step number {i} with a longer name" for i in range(count)]
    d = arrange(names, [None] * count, loop, 250, 8, measure, spacing=COMPACT if compact else NORMAL)
    for i, a in enumerate(d.boxes):
        assert a.x >= 0 and a.x + a.w <= d.width + 1e-6 and a.y >= 0 and a.y + a.h <= d.height + 1e-6
        for b in d.boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    assert drawn_names(d) == names
    assert len(d.arrows) == count - 1 + (1 if loop else 0)
    assert d.arrows[-1].back is loop


@pytest.mark.parametrize("loop", [False, True])
def test_a_compact_diagram_is_shorter(loop: bool) -> None:
    """What a sheet near its limit draws: more boxes a row and tighter gaps, so fewer and shorter rows."""
    names = ["Load the batch", "Check the tensor", "Scale the weights", "Split", "Merge the model", "Train"] * 2
    normal = arrange(names, [None] * len(names), loop, 240, 7, measure)
    compact = arrange(names, [None] * len(names), loop, 240, 7, measure, spacing=COMPACT)
    assert compact.height < normal.height
    assert drawn_names(compact) == names


def test_loop_return_arrow_ends_at_the_first_box() -> None:
    d = arrange(["A", "B", "C", "D"], [None] * 4, True, 250, 8, measure)
    first = d.boxes[0]
    end = d.arrows[-1].points[-1]
    assert end == (first.x, first.y + first.h / 2)
    assert all(x <= first.x for x, _ in d.arrows[-1].points[2:])  # runs in the gutter, left of every box


def test_wrap_breaks_words_only_with_a_hyphen() -> None:
    assert wrap("Loss backwards", 40, 60, 10, measure).lines == ("Loss", "backwards")
    long = wrap("Supercalifragilistic", 40, 60, 10, measure)
    assert all(line.endswith("-") for line in long.lines[:-1]) and len(long.lines) > 1
    assert "".join(line.removesuffix("-") for line in long.lines) == "Supercalifragilistic"
    assert not long.forced  # every break is one the dictionary allows


def test_a_word_breaks_at_its_own_hyphen_before_the_dictionary() -> None:
    lines = wrap("α-Ketoglutarate", 40, 75, 10, measure).lines
    assert lines[0] in {first for first, _ in word_breaks("α-Ketoglutarate")}
    assert all(line.endswith("-") for line in lines[:-1])
    assert ("α-", "Ketoglutarate") in word_breaks("α-Ketoglutarate")
    assert not any(first.endswith("--") for first, _ in word_breaks("α-Ketoglutarate"))


def test_whole_sequence_card_carries_an_svg_with_every_step() -> None:
    topic = gather([CONTENT]).topics[0]
    wholes = [n for n in notes(topic) if n.kind == "whole-sequence"]
    assert len(wholes) == 2
    for seq, note in zip(topic.sequences, wholes, strict=False):
        found = re.search(r"<svg[^>]*>.*</svg>", note.extra, re.S)
        assert found is not None
        svg = found.group(0)
        assert "<script" not in svg and "style=" not in svg and 'class="diagram"' in svg
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", svg)).split()).replace("- ", "")
        for step in seq.steps:
            assert " ".join(step.name.split()) in text or all(w in text for w in step.name.split()), step.name
    assert "dg-back" in diagram_svg(topic, topic.sequences[0])
    assert "dg-back" not in diagram_svg(topic, topic.sequences[1])


def test_diagram_text_is_escaped_in_svg() -> None:
    topic = gather([Path(__file__).parent / "fixtures" / "literal.yaml"]).topics[0]
    svg = diagram_svg(topic, topic.sequences[0])
    assert "<script>" not in svg and "<b>" not in svg
    spans = [html.unescape(t) for t in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)]
    joined = "".join(s.removesuffix("-") for s in spans).replace(" ", "")
    for name in ("<script>alert(1)</script>", "x<y && y>z", "{{c2::not a cloze}}"):
        assert name.replace(" ", "") in joined, (name, spans)


def test_sheet_holds_vector_boxes_for_each_sequence(built_content: Path) -> None:
    with pdfplumber.open(built_content / "pytorch-training-loop.pdf") as pdf:
        page = pdf.pages[0]
        shapes = [c for c in page.curves + page.rects if 20 < c["width"] < 200 and 10 < c["height"] < 100]
        assert len(shapes) >= 6 + 5
        words = " ".join(w["text"] for w in page.extract_words())
    for name in ("Training", "Progress", "Save model", "evaluate"):
        assert words.count(name.split()[0]) >= 2, name  # in the list and in the diagram
