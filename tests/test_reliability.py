"""Nothing half-written, nothing crashes: kills, interrupts, concurrent builds, random content."""

from __future__ import annotations

import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from helpers import CONTENT, CORPUS, FIXTURES, ROOT, cache_entry, entry_bytes, run_cli
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
            pages = len(PdfReader(path).pages)
            booklet = path.stem.endswith("-sheets")  # the course's sheets after a contents page
            assert pages >= 2 if booklet else pages == 1, f"{path}: {pages} pages"
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
    args = command("release", str(CONTENT), "--out", str(out), "--name", "Kill Test", "--allow-dirty")
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


# Process hygiene: a build's workers end with it, and a worker that dies ends the build with its topic named.

KILL_RUNS = {
    "build": ["build", "--force"],
    "release": ["release", "--name", "Kill Test", "--allow-dirty"],
    "preview --watch": ["preview", "--watch"],
}
KILL_TOPICS = [CONTENT, FIXTURES / "literal.yaml", FIXTURES / "minimal.yaml"]


def session_processes(session: int) -> list[int]:
    """Live processes of a session: a run started in a session of its own, its workers and their children."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, _, _, sid = stat[stat.rindex(")") + 2 :].split()[:4]
            if int(sid) == session and state != "Z":
                found.append(int(entry.name))
    return found


def workers_of(pid: int, count: int = 2) -> list[int]:
    """The run's worker processes once `count` have started: its Python children seen twice 0.02 s apart
    (git is a child too, and runs Python for an instant between fork and exec)."""
    deadline = time.monotonic() + 60
    before: set[int] = set()
    while time.monotonic() < deadline:
        now = set()
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                for child in (task / "children").read_text().split():
                    if Path(f"/proc/{child}/exe").resolve().name.startswith("python"):
                        now.add(int(child))
        except OSError:
            pass
        if len(now & before) >= count:
            return sorted(now & before)
        before = now
        time.sleep(0.02)
    raise AssertionError("the run never started its workers")


def start(run: str, out: Path, stderr: int | None = subprocess.DEVNULL) -> subprocess.Popen[str]:
    """One of the runs that render in worker processes (two jobs, three topics), in a session of its own."""
    args = [*KILL_RUNS[run], *map(str, KILL_TOPICS), "--out", str(out), "--jobs", "2"]
    return subprocess.Popen(
        command(*args),
        cwd=ROOT,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds processes in /proc")
@pytest.mark.parametrize("run", KILL_RUNS)
def test_a_run_killed_with_sigkill_leaves_no_process(tmp_path: Path, run: str) -> None:
    """SIGKILL gives the builder no chance to stop its workers: they must see their parent die by themselves."""
    proc = start(run, tmp_path / "out")
    try:
        workers_of(proc.pid)
        time.sleep(0.2)  # mid-render: loading fonts and laying out the first topics
        proc.kill()
        proc.wait()
        time.sleep(2)
        assert session_processes(proc.pid) == [], f"{run} left processes behind"
    finally:
        for pid in session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds processes in /proc")
def assert_stopped_naming_a_topic(proc: subprocess.Popen[str], err: str, reason: str, tmp_path: Path) -> None:
    """Exit 1 with one line naming the topic and why (`reason`, a pattern), nothing half-written, nothing left."""
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    ids = "|".join(("pytorch-training-loop", "literal-text", "tiny-topic"))
    last = err.strip().splitlines()[-1]
    assert re.fullmatch(rf"error: stopped while rendering topic '({ids})' \(\S+\.yaml\): {reason}", last), err
    assert not list(tmp_path.rglob("*.tmp"))
    assert session_processes(proc.pid) == []


def reap(proc: subprocess.Popen[str]) -> None:
    """End the run and whatever it started, whatever the test found."""
    if proc.poll() is None:
        proc.kill()
    for pid in session_processes(proc.pid):
        os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("run", KILL_RUNS)
def test_a_worker_killed_mid_run_ends_it_naming_the_topic(tmp_path: Path, run: str) -> None:
    """A worker killed (by the OOM killer, say) stops the run with one line naming its topic: no hang, no traceback."""
    proc = start(run, tmp_path / "out", subprocess.PIPE)
    try:
        os.kill(workers_of(proc.pid)[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        assert_stopped_naming_a_topic(
            proc, err, r"the worker process ended unexpectedly \(signal 9, SIGKILL\)", tmp_path
        )
    finally:
        reap(proc)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds processes in /proc")
@pytest.mark.parametrize("limit", ["option", "variable"])
def test_a_hung_worker_ends_the_run_naming_the_topic(tmp_path: Path, limit: str) -> None:
    """A worker that stops answering (SIGSTOP here; a deadlock alike) is killed after the time limit per topic."""
    args = [*KILL_RUNS["build"], *map(str, KILL_TOPICS), "--out", str(tmp_path / "out"), "--jobs", "2"]
    proc = subprocess.Popen(
        command(*args, *(["--topic-timeout", "2"] if limit == "option" else [])),
        cwd=ROOT,
        env={**env(), "FLOZP_TOPIC_TIMEOUT": "2" if limit == "variable" else "oops"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stopped = workers_of(proc.pid)[0]
        os.kill(stopped, signal.SIGSTOP)
        _, err = proc.communicate(timeout=60)
        limit = r"\(--topic-timeout or FLOZP_TOPIC_TIMEOUT sets the limit\)"
        reason = rf"the worker did not answer for 2 s and was stopped {limit}"
        assert_stopped_naming_a_topic(proc, err, reason, tmp_path)
    finally:
        reap(proc)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_time_limit_that_is_not_a_positive_number_is_refused(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run_cli("check", str(FIXTURES / "minimal.yaml"), "--topic-timeout", value)
    assert code == 2 and f"argument --topic-timeout: {value!r} is not a positive number of seconds" in err
    monkeypatch.setenv("FLOZP_TOPIC_TIMEOUT", value)
    code, _, err = run_cli("check", str(FIXTURES / "minimal.yaml"))
    assert code == 2 and f"FLOZP_TOPIC_TIMEOUT: {value!r} is not a positive number of seconds" in err


class Lines:
    """A process's stdout, line by line, waited for with a timeout."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        stream = proc.stdout
        assert stream is not None
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.queue.put(line)

    def until(self, wanted: str, timeout: float = 60) -> list[str]:
        """Every line up to the first one that contains `wanted`."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while not seen or wanted not in seen[-1]:
            try:
                seen.append(self.queue.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no line with {wanted!r} in {timeout} s; got {seen}") from None
        return seen


@pytest.mark.parametrize("watched", ["folder", "file"])
def test_watch_survives_its_content_being_deleted_and_made_again(tmp_path: Path, watched: str) -> None:
    """A `git checkout` deletes and re-creates the folder; an editor's atomic save replaces the file."""
    folder = tmp_path / "content"
    folder.mkdir()
    topic = folder / "tiny.yaml"
    topic.write_text((FIXTURES / "minimal.yaml").read_text())
    page = tmp_path / "out" / "preview" / "index.html"
    target = folder if watched == "folder" else topic
    proc = subprocess.Popen(
        command("preview", "--watch", str(target), "--out", str(tmp_path / "out"), "-j", "1"),
        cwd=ROOT,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = Lines(proc)
    try:
        lines.until("serving http://127.0.0.1:")
        time.sleep(1)  # the watcher starts after the first build; what changes before it is not seen
        if watched == "folder":
            shutil.rmtree(folder)
            assert lines.until("no such file or folder")[0] == "not rebuilt:\n"
            folder.mkdir()
            topic.write_text((FIXTURES / "minimal.yaml").read_text().replace("Tiny topic", "Checked out"))
        else:
            draft = folder / ".tiny.yaml.swp"
            draft.write_text((FIXTURES / "minimal.yaml").read_text().replace("Tiny topic", "Checked out"))
            os.replace(draft, topic)
        assert lines.until("rebuilt") == [f"{page} rebuilt\n"]
        assert "Checked out" in page.read_text()
        topic.write_text(topic.read_text().replace("Checked out", "Saved again"))
        assert lines.until("rebuilt") == [f"{page} rebuilt\n"]
        assert "Saved again" in page.read_text()
        assert proc.poll() is None
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err


# What spares every run reading the fonts and listing the emoji artwork: trusted only when it is right.


def test_the_shipped_coverage_table_is_what_the_fonts_say() -> None:
    from builder.glyphs.fonts import measure, table, table_path

    assert json.loads(table_path().read_text()) == table(measure()), "fonts changed: run python -m builder.glyphs.fonts"


def test_a_stale_or_damaged_coverage_table_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.glyphs import fonts

    shipped = json.loads(fonts.table_path().read_text())
    measured = fonts.measure()
    stale = {**shipped, "fonts": {f: {**e, "bytes": e["bytes"] + 1} for f, e in shipped["fonts"].items()}}
    table = tmp_path / "coverage.json"
    monkeypatch.setattr(fonts, "table_path", lambda: table)
    assert fonts.coverage() == measured  # missing
    for text in ("{", json.dumps({**stale, "text": "41"}), json.dumps({**shipped, "code": "zz-20"}), "[]"):
        table.write_text(text)
        assert fonts.coverage() == measured, text


@dataclass(frozen=True)
class UserCache:
    """One cache in the user's store as the damage test drives it: what it answers (`load` checks the answer is
    right and returns it), what makes it when it is missing or bad, and the damaged entries it must survive."""

    kind: str  # of its entries in the store
    load: Callable[[], object]
    maker: tuple[object, str]  # never called while the cache is good
    damaged: Callable[[bytes, Any], list[bytes]]  # from the good entry's header line and value
    reset: Callable[[], object] = lambda: None  # forgets what the process keeps, once the test is done


def emoji_index(monkeypatch: pytest.MonkeyPatch) -> UserCache:
    from builder.glyphs import emoji

    def damaged(head: bytes, data: Any) -> list[bytes]:
        return [
            b"",
            b"\x00\x01 not json",
            head + b"[1, 2]",
            entry_bytes(head, {**data, "mtime": 1}),  # the artwork changed since
            entry_bytes(head, data, stamp=[0]),  # another format
            entry_bytes(head, {**data, "files": {"1F600": "../../elsewhere.svg"}}),
            entry_bytes(head, {**data, "files": {"not-hex": "1F600.svg"}}),
        ]

    return UserCache("emoji-index", emoji.EmojiSet.load, (emoji, "_index"), damaged)


def code_tokens(monkeypatch: pytest.MonkeyPatch) -> UserCache:
    from builder.text import highlight

    code, language = "for x in range(3):\n    print(x)  # loop\n", "python"
    fresh = highlight._tokens(code, language)
    for made in (Path(os.environ["XDG_CACHE_HOME"]) / "flozp-builder").glob("v*/tokens-*"):
        made.unlink()

    def load() -> object:
        tokens = highlight._tokens(code, language)
        assert tokens == fresh
        return tokens

    def damaged(head: bytes, data: Any) -> list[bytes]:
        return [
            b"",
            head + b"[1]",
            entry_bytes(head, data, stamp=[highlight.FORMAT, "0.0"]),  # another Pygments
            entry_bytes(head, [[1, 2]]),
        ]

    return UserCache("tokens", load, (highlight, "_lexer"), damaged)


def hyphenation(monkeypatch: pytest.MonkeyPatch) -> UserCache:
    import pyphen

    from builder.text import hyphens

    path = pyphen.LANGUAGES["en_US"]
    words = sorted({w for f in CORPUS.glob("*.yaml") for w in re.findall(r"[^\W\d_]{6,}", f.read_text())})
    truth = pyphen.Pyphen(filename=str(path), left=3, right=3, cache=False)

    def load() -> object:
        monkeypatch.delitem(pyphen.hdcache, path, raising=False)
        hyphens._dictionary.cache_clear()
        dictionary = hyphens._dictionary("en_US")
        assert [dictionary.positions(w) for w in words] == [truth.positions(w) for w in words]
        assert [dictionary.inserted(w) for w in words] == [truth.inserted(w) for w in words]
        assert len(dictionary.hd.patterns) == len(truth.hd.patterns) > 10_000
        return dictionary.hd.patterns

    def damaged(head: bytes, data: Any) -> list[bytes]:
        _, stamp = json.loads(head)
        return [
            b"",
            head + b"[1, 2]",
            entry_bytes(head, data, stamp=[*stamp[:3], 1]),  # the dictionary changed since
            entry_bytes(head, {"ab": [0, ["1"]]}),
            entry_bytes(head, {"ab": [0]}),
            entry_bytes(head, []),
        ]

    return UserCache("hyphenation", load, (pyphen.HyphDict, "__init__"), damaged, hyphens._dictionary.cache_clear)


@pytest.mark.parametrize("kind", [emoji_index, code_tokens, hyphenation])
def test_a_user_cache_is_used_and_a_bad_one_is_made_again(
    kind: Callable[[pytest.MonkeyPatch], UserCache], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = kind(monkeypatch)
    try:
        made = cache.load()
        path, head, data = cache_entry(tmp_path, cache.kind)
        with monkeypatch.context() as kept:
            kept.setattr(*cache.maker, lambda *_: pytest.fail("the cache was made again while it was good"))
            assert cache.load() == made
        for damaged in cache.damaged(head, data):
            path.write_bytes(damaged)
            assert cache.load() == made, damaged
            assert cache_entry(tmp_path, cache.kind)[1:] == (head, data), f"a bad cache is replaced: {damaged!r}"
    finally:
        cache.reset()


def test_cached_code_tokens_are_pygments_own_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Pygments said of every corpus snippet comes back from the cache as the same token types (the very
    objects, which the card and sheet styles look up) and the same text, without a lexer being made."""
    from pygments import lex

    from builder.content.gather import gather
    from builder.text import highlight

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    blocks = [(s.code, s.language) for t in gather([CORPUS, CONTENT]).topics for s in t.snippets]
    assert len({language for _, language in blocks}) >= 3
    fresh = [list(lex(code, highlight._lexer(language))) for code, language in blocks]
    assert [highlight._tokens(*block) for block in blocks] == fresh
    with monkeypatch.context() as kept:
        kept.setattr(highlight, "_lexer", lambda *_: pytest.fail("a lexer was made"))
        again = [highlight._tokens(*block) for block in blocks]
    kinds = [kind for tokens in again for kind, _ in tokens]
    assert all(a is b for a, b in zip(kinds, [kind for tokens in fresh for kind, _ in tokens], strict=True))
    assert again == fresh


def test_the_emoji_index_loads_where_no_cache_can_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.glyphs.emoji import EmojiSet

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = EmojiSet.load()
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file: no cache can be written under it
    assert EmojiSet.load() == made
