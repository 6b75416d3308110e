"""A fitted sheet read back as its sections' parts per column, from the flowables alone (any tree's builder).

Shared by tests/rules.py and benchmarks/sheet_layout.py, which measures older trees too: it needs only
ReportLab and the sheet's paragraph style names ("heading", "number").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Paragraph, Table

CONTINUED = "(continued)"


@dataclass
class Part:
    """One section's flowables in one column: its title, whether it continues, its steps and height."""

    title: str
    column: int
    continues: bool
    steps: int = 0
    diagram: bool = False
    height: float = 0.0
    flowables: list[Any] = field(default_factory=list)


def _text(paragraph: Paragraph) -> str:
    text = html.unescape(re.sub(r"<[^>]*>", "", paragraph.text)).replace("\u00ad", "")
    return " ".join(text.split())


def _is_step(flowable: Any) -> bool:
    if not isinstance(flowable, Table):
        return False
    first = flowable._cellvalues[0][0]  # type: ignore[attr-defined]  # the cells as given to Table
    first = first[0] if isinstance(first, (list, tuple)) and first else first
    return isinstance(first, Paragraph) and first.style.name == "number"


def parts(columns: Any, width: float) -> list[Part]:
    """The sections' parts in reading order; a heading starts a part, everything up to the next belongs to it."""
    found: list[Part] = []
    for index, column in enumerate(columns):
        for flowable in column:
            if isinstance(flowable, Paragraph) and flowable.style.name == "heading":
                title = _text(flowable)
                continues = title.endswith(CONTINUED)
                found.append(Part(title.removesuffix(CONTINUED).strip(), index, continues))
            elif not found or found[-1].column != index:
                found.append(Part("", index, False))
            part = found[-1]
            part.flowables.append(flowable)
            part.steps += _is_step(flowable)
            part.diagram = part.diagram or isinstance(flowable, Drawing)
            part.height += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return found


def sections(found: list[Part]) -> list[list[Part]]:
    """The parts grouped by section: a continued part joins the one before it."""
    grouped: list[list[Part]] = []
    for part in found:
        if part.continues and grouped:
            grouped[-1].append(part)
        else:
            grouped.append([part])
    return grouped


def split_sections(found: list[Part]) -> list[list[Part]]:
    return [group for group in sections(found) if len(group) > 1]


def stranded(found: list[Part]) -> list[str]:
    """Parts of a split sequence with fewer than two steps: 'Title: 1 step in column 2'."""
    out = []
    for group in split_sections(found):
        if any(p.steps for p in group):
            out += [f"{p.title}: {p.steps} step(s) in column {p.column + 1}" for p in group if p.steps < 2]
    return out


def needless_splits(found: list[Part], column_height: float) -> list[str]:
    """Split sections that would have fitted whole in the free space of the column they start in."""
    used = [0.0] * (1 + max((p.column for p in found), default=0))
    for part in found:
        used[part.column] += part.height
    out = []
    for group in split_sections(found):
        first = group[0]
        rest = sum(p.height - _heading_height(p) for p in group[1:])
        if column_height - used[first.column] >= rest - 0.01:
            out.append(f"{first.title}: {rest:.1f} pt more fitted in column {first.column + 1}")
    return out


def _heading_height(part: Part) -> float:
    head = part.flowables[0]
    return float(head.height + head.getSpaceBefore() + head.getSpaceAfter())
