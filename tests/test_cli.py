"""The command line contract: exit codes, messages, and nothing written on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import BROKEN, CONTENT, FIXTURES, ROOT, run_cli

from builder import __version__


def test_help_and_version() -> None:
    code, out, _ = run_cli("--help")
    assert code == 0 and "build" in out and "check" in out and "schema" in out
    code, out, _ = run_cli("--version")
    assert code == 0 and out.strip().endswith(__version__)


def test_wrong_command_line_exits_2() -> None:
    assert run_cli("frobnicate")[0] == 2
    assert run_cli("build", "--paper", "a3")[0] == 2
    assert run_cli()[0] == 2


def test_build_prints_one_line_per_artifact(tmp_path: Path, epoch: int) -> None:
    code, out, err = run_cli("build", str(CONTENT), str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path))
    assert code == 0, err
    assert out.splitlines() == [
        str(tmp_path / n)
        for n in ("pytorch-training-loop.apkg", "pytorch-training-loop.pdf", "tiny-topic.apkg", "tiny-topic.pdf")
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "pytorch-training-loop.apkg",
        "pytorch-training-loop.pdf",
        "tiny-topic.apkg",
        "tiny-topic.pdf",
    ]


def test_nothing_is_written_when_any_topic_is_wrong(tmp_path: Path) -> None:
    code, _, err = run_cli("build", str(CONTENT), str(BROKEN / "format-2.yaml"), "--out", str(tmp_path / "out"))
    assert code == 1 and "format-2.yaml:2:9" in err
    assert not (tmp_path / "out").exists()


def test_strict_build_refuses_warnings(tmp_path: Path) -> None:
    warned = Path(__file__).parent / "warnings" / "ten-steps.yaml"
    assert run_cli("build", str(warned), "--out", str(tmp_path))[0] == 0
    assert run_cli("build", "--strict", str(warned), "--out", str(tmp_path / "strict"))[0] == 1
    assert not (tmp_path / "strict").exists()


def test_installed_module_runs_without_traceback_for_every_broken_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "builder", "check", str(BROKEN)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "FLOZP_CJK_FONT": ""},  # as without the cjk extra, which the tests install
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    located = [line for line in result.stderr.splitlines() if line.startswith("tests/broken/")]
    assert {line.split(":", 1)[0] for line in located} == {f"tests/broken/{p.name}" for p in BROKEN.glob("*.yaml")}


def test_short_options(tmp_path: Path, epoch: int) -> None:
    code, out, err = run_cli("build", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path), "-q", "-j", "1")
    assert (code, out) == (0, ""), err
    assert sorted(p.name for p in tmp_path.glob("*.*")) == [".build-cache.json", "tiny-topic.apkg", "tiny-topic.pdf"]
    for name in ("build", "check", "release", "preview"):
        assert "-j N, --jobs N" in run_cli(name, "--help")[1]
    for name in ("build", "release", "preview"):
        assert "-o DIR, --out DIR" in run_cli(name, "--help")[1]
    for name in ("build", "release"):
        assert "-q, --quiet" in run_cli(name, "--help")[1]


def test_help_loads_only_the_command_line() -> None:
    """`--help` is the first thing a teacher runs: it must not wait for YAML, fonts or rendering to load."""
    script = (
        "import sys\nfrom builder.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = set(result.stderr.split())
    assert {m for m in loaded if m.startswith("builder")} == {"builder", "builder.cli"}
    assert not loaded & {"yaml", "dataclasses", "typing", "reportlab", "genanki", "pygments"}
