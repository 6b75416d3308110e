"""The sheet's layout over the corpus, for any tree of the project: type size, splits, stranded steps, time.

    python benchmarks/sheet_layout.py --tree /tmp/oldtree --json before.json   # one tree's figures
    python benchmarks/sheet_layout.py --compare /tmp/oldtree /work/wt/issue-22  # side by side, with ratios

Topics are this tree's `tests/corpus/` and `content/`, read and fitted by the measured tree's builder, on
A4 and letter. "layouts" counts how often the tree laid the topic out at one type size (its `topic_units`);
"ms" is the wall time of one `fit_sheet`, best of three. Splits and stranded steps are read back from the
fitted columns by `tests/sheet_parts.py`, the same way for every tree.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
FOLDERS = (HERE / "tests" / "corpus", HERE / "content")
PAPERS = ("a4", "letter")


def measure(tree: Path) -> dict[str, dict[str, Any]]:
    # An editable install of another tree would answer for subpackages the tree lacks: only sys.path counts.
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in str(getattr(f, "__module__", ""))]
    sys.path[:0] = [str(tree), str(HERE / "tests")]
    import sheet_parts
    from reportlab.graphics.shapes import Drawing

    from builder.content.gather import gather

    try:
        from builder.glyphs.emoji import EmojiSet
        from builder.glyphs.fonts import coverage, register
    except ImportError:  # a tree from before builder/glyphs/
        from builder.emoji import EmojiSet  # type: ignore[import-not-found,no-redef]
        from builder.fonts import coverage, register  # type: ignore[import-not-found,no-redef]
    from builder.sheet import fit
    from builder.sheet.markup import blank_image

    register()
    fonts, emoji = coverage(), EmojiSet.load()
    counted = [0]
    original = getattr(fit, "topic_units")  # noqa: B009  # imported there, not exported

    def counting(*args: Any, **kwargs: Any) -> Any:
        counted[0] += 1
        return original(*args, **kwargs)

    setattr(fit, "topic_units", counting)  # noqa: B010
    out: dict[str, dict[str, Any]] = {}
    for topic in gather(list(FOLDERS)).topics:
        for paper in PAPERS:
            times, sheet, error = [], None, ""
            counted[0] = 0
            for _ in range(3):
                start = time.perf_counter()
                try:
                    sheet = fit.fit_sheet(topic, paper, "2026-01-01", fonts, emoji, blank_image())
                except Exception as exc:  # a refusal is a figure too
                    error = str(exc).split(": ", 1)[-1][:90]
                times.append(time.perf_counter() - start)
            row: dict[str, Any] = {"ms": 1000 * min(times), "layouts": counted[0] // 3, "error": error}
            if sheet is not None:
                found = sheet_parts.parts(sheet.columns, sheet.column_width)
                row |= {
                    "size": sheet.size,
                    "splits": len(sheet_parts.split_sections(found)),
                    "stranded": len(sheet_parts.stranded(found)),
                    "needless": len(sheet_parts.needless_splits(found, sheet.column_height)),
                    # diagrams drawn as on their cards, of all drawn (a tree before that draws none so)
                    "as_card": sum(bool(getattr(f, "as_card", False)) for c in sheet.columns for f in c),
                    "diagrams": sum(isinstance(f, Drawing) for c in sheet.columns for f in c),
                }
            out[f"{topic.id}@{paper}"] = row
    return out


def cards(row: dict[str, Any]) -> str:
    return f"{row.get('as_card', 0)}/{row.get('diagrams', 0)}"


def compare(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"{'topic@paper':34} {'size':>11} {'splits':>7} {'strand':>7} {'needless':>8} {'as card':>9} {'layouts':>8} "
        f"{'ms':>13}"
    ]
    totals: dict[str, list[float]] = {"b": [0, 0, 0, 0.0, 0], "a": [0, 0, 0, 0.0, 0]}
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key, {}), after.get(key, {})

        def pair(name: str, fmt: str = "g", b: dict[str, Any] = b, a: dict[str, Any] = a) -> str:
            return f"{format(b[name], fmt) if name in b else '-'}>{format(a[name], fmt) if name in a else '-'}"

        lines.append(
            f"{key:34} {pair('size'):>11} {pair('splits'):>7} {pair('stranded'):>7} {pair('needless'):>8} "
            f"{cards(b)}>{cards(a):<4} {pair('layouts'):>8} {pair('ms', '.0f'):>13}"
        )
        for side, row in (("b", b), ("a", a)):
            t = totals[side]
            t[0] += row.get("splits", 0)
            t[1] += row.get("stranded", 0)
            t[2] += row.get("needless", 0)
            t[3] += row.get("ms", 0.0)
            t[4] += row.get("layouts", 0)
        for side, row in (("before", b), ("after", a)):
            if row.get("error"):
                lines.append(f"    {side}: {row['error']}")
    smaller = [k for k in after if "size" in after[k] and after[k]["size"] < before.get(k, {}).get("size", 0) - 0.25]
    refused = [k for k in after if "size" not in after[k]]
    tb, ta = totals["b"], totals["a"]
    lines.append(f"splits {tb[0]} > {ta[0]}, stranded steps {tb[1]} > {ta[1]}, needless splits {tb[2]} > {ta[2]}")
    lines.append(f"layouts {tb[4]} > {ta[4]}; fitting time {tb[3]:.0f} ms > {ta[3]:.0f} ms, ratio {ta[3] / tb[3]:.2f}")
    per_b, per_a = tb[3] / max(1, tb[4]), ta[3] / max(1, ta[4])
    lines.append(f"per layout {per_b:.1f} ms > {per_a:.1f} ms; per sheet ratio {ta[3] / tb[3]:.2f}")
    lines.append(f"more than 0.25 pt smaller: {smaller or 'none'}; refused after: {refused or 'none'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.tree:
        figures = measure(args.tree.resolve())
        text = json.dumps(figures, indent=1, sort_keys=True)
        if args.json:
            args.json.write_text(text)
        else:
            print(text)
        return 0
    if args.compare:
        runs = []
        for tree in args.compare:
            done = subprocess.run(
                [sys.executable, __file__, "--tree", str(tree)], capture_output=True, text=True, check=True
            )
            runs.append(json.loads(done.stdout))
        print(compare(runs[0], runs[1]))
        return 0
    parser.error("give --tree or --compare")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
