"""Maths, pictures and terms (tests/fixtures/rich.yaml): built, imported into real Anki, and read from the PDF."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from helpers import FIXTURES, import_deck, new_collection, run_cli, visible_text
from pypdf import PdfReader

from builder.content.gather import gather
from builder.content.model import Topic
from builder.content.pictures import PictureProblem, read_picture
from builder.deck.cards import notes
from builder.glyphs.maths import problem
from builder.text.marks import plain, spans, to_html

RICH = FIXTURES / "rich.yaml"
UPDATE_RULE = r"\theta \leftarrow \theta - \eta \nabla L"
NESTED = r"\|x\|^{2} = \sum_i x_i^{2}"


@pytest.fixture(scope="module")
def topic() -> Topic:
    return gather([RICH]).topics[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rich")
    code, _, err = run_cli("build", str(RICH), "--out", str(out))
    assert code == 0, err
    return out


def test_maths_is_cut_out_of_text_as_typed() -> None:
    text = r"Move \(\theta\) by **\(\eta\) times** \[x^{2}\], not `\(code\)`, \\(text\\) or $5"
    assert spans(text) == (
        ("", "Move "),
        ("math", r"\theta"),
        ("", " by "),
        ("math", r"\eta"),
        ("b", " times"),
        ("", " "),
        ("display", "x^{2}"),
        ("", ", not "),
        ("code", r"\(code\)"),
        ("", r", \(text\) or $5"),
    )
    assert plain(r"a \(x\) b") == r"a \(x\) b"


def test_card_html_keeps_maths_for_mathjax_and_hides_typed_delimiters() -> None:
    assert to_html(r"so \(x^{2}\) & \\(y\\)") == "so \\(x^&#123;2&#125;\\) &amp; \\\u2060(y\\\u2060)"


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        (r"\frac{1}{", "a '{' is not closed (braces must pair up)"),
        (r"x^{2}}", "a '}' closes nothing (braces must pair up)"),
        ("x^", "'^' or '_' has nothing after it"),
        (r"\left( x", "a \\left has no matching \\right"),
        (r"\nabl L", "unknown command \\nabl"),
        (r"100\,%", "'%' starts a TeX comment that hides the rest: write \\% for a percent sign"),
        (r"V in \(\mathrm{dm}", "it holds another '\\(' or '\\[': a '\\)' or '\\]' is missing before it"),
        (r"\begin{matrix} a", "a \\begin{…} has no matching \\end{…}"),
        (r"\frac{a}", "it cannot be drawn: a command lacks one of its arguments (\\frac{a}{b} takes two)"),
    ],
)
def test_an_expression_that_cannot_be_typeset_says_why(tex: str, reason: str) -> None:
    assert problem(tex, False) == reason


@pytest.mark.parametrize(
    "tex",
    [UPDATE_RULE, NESTED, r"\frac{\partial L}{\partial \theta}", r"\hat{y} = \sigma(z)", r"50\,\%", r"a \\[2pt] b"],
)
def test_ordinary_expressions_can_be_typeset(tex: str) -> None:
    assert problem(tex, False) is None
    assert problem(tex, True) is None


def test_cards_hold_the_maths_as_typed(topic: Topic) -> None:
    by_key = {n.key.split("/", 1)[1]: n for n in notes(topic)}
    step = by_key["update/step-downhill/next"]
    assert "\\(\\theta \\leftarrow \\theta - \\eta \\nabla L\\)" in step.extra
    assert "$5" in step.extra
    meaning = by_key["terms/squared-norm/meaning"]
    assert "}}" not in meaning.text.replace("}}</div>", "")  # the cloze ends once, after the maths
    assert html.unescape(meaning.asks.markup).startswith("{{c1::\\(" + NESTED + "\\)")


def test_terms_give_both_directions_tagged_and_switchable(topic: Topic) -> None:
    specs = [n for n in notes(topic) if n.kind == "term"]
    assert [n.key for n in specs] == [
        *(f"gradient-descent/terms/{t}/meaning" for t in ("learning-rate", "gradient", "squared-norm")),
        *(f"gradient-descent/terms/{t}/term" for t in ("learning-rate", "gradient", "squared-norm")),
    ]
    assert all("card::term" in n.tags for n in specs)
    assert len({n.guid for n in specs}) == 6
    from dataclasses import replace

    from builder.content.model import CardKinds

    only_terms = replace(topic, cards=CardKinds(meanings=False))
    assert [n.key.rsplit("/", 1)[1] for n in notes(only_terms) if n.kind == "term"] == ["meaning"] * 3


def test_real_anki_imports_maths_pictures_and_terms(built: Path, tmp_path: Path) -> None:
    col = new_collection(tmp_path)
    try:
        import_deck(col, built / "gradient-descent.apkg")
        media = set(Path(col.media.dir()).iterdir())
        names = {p.name for p in media}
        assert len(names) == 3 and all(re.fullmatch(r"flozp-[0-9a-f]{20}\.(png|jpg|svg)", n) for n in names)
        answers = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            card = note.cards()[0]
            answers[note.guid] = (card.question(), card.answer())
        backs = "\n".join(a for _, a in answers.values())
        assert 'alt="Diagonal brown lines on cream"' in backs
        assert re.search(r'<img src="flozp-[0-9a-f]{20}\.jpg" alt="Diagonal brown lines on cream">', backs)
        nested = [a for q, a in answers.values() if "squared norm" in visible_text(q)]
        # The whole expression, nested braces and all, is inside the revealed cloze.
        revealed = [visible_text(a) for a in nested]
        assert any(f"\\({NESTED}\\)" in r for r in revealed), revealed
        assert any('<span class="cloze"' in a and "\\(" in a.split('<span class="cloze"', 1)[1] for a in nested)
    finally:
        col.close()


def test_media_in_the_package_is_named_by_content(built: Path) -> None:
    with zipfile.ZipFile(built / "gradient-descent.apkg") as package:
        index = json.loads(package.read("media"))
        for number, name in index.items():
            data = package.read(number)
            import hashlib

            assert name.startswith("flozp-" + hashlib.sha256(data).hexdigest()[:20])


def test_the_sheet_draws_maths_as_paths_and_holds_no_tex(built: Path) -> None:
    with pdfplumber.open(built / "gradient-descent.pdf") as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        assert "\\" not in text and "nabla" not in text and "frac" not in text
        assert "a price of $5 stays a dollar" in " ".join(text.split())
        assert len(page.curves) > 20  # glyph outlines of the maths (the diagram has only lines and rects)
        assert len(page.images) == 3  # the topic's PNG, the step's JPEG, the term's PNG (SVGs are vectors)
        assert "A blue circle beside a red square" in text  # the alternative text, invisible but present


def test_a_file_without_the_new_keys_has_no_media(tmp_path: Path) -> None:
    code, _, err = run_cli("build", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path))
    assert code == 0, err
    apkg = next(tmp_path.glob("*.apkg"))
    with zipfile.ZipFile(apkg) as package:
        assert json.loads(package.read("media")) == {}
        assert sorted(package.namelist()) == ["collection.anki2", "media"]


def test_a_changed_picture_changes_the_cards_that_show_it(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "pictures").mkdir(parents=True)
    for name in ("shapes.png", "lines.jpg", "arrow.svg"):
        (folder / "pictures" / name).write_bytes((FIXTURES / "pictures" / name).read_bytes())
    (folder / "rich.yaml").write_text(RICH.read_text(encoding="utf-8"), encoding="utf-8")
    before = {n.key: n.content_hash for n in notes(gather([folder]).topics[0])}
    (folder / "pictures" / "lines.jpg").write_bytes(_other_jpeg())
    after = {n.key: n.content_hash for n in notes(gather([folder]).topics[0])}
    changed = sorted(k.split("/", 1)[1] for k in before if before[k] != after[k])
    # The step's picture is on the back of its next-step card and of the card that asks for it as "before".
    assert changed == ["update/step-downhill/previous", "update/take-the-gradient/next"]


def _other_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#336699").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_picture_over_two_mebibytes_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024))
    with pytest.raises(PictureProblem, match=r"'big.png' is 2.0 MiB; a picture may be at most 2 MiB"):
        read_picture("big.png", "x", tmp_path, tmp_path)


def test_the_pdf_of_a_topic_without_pictures_has_no_image(tmp_path: Path) -> None:
    code, _, err = run_cli("build", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path))
    assert code == 0, err
    reader = PdfReader(next(tmp_path.glob("*.pdf")))
    resources = reader.pages[0].get("/Resources") or {}
    assert "/XObject" not in resources or not any(
        "/Subtype" in o.get_object() and o.get_object()["/Subtype"] == "/Image"
        for o in resources["/XObject"].get_object().values()
    )


def test_the_preview_shows_pictures_maths_and_terms(tmp_path: Path) -> None:
    code, _, err = run_cli("preview", str(RICH), "--out", str(tmp_path), "--jobs", "1")
    assert code == 0, err
    page = (tmp_path / "preview" / "index.html").read_text(encoding="utf-8")
    assert page.count('<img src="data:image/jpeg;base64,') >= 2  # the step's picture on its two cards
    assert 'src="flozp-' not in page  # every picture inlined: the page is one file
    assert f'<span class="maths" role="img" aria-label="{html.escape(UPDATE_RULE)}"' in page
    assert "\\(" not in visible_text(page.split("<main>", 1)[1])  # no TeX left untypeset on any card
    assert page.count('data-kind="term"') == 6
    assert 'fill="currentColor"' in page and 'fill="black"' not in page  # maths follows night mode's text colour
    assert '<div class="maths display"' in page  # display maths on a line of its own, as MathJax sets it


def test_a_missing_picture_names_a_close_one(tmp_path: Path) -> None:
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "flask.png").write_bytes((FIXTURES / "pictures" / "shapes.png").read_bytes())
    with pytest.raises(PictureProblem, match=r"did you mean 'pictures/flask\.png'\?"):
        read_picture("pictures/flasks.png", "x", tmp_path, tmp_path)
