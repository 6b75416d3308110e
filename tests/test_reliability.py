"""Nothing half-written, nothing crashes: kills, interrupts, concurrent builds, random content."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import CONTENT, FIXTURES, ROOT
from pypdf import PdfReader

KILL_POINTS = int(os.environ.get("KILL_POINTS", "8"))
WRITE_KILLS = int(os.environ.get("WRITE_KILLS", "40"))


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder", *args]


def env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}


def assert_readable(folder: Path) -> int:
    """Open every output with its real reader; return how many files were checked."""
    checked = 0
    for path in folder.rglob("*"):
        if path.is_dir():
            continue
        assert not path.name.endswith(".tmp"), f"temporary file left behind: {path}"
        if path.suffix in (".apkg", ".zip"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
        elif path.suffix == ".pdf":
            assert len(PdfReader(path).pages) == 1
        elif path.suffix == ".json":
            json.loads(path.read_text())
        checked += 1
    return checked


def test_atomic_write_survives_sigkill_at_any_moment(tmp_path: Path) -> None:
    """A writer replacing a 4 MB file in a loop, killed at random moments: the file is always A or B."""
    target = tmp_path / "out.bin"
    script = (
        "import sys, itertools\n"
        "from pathlib import Path\n"
        "from builder.output import write_atomic\n"
        "a, b = b'A' * 4_000_000, b'B' * 4_000_000\n"
        f"t = Path({str(target)!r})\n"
        "write_atomic(t, a)\n"
        "print('ready', flush=True)\n"
        "for data in itertools.cycle((b, a)):\n"
        "    write_atomic(t, data)\n"
    )
    rng = random.Random(1)
    for _ in range(WRITE_KILLS):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.05))
        proc.kill()
        proc.wait()
        data = target.read_bytes()
        assert data in (b"A" * 4_000_000, b"B" * 4_000_000)
        for leftover in tmp_path.glob(".out.bin.*.tmp"):
            leftover.unlink()  # SIGKILL cannot clean up; the next build's own temp names never collide


def test_release_killed_at_random_moments_leaves_only_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    args = command("release", str(CONTENT), "--out", str(out), "--name", "Kill Test")
    start = time.monotonic()
    subprocess.run(args, cwd=ROOT, env=env(), check=True, capture_output=True)
    full = time.monotonic() - start
    rng = random.Random(2)
    checked = 0
    for _ in range(KILL_POINTS):
        proc = subprocess.Popen(args, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * full, 1.1 * full))
        proc.kill()
        proc.wait()
        for leftover in out.rglob(".*.tmp"):
            leftover.unlink()  # only SIGKILL leaves these; they never replace a real file
        checked += assert_readable(out)
    assert checked >= 9 * KILL_POINTS
    assert subprocess.run([*args], cwd=ROOT, env=env(), capture_output=True).returncode == 0
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out / "release", capture_output=True)
    assert check.returncode == 0


def test_ctrl_c_prints_one_line_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    """Ctrl-C in a terminal reaches the whole process group: the builder and its workers."""
    out = tmp_path / "dist"
    rng = random.Random(3)
    for _ in range(4):
        proc = subprocess.Popen(
            command("build", str(CONTENT), str(FIXTURES / "literal.yaml"), "--out", str(out), "--jobs", "2", "--force"),
            cwd=ROOT,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.3, 1.5))
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == 130:
            assert err.strip() == "interrupted; no output was left half-written"
        else:
            assert proc.returncode == 0 and err == ""
        assert not list(tmp_path.rglob("*.tmp"))


def test_two_concurrent_builds_into_one_folder_end_valid_and_identical(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    procs = [
        subprocess.Popen(
            command("build", str(CONTENT), str(FIXTURES / "literal.yaml"), "--out", str(out)),
            cwd=ROOT,
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    assert assert_readable(out) == 5  # two decks, two sheets, the build cache
    serial = tmp_path / "serial"
    subprocess.run(
        command("build", str(CONTENT), str(FIXTURES / "literal.yaml"), "--out", str(serial)),
        cwd=ROOT,
        env=env(),
        check=True,
        capture_output=True,
    )
    for path in serial.glob("*.*"):
        if not path.name.startswith("."):
            assert (out / path.name).read_bytes() == path.read_bytes()


def test_too_many_topics_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import run_cli

    monkeypatch.setattr("builder.content.gather.MAX_TOPICS", 2)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text((FIXTURES / "minimal.yaml").read_text().replace("tiny-topic", name))
    code, _, err = run_cli("check", str(tmp_path))
    assert code == 1 and "3 content files; the limit is 2 per run" in err
