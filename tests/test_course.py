"""course.yaml: read and checked like a topic, its settings the defaults of every topic and command."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from helpers import run_cli

from builder.content.gather import gather
from builder.deck.cards import notes

TOPIC = """format: 1
id: morning
title: Morning
version: 1.0.0
{topic_cards}sequences:
  - id: routine
    title: Routine
{sequence_cards}    steps:
      - {{id: wake, name: Wake up, code: wake()}}
      - {{id: teeth, name: Brush teeth, code: brush()}}
      - {{id: dress, name: Get dressed, code: dress()}}
  - id: evening
    title: Evening
    steps: [Read, Sleep]
mnemonics:
  - {{id: wbg, phrase: WBG, for: routine, cues: [{{letter: W, step: wake}}, {{letter: B, step: teeth}},
     {{letter: G, step: dress}}]}}
analogies:
  - id: day
    title: A day at work
    for: routine
    pairs: [{{step: wake, like: Clock in}}, {{step: teeth, like: Coffee}}, {{step: dress, like: Uniform}}]
snippets:
  - id: code
    language: python
    for: routine
    code: |
      wake()
      brush()
      dress()
"""


def course(folder: Path, course_yaml: str, topic_cards: str = "", sequence_cards: str = "") -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    (content / "course.yaml").write_text(course_yaml)
    (content / "morning.yaml").write_text(TOPIC.format(topic_cards=topic_cards, sequence_cards=sequence_cards))
    return content


def kinds(content: Path) -> Counter[str]:
    return Counter(n.kind for n in notes(gather([content]).topics[0]))


def test_every_card_kind_by_default(tmp_path: Path) -> None:
    content = course(tmp_path, "format: 1\nname: Days\n")
    assert kinds(content) == {
        "next-step": 5,
        "previous-step": 3,
        "whole-sequence": 2,
        "mnemonic": 4,
        "analogy": 6,
        "code": 3,
    }


def test_course_topic_and_sequence_choose_card_kinds_nearest_first(tmp_path: Path) -> None:
    content = course(
        tmp_path,
        "format: 1\nname: Days\ncards: {reverse: false, letters: false, whole: false}\n",
        topic_cards="cards: {backward: false, whole: true}\n",
        sequence_cards="    cards: {reverse: true, code: false}\n",
    )
    # routine: previous-step back on (sequence), no code cards (sequence), whole on (topic over course);
    # evening: no previous-step cards (course), whole on (topic); letters off everywhere (course).
    assert kinds(content) == {
        "next-step": 5,
        "previous-step": 2,
        "whole-sequence": 2,
        "mnemonic": 1,
        "analogy": 3,
    }


def test_topics_take_the_courses_licence_and_authors(tmp_path: Path) -> None:
    content = course(tmp_path, "format: 1\nname: Days\nlicense: CC0-1.0\nauthors: [A. Teacher]\n")
    gathered = gather([content])
    assert gathered.course is not None and gathered.course.name == "Days"
    topic = gathered.topics[0]
    assert (topic.license, topic.authors) == ("CC0-1.0", ("A. Teacher",))
    assert [Path(f).name for f in gathered.files] == ["morning.yaml"]  # the course file is no topic


def test_course_file_mistakes_are_located(tmp_path: Path) -> None:
    content = course(tmp_path, "format: 1\nnmae: Days\npaper: a5\ncards: {context: 30}\n")
    code, _, err = run_cli("check", str(content))
    assert code == 1
    course_file = content / "course.yaml"
    shown = str(course_file.relative_to(Path.cwd())) if course_file.is_relative_to(Path.cwd()) else str(course_file)
    assert f"{shown}:2:1: nmae: unknown key 'nmae' (did you mean 'name'?)" in err
    assert f"{shown}:3:8: paper: expected one of a4, letter, got text ('a5')" in err
    assert f"{shown}:4:18: cards.context: expected a whole number from 0 to 19, got a number (30)" in err
    assert f"{shown}:1:1: name: missing required key 'name' in the course file" in err


def test_paper_comes_from_the_course_unless_given(tmp_path: Path, epoch: int) -> None:
    content = course(tmp_path, "format: 1\nname: Days\npaper: letter\n")
    out = tmp_path / "dist"
    assert run_cli("build", str(content), "--out", str(out))[0] == 0
    from pypdf import PdfReader

    assert float(PdfReader(out / "morning.pdf").pages[0].mediabox.width) == 792.0
    assert run_cli("build", str(content), "--out", str(out), "--paper", "a4")[0] == 0
    assert round(float(PdfReader(out / "morning.pdf").pages[0].mediabox.width)) == 842


def test_schema_of_the_course_file() -> None:
    code, out, _ = run_cli("schema", "--course")
    schema = json.loads(out)
    assert code == 0 and schema["required"] == ["format", "name"]
    assert set(schema["properties"]) == {
        "format",
        "name",
        "license",
        "authors",
        "paper",
        "lang",
        "new_per_day",
        "cards",
    }
