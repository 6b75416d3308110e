"""Topic in, note specs out: the teaching design of the deck, as pure data.

Every note has exactly one cloze number (c1), so every note is exactly one card
and a re-import can never leave an empty card behind. Identity comes from ids
only (`key`), never from text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..content.model import Analogy, Mnemonic, Picture, Sequence, Snippet, Step, Topic, cue_label
from ..text.highlight import Highlighter
from ..text.i18n import Words
from ..text.marks import escape_html, plain, to_html
from .card_diagram import diagram_svg

KINDS = ("term", "next-step", "previous-step", "whole-sequence", "mnemonic", "analogy", "code")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Cloze:
    """A c1 deletion as written into a note, and its answer as plain text (what release notes name)."""

    markup: str
    answer: str


@dataclass(frozen=True)
class NoteSpec:
    """One note: its identity (`key`), its fields, the first cloze it asks, and the pictures it shows.

    A picture's media name is its content hash, so a changed picture changes `extra` and so `content_hash`.
    """

    key: str
    kind: str
    text: str
    extra: str
    source: str
    tags: tuple[str, ...]
    asks: Cloze
    media: tuple[Picture, ...] = ()

    @property
    def guid(self) -> str:
        return note_guid(self.key)

    @property
    def content_hash(self) -> str:
        """What a student would see change: a note whose hash is unchanged keeps its modification time."""
        fields = "\x1f".join((self.text, self.extra, self.source, " ".join(self.tags)))
        return hashlib.sha256(fields.encode("utf-8")).hexdigest()[:16]


def note_guid(key: str) -> str:
    """Anki matches notes by GUID only, so it comes from the note's id path, never from its text."""
    from genanki import guid_for

    return str(guid_for(key))


def cloze(answer_html: str, answer: str, hint: str | None = None) -> Cloze:
    """A c1 deletion; the content was escaped with in_cloze=True, so '::' and '}}' cannot occur."""
    markup = "{{c1::" + answer_html + ("::" + escape_html(hint, in_cloze=True) if hint else "") + "}}"
    return Cloze(markup, " ".join(answer.split()))


def _name_cloze(text: str, hint: str | None = None) -> Cloze:
    """A cloze asking for a piece of content text (a step's name, what a pair is like)."""
    return cloze(to_html(text, True), plain(text), hint)


def picture_html(picture: Picture | None) -> str:
    if picture is None:
        return ""
    return f'<div class="picture"><img src="{picture.media_name}" alt="{escape_html(picture.alt)}"></div>'


def notes(topic: Topic, words: Words | None = None) -> list[NoteSpec]:
    """All notes of a topic in teaching order (the order new cards are introduced): its
    words first.

    `words` are the builder's words in the topic's language, loaded here when not given.
    """
    words = Words.load(topic.lang) if words is None else words
    out: list[NoteSpec] = _terms(topic, words)
    code = Highlighter()
    for snippet in topic.snippets:
        code.lines(snippet.code, snippet.language)  # its lines then serve the step cards too
    for seq in topic.sequences:
        out.extend(_next_step(topic, seq, code, words))
        if seq.cards.reverse:
            out.extend(_previous_step(topic, seq, code, words))
        if seq.cards.whole:
            out.append(_whole(topic, seq, words))
    for mnemonic in topic.mnemonics:
        out.extend(_mnemonic(topic, mnemonic, words))
    for analogy in topic.analogies:
        out.extend(_analogy(topic, analogy, words))
    for snippet in topic.snippets:
        if snippet.sequence and topic.sequence(snippet.sequence).cards.code:
            out.extend(_code(topic, topic.sequence(snippet.sequence), snippet, code, words))
    return out


def _analogy(topic: Topic, analogy: Analogy, words: Words) -> list[NoteSpec]:
    """Both directions of every pair: all analogy-to-step cards after all step-to-analogy cards."""
    seq = topic.sequence(analogy.sequence)
    out = []
    directions = [d for d, wanted in (("forward", seq.cards.forward), ("reverse", seq.cards.backward)) if wanted]
    for direction in directions:
        for pair in analogy.pairs:
            step = seq.step(pair.step)
            analogy_title = words.gettext("Analogy: %(title)s", title=to_html(analogy.title))
            title = f'{_heading(seq, words)}<div class="analogy-title">{analogy_title}</div>'
            if direction == "forward":
                asks = _name_cloze(pair.like)
                # Translators: the step's name stands in apposition, so that a plural name reads as a sentence.
                prompt = words.gettext("The step %(step)s is like…", step=_bold(_step_name(seq, step, words)))
            else:
                asks = _step_cloze(seq, step, words)
                # Translators: quotation marks around what a step is like, as this language sets them.
                like = words.gettext("“%(text)s”", text=to_html(pair.like))
                prompt = words.gettext("%(like)s stands for which step?", like=_bold(like))
            text = f'{title}<div class="prompt">{prompt}</div><div class="answer">{asks.markup}</div>'

            extra = (to_html(pair.detail) if pair.detail else "") + picture_html(pair.image)
            out.append(
                _note(topic, f"analogies/{analogy.id}/{pair.step}/{direction}", "analogy", text, extra, seq, asks)
            )
    return out


def _terms(topic: Topic, words: Words) -> list[NoteSpec]:
    """A term to its meaning and back: all meaning cards before all term cards, like analogies."""
    out = []
    wanted = (("meaning", topic.cards.terms), ("term", topic.cards.meanings))
    for direction in (d for d, on in wanted if on):
        for term in topic.terms:
            if direction == "meaning":
                asks = _name_cloze(term.means)
                prompt = words.gettext("What does %(term)s mean?", term=_bold(to_html(term.term)))
            else:
                asks = _name_cloze(term.term)
                prompt = words.gettext("Which term means this?") + f'</div><div class="does">{to_html(term.means)}'
            text = f'<div class="prompt">{prompt}</div><div class="answer">{asks.markup}</div>'
            out.append(_note(topic, f"terms/{term.id}/{direction}", "term", text, picture_html(term.image), None, asks))
    return out


def _note(topic: Topic, path: str, kind: str, text: str, extra: str, seq: Sequence | None, asks: Cloze) -> NoteSpec:
    source = to_html(topic.title) + (f" · {to_html(seq.title)}" if seq else "")
    tags = tuple(dict.fromkeys((*topic.tags, f"topic::{topic.id}", f"card::{kind}")))
    media = tuple(p for p in topic.pictures() if p.media_name in extra) if 'class="picture"' in extra else ()
    return NoteSpec(f"{topic.id}/{path}", kind, text, extra, source, tags, asks, media)


def _numbered(name: str, seq: Sequence, step: Step, words: Words) -> str:
    """Told apart by its number when another step of the sequence has the same name."""
    if not seq.repeats_name(step):
        return name
    return words.gettext("%(name)s (step %(number)s)", name=name, number=words.number(seq.index(step.id) + 1))


def _step_name(seq: Sequence, step: Step, words: Words) -> str:
    """A step's name as a prompt names it."""
    return _numbered(to_html(step.name), seq, step, words)


def _step_cloze(seq: Sequence, step: Step, words: Words) -> Cloze:
    """A step's name as an answer, numbered like its prompts when the name repeats."""
    return cloze(_numbered(to_html(step.name, True), seq, step, words), _numbered(plain(step.name), seq, step, words))


def _bold(html: str) -> str:
    """What a prompt sets in bold inside its words (a step, a quoted likeness, a letter)."""
    return f"<b>{html}</b>"


def _hint(topic: Topic, seq: Sequence, step: Step, words: Words) -> str | None:
    """The cue letter as the cloze hint: `F…` only when the name begins with it, else named as a cue, so that a
    student never reads a letter as the answer's first."""
    letter = topic.cue_letters(seq.id).get(step.id)
    if letter is None:
        return None
    if step.id in topic.initials(seq.id):
        return letter + ELLIPSIS
    return cue_label(letter, words)


def _step_row(number: int, body: str, css: str = "") -> str:
    cls = f"step {css}".strip()
    return f'<div class="{cls}"><span class="n">{number}</span> <span class="name">{body}</span></div>'


def _gap() -> str:
    return f'<div class="step gap"><span class="n"></span> <span class="name">{ELLIPSIS}</span></div>'


def _step_extra(step: Step, topic: Topic, seq: Sequence, code: Highlighter, line: bool = True) -> str:
    """What the back of a card about a step adds: what it does, its substeps, its line of code (not on the
    code card, whose answer is that line)."""
    parts = []
    if step.does:
        parts.append(f'<div class="does">{to_html(step.does)}</div>')
    if step.substeps:
        items = "".join(f"<li>{to_html(s)}</li>" for s in step.substeps)
        parts.append(f'<ul class="substeps">{items}</ul>')
    if step.code and line:
        snippet = topic.snippet_for(seq.id)
        shown = code.lines(step.code.strip(), snippet.language if snippet else "python")[0]
        parts.append(f'<pre class="code">{shown}</pre>')
    parts.append(picture_html(step.image))
    return "".join(parts)


def _heading(seq: Sequence, words: Words) -> str:
    repeats = words.gettext("↻ repeats")
    loop = f' <span class="shape">{repeats}</span>' if seq.shape == "loop" else ""
    return f'<div class="seq-title">{to_html(seq.title)}{loop}</div>'


def _next_step(topic: Topic, seq: Sequence, code: Highlighter, words: Words) -> list[NoteSpec]:
    out = []
    for i, step in enumerate(seq.steps):
        first = max(0, i - seq.cards.context)
        rows = [_heading(seq, words)]
        if first > 0:
            rows.append(_gap())
        rows += [_step_row(j + 1, to_html(seq.steps[j].name)) for j in range(first, i)]
        asks = _name_cloze(step.name, _hint(topic, seq, step, words))
        rows.append(_step_row(i + 1, asks.markup, "ask"))
        if i + 1 < len(seq.steps):
            rows.append(_gap())
        question = words.gettext("What comes next?") if i else words.gettext("Which step comes first?")
        text = f'<div class="prompt">{question}</div>' + "".join(rows)
        out.append(
            _note(topic, f"{seq.id}/{step.id}/next", "next-step", text, _step_extra(step, topic, seq, code), seq, asks)
        )
    return out


def _previous_step(topic: Topic, seq: Sequence, code: Highlighter, words: Words) -> list[NoteSpec]:
    out = []
    for i, step in enumerate(seq.steps):
        if i == 0 and seq.shape != "loop":
            continue
        before = seq.steps[i - 1]
        name = _bold(_step_name(seq, step, words))
        if i:
            question = words.gettext("What comes right before %(step)s?", step=name)
        else:
            question = words.gettext("What comes right before %(step)s (in the next round)?", step=name)
        asks = _step_cloze(seq, before, words)
        text = f'{_heading(seq, words)}<div class="prompt">{question}</div><div class="answer">{asks.markup}</div>'
        out.append(
            _note(
                topic,
                f"{seq.id}/{step.id}/previous",
                "previous-step",
                text,
                _step_extra(before, topic, seq, code),
                seq,
                asks,
            )
        )
    return out


def _whole(topic: Topic, seq: Sequence, words: Words) -> NoteSpec:
    asked = [_name_cloze(s.name, _hint(topic, seq, s, words)) for s in seq.steps]
    rows = [_step_row(i + 1, c.markup) for i, c in enumerate(asked)]
    prompt = words.ngettext("All %(count)s step, in order:", "All %(count)s steps, in order:", len(seq.steps))
    text = f'<div class="prompt">{prompt}</div>{_heading(seq, words)}' + "".join(rows)
    extra = f'<div class="does">{to_html(seq.summary)}</div>' if seq.summary else ""
    extra += diagram_svg(topic, seq) + picture_html(seq.image)
    return _note(topic, f"{seq.id}/whole", "whole-sequence", text, extra, seq, asked[0])


def _which(topic: Topic, mnemonic: Mnemonic, words: Words) -> str:
    """The phrase card's question; when a sequence has several mnemonics, which one is asked: by its length
    in words, else by its place."""
    siblings = topic.mnemonics_for(mnemonic.sequence)
    if len(siblings) < 2:
        return words.gettext("Which mnemonic gives this order?")
    length = len(mnemonic.phrase.split())
    if sum(1 for m in siblings if len(m.phrase.split()) == length) == 1:
        if length == 1:
            return words.gettext("Which mnemonic gives this order? (one word)")
        return words.ngettext(
            "Which mnemonic gives this order? (%(count)s word)",
            "Which mnemonic gives this order? (%(count)s words)",
            length,
        )
    return words.gettext(
        "Which mnemonic gives this order? (mnemonic %(number)s of %(count)s)",
        number=words.number(siblings.index(mnemonic) + 1),
        count=words.number(len(siblings)),
    )


def _order(seq: Sequence, mnemonic: Mnemonic, words: Words) -> list[str]:
    """The cued steps in order, with `…` where the mnemonic skips steps: a partial mnemonic never shows
    steps as neighbours that are not."""
    shown: list[str] = []
    last: int | None = None
    for cue in mnemonic.cues:
        at = seq.index(cue.step)
        if last is not None and at > last + 1:
            shown.append(ELLIPSIS)
        shown.append(_step_name(seq, seq.step(cue.step), words))
        last = at
    return shown


def _mnemonic(topic: Topic, mnemonic: Mnemonic, words: Words) -> list[NoteSpec]:
    seq = topic.sequence(mnemonic.sequence)
    expansion = "".join(
        f'<div class="cue"><b>{escape_html(c.letter)}</b> {_step_name(seq, seq.step(c.step), words)}'
        + (f' <span class="hook">({to_html(c.hook)})</span>' if c.hook else "")
        + "</div>"
        for c in mnemonic.cues
    )
    note = f'<div class="does">{to_html(mnemonic.note)}</div>' if mnemonic.note else ""
    steps = " → ".join(_order(seq, mnemonic, words))
    phrase_asked = cloze(escape_html(mnemonic.phrase, True), mnemonic.phrase)
    out = [
        _note(
            topic,
            f"mnemonics/{mnemonic.id}/phrase",
            "mnemonic",
            f'{_heading(seq, words)}<div class="prompt">{_which(topic, mnemonic, words)}</div>'
            f'<div class="order">{steps}</div>'
            f'<div class="answer phrase">{phrase_asked.markup}</div>',
            expansion + note,
            seq,
            phrase_asked,
        )
    ]
    letters = zip(mnemonic.cues, mnemonic.letter_positions(), strict=True) if seq.cards.letters else ()
    for cue, at in letters:
        phrase = mnemonic.phrase
        marked = (
            escape_html(phrase[:at])
            + f'<u class="letter">[{escape_html(phrase[at : at + len(cue.letter)])}]</u>'
            + escape_html(phrase[at + len(cue.letter) :])
        )
        asks = _step_cloze(seq, seq.step(cue.step), words)
        question = words.gettext("What does the marked %(letter)s stand for?", letter=_bold(escape_html(cue.letter)))
        text = (
            f'{_heading(seq, words)}<div class="prompt">{question}</div>'
            f'<div class="phrase">{marked}</div><div class="answer">{asks.markup}</div>'
        )
        extra = (f'<div class="hook">{to_html(cue.hook)}</div>' if cue.hook else "") + expansion
        out.append(_note(topic, f"mnemonics/{mnemonic.id}/{cue.step}", "mnemonic", text, extra, seq, asks))
    return out


def _code(topic: Topic, seq: Sequence, snippet: Snippet, code: Highlighter, words: Words) -> list[NoteSpec]:
    lines = snippet.lines
    highlighted = code.lines(snippet.code, snippet.language)
    out = []
    asked: set[int] = set()
    for step in seq.steps:
        at = snippet.line_of(step.code) if step.code else None
        if at is None or at in asked or not step.code_card:
            continue
        asked.add(at)
        shown = highlighted[:at]
        indent = len(lines[at]) - len(lines[at].lstrip())
        asked_html = code.lines(lines[at].strip(), snippet.language)[0]
        asks = cloze(asked_html.replace(":", "&#58;"), lines[at], plain(step.name))
        body = "\n".join([*shown, escape_html(lines[at][:indent]) + asks.markup])
        title = to_html(snippet.title) if snippet.title else to_html(seq.title)
        question = words.gettext("Which line comes next?")
        text = (
            f'<div class="seq-title">{title}</div><div class="prompt">{question}</div>'
            f'<pre class="code">{body}\n{ELLIPSIS}</pre>'
        )
        out.append(
            _note(
                topic, f"{seq.id}/{step.id}/code", "code", text, _step_extra(step, topic, seq, code, False), seq, asks
            )
        )
    return out
