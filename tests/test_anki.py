"""Decks opened by real Anki: counts, one note type, no empty cards, clean re-import, same bytes."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import CONTENT, FIXTURES, import_deck, new_collection, run_cli

from builder.deck.anki import MODEL_ID, MODEL_NAME


def strip_html(html: str) -> str:
    import html as h

    text = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return h.unescape(re.sub(r"<[^>]+>", "", text))


def test_pytorch_deck_imports_with_expected_cards(built_content: Path, tmp_path: Path) -> None:
    col = new_collection(tmp_path)
    from anki.models import NotetypeId  # only once anki.collection is loaded: anki.models imports it circularly

    log = import_deck(col, built_content / "pytorch-training-loop.apkg")
    assert len(log.new) == 60 and len(log.conflicting) == 0
    kinds = Counter(t for nid in col.find_notes("") for t in col.get_note(nid).tags if t.startswith("card::"))
    assert kinds == {
        "card::term": 10,
        "card::next-step": 11,
        "card::previous-step": 10,
        "card::whole-sequence": 2,
        "card::mnemonic": 11,
        "card::analogy": 10,
        "card::code": 6,
    }
    assert [m["name"] for m in col.models.all()].count(MODEL_NAME) == 1
    model = col.models.get(NotetypeId(MODEL_ID))
    assert model is not None and model["name"] == MODEL_NAME
    assert col.card_count() == 60
    assert "PyTorch Course::PyTorch::Training Loop" in [d.name for d in col.decks.all_names_and_ids()]
    col.close()


class ClozeSplitter(HTMLParser):
    """Split rendered card HTML into the text outside cloze spans and the text of each cloze span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outside: list[str] = []
        self.clozes: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag == "span"
        elif tag == "span" and ("class", "cloze") in attrs:
            self.depth = 1
            self.clozes.append("")
            self.outside.append("[CLOZE]")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "span":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.clozes[-1] += data
        else:
            self.outside.append(data)


def split(html: str) -> tuple[str, list[str]]:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S).split('<hr id="answer">')[0]
    parser = ClozeSplitter()
    parser.feed(body)
    return "".join(parser.outside).strip(), parser.clozes


@pytest.mark.parametrize("name", ["pytorch-training-loop", "literal-text"])
def test_question_hides_exactly_what_the_answer_shows(name: str, tmp_path: Path) -> None:
    source = CONTENT if name.startswith("pytorch") else FIXTURES / "literal.yaml"
    out = tmp_path / "out"
    assert run_cli("build", str(source), "--out", str(out))[0] == 0
    col = new_collection(tmp_path)
    import_deck(col, out / f"{name}.apkg")
    cards = col.find_cards("")
    assert cards
    for cid in cards:
        card = col.get_card(cid)
        q_rest, q_hidden = split(card.question())
        a_rest, a_shown = split(card.answer())
        assert q_rest == a_rest, "question and answer differ outside the cloze"
        assert len(q_hidden) == len(a_shown) >= 1
        for hidden, shown in zip(q_hidden, a_shown, strict=False):
            assert shown.strip(), "empty cloze"
            assert hidden.startswith("[") and hidden.endswith("]")
            assert shown.strip() not in hidden, "question shows the answer"
    col.close()


def test_literal_text_reaches_anki_as_typed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("build", str(FIXTURES / "literal.yaml"), "--out", str(out))
    col = new_collection(tmp_path)
    import_deck(col, out / "literal-text.apkg")
    answers = " ".join(strip_html(col.get_card(c).answer()) for c in col.find_cards(""))
    for literal in (
        "<script>alert(1)</script>",
        "x<y && y>z",
        "{{c2::not a cloze}}",
        "AT&T",
        "a <tag> & an ampersand",
        "double braces }}",
        "if a < b and c::d: pass",
    ):
        assert literal in answers, literal
    col.close()


def write_topic(path: Path, step_name: str, extra_step: bool) -> None:
    """The minimal fixture with explicit step ids, as a teacher who renames steps writes it."""
    text = (FIXTURES / "minimal.yaml").read_text()
    steps = f"steps:\n      - {{id: wake, name: Wake up}}\n      - {{id: teeth, name: {step_name}}}\n"
    if extra_step:
        steps += "      - {id: breakfast, name: Have breakfast}\n"
    path.write_text(text.replace("steps: [Wake up, Brush teeth]\n", steps))


def test_reimport_updates_in_place_and_keeps_reviews(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from anki.consts import BUTTON_FOUR
    from anki.models import NotetypeId

    topic = tmp_path / "topic.yaml"
    col = new_collection(tmp_path)
    write_topic(topic, "Brush teeth", extra_step=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert run_cli("build", str(topic), "--out", str(tmp_path / "v1"))[0] == 0
    first = import_deck(col, tmp_path / "v1" / "tiny-topic.apkg")
    assert len(first.new) == 4
    deck_id = col.decks.id_for_name("Tiny topic")
    assert deck_id is not None
    col.decks.select(deck_id)
    answered = 0
    while (card := col.sched.getCard()) is not None:
        # anki.consts types BUTTON_FOUR as a plain int; answerCard takes Literal[1, 2, 3, 4]
        col.sched.answerCard(card, BUTTON_FOUR)  # type: ignore[arg-type]
        answered += 1
    assert answered == 4
    assert col.db is not None
    reviews_before = col.db.scalar("select count() from revlog")
    assert reviews_before == 4

    write_topic(topic, "Brush your teeth", extra_step=True)
    monkeypatch.setattr("builder.deck.anki.model_css", lambda: ".card { color: red; }")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert run_cli("build", str(topic), "--out", str(tmp_path / "v2"))[0] == 0
    second = import_deck(col, tmp_path / "v2" / "tiny-topic.apkg")

    assert len(second.conflicting) == 0 and len(second.duplicate) == 0
    assert len(second.new) == 2  # the new step's next-step and previous-step cards
    assert len(second.updated) == 4
    assert [m["name"] for m in col.models.all() if m["name"].startswith(MODEL_NAME)] == [MODEL_NAME]
    model = col.models.get(NotetypeId(MODEL_ID))
    assert model is not None and model["css"] == ".card { color: red; }"
    texts = " ".join(col.get_note(n)["Text"] for n in col.find_notes(""))
    assert "Brush your teeth" in texts and "Brush teeth" not in texts
    assert col.db.scalar("select count() from revlog") == reviews_before
    assert col.db.scalar("select count() from cards where type = 2 or queue = 1") >= 4
    assert col.card_count() == 6 and len(col.find_notes("")) == 6
    col.close()


def test_same_inputs_same_bytes_and_a_deflated_fixed_date_zip(tmp_path: Path, epoch: int) -> None:
    for name in ("a", "b"):
        assert run_cli("build", str(CONTENT), "--out", str(tmp_path / name))[0] == 0
    a = (tmp_path / "a" / "pytorch-training-loop.apkg").read_bytes()
    assert a == (tmp_path / "b" / "pytorch-training-loop.apkg").read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "pytorch-training-loop.apkg") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
        assert archive.testzip() is None


def test_note_mod_time_is_the_build_time(tmp_path: Path, epoch: int) -> None:
    import sqlite3

    run_cli("build", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path))
    with zipfile.ZipFile(tmp_path / "tiny-topic.apkg") as archive:
        (tmp_path / "c.db").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.db")
    assert {row[0] for row in db.execute("select mod from notes")} == {epoch}
    assert [row[0] for row in db.execute("select due from cards order by due")] == [0, 1, 2, 3]
    db.close()
