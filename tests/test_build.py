"""The build stage: the up-to-date cache, parallel rendering, progress."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import CONTENT, FIXTURES, run_cli

import builder.commands.build as build_command
import builder.render as render_stage


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Topic ids rendered in this process (builds here run with --jobs 1)."""
    rendered: list[str] = []
    original = render_stage.Renderer.render

    def spy(self: render_stage.Renderer, job: render_stage.RenderJob) -> render_stage.Rendered:
        rendered.append(job.topic.id)
        return original(self, job)

    monkeypatch.setattr(render_stage.Renderer, "render", spy)
    return rendered


def make_course(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("minimal.yaml", "literal.yaml"):
        (folder / name).write_text((FIXTURES / name).read_text())


def build(*args: str) -> None:
    code, _, err = run_cli("build", *args, "--jobs", "1")
    assert code == 0, err


def test_nothing_changed_nothing_rebuilt(tmp_path: Path, epoch: int, counted: list[str]) -> None:
    make_course(tmp_path / "c")
    build(str(tmp_path / "c"), "--out", str(tmp_path / "out"))
    assert sorted(counted) == ["literal-text", "tiny-topic"]
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").glob("*.*")}
    build(str(tmp_path / "c"), "--out", str(tmp_path / "out"))
    assert sorted(counted) == ["literal-text", "tiny-topic"]
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").glob("*.*")} == before


def test_each_kind_of_change_rebuilds_what_it_touches(
    tmp_path: Path, epoch: int, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    course, out = tmp_path / "c", str(tmp_path / "out")
    make_course(course)
    build(str(course), "--out", out)
    counted.clear()

    minimal = course / "minimal.yaml"
    minimal.write_text(minimal.read_text().replace("Wake up", "Wake up slowly"))
    build(str(course), "--out", out)
    assert counted == ["tiny-topic"]

    counted.clear()
    build(str(course), "--out", out, "--paper", "letter")
    assert sorted(counted) == ["literal-text", "tiny-topic"]

    counted.clear()
    monkeypatch.setattr(build_command, "__version__", "9.9.9")
    build(str(course), "--out", out, "--paper", "letter")
    assert sorted(counted) == ["literal-text", "tiny-topic"]

    counted.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    build(str(course), "--out", out, "--paper", "letter")
    assert sorted(counted) == ["literal-text", "tiny-topic"]

    counted.clear()
    (tmp_path / "out" / "literal-text.pdf").write_bytes(b"not a pdf")
    build(str(course), "--out", out, "--paper", "letter")
    assert counted == ["literal-text"]

    counted.clear()
    build(str(course), "--out", out, "--paper", "letter", "--force")
    assert sorted(counted) == ["literal-text", "tiny-topic"]

    counted.clear()
    build(str(course), "--out", out, "--paper", "letter")
    assert counted == []


def test_parallel_output_equals_serial_byte_for_byte(tmp_path: Path, epoch: int) -> None:
    make_course(tmp_path / "c")
    paths = [str(tmp_path / "c"), str(CONTENT)]
    for name, jobs in (("serial", "1"), ("parallel", "2")):
        code, _, err = run_cli("build", *paths, "--out", str(tmp_path / name), "--jobs", jobs)
        assert code == 0, err
    serial = sorted((tmp_path / "serial").glob("[!.]*"))
    assert len(serial) == 6
    for path in serial:
        assert (tmp_path / "parallel" / path.name).read_bytes() == path.read_bytes()


def test_progress_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    show = render_stage.terminal_progress(screen)
    assert show is not None
    show(1, 2, "first")
    show(2, 2, "second")
    assert screen.getvalue() == "\r\x1b[K[1/2] first\r\x1b[K[2/2] second\n"
    assert render_stage.terminal_progress(io.StringIO()) is None


def test_quiet_prints_nothing(tmp_path: Path, epoch: int) -> None:
    code, out, err = run_cli("build", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path), "--quiet")
    assert code == 0 and out == "" and err == ""
    assert (tmp_path / "tiny-topic.pdf").exists()
