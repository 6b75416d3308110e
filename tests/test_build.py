"""The build stage: the up-to-date cache, parallel rendering, progress."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import CONTENT, FIXTURES, run_cli

from builder.cache import stamp as stamps
from builder.render.plan import RenderJob
from builder.render.renderer import Rendered, Renderer
from builder.render.run import terminal_progress


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Topic ids rendered in this process (builds here run with --jobs 1)."""
    rendered: list[str] = []
    original = Renderer.render

    def spy(self: Renderer, job: RenderJob) -> Rendered:
        rendered.append(job.topic.id)
        return original(self, job)

    monkeypatch.setattr(Renderer, "render", spy)
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
    monkeypatch.setattr(stamps, "build_stamp", lambda: "another builder")  # new to the run record and the memo too
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
    show = terminal_progress(screen)
    assert show is not None
    show(1, 2, "first")
    show(2, 2, "second")
    assert screen.getvalue() == "\r\x1b[K[1/2] first\r\x1b[K[2/2] second\n"
    assert terminal_progress(io.StringIO()) is None


def test_quiet_prints_nothing(tmp_path: Path, epoch: int) -> None:
    code, out, err = run_cli("build", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path), "--quiet")
    assert code == 0 and out == "" and err == ""
    assert (tmp_path / "tiny-topic.pdf").exists()


@pytest.fixture
def gathered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times this process loaded and validated the content (once per build that did not answer from the
    whole-run record)."""
    import builder.content.gather as gather_stage

    calls: list[int] = []
    original = gather_stage.gather

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gather_stage, "gather", spy)
    return calls


def rich_course(folder: Path) -> None:
    """A course with a picture and a topic that warns."""
    import shutil

    from helpers import CORPUS

    make_course(folder)
    shutil.copytree(FIXTURES / "pictures", folder / "pictures")
    (folder / "rich.yaml").write_text((FIXTURES / "rich.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "twenty.yaml").write_text((CORPUS / "twenty-steps.yaml").read_text(encoding="utf-8"), encoding="utf-8")


def test_a_build_with_nothing_to_do_answers_from_the_run_record(
    tmp_path: Path, epoch: int, gathered: list[int], counted: list[str]
) -> None:
    """It prints what the long way prints (the warnings, the outputs) and loads no topic."""
    import json

    course, out = tmp_path / "c", tmp_path / "out"
    rich_course(course)
    build(str(course), "--out", str(out))
    cache = json.loads((out / ".build-cache.json").read_text())
    del cache["run"]
    (out / ".build-cache.json").write_text(json.dumps(cache))
    long_way = run_cli("build", str(course), "--out", str(out), "--jobs", "1")
    assert len(gathered) == 2 and "20 steps are hard to learn" in long_way[2]
    short_way = run_cli("build", str(course), "--out", str(out), "--jobs", "1")
    assert len(gathered) == 2, "the record answered: no content was loaded"
    assert short_way == long_way
    assert len(counted) == 4


def test_every_input_the_run_record_covers_sends_the_build_the_long_way(
    tmp_path: Path, epoch: int, gathered: list[int], counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    course, out = tmp_path / "c", str(tmp_path / "out")
    rich_course(course)
    build(str(course), "--out", out)

    def long_way(*options: str) -> bool:
        before = len(gathered)
        build(str(course), "--out", out, *options)
        return len(gathered) > before

    assert not long_way()
    changes = {
        "a comment in a topic": lambda: (course / "minimal.yaml").write_text(
            (course / "minimal.yaml").read_text() + "# later\n"
        ),
        "a picture": lambda: Image.new("RGB", (30, 20), "#336699").save(course / "pictures" / "lines.jpg", "JPEG"),
        "a new topic": lambda: (course / "new.yaml").write_text(
            (FIXTURES / "minimal.yaml").read_text().replace("tiny-topic", "new-topic")
        ),
        "the build time": lambda: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000"),
        "the CJK font setting": lambda: monkeypatch.setenv("FLOZP_CJK_FONT", ""),
        "an output": lambda: (tmp_path / "out" / "tiny-topic.pdf").write_bytes(b"not a pdf"),
        "a deleted output": lambda: (tmp_path / "out" / "tiny-topic.apkg").unlink(),
    }
    for change, make in changes.items():
        make()  # type: ignore[no-untyped-call]
        assert long_way(), change
        assert not long_way(), f"after {change}, the next build answers from the record again"
    assert long_way("--paper", "letter")
    assert not long_way("--paper", "letter")
    assert long_way("--force")
    code, _, err = run_cli("build", str(course), "--out", out, "--strict")
    assert code != 0 and "20 steps" in err, "--strict makes the warning an error, whatever the record says"


def test_a_cold_build_loads_what_draws_text_once(tmp_path: Path, epoch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation loads the emoji index to check the text; the renderer in the same process reuses it."""
    from builder.glyphs.emoji import EmojiSet

    loads: list[int] = []
    original = EmojiSet.load.__func__  # type: ignore[attr-defined]

    def counting(cls: type[EmojiSet]) -> EmojiSet:
        loads.append(1)
        return original(cls)  # type: ignore[no-any-return]

    monkeypatch.setattr(EmojiSet, "load", classmethod(counting))
    build(str(CONTENT), "--out", str(tmp_path), "--force")
    assert len(loads) == 1
