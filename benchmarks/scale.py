"""Speed and scale of the whole builder, as figures and ratios measured in one run.

    python benchmarks/scale.py                 # courses of 10, 100 and 500 topics
    python benchmarks/scale.py --sizes 10 50   # quicker

For each course size: wall time and peak memory of `check`, `build` (all cores),
a no-op rebuild and `release`. Then the ratios the project holds itself to:

- deck writing vs raw genanki writing the same notes (<= 1.3; benchmarks/deck_speed.py)
- sheet fitting vs one ReportLab build of the fitted sheet (<= 3)
- time per topic at the largest course vs the smallest (<= 1.2)
- `python -m builder --help` vs `python -c "import yaml"` (<= 1.5)
- no-op rebuild vs full build (<= 0.05)
- build of 100 topics on 2 processes vs 1 (>= 1.6 times faster)
- peak memory at the largest course (<= 300 MB; the whole process tree, workers included)

Each command runs in a fresh process, as a teacher runs it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEASURE = (
    "import json, resource, sys, time\n"
    "from builder.cli import main\n"
    "start = time.perf_counter()\n"
    "code = main(sys.argv[1:])\n"
    "wall = time.perf_counter() - start\n"
    "self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps({'code': code, 'wall': wall, 'self_mb': self_kb / 1024, 'child_mb': child_kb / 1024}),"
    " file=sys.stderr)\n"
)
WORDS = [
    "model",
    "data",
    "batch",
    "gradient",
    "loss",
    "tensor",
    "layer",
    "weight",
    "update",
    "step",
    "optimizer",
    "forward",
    "backward",
    "epoch",
    "train",
    "test",
    "split",
    "metric",
    "accuracy",
    "learning",
    "rate",
    "schedule",
    "checkpoint",
    "device",
    "memory",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def topic_yaml(index: int, rng: random.Random) -> str:
    """A topic shaped like the PyTorch one: 3 sequences of 6 to 8 steps (the first with `does` and code),
    a mnemonic, an analogy and a snippet for the first."""
    lines = [
        f"format: 1\nid: topic-{index}\ntitle: Topic {index}\nversion: 1.0.0\n"
        f"deck: Course::Topic {index}\nsummary: {sentence(rng, 10)}\ntags: [bench]\nsequences:"
    ]
    first_steps = []
    for s in range(3):
        count = rng.randint(6, 8)
        lines.append(f"  - id: seq-{s}\n    title: Sequence {s} of topic {index}\n    steps:")
        for k in range(count):
            name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).capitalize()
            lines.append(f"      - id: s{k}\n        name: {name} {k}")
            if s == 0:
                lines.append(f"        does: {sentence(rng, 10)}\n        code: step_{k}(batch)")
                first_steps.append((f"s{k}", name))
    lines.append(
        "mnemonics:\n  - id: m\n    phrase: "
        + "".join(n[0].upper() for _, n in first_steps)
        + "\n    for: seq-0\n    cues:"
    )
    for sid, name in first_steps:
        lines.append(f"      - {{letter: {name[0].upper()}, step: {sid}}}")
    lines.append("analogies:\n  - id: a\n    title: Kitchen\n    for: seq-0\n    pairs:")
    for sid, _ in first_steps:
        lines.append(f"      - {{step: {sid}, like: {sentence(rng, 5)}}}")
    lines.append(
        "snippets:\n  - id: code\n    language: python\n    for: seq-0\n    code: |\n      for batch in loader:"
    )
    for k in range(len(first_steps)):
        lines.append(f"          step_{k}(batch)")
    return "\n".join(lines) + "\n"


def make_course(folder: Path, count: int) -> None:
    rng = random.Random(count)
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"topic-{i:03d}.yaml").write_text(topic_yaml(i, rng), encoding="utf-8")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def run(*args: str) -> dict[str, Any]:
    """Run one command in a fresh process; its wall time, and the peak memory of its whole process tree."""
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", MEASURE, *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={"SOURCE_DATE_EPOCH": "1767225600", "PATH": "/usr/bin:/bin"},
        )
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.02)
        err.seek(0)
        output = err.read()
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"{args} failed:\n{output}")
    result["peak_mb"] = max(peak, result["self_mb"])
    return result


def wall(command: list[str], repeat: int) -> float:
    """Median wall time of a whole command, process start included."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fit_ratio(folder: Path, sample: int = 10) -> float:
    from builder.content.gather import gather
    from builder.glyphs.emoji import EmojiSet
    from builder.glyphs.fonts import coverage, register
    from builder.sheet.fit import fit_sheet
    from builder.sheet.markup import blank_image
    from builder.sheet.pdf import pdf_bytes

    register()
    fonts, emoji = coverage(), EmojiSet.load()
    topics = gather([folder]).topics[:sample]
    fitting = drawing = 0.0
    for topic in topics:
        start = time.perf_counter()
        sheet = fit_sheet(topic, "a4", "2026-01-01", fonts, emoji, blank_image())
        middle = time.perf_counter()
        pdf_bytes(topic, sheet, emoji)
        fitting += middle - start
        drawing += time.perf_counter() - middle
    return fitting / drawing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        rows = {}
        print(
            f"{'topics':>6} {'check s':>8} {'build s':>8} {'no-op s':>8} {'release s':>9} "
            f"{'peak MB: check build release':>29}"
        )
        for size in args.sizes:
            course = base / f"course-{size}" / "content"
            make_course(course, size)
            out = str(base / f"out-{size}")
            check = run("check", str(course))
            full = run("build", str(course), "--out", out, "--quiet")
            noop = run("build", str(course), "--out", out, "--quiet")
            release = run("release", str(course), "--out", out, "--name", "Bench", "--quiet")
            peak = max(r["peak_mb"] for r in (check, full, release))
            rows[size] = {"check": check, "build": full, "noop": noop, "release": release, "peak": peak}
            print(
                f"{size:>6} {check['wall']:>8.2f} {full['wall']:>8.2f} {noop['wall']:>8.2f} "
                f"{release['wall']:>9.2f} {check['peak_mb']:>16.0f} {full['peak_mb']:>5.0f} "
                f"{release['peak_mb']:>7.0f}"
            )
        small, large = min(args.sizes), max(args.sizes)
        per_topic = (rows[large]["build"]["wall"] / large) / (rows[small]["build"]["wall"] / small)
        noop_ratio = rows[large]["noop"]["wall"] / rows[large]["build"]["wall"]

        mid = 100 if 100 in args.sizes else large
        mid_course = str(base / f"course-{mid}" / "content")
        one = run("build", mid_course, "--out", str(base / "one"), "--quiet", "--jobs", "1", "--force")["wall"]
        two = run("build", mid_course, "--out", str(base / "two"), "--quiet", "--jobs", "2", "--force")["wall"]
        help_time = wall([sys.executable, "-m", "builder", "--help"], 15)
        yaml_time = wall([sys.executable, "-c", "import yaml"], 15)
        fitting = fit_ratio(base / f"course-{small}" / "content")

        from deck_speed import course as deck_course
        from deck_speed import ours, raw

        deck_topics = deck_course(10_000)
        deck_runs = [ours(deck_topics) for _ in range(3)]
        deck_ours = min(run[0] for run in deck_runs)
        deck_writer = min(run[3] for run in deck_runs)
        deck_raw = min(raw(deck_topics)[0] for _ in range(3))

        print()
        print(f"{'ratio':<52} {'value':>7} {'target':>8}")
        for label, value, target in (
            ("deck writing / raw genanki (10,000 notes)", deck_writer / deck_raw, "<= 1.3"),
            ("cards stage + deck writing / raw genanki", deck_ours / deck_raw, "-"),
            ("sheet fitting / one ReportLab build", fitting, "<= 3"),
            (f"time per topic, {large} / {small} topics", per_topic, "<= 1.2"),
            ("--help / import yaml", help_time / yaml_time, "<= 1.5"),
            (f"no-op rebuild / full build ({large} topics)", noop_ratio, "<= 0.05"),
            (f"build {mid} topics, 1 process / 2 processes", one / two, ">= 1.6"),
            (f"peak memory MB at {large} topics (whole process tree)", rows[large]["peak"], "<= 300"),
        ):
            print(f"{label:<52} {value:>7.2f} {target:>8}")


if __name__ == "__main__":
    main()
