"""Translations: complete catalogs, `lang` resolved and checked, German and Japanese topics built, English unchanged."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from helpers import FIXTURES, ROOT, TESTS, import_deck, load_file, new_collection, run_cli, visible_text

from builder.commands.preview.cards import CardView, TopicView
from builder.commands.preview.page import page
from builder.commands.release import topic_hash
from builder.content.checks import check_words
from builder.content.gather import gather
from builder.content.model import Topic
from builder.content.validate import validate
from builder.deck.anki import DeckSpec, package_bytes
from builder.deck.cards import notes
from builder.errors import ContentError
from builder.glyphs.fonts import Coverage, coverage
from builder.text.i18n import LOCALES, Words, catalog_for, catalogs, parse

I18N = TESTS / "i18n"
GERMAN = I18N / "de-filterkaffee.yaml"
JAPANESE = I18N / "ja-ocha.yaml"
SHIPPED = ("de", "es", "fr", "ja", "pt_BR", "zh_Hans")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# Words the builder writes itself in English: none may be left on a German card or sheet.
ENGLISH_CARD_WORDS = (
    "What comes",
    "Which step",
    "comes first",
    "right before",
    "next round",
    "stands for",
    "is like",
    "in order",
    "Which mnemonic",
    "this order",
    "one word",
    "words)",
    "mnemonic 1 of",
    "marked",
    "Which line",
    "Analogy:",
    "repeats",
    "(step ",
)
ENGLISH_SHEET_WORDS = ("loop", "continued", "analogy for", "Margin numbers", "built", "licence", "by Anna", "Fonts:")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def po_path(name: str) -> Path:
    return LOCALES / name / "LC_MESSAGES" / "messages.po"


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def forms(message: Message) -> tuple[list[str], list[str]]:
    """A message's ids (singular and plural) and its translations (one per plural form)."""
    ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
    strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
    return [str(i) for i in ids], [str(s or "") for s in strings]


# ---- the catalogs


def test_the_six_languages_are_shipped_compiled() -> None:
    assert catalogs() == list(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_message_is_translated(name: str) -> None:
    catalog = read_catalog(po_path(name))
    assert len(messages(catalog)) >= 70
    for message in messages(catalog):
        ids, strings = forms(message)
        assert "fuzzy" not in message.flags, ids[0]
        assert len(strings) == (catalog.num_plurals if len(ids) > 1 else 1), ids[0]
        assert all(s.strip() for s in strings), f"{name}: not translated: {ids[0]!r}"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_placeholder_is_kept(name: str) -> None:
    for message in messages(read_catalog(po_path(name))):
        ids, strings = forms(message)
        wanted = {p for msgid in ids for p in PLACEHOLDER.findall(msgid)}
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, f"{name}: {ids[0]!r} -> {text!r}"
            if wanted:  # filled as the builder fills it: a lone % (not %%) would raise here, and at run time
                text % dict.fromkeys(wanted, "")


@pytest.mark.parametrize("name", SHIPPED)
def test_translations_add_no_markup(name: str) -> None:
    """Translated words go into card HTML, cloze answers and ReportLab markup unescaped."""
    for message in messages(read_catalog(po_path(name))):
        ids, strings = forms(message)
        for text in strings:
            for mark in ("<", ">", "&", "::", "{{", "}}"):
                assert mark not in text or any(mark in msgid for msgid in ids), f"{name}: {mark!r} in {text!r}"


@pytest.mark.parametrize("name", SHIPPED)
def test_compiled_catalog_is_its_source(name: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(po_path(name)))
    assert (LOCALES / name / "LC_MESSAGES" / "messages.mo").read_bytes() == compiled.getvalue(), (
        "recompile: pybabel compile -d builder/locale"
    )


def test_template_and_catalogs_hold_what_the_code_says() -> None:
    """The .pot is what `pybabel extract` finds today, and every catalog translates exactly those messages."""
    found = {message for _, _, message, _, _ in extract_from_dir(str(ROOT / "builder"))}
    template = {m.id for m in messages(read_catalog(LOCALES / "messages.pot"))}
    assert template == found, "re-extract and update the catalogs (docs/translating.md)"
    for name in SHIPPED:
        assert {m.id for m in messages(read_catalog(po_path(name)))} == found, name


# ---- which catalog a tag gets, and how lang is checked


@pytest.mark.parametrize(
    ("tag", "catalog"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("fr-CA", "fr"),
        ("es-419", "es"),
        ("pt", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("pt-PT", None),
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh-TW", None),
        ("ja-JP", "ja"),
        ("eo", None),
    ],
)
def test_a_tag_finds_its_catalog(tag: str, catalog: str | None) -> None:
    locale = parse(tag)
    assert locale is not None
    assert catalog_for(locale) == catalog


def test_words_write_dates_numbers_and_plurals_as_the_language_does() -> None:
    english, german, french, japanese = (Words.load(t) for t in ("en", "de", "fr", "ja"))
    assert english.date("2026-01-01") == "2026-01-01" and english.number(12345) == "12345"
    assert german.date("2026-01-01") == "1. Januar 2026" and german.number(12345) == "12.345"
    assert japanese.date("2026-01-01") == "2026年1月1日"
    assert german.join(["A", "B", "C"]) == "A, B und C" and english.join(["A", "B", "C"]) == "A, B, C"
    assert french.ngettext("%(count)s card", "%(count)s cards", 1) == "1 carte"
    assert french.ngettext("%(count)s card", "%(count)s cards", 2) == "2 cartes"
    assert english.gettext("What comes next?") == "What comes next?"


def course(folder: Path, course_yaml: str, topics: dict[str, str]) -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    (content / "course.yaml").write_text(course_yaml)
    minimal = (FIXTURES / "minimal.yaml").read_text()
    for name, extra in topics.items():
        (content / f"{name}.yaml").write_text(minimal.replace("id: tiny-topic", f"id: {name}") + extra)
    return content


def test_topic_lang_wins_over_the_course_lang(tmp_path: Path) -> None:
    content = course(tmp_path, "format: 1\nname: Kurs\nlang: fr\n", {"a-course": "", "b-own": "lang: de\n"})
    first, second = gather([content]).topics
    assert (first.lang, second.lang) == ("fr", "de")
    assert notes(first)[0].text.startswith('<div class="prompt">Quelle est la première étape\u00a0?</div>')
    assert notes(second)[0].text.startswith('<div class="prompt">Welcher Schritt kommt zuerst?</div>')
    [english] = gather([course(tmp_path / "plain", "format: 1\nname: Course\n", {"c": ""})]).topics
    assert english.lang == "en" and "Which step comes first?" in notes(english)[0].text


def test_course_lang_is_checked_where_it_is_written(tmp_path: Path) -> None:
    content = course(tmp_path, "format: 1\nname: Kurs\nlang: de_DE\n", {"a": ""})
    with pytest.raises(ContentError) as info:
        gather([content])
    [problem] = info.value.problems
    assert (Path(problem.path).name, problem.line, problem.col, problem.key) == ("course.yaml", 3, 7, "lang")
    assert problem.message.endswith("got 'de_DE' (write 'de-DE': a BCP 47 tag joins its parts with '-')")
    [unknown] = gather([course(tmp_path / "xx", "format: 1\nname: Kurs\nlang: xx\n", {"a": ""})]).warnings
    assert unknown.message.startswith("the builder knows no words or dates for language 'xx'")
    content = course(tmp_path / "eo", "format: 1\nname: Kurso\nlang: eo\n", {"a": ""})
    [warning] = gather([content]).warnings
    assert Path(warning.path).name == "course.yaml" and "not translated into 'eo'" in warning.message


def test_a_lang_without_a_catalog_warns_and_builds_in_english(tmp_path: Path, epoch: int) -> None:
    code, _, err = run_cli("build", str(TESTS / "warnings" / "lang-no-catalog.yaml"), "--out", str(tmp_path))
    assert code == 0
    assert "lang: the builder's words are not translated into 'eo' yet, so they stay English" in err
    [first, *_] = notes(gather([TESTS / "warnings" / "lang-no-catalog.yaml"]).topics[0])
    assert "Which step comes first?" in first.text


def test_words_the_sheet_font_cannot_draw_are_an_error_at_the_lang(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text() + "lang: de\n")
    doc, _ = load_file(path, "topic.yaml")
    assert doc is not None
    assert check_words(doc, coverage(), None) == []
    ascii_only = Coverage(frozenset(range(0x20, 0x7F)), frozenset(range(0x20, 0x7F)))
    [problem] = check_words(doc, ascii_only, None)
    assert (problem.line, problem.col, problem.key, problem.warning) == (9, 7, "lang", False)
    assert problem.message.startswith("the builder's words in 'de' cannot be drawn on the sheet: DejaVu Sans has no")
    assert "ä" in problem.message and "ü" in problem.message


def test_lang_en_changes_no_byte(tmp_path: Path, epoch: int) -> None:
    plain, english = tmp_path / "plain.yaml", tmp_path / "english.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", plain)
    english.write_text((FIXTURES / "minimal.yaml").read_text() + "lang: en\n")
    for path in (plain, english):
        assert run_cli("build", str(path), "--out", str(tmp_path / path.stem))[0] == 0
    for suffix in (".apkg", ".pdf"):
        assert (tmp_path / "plain" / f"tiny-topic{suffix}").read_bytes() == (
            tmp_path / "english" / f"tiny-topic{suffix}"
        ).read_bytes()


def test_only_a_language_with_other_words_changes_a_topic_hash() -> None:
    """Released topics keep their hashes (no version bump asked for) unless their words change language."""
    topic = gather([FIXTURES / "minimal.yaml"]).topics[0]
    hashes = {lang: topic_hash(dataclasses.replace(topic, lang=lang)) for lang in ("en", "en-GB", "de", "ja")}
    assert hashes["en"] == hashes["en-GB"] == topic_hash(topic)
    assert len({hashes["en"], hashes["de"], hashes["ja"]}) == 3


# ---- a German topic


@pytest.fixture(scope="module")
def german_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("german")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        code, _, err = run_cli("build", "--strict", str(GERMAN), "--out", str(out))
    assert code == 0, err
    return out


def card_texts(deck: Path, folder: Path) -> list[str]:
    """Every card's front and back as real Anki renders them, as a reader sees them."""
    col = new_collection(folder)
    try:
        import_deck(col, deck)
        texts = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            texts += [visible_text(card.question()), visible_text(card.answer())]
        return texts
    finally:
        col.close()


def test_german_deck_has_no_english_prompt_words(german_build: Path, tmp_path: Path) -> None:
    texts = card_texts(german_build / "filterkaffee.apkg", tmp_path)
    assert len(texts) == 2 * 43
    everything = "\n".join(texts)
    for english in ENGLISH_CARD_WORDS:
        assert english not in everything, english
    for german in (
        "Welcher Schritt kommt zuerst?",
        "Was kommt als Nächstes?",
        "Was kommt direkt vor Wasser kochen (in der nächsten Runde)?",
        "Aufgießen (Schritt 3)",
        "Alle 6 Schritte, der Reihe nach:",
        "Welche Eselsbrücke ergibt diese Reihenfolge? (ein Wort)",
        "Welche Eselsbrücke ergibt diese Reihenfolge? (6 Wörter)",
        "Wofür steht das markierte Z?",
        "Für welchen Schritt steht „Nachdenken“?",
        "Servieren ist wie …",
        "Analogie: Einen Brief schreiben",
        "↻ wiederholt sich",
        "Welche Zeile kommt als Nächstes?",
    ):
        assert german in everything, german


def test_german_sheet_has_no_english_words(german_build: Path) -> None:
    with pdfplumber.open(german_build / "filterkaffee.pdf") as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())
    for english in ENGLISH_SHEET_WORDS:
        assert english not in text, english
    for german in (
        "↻ Kreislauf",
        "Analogie zu",
        "Die Zahlen am Rand sind Schrittnummern",
        "erstellt am 1. Januar 2026",
    ):
        assert german in text, german
    assert "Lizenz CC-BY-4.0 · von Anna Beispiel und Jörg Muster · Schrift: DejaVu" in text


def test_german_course_release_speaks_german(tmp_path: Path, epoch: int) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "course.yaml").write_text("format: 1\nname: Kaffeekurs\nlang: de\nnew_per_day: 15\n")
    shutil.copy(GERMAN, content)
    code, _, err = run_cli("release", str(content), "--out", str(tmp_path / "dist"), "-q")
    assert code == 0, err
    release = tmp_path / "dist" / "release"
    notes_text = (release / "RELEASE-NOTES.md").read_text()
    assert (
        notes_text.startswith("# Kaffeekurs: Ausgabe vom 1. Januar 2026\n")
        and "Erste Ausgabe: 43 Karten." in notes_text
    )
    guide = (release / "STUDENTS.md").read_text()
    assert guide.startswith("# Kaffeekurs: Lernmaterial (1. Januar 2026)\n")
    assert "`kaffeekurs-2026-01-01.apkg`" in guide  # file names keep ISO dates
    assert "**15 neue Karten am Tag**" in guide and "„Neue Karten/Tag“ auf 15" in guide
    assert "study materials" not in guide and "Import the deck" not in guide
    assert (release / "CREDITS.md").read_text().startswith("# Lizenzen und Nachweise\n")
    with pdfplumber.open(release / "kaffeekurs-2026-01-01-sheets.pdf") as pdf:
        contents = " ".join(pdf.pages[0].extract_text().split())
    assert "Lernzettel, 1. Januar 2026 · 1 Thema · mit 100 % (Tatsächliche Größe) drucken" in contents
    with zipfile.ZipFile(release / "kaffeekurs-2026-01-01.zip") as bundle:
        assert "kaffeekurs-2026-01-01/STUDENTS.md" in bundle.namelist()


def test_preview_chrome_follows_the_course_and_each_topic_its_own(tmp_path: Path) -> None:
    topic = gather([GERMAN]).topics[0]
    view = TopicView(topic, b"", (CardView("next-step", "q", "a"),), "", Words.load("de"))
    html = page([view], Words.load("ja"))
    assert html.startswith('<!DOCTYPE html><html lang="ja">')
    assert "<title>プレビュー：カード 1 枚</title>" in html and "ナイトモード" in html
    assert '<section class="topic" lang="de"' in html
    assert "1 Karte" in html and "nächster Schritt" in html and "Vorderseite" in html and "Lernzettel zu" in html
    english = page([TopicView(topic, b"", (), "", Words.load("de"))])
    assert '<html lang="en">' in english and "Night mode" in english


# ---- a Japanese topic


def japanese_topic() -> Topic:
    """The topic as validation makes it: the text checks, which need a font for kana and kanji, are left out."""
    doc, problems = load_file(JAPANESE, str(JAPANESE))
    assert doc is not None and problems == []
    topic, found = validate(doc)
    assert topic is not None and found == [], found
    return topic


def test_japanese_topic_keeps_kana_and_kanji_in_the_model() -> None:
    topic = japanese_topic()
    assert topic.lang == "ja" and topic.title == "お茶を淹れる"
    [seq] = topic.sequences
    assert [s.name for s in seq.steps][:2] == ["お湯を沸かす", "茶葉を入れる"]
    [mnemonic] = topic.mnemonics
    assert mnemonic.phrase == "おちゃそまつ" and mnemonic.letter_positions() == (0, 1, 3, 4, 5)
    assert topic.analogies[0].pairs[1].like == "味噌を溶かす"


def test_japanese_deck_builds_and_imports(tmp_path: Path) -> None:
    topic = japanese_topic()
    specs = tuple(notes(topic))
    deck = tmp_path / "ocha.apkg"
    deck.write_bytes(package_bytes([DeckSpec(topic.deck, specs)], 1767225600))
    texts = card_texts(deck, tmp_path)
    assert len(texts) == 2 * len(specs)
    everything = "\n".join(texts)
    for english in ENGLISH_CARD_WORDS:
        assert english not in everything, english
    for japanese in (
        "最初のステップは何？",
        "次は何？",
        "「茶葉を入れる」の直前は何？",
        "全5ステップを順番に：",
        "この順序を表す語呂合わせは？",
        "印の付いた「ちゃ」は何を表す？",
        "たとえ：味噌汁を作る",
        "「ひと煮立ちを待つ」はどのステップ？",
        "茶葉の「茶（ちゃ）」",
    ):
        assert japanese in everything, japanese


def test_japanese_sheet_sets_the_builders_words_in_the_cjk_font(tmp_path: Path, epoch: int) -> None:
    """Needs the cjk extra (part of the test extra): the builder's own Japanese words use its font too."""
    code, _, err = run_cli("check", str(JAPANESE))
    assert code == 0, err
    assert run_cli("build", str(JAPANESE), "--out", str(tmp_path))[0] == 0
    with pdfplumber.open(tmp_path / "ocha.pdf") as pdf:
        page = pdf.pages[0]
        text = " ".join(page.extract_text().split())
        fonts = {c["fontname"].split("+", 1)[-1] for c in page.chars if c["text"] in "作成続"}
    assert "お湯を沸かす" in text and "2026年1月1日作成" in text
    assert fonts and all(name.startswith("NotoSansCJK") for name in fonts), fonts


def test_the_preview_shows_the_japanese_topic(tmp_path: Path, epoch: int) -> None:
    """Built for real (cards rendered by Anki, the sheet drawn with the CJK font): its cards and sheet in Japanese."""
    code, _, err = run_cli("preview", str(JAPANESE), "--out", str(tmp_path), "--jobs", "1")
    assert code == 0, err
    html = (tmp_path / "preview" / "index.html").read_text(encoding="utf-8")
    assert '<section class="topic" lang="ja"' in html
    assert "最初のステップは何？" in html and "お湯を沸かす" in html
    assert 'src="data:image/png;base64,' in html  # the sheet, drawn


def test_words_break_by_the_dictionary_of_the_topics_language() -> None:
    """German words broken by English rules read wrongly ("zwis-chen"); Japanese has no dictionary, English's
    then serves its Latin words."""
    from builder.text.hyphens import SOFT_HYPHEN, dictionary_for, soft_hyphens

    assert [dictionary_for(t) for t in ("de", "de-AT", "pt-BR", "en-GB", "ja", None)] == [
        "de",
        "de_AT",
        "pt_BR",
        "en_US",
        "en_US",
        "en_US",
    ]
    german = soft_hyphens("zwischen Spindelapparat", dictionary_for("de")).replace(SOFT_HYPHEN, "-")
    assert german == "zwi-schen Spin-del-ap-pa-rat"
    assert soft_hyphens("zwischen", dictionary_for("en")).replace(SOFT_HYPHEN, "-") == "zwis-chen"
