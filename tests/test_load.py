"""The loader: located nodes, and every hostile input refused with one located problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import BROKEN, ROOT

from builder.content.load import MAX_FILE_BYTES, ListNode, MapNode, Node, Scalar, load_bytes, read_file


def mapping(node: Node | None) -> MapNode:
    assert isinstance(node, MapNode)
    return node


def scalar(node: Node | None) -> Scalar:
    assert isinstance(node, Scalar)
    return node


def test_positions_are_one_based_and_exact() -> None:
    doc, problems = load_bytes(b"a: 1\nb:\n  - x\n  - {c: true}\n", "t.yaml")
    assert problems == []
    assert doc is not None
    assert isinstance(doc.root, MapNode)
    seq = doc.root.get("b")
    assert isinstance(seq, ListNode)
    assert (seq.items[0].start.line, seq.items[0].start.col) == (3, 5)
    inner = mapping(seq.items[1]).get("c")
    assert isinstance(inner, Scalar) and inner.value is True
    assert (inner.start.line, inner.start.col) == (4, 9)


def test_plain_scalars_resolve_like_yaml_and_quoted_stay_text() -> None:
    doc, _ = load_bytes(b"a: 1\nb: '1'\nc: null\nd: 1.5\ne: yes\n", "t.yaml")
    assert doc is not None
    values = {k.value: scalar(v).value for k, v in mapping(doc.root).items}
    assert values == {"a": 1, "b": "1", "c": None, "d": 1.5, "e": True}


def test_python_tag_is_refused_and_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    doc, problems = load_bytes(text, "t.yaml")
    assert doc is None
    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in problems[0].message
    assert not marker.exists()


def test_alias_bomb_is_refused_by_its_expanded_size() -> None:
    doc, problems = load_bytes((BROKEN / "alias-bomb.yaml").read_bytes(), "alias-bomb.yaml")
    assert doc is None and "more than 50,000 values" in problems[0].message


def test_aliases_that_stay_small_are_allowed() -> None:
    doc, problems = load_bytes(b"a: &x [1, 2]\nb: *x\n", "t.yaml")
    assert problems == []
    assert doc is not None
    root = mapping(doc.root)
    assert root.get("b") is root.get("a")


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    data, problem = read_file(big, "big.yaml")
    assert data == b"" and problem is not None
    assert problem.message.startswith(f"file is {MAX_FILE_BYTES + 3:,} bytes; the limit is")


def test_utf16_is_named(tmp_path: Path) -> None:
    doc, problems = load_bytes("a: 1\n".encode("utf-16"), "t.yaml")
    assert doc is None and problems[0].message == "file is UTF-16; save it as UTF-8"


def test_utf8_bom_is_accepted() -> None:
    doc, problems = load_bytes(b"\xef\xbb\xbfa: 1\n", "t.yaml")
    assert problems == [] and doc is not None
    assert scalar(mapping(doc.root).get("a")).value == 1


def test_deep_nesting_gives_a_located_error_in_a_subprocess() -> None:
    """Run as a user would: no traceback, exit 1, one located line."""
    result = subprocess.run(
        [sys.executable, "-m", "builder", "check", str(BROKEN / "deep-nesting.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "deep-nesting.yaml:2:" in result.stderr
