"""The build stamp: an installed copy of the builder whose code changed renders again, without --force."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EPOCH, FIXTURES, ROOT

from builder.cache import stamp


def installed_copy(folder: Path) -> Path:
    """The builder's package copied as an installation holds it (files only, no bytecode)."""
    shutil.copytree(ROOT / "builder", folder / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    return folder / "builder"


def build_with(copy: Path, topic: Path, out: Path) -> list[str]:
    """`python -m builder build` of the copy, in a fresh process; its lines on stdout."""
    env = {**os.environ, "PYTHONPATH": str(copy.parent), "SOURCE_DATE_EPOCH": EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "builder", "build", str(topic), "--out", str(out), "--jobs", "1"],
        cwd=copy.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_changed_constant_in_an_installed_copy_renders_the_sheet_again(tmp_path: Path) -> None:
    copy = installed_copy(tmp_path / "site")
    topic, out = FIXTURES / "minimal.yaml", tmp_path / "out"
    sheet = out / "tiny-topic.pdf"
    assert build_with(copy, topic, out) == [str(out / "tiny-topic.apkg"), str(sheet)]
    before = sheet.read_bytes()
    assert all(line.endswith("(up to date, not written)") for line in build_with(copy, topic, out))
    assert sheet.read_bytes() == before
    styles = copy / "sheet" / "styles.py"
    text = styles.read_text(encoding="utf-8")
    assert 'ACCENT = colors.HexColor("#1f4e79")' in text
    styles.write_text(text.replace('ACCENT = colors.HexColor("#1f4e79")', 'ACCENT = colors.HexColor("#791f4e")'))
    lines = build_with(copy, topic, out)
    assert str(sheet) in lines, "the sheet is said to be written, and it is"
    assert sheet.read_bytes() != before


def test_the_digest_follows_the_bytes_not_the_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same names, sizes and times, other bytes: a digest kept under the listing is not used once it is stale."""
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "a.py").write_text("X = 1\n")
    old = 1_000_000_000
    os.utime(root / "a.py", (old, old))
    first = stamp.builder_digest(root)
    assert stamp.builder_digest(root) == first, "the kept digest answers"
    (root / "a.py").write_text("X = 2\n")
    assert stamp.builder_digest(root) != first, "a new time lists the file anew"
    (root / "b.py").write_text("")
    assert stamp.builder_digest(root) != first


def test_a_file_changed_just_now_is_read_again_every_time(tmp_path: Path) -> None:
    """Within the file time's resolution an edit may keep its time: such a digest is not kept."""
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "a.py").write_text("X = 1\n")
    info = (root / "a.py").stat()
    first = stamp.builder_digest(root)
    (root / "a.py").write_text("X = 2\n")
    os.utime(root / "a.py", ns=(info.st_atime_ns, info.st_mtime_ns))
    assert stamp.builder_digest(root) != first
