"""The one per-user store every user cache keeps its entries in: stamps, damage, the size bound, parallel writers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from builder.cache import store


def test_an_entry_is_made_once_and_read_back_under_the_same_stamp() -> None:
    calls: list[int] = []

    def make() -> dict[str, object]:
        calls.append(1)
        return {"a": [1, 2]}

    for _ in range(2):
        assert store.remembered("t", "k", [1, "x"], make, decode=dict) == {"a": [1, 2]}
    assert len(calls) == 1


def test_another_stamp_or_key_or_kind_is_a_miss() -> None:
    store.save("t", "k", 1, [1])
    assert store.load("t", "k", [1]) == 1
    assert store.load("t", "k", [2]) is None
    assert store.load("t", "other", [1]) is None
    assert store.load("u", "k", [1]) is None


def test_a_value_its_codec_refuses_is_made_again_and_replaced() -> None:
    def whole(kept: object) -> int:
        if type(kept) is not int:
            raise ValueError("not a number")
        return kept

    store.save("t", "k", "damaged", [1])
    assert store.remembered("t", "k", [1], lambda: 7, decode=whole) == 7
    assert store.load("t", "k", [1]) == 7


def test_a_damaged_file_is_a_miss() -> None:
    store.save("t", "k", [1, 2], None)
    root = store.folder()
    assert root is not None
    (path,) = root.glob("t-*")
    for damaged in (b"", b"\x00\xff", path.read_bytes()[:-2]):
        path.write_bytes(damaged)
        assert store.load("t", "k") is None


def test_an_unkept_value_is_made_every_time() -> None:
    def refuse(value: object) -> object:
        raise store.Unkept("not held")

    assert store.remembered("t", "k", None, lambda: 3, encode=refuse, decode=int) == 3
    root = store.folder()
    assert root is not None and not list(root.glob("t-*"))


def test_bytes_are_kept_as_they_are() -> None:
    data = bytes(range(256)) * 4
    store.write("font", "cut", data, [1])
    assert store.read("font", "cut", [1]) == data
    assert store.read("font", "cut", [2]) is None


def test_prune_removes_the_entries_used_longest_ago(tmp_path: Path) -> None:
    for number in range(10):
        entry = tmp_path / f"e{number}"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, ns=(number * 10**9, number * 10**9))
    store.prune(tmp_path, 450)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e6", "e7", "e8", "e9"]


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert store.remembered("t", "k", None, lambda: 5, decode=int) == 5
    assert store.load("t", "k") is None


WRITER = """
import sys
from builder.cache import store
name = sys.argv[1]
for number in range(300):
    store.save("race", str(number), [name, number], [1])  # the same keys from both
    store.save("own", f"{name}{number}", number, [1])  # and keys of its own
"""


def test_two_processes_writing_the_same_store_lose_no_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # read them here, as a third process would
    for name in ("a", "b"):
        assert [store.load("own", f"{name}{n}", [1]) for n in range(300)] == list(range(300))
    races = [store.load("race", str(n), [1]) for n in range(300)]
    assert all(isinstance(r, list) and r[0] in ("a", "b") and r[1] == n for n, r in enumerate(races))
    root = tmp_path / "flozp-builder" / f"v{store.FORMAT}"
    assert not [p.name for p in root.iterdir() if p.name.endswith(".tmp")]


def test_two_installations_keep_entries_of_their_own() -> None:
    """Two virtual environments with other versions share the user's cache: neither replaces the other's entry."""
    store.save("t", "k", "old", ["pygments 2.17"])
    store.save("t", "k", "new", ["pygments 2.18"])
    assert store.load("t", "k", ["pygments 2.17"]) == "old"
    assert store.load("t", "k", ["pygments 2.18"]) == "new"


def test_a_builder_whose_code_changed_makes_its_answers_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    store.save("answer", "k", "made by this builder", "stamp")
    assert store.load("answer", "k", "stamp") == "made by this builder"
    with monkeypatch.context() as other:
        other.setattr(store, "_builder_code", lambda: "another builder's files")
        assert store.load("answer", "k", "stamp") is None
    assert store.load("answer", "k", "stamp") == "made by this builder"
