"""Start-up cost and process hygiene, as the ratios of issue 15, each measured in one run.

    python benchmarks/startup.py                    # the repository's course (content/)
    python benchmarks/startup.py --course ../my/content --runs 15
    python benchmarks/startup.py --memory-topics 0  # skip the 500-topic build (about 80 s)
    python benchmarks/startup.py --only cold topics # only the cold build and the 60-topic no-op

Every command runs in a fresh process, as a teacher runs it: with the caller's
environment (so build times come from git when the course is committed) but with
Python's bytecode cache on, as an installed package has it (PYTHONDONTWRITEBYTECODE
is dropped; the warm-up run of each command writes the cache). A ratio compares two
commands timed alternately, A B A B ..., as the median of each. Figures:

- `python -m builder --help` vs `python -c "import yaml"` (<= 1.3)
- no-op rebuild of the course vs `python -c "import yaml"` (<= 3)
- no-op rebuild vs full build of a synthetic 60-topic course (<= 0.03)
- cold full build of the course (`--force --jobs 1`) vs
  `python -c "import genanki, reportlab.platypus, yaml"` (<= 2.5)
- processes left 2 s after each of 10 SIGKILLs of a 2-job build's parent at random moments (0)
- a worker killed mid-build: the exit code, the topic named, no traceback (exit 1, named)
- a worker stopped (SIGSTOP) mid-build with a time limit of 5 s per topic: the same, and how long it took
- peak memory of the whole process tree building 500 topics (<= 250 MB)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale import make_course, run

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUILDER = [PYTHON, "-m", "builder"]
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def ratio(first: list[str], second: list[str], runs: int) -> tuple[float, float, float]:
    """Median time of `first`, of `second` (alternating, after one warm-up each), and their ratio."""
    seconds(first), seconds(second)
    a, b = [], []
    for _ in range(runs):
        a.append(seconds(first))
        b.append(seconds(second))
    return statistics.median(a), statistics.median(b), statistics.median(a) / statistics.median(b)


def session(sid: int) -> list[int]:
    """Live processes of a session (a build started in its own session: the builder and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def python_children(pid: int) -> set[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    found = set()
    for child in children:
        try:
            if Path(f"/proc/{child}/exe").resolve().name.startswith("python"):
                found.add(child)
        except OSError:
            continue
    return found


def workers_of(pid: int, timeout: float = 60) -> list[int]:
    """The builder's worker processes: its Python children, seen twice 0.05 s apart (git is a child too, and
    runs Python for an instant between fork and exec)."""
    deadline = time.monotonic() + timeout
    before: set[int] = set()
    while time.monotonic() < deadline:
        try:
            now = python_children(pid)
        except OSError:
            now = set()
        if now & before:
            return sorted(now & before)
        before = now
        time.sleep(0.05)
    raise SystemExit("the build never started its workers")


def orphans(command: list[str], kills: int, full: float) -> int:
    """Processes of a build left 2 s after its parent was killed with SIGKILL, summed over `kills` builds."""
    rng = random.Random(15)
    left = 0
    for _ in range(kills):
        proc = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        workers_of(proc.pid)
        time.sleep(rng.uniform(0, 0.8 * full))
        proc.kill()
        proc.wait()
        time.sleep(2)
        remaining = session(proc.pid)
        left += len(remaining)
        for pid in remaining:
            os.kill(pid, signal.SIGKILL)
    return left


def killed_worker(command: list[str]) -> tuple[int, str]:
    """Kill one worker of a build half a second into its work: the build's exit code and last line of stderr."""
    proc = subprocess.Popen(
        command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    workers = workers_of(proc.pid)
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    lines = err.strip().splitlines()
    return proc.returncode, ("Traceback in stderr" if "Traceback" in err else lines[-1] if lines else "")


def hung_worker(command: list[str], limit: float) -> tuple[int, str, float]:
    """Stop one worker of a build (SIGSTOP) half a second into its work, with a time limit per topic of `limit`
    seconds: the build's exit code, the last line of its stderr, and how long it took to end after the stop."""
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**ENV, "FLOZP_TOPIC_TIMEOUT": f"{limit:g}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    workers = workers_of(proc.pid)
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGSTOP)
    stopped = time.perf_counter()
    _, err = proc.communicate(timeout=120 + limit)
    took = time.perf_counter() - stopped
    lines = err.strip().splitlines()
    return proc.returncode, ("Traceback in stderr" if "Traceback" in err else lines[-1] if lines else ""), took


def peak_memory(folder: Path, topics: int) -> float:
    course = folder / f"course-{topics}" / "content"
    make_course(course, topics)
    return float(run("build", str(course), "--out", str(folder / f"out-{topics}"), "--quiet")["peak_mb"])


FIGURES = ["help", "noop", "cold", "topics", "hygiene", "memory"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", type=Path, default=ROOT / "content", help="the small course (default: content/)")
    parser.add_argument("--topics", type=int, default=60, help="topics of the synthetic course (default: 60)")
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each command (default: 21)")
    parser.add_argument("--kills", type=int, default=10, help="builds killed with SIGKILL (default: 10)")
    parser.add_argument("--memory-topics", type=int, default=500, help="topics of the memory run; 0 skips it")
    parser.add_argument(
        "--only", nargs="+", choices=FIGURES, default=FIGURES, metavar="FIGURE", help=f"some of: {' '.join(FIGURES)}"
    )
    args = parser.parse_args()
    wanted = set(args.only)
    course = str(args.course.resolve())
    yaml = [PYTHON, "-c", "import yaml"]
    imports = [PYTHON, "-c", "import genanki, reportlab.platypus, yaml"]
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, course {course}")
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        out = str(base / "small")
        figures = [
            ("help", "`--help` / `import yaml`", [*BUILDER, "--help"], yaml, "<= 1.3"),
            (
                "noop",
                "no-op rebuild of the course / `import yaml`",
                [*BUILDER, "build", course, "--out", out, "--quiet"],
                yaml,
                "<= 3",
            ),
            (
                "cold",
                "cold build of the course (`--force --jobs 1`) / imports",
                [*BUILDER, "build", course, "--out", out, "--quiet", "--force", "--jobs", "1"],
                imports,
                "<= 2.5",
            ),
        ]
        for name, label, first, second, target in figures:
            if name in wanted:
                a, b, quotient = ratio(first, second, args.runs)
                rows.append((label, f"{quotient:.2f} ({a:.3f} s / {b:.3f} s)", target))

        big = base / f"course-{args.topics}" / "content"
        make_course(big, args.topics)
        big_out = str(base / "big")
        full_build = [*BUILDER, "build", str(big), "--out", big_out, "--quiet", "--force"]
        noop = [*BUILDER, "build", str(big), "--out", big_out, "--quiet"]
        killed = [*BUILDER, "build", str(big), "--out", str(base / "killed"), "--quiet", "--force", "--jobs", "2"]
        if "topics" in wanted:
            a, b, quotient = ratio(noop, full_build, max(3, args.runs // 7))
            label = f"no-op rebuild / full build, {args.topics} topics"
            rows.append((label, f"{quotient:.3f} ({a:.3f} s / {b:.2f} s)", "<= 0.03"))
        if "hygiene" in wanted:
            left = orphans(killed, args.kills, seconds(full_build))
            rows.append((f"processes left after {args.kills} SIGKILLs of a 2-job build", str(left), "0"))
            code, last = killed_worker(killed)
            rows.append(("a worker killed mid-build", f"exit {code}: {last}", "exit 1, topic named"))
            code, last, took = hung_worker(killed, 5)
            outcome = f"exit {code} after {took:.1f} s: {last}"
            rows.append(("a worker stopped mid-build, limit 5 s", outcome, "exit 1, topic named"))

        if args.memory_topics and "memory" in wanted:
            peak = peak_memory(base, args.memory_topics)
            rows.append(
                (f"peak memory, {args.memory_topics} topics, whole process tree", f"{peak:.0f} MB", "<= 250 MB")
            )

    width = max(len(label) for label, _, _ in rows)
    for label, value, target in rows:
        print(f"{label:<{width}}  {value}  (target {target})")


if __name__ == "__main__":
    main()
