"""How often the builder breaks each output rule of tests/rules.py on the corpus, for any tree of the project.

    python benchmarks/corpus_rules.py --tree /tmp/oldtree      # counts for one tree
    python benchmarks/corpus_rules.py --tree /work/main
    python benchmarks/corpus_rules.py --compare /tmp/oldtree /work/main

`--tree` puts that tree first on sys.path and imports its `builder` (new module paths first, then the old
layout), builds tests/corpus with that tree's CLI in a subprocess, and counts violations. `--compare` runs
`--tree` for both trees in fresh processes and prints the counts side by side.

Every rule is counted here, the same way for both trees, from what a student gets: the decks imported
into real Anki collections, the PDFs' text, and the tree's own sheet and diagram layout. Texts are read
from the YAML with PyYAML, and their marks removed with `builder.text.plain` of the tree this script
belongs to (the documented rules), whichever tree is measured.
"""

from __future__ import annotations

import argparse
import html
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent.parent
CORPUS = HERE / "tests" / "corpus"
TOO_BIG = HERE / "tests" / "fixtures" / "too-big.yaml"
EPOCH = "1767225600"
BUILT = "2026-01-01"
BOX_SIZE = 8.0

Found = dict[str, list[str]]
RULES: tuple[tuple[str, str], ...] = (
    ("1", "duplicate questions (2+ different answers)"),
    ("2", "cue letter marked at the wrong place"),
    ("3", "sheet text not as typed"),
    ("4a", "words cut without hyphen: paragraphs"),
    ("4b", "words cut without hyphen: diagram boxes"),
    ("4b'", "diagram boxes with an empty first line"),
    ("4c", "split sequences' parts with fewer than two steps"),
    ("4c'", "split sections that fitted whole in their column"),
    ("4c''", "diagrams apart from their sequence's last step"),
    ("4d", "columns starting mid-section untitled"),
    ("5", "files check passes but build fails"),
    ("6a", "prompts with a title inside a sentence"),
    ("6b", "sequences asking step 1 as 'What comes next?'"),
    ("6c", "'What comes right before X?' ambiguous"),
)

_WORD = re.compile(r"\w+")
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # as the builder reads: libyaml when there
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0e\ufe0f\u200d\u20e3"
    "\U000e0020-\U000e007f\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139"
    "\u2194-\u2199\u21a9\u2934\u2935\u25aa-\u25fe]"
)
_SQUEEZE = re.compile(r"[\s\-\u00ad↪]")
_BLOCK = re.compile(
    r"</?(?:div|p|br|li|ul|ol|tr|td|th|table|hr|pre|svg|text|tspan|h[1-6])\b[^>]*>",
    re.I,
)


# --- text as a reader sees it -------------------------------------------------------------------------------


def load_plain() -> Callable[[str], str]:
    """`plain` of this script's own tree (the documented marks), loaded under another name than `builder`."""
    spec = importlib.util.spec_from_file_location("corpus_rules_text", HERE / "builder" / "text" / "marks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    plain: Callable[[str], str] = module.plain
    return plain


def strip_tags(fragment: str) -> str:
    """Tags removed (block ones as a space), entities read; spaces kept as they are."""
    fragment = re.sub(r"<(style|script)\b.*?</\1>", " ", fragment, flags=re.S | re.I)
    fragment = _BLOCK.sub(" ", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def visible(fragment: str) -> str:
    """What a reader sees of HTML (or ReportLab markup): whitespace folded."""
    return " ".join(strip_tags(fragment).split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    return " ".join(nfc(text).split())


# --- the tree under test ------------------------------------------------------------------------------------


class Tree:
    """The `builder` package of one tree, imported in this process, with its layout functions."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        sys.dont_write_bytecode = True
        # An editable install of another tree would answer for subpackages the tree lacks: only sys.path counts.
        sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in str(getattr(f, "__module__", ""))]
        sys.path.insert(0, str(self.root))
        builder = importlib.import_module("builder")
        self.check_inside(builder)
        self.gather = self.find("builder.content.gather:gather", "builder.gather:gather")
        self.fit = self.find("builder.sheet.fit:fit_sheet", "builder.sheet:layout")
        self.blank_image = self.find(
            "builder.sheet.markup:blank_image", "builder.render:blank_image", "builder.build:blank_image"
        )
        self.arrange = self.find("builder.diagram:arrange", "builder.diagram:layout")
        self.register = self.find("builder.glyphs.fonts:register", "builder.fonts:register")
        self.coverage = self.find("builder.glyphs.fonts:coverage", "builder.fonts:coverage")
        self.emoji_set = self.find("builder.glyphs.emoji:EmojiSet", "builder.emoji:EmojiSet")

    def check_inside(self, module: ModuleType) -> None:
        where = Path(str(module.__file__)).resolve()
        if self.root not in where.parents:
            raise ImportError(f"{module.__name__} comes from {where}, not from {self.root}")

    def find(self, *names: str) -> Any:
        """The first of `module:attribute` that this tree has."""
        for name in names:
            module_name, _, attribute = name.partition(":")
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            self.check_inside(module)
            if hasattr(module, attribute):
                return getattr(module, attribute)
        raise ImportError(f"{self.root} has none of {', '.join(names)}")


def cli_env(tree: Path) -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tree), env.get("PYTHONPATH", "")) if p)
    return env


def run_cli(tree: Path, *args: str) -> tuple[int, str]:
    """The exit code of the tree's CLI and the last line it wrote to stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=tree,
        env=cli_env(tree),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    return done.returncode, (done.stderr.strip().splitlines() or [""])[-1]


# --- the content as typed -----------------------------------------------------------------------------------


def read_topics() -> dict[str, dict[str, Any]]:
    topics: dict[str, dict[str, Any]] = {}
    for path in sorted(CORPUS.glob("*.yaml")):
        data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        topics[str(data["id"])] = data
    return topics


def typed_texts(topic: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """Every text a reader should see on the sheet, and whether it is code (shown literally, line by line)."""
    yield topic["title"], False
    yield from ((t, False) for t in [topic.get("summary")] if t)
    for seq in topic.get("sequences", []):
        yield from ((t, False) for t in (seq.get("title"), seq.get("summary")) if t)
        for step in seq.get("steps", []):
            yield from ((t, False) for t in (step.get("name"), step.get("does"), *step.get("substeps", [])) if t)
            if step.get("code"):
                yield step["code"], True
    for mnemonic in topic.get("mnemonics", []):
        yield from ((t, False) for t in (mnemonic.get("phrase"), mnemonic.get("note")) if t)
        yield from ((c["hook"], False) for c in mnemonic.get("cues", []) if c.get("hook"))
    for analogy in topic.get("analogies", []):
        yield analogy["title"], False
        for pair in analogy.get("pairs", []):
            yield from ((t, False) for t in (pair.get("like"), pair.get("detail")) if t)
    for snippet in topic.get("snippets", []):
        if snippet.get("title"):
            yield snippet["title"], False
        yield snippet["code"], True


def expected_positions(phrase: str, letters: list[str]) -> list[int]:
    """Next word starting with the letter as typed, else ignoring case, else the next such letter anywhere."""
    starts = [m.start() for m in _WORD.finditer(phrase)]
    at, found = 0, []
    for letter in letters:
        later = [s for s in starts if s >= at]
        exact = [s for s in later if phrase[s:].startswith(letter)]
        loose = [s for s in later if phrase[s:].lower().startswith(letter.lower())]
        where = (exact or loose or [phrase.lower().find(letter.lower(), at)])[0]
        found.append(where)
        at = where + len(letter)
    return found


def cuts(lines: list[list[str]], words: set[str]) -> list[str]:
    """Line ends inside a word with no hyphen: the line's last word and the next line's first make a word."""
    return [
        f"{this[-1]}|{after[0]}"
        for this, after in zip(lines, lines[1:], strict=False)
        if this and after and not this[-1].endswith("-") and this[-1] + after[0] in words
    ]


# --- decks --------------------------------------------------------------------------------------------------


class Card:
    def __init__(self, question: str, answer: str) -> None:
        self.question_html = question
        self.answer_html = answer
        self.question = visible(question)
        self.answer = visible(answer)


def read_deck(apkg: Path, folder: Path) -> list[Card]:
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder.mkdir(parents=True, exist_ok=True)
    col: Any = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=False))
        )
        cards = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            cards.append(Card(card.question(), card.answer()))
        return cards
    finally:
        col.close()


def duplicate_questions(cards: list[Card], only: str = "") -> list[str]:
    """Questions (containing `only`) asked with two or more different answers."""
    answers: dict[str, set[str]] = {}
    for card in cards:
        if only in card.question:
            answers.setdefault(card.question, set()).add(card.answer)
    return [q for q, a in answers.items() if len(a) > 1]


_PHRASE = re.compile(
    r'<(span|div) class="phrase">(?P<before>(?:(?!</(?:span|div)>).)*?)<u class="letter">(?P<mark>.*?)</u>'
    r"(?P<after>.*?)</(?:span|div)>",
    re.S,
)
_CLOZE = re.compile(r'<span class="cloze"[^>]*>(.*?)</span>', re.S)
_BOLD = re.compile(r"<b>(.*?)</b>", re.S)


class LetterCard:
    """A card asking what a marked letter of a mnemonic stands for: where the mark is, and the answer."""

    def __init__(self, card: Card, found: re.Match[str]) -> None:
        before, mark, after = (strip_tags(found.group(k)) for k in ("before", "mark", "after"))
        if len(mark) > 2 and mark.startswith("[") and mark.endswith("]"):
            mark = mark[1:-1]
        self.phrase = nfc(before + mark + after)
        self.at = len(nfc(before))
        self.letters = {visible(b) for b in _BOLD.findall(card.question_html)}
        answers = [visible(c) for c in _CLOZE.findall(card.answer_html)]
        self.answer = next((a for a in answers if a and a != "[...]"), "")


def letter_cards(cards: list[Card]) -> list[LetterCard]:
    out = []
    for card in cards:
        found = _PHRASE.search(card.question_html)
        if found:
            out.append(LetterCard(card, found))
    return out


def wrong_letters(topic: dict[str, Any], cards: list[Card], plain: Callable[[str], str]) -> list[str]:
    """Cues whose letter card marks another place than the rule's, or that have no letter card."""
    wrong = []
    marked = letter_cards(cards)
    for mnemonic in topic.get("mnemonics", []):
        phrase = nfc(str(mnemonic["phrase"]))
        seq = next(s for s in topic["sequences"] if s["id"] == mnemonic["for"])
        names = {step["id"]: fold(plain(str(step["name"]))) for step in seq["steps"]}
        cues = mnemonic["cues"]
        letters = [nfc(str(c["letter"])) for c in cues]
        expected = expected_positions(phrase, letters)
        unused = [m for m in marked if m.phrase in (phrase, nfc(plain(phrase)))]
        for cue, letter, at in zip(cues, letters, expected, strict=True):
            name = names[cue["step"]]
            fits = [
                m for m in unused if letter in m.letters and (m.answer == name or m.answer.startswith(name + " (step"))
            ]
            if not fits:
                wrong.append(f"{phrase!r}: no card marks {letter!r} for {name!r}")
                continue
            chosen = next((m for m in fits if m.at == at), fits[0])
            unused.remove(chosen)
            if chosen.at != at:
                shown = f"{phrase[: chosen.at]}[{phrase[chosen.at :]}"
                wrong.append(f"{letter!r} for {name!r} marked at {chosen.at}, not {at}: {shown!r}")
    return wrong


def title_prompts(topic: dict[str, Any], cards: list[Card], plain: Callable[[str], str]) -> list[str]:
    """Questions in which a title with a comma or quote runs on inside a sentence of the prompt."""
    given = [s.get("title") for s in topic.get("sequences", [])] + [a.get("title") for a in topic.get("analogies", [])]
    titles = [fold(plain(t)) for t in given if t and re.search(r"[,\"'“”]", t)]
    found: dict[str, None] = {}
    for card in cards:
        sentences = re.findall(r"[^?…]*[?…]", card.question)
        if any(f"{t}," in s or f"in {t}" in s for t in titles for s in sentences):
            found[card.question] = None
    return list(found)


_ROW = re.compile(r'<div class="step( ask)?"[^>]*>\s*<span class="n">\s*\d+\s*</span>')


def first_step_as_next(cards: list[Card]) -> list[str]:
    """Next-step cards asking for a sequence's first step (no step shown above the asked one) 'What comes next?'."""
    found = []
    for card in cards:
        if "What comes next?" in card.question:
            rows = _ROW.findall(card.question_html)
            if rows and rows[0] == " ask":
                found.append(card.question)
    return found


# --- the sheet's layout -------------------------------------------------------------------------------------


def paragraphs(flowables: Any) -> Iterator[Any]:
    from reportlab.platypus import Paragraph, Table

    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            yield flowable
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:  # type: ignore[attr-defined]  # the cells as given to Table
                for cell in row:
                    yield from paragraphs(cell if isinstance(cell, (list, tuple)) else [cell])
        elif isinstance(flowable, (list, tuple)):
            yield from paragraphs(flowable)


def line_words(paragraph: Any) -> list[list[str]]:
    lines = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):
            words = [str(w) for w in line[1]]
        else:
            words = "".join(str(getattr(frag, "text", "")) for frag in line.words).split()
        lines.append([w.replace("\u00ad", "") for w in words])
    return lines


def paragraph_cuts(columns: Any, width: float) -> list[str]:
    found = []
    for column in columns:
        for flowable in column:
            inside = list(paragraphs([flowable]))
            if any(not hasattr(p, "blPara") for p in inside):
                flowable.wrap(width, 1e6)  # a table wraps its cells at their own widths
            for paragraph in inside:
                if not hasattr(paragraph, "blPara"):
                    paragraph.wrap(width, 1e6)
                words = set(visible(paragraph.text).replace("\u00ad", "").split())
                found += cuts(line_words(paragraph), words)
    return found


def column_heights(columns: Any, width: float) -> list[float]:
    heights = []
    for column in columns:
        total = 0.0
        for flowable in column:
            total += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        heights.append(total)
    return heights


def layout_violations(tree: Tree, plain: Callable[[str], str], found: Found) -> None:
    """Rules 4a to 4d, from the tree's own sheet fitting and diagram arrangement; the layout rules of 4c as
    tests/rules.py states them (tests/sheet_parts.py reads any tree's columns), on A4 and letter."""
    sys.path.insert(0, str(HERE / "tests"))
    import sheet_parts
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    tree.register()
    fonts, emoji, blank = tree.coverage(), tree.emoji_set.load(), tree.blank_image()
    gathered = tree.gather([CORPUS])

    def measure(text: str, size: float) -> float:
        return float(stringWidth(text, "DejaVuSans-Bold", size))

    for topic in gathered.topics:
        for paper in ("a4", "letter"):
            layout = tree.fit(topic, paper, BUILT, fonts, emoji, blank)
            found_parts = sheet_parts.parts(layout.columns, float(layout.column_width))
            found["4c"] += [f"{topic.id}@{paper}: {p}" for p in sheet_parts.stranded(found_parts)]
            needless = sheet_parts.needless_splits(found_parts, layout.column_height)
            found["4c'"] += [f"{topic.id}@{paper}: {p}" for p in needless]
            apart = [p.title for p in found_parts if p.diagram and not p.steps]
            found["4c''"] += [f"{topic.id}@{paper}: {title}" for title in apart]
        sheet = tree.fit(topic, "a4", BUILT, fonts, emoji, blank)
        width = float(sheet.column_width)
        found["4a"] += [f"{topic.id}: {cut}" for cut in paragraph_cuts(sheet.columns, width)]
        heights = column_heights(sheet.columns, width)
        for k, (column, height) in enumerate(zip(sheet.columns, heights, strict=True)):
            if k and column and height > 0:
                first = column[0]
                if not (isinstance(first, Paragraph) and first.style.name == "heading"):
                    found["4d"].append(f"{topic.id}: column {k + 1} starts with a {type(first).__name__}")
        for seq in topic.sequences:
            names = [plain(step.name) for step in seq.steps]
            shape = tree.arrange(names, [None] * len(names), seq.shape == "loop", width, BOX_SIZE, measure)
            for box, name in zip(shape.boxes, names, strict=True):
                lines = [[w.replace("\u00ad", "") for w in line.split()] for line in box.lines]
                found["4b"] += [f"{topic.id}: {cut}" for cut in cuts(lines, set(name.replace("\u00ad", "").split()))]
                if not box.lines or not box.lines[0].strip():
                    found["4b'"].append(f"{topic.id}: {list(box.lines)}")


# --- one tree -----------------------------------------------------------------------------------------------


def sheet_text_misses(topic: dict[str, Any], pdf: Path, plain: Callable[[str], str]) -> list[str]:
    """Texts (code: each line) not found in the sheet's text, spaces, hyphens, ↪ and emoji aside."""
    from pypdf import PdfReader

    raw = PdfReader(pdf).pages[0].extract_text()
    shown = _SQUEEZE.sub("", _EMOJI.sub("", nfc(raw)))
    misses = []
    for typed, code in typed_texts(topic):
        text = nfc(str(typed))
        for line in text.rstrip("\n").split("\n") if code else [plain(text)]:
            if _SQUEEZE.sub("", _EMOJI.sub("", line)) not in shown:
                misses.append(line)
    return misses


def measure_tree(root: Path) -> Found:
    """Every violation of every rule by one tree's builder, described, by rule."""
    root = root.resolve()
    plain = load_plain()
    topics = read_topics()
    files = [*sorted(CORPUS.glob("*.yaml")), TOO_BIG]
    found: Found = {key: [] for key, _ in RULES}
    with tempfile.TemporaryDirectory(prefix="corpus-rules-") as tmp, ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        work = Path(tmp)
        built = work / "built"
        build = pool.submit(run_cli, root, "build", str(CORPUS), "--out", str(built))
        pairs = [
            (
                pool.submit(run_cli, root, "check", str(path)),
                pool.submit(run_cli, root, "build", str(path), "--out", str(work / "each" / path.stem)),
            )
            for path in files
        ]
        layout_violations(Tree(root), plain, found)
        code, said = build.result()
        if code != 0:
            raise SystemExit(f"{root}: building the corpus failed: {said}")
        for path, (check, each) in zip(files, pairs, strict=True):
            if check.result()[0] == 0 and each.result()[0] != 0:
                found["5"].append(f"{path.name}: check passes, build says: {each.result()[1]}")
        for topic_id, topic in topics.items():
            cards = read_deck(built / f"{topic_id}.apkg", work / "anki" / topic_id)
            for key, violations in (
                ("1", duplicate_questions(cards)),
                ("2", wrong_letters(topic, cards, plain)),
                ("3", sheet_text_misses(topic, built / f"{topic_id}.pdf", plain)),
                ("6a", title_prompts(topic, cards, plain)),
                ("6b", first_step_as_next(cards)),
                ("6c", duplicate_questions(cards, "What comes right before")),
            ):
                found[key] += [f"{topic_id}: {v}" for v in violations]
    return found


def table(columns: list[tuple[str, dict[str, int]]]) -> str:
    heads = ["rule", "what is counted", *(name for name, _ in columns)]
    rows = [[key, text, *(str(c[key]) for _, c in columns)] for key, text in RULES]
    widths = [max(len(r[k]) for r in [heads, *rows]) for k in range(len(heads))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if k < 2 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(heads), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def run_tree(root: Path, verbose: bool) -> dict[str, int]:
    """The tree's counts by rule in a fresh process (its `builder` must not meet another tree's)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--tree", str(root), "--json", *(["--verbose"] * verbose)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{root}: {done.stderr.strip()}")
    if verbose:
        print(done.stderr, end="", file=sys.stderr)
    return {str(k): int(v) for k, v in json.loads(done.stdout).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--tree", type=Path, help="count the violations of this tree's builder")
    which.add_argument("--compare", type=Path, nargs=2, metavar=("OLD", "NEW"), help="both trees, side by side")
    parser.add_argument("--json", action="store_true", help="with --tree: print the counts as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every violation on stderr")
    args = parser.parse_args(argv)
    if args.compare:
        old, new = args.compare
        results = [(name, run_tree(root, args.verbose)) for name, root in (("old", old), ("new", new))]
        print(f"old: {old.resolve()}\nnew: {new.resolve()}\n")
        print(table(results))
        return 0
    found = measure_tree(args.tree)
    if args.verbose:
        for key, _ in RULES:
            for violation in found[key]:
                print(f"{args.tree.resolve()} rule {key}: {violation}", file=sys.stderr)
    counts = {key: len(found[key]) for key, _ in RULES}
    if args.json:
        print(json.dumps(counts))
    else:
        print(f"tree: {args.tree.resolve()}\n")
        print(table([("count", counts)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
