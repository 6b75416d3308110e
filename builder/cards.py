"""Topic in, note specs out: the teaching design of the deck, as pure data.

Every note has exactly one cloze number (c1), so every note is exactly one card
and a re-import can never leave an empty card behind. Identity comes from ids
only (`key`), never from text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagram import arrow_head, layout
from .highlight import Highlighter
from .model import Analogy, Mnemonic, Sequence, Snippet, Step, Topic
from .text import escape_html, plain, to_html

KINDS = ("next-step", "previous-step", "whole-sequence", "mnemonic", "analogy", "code")
ELLIPSIS = "…"


@dataclass(frozen=True)
class NoteSpec:
    key: str
    kind: str
    text: str
    extra: str
    source: str
    tags: tuple[str, ...]


def cloze(answer_html: str, hint: str | None = None) -> str:
    """A c1 deletion; the content was escaped with in_cloze=True, so '::' and '}}' cannot occur."""
    return "{{c1::" + answer_html + ("::" + escape_html(hint, in_cloze=True) if hint else "") + "}}"


def notes(topic: Topic) -> list[NoteSpec]:
    """All notes of a topic in teaching order (the order new cards are introduced)."""
    out: list[NoteSpec] = []
    code = Highlighter()
    for snippet in topic.snippets:
        code.lines(snippet.code, snippet.language)  # its lines then serve the step cards too
    for seq in topic.sequences:
        out.extend(_next_step(topic, seq, code))
        if seq.reverse:
            out.extend(_previous_step(topic, seq, code))
        if seq.whole:
            out.append(_whole(topic, seq))
    for mnemonic in topic.mnemonics:
        out.extend(_mnemonic(topic, mnemonic))
    for analogy in topic.analogies:
        out.extend(_analogy(topic, analogy))
    for snippet in topic.snippets:
        if snippet.sequence:
            out.extend(_code(topic, topic.sequence(snippet.sequence), snippet, code))
    return out


def _analogy(topic: Topic, analogy: Analogy) -> list[NoteSpec]:
    """Both directions of every pair: all analogy-to-step cards after all step-to-analogy cards."""
    seq = topic.sequence(analogy.sequence)
    out = []
    for direction in ("forward", "reverse"):
        for pair in analogy.pairs:
            step = seq.step(pair.step)
            if direction == "forward":
                text = (f'<div class="prompt">{to_html(analogy.title)}: in {to_html(seq.title)}, '
                        f'<b>{to_html(step.name)}</b> is like…</div>'
                        f'<div class="answer">{cloze(to_html(pair.like, True))}</div>')
            else:
                text = (f'<div class="prompt">{to_html(analogy.title)}: <b>{to_html(pair.like)}</b> '
                        f'stands for which step of {to_html(seq.title)}?</div>'
                        f'<div class="answer">{cloze(to_html(step.name, True))}</div>')
            extra = to_html(pair.detail) if pair.detail else ""
            out.append(_note(topic, f"analogies/{analogy.id}/{pair.step}/{direction}", "analogy", text, extra, seq))
    return out


def _note(topic: Topic, path: str, kind: str, text: str, extra: str, seq: Sequence | None) -> NoteSpec:
    source = to_html(topic.title) + (f" · {to_html(seq.title)}" if seq else "")
    tags = tuple(dict.fromkeys((*topic.tags, f"topic::{topic.id}", f"card::{kind}")))
    return NoteSpec(f"{topic.id}/{path}", kind, text, extra, source, tags)


def _hint(topic: Topic, seq: Sequence, step: Step) -> str | None:
    letter = topic.cue_letters(seq.id).get(step.id)
    return letter + ELLIPSIS if letter else None


def _step_row(number: int, body: str, css: str = "") -> str:
    cls = f"step {css}".strip()
    return f'<div class="{cls}"><span class="n">{number}</span> <span class="name">{body}</span></div>'


def _gap() -> str:
    return f'<div class="step gap"><span class="n"></span> <span class="name">{ELLIPSIS}</span></div>'


def _step_extra(step: Step, topic: Topic, seq: Sequence, code: Highlighter) -> str:
    parts = []
    if step.does:
        parts.append(f'<div class="does">{to_html(step.does)}</div>')
    if step.substeps:
        items = "".join(f"<li>{to_html(s)}</li>" for s in step.substeps)
        parts.append(f'<ul class="substeps">{items}</ul>')
    if step.code:
        snippet = topic.snippet_for(seq.id)
        line = code.lines(step.code.strip(), snippet.language if snippet else "python")[0]
        parts.append(f'<pre class="code">{line}</pre>')
    return "".join(parts)


def _heading(seq: Sequence) -> str:
    loop = ' <span class="shape">↻ repeats</span>' if seq.shape == "loop" else ""
    return f'<div class="seq-title">{to_html(seq.title)}{loop}</div>'


def _next_step(topic: Topic, seq: Sequence, code: Highlighter) -> list[NoteSpec]:
    out = []
    for i, step in enumerate(seq.steps):
        first = max(0, i - seq.context)
        rows = [_heading(seq)]
        if first > 0:
            rows.append(_gap())
        rows += [_step_row(j + 1, to_html(seq.steps[j].name)) for j in range(first, i)]
        rows.append(_step_row(i + 1, cloze(to_html(step.name, True), _hint(topic, seq, step)), "ask"))
        if i + 1 < len(seq.steps):
            rows.append(_gap())
        text = '<div class="prompt">What comes next?</div>' + "".join(rows)
        out.append(_note(topic, f"{seq.id}/{step.id}/next", "next-step", text, _step_extra(step, topic, seq, code),
                         seq))
    return out


def _previous_step(topic: Topic, seq: Sequence, code: Highlighter) -> list[NoteSpec]:
    out = []
    for i, step in enumerate(seq.steps):
        if i == 0 and seq.shape != "loop":
            continue
        before = seq.steps[i - 1]
        again = " (in the next round)" if i == 0 else ""
        text = (f'{_heading(seq)}<div class="prompt">What comes right before <b>{to_html(step.name)}</b>{again}?'
                f'</div><div class="answer">{cloze(to_html(before.name, True))}</div>')
        out.append(_note(topic, f"{seq.id}/{step.id}/previous", "previous-step", text,
                         _step_extra(before, topic, seq, code), seq))
    return out


def _whole(topic: Topic, seq: Sequence) -> NoteSpec:
    rows = [_step_row(i + 1, cloze(to_html(s.name, True), _hint(topic, seq, s))) for i, s in enumerate(seq.steps)]
    text = (f'<div class="prompt">All {len(seq.steps)} steps, in order:</div>{_heading(seq)}'
            + "".join(rows))
    extra = f'<div class="does">{to_html(seq.summary)}</div>' if seq.summary else ""
    extra += diagram_svg(topic, seq)
    return _note(topic, f"{seq.id}/whole", "whole-sequence", text, extra, seq)


def _letter_positions(mnemonic: Mnemonic) -> list[int]:
    positions, at = [], 0
    lowered = mnemonic.phrase.lower()
    for cue in mnemonic.cues:
        found = lowered.find(cue.letter.lower(), at)
        positions.append(found)
        at = found + len(cue.letter)
    return positions


def _mnemonic(topic: Topic, mnemonic: Mnemonic) -> list[NoteSpec]:
    seq = topic.sequence(mnemonic.sequence)
    expansion = "".join(
        f'<div class="cue"><b>{escape_html(c.letter)}</b> {to_html(seq.step(c.step).name)}'
        + (f' <span class="hook">({to_html(c.hook)})</span>' if c.hook else "") + "</div>"
        for c in mnemonic.cues
    )
    note = f'<div class="does">{to_html(mnemonic.note)}</div>' if mnemonic.note else ""
    steps = ", ".join(to_html(seq.step(c.step).name) for c in mnemonic.cues)
    out = [_note(
        topic, f"mnemonics/{mnemonic.id}/phrase", "mnemonic",
        f'{_heading(seq)}<div class="prompt">Which mnemonic gives the order {steps}?</div>'
        f'<div class="answer phrase">{cloze(escape_html(mnemonic.phrase, True))}</div>',
        expansion + note, seq,
    )]
    for cue, at in zip(mnemonic.cues, _letter_positions(mnemonic)):
        phrase = mnemonic.phrase
        marked = (escape_html(phrase[:at]) + f'<u class="letter">{escape_html(phrase[at:at + len(cue.letter)])}</u>'
                  + escape_html(phrase[at + len(cue.letter):]))
        step = seq.step(cue.step)
        text = (f'<div class="prompt">In <span class="phrase">{marked}</span>, '
                f'<b>{escape_html(cue.letter)}</b> stands for…</div>'
                f'<div class="answer">{cloze(to_html(step.name, True))}</div>')
        extra = (f'<div class="hook">{to_html(cue.hook)}</div>' if cue.hook else "") + expansion
        out.append(_note(topic, f"mnemonics/{mnemonic.id}/{cue.step}", "mnemonic", text, extra, seq))
    return out


def _code(topic: Topic, seq: Sequence, snippet: Snippet, code: Highlighter) -> list[NoteSpec]:
    lines = snippet.lines
    stripped = [line.strip() for line in lines]
    highlighted = code.lines(snippet.code, snippet.language)
    out = []
    for step in seq.steps:
        if not step.code or step.code.strip() not in stripped:
            continue
        at = stripped.index(step.code.strip())
        shown = highlighted[:at]
        indent = len(lines[at]) - len(lines[at].lstrip())
        asked_html = code.lines(lines[at].strip(), snippet.language)[0]
        asked = escape_html(lines[at][:indent]) + cloze(asked_html.replace(":", "&#58;"), plain(step.name))
        body = "\n".join([*shown, asked])
        title = to_html(snippet.title) if snippet.title else to_html(seq.title)
        text = (f'<div class="prompt">{title}: which line comes next?</div>'
                f'<pre class="code">{body}\n{ELLIPSIS}</pre>')
        out.append(_note(topic, f"{seq.id}/{step.id}/code", "code", text, _step_extra(step, topic, seq, code), seq))
    return out


SVG_WIDTH = 340.0
SVG_FONT = 12.0


def _estimate(text: str, size: float) -> float:
    """A generous text width (DejaVu Sans runs about 0.6 em a character): the card's font is the device's."""
    return len(text) * size * 0.62


def diagram_svg(topic: Topic, seq: Sequence) -> str:
    """The sequence's diagram as inline SVG: classes only, so the note type's CSS themes it (night mode too)."""
    letters = topic.cue_letters(seq.id)
    shape = layout([" ".join(plain(s.name).split()) for s in seq.steps], [letters.get(s.id) for s in seq.steps],
                   seq.shape == "loop", SVG_WIDTH, SVG_FONT, _estimate)
    size, pad = SVG_FONT, SVG_FONT * 0.45
    parts = [f'<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="-1 0 {SVG_WIDTH + 2:g} '
             f'{shape.height + 2:.1f}" role="img" aria-label="{escape_html(plain(seq.title))}">']
    for box in shape.boxes:
        parts.append(f'<rect class="dg-box" x="{box.x:.1f}" y="{box.y + 1:.1f}" width="{box.w:.1f}" '
                     f'height="{box.h:.1f}" rx="4"/>')
        baseline = box.y + 1 + pad + size * 0.85
        parts.append(f'<text class="dg-text" x="{box.x + pad:.1f}" y="{baseline:.1f}" font-size="{size:g}">'
                     f'<tspan class="dg-num">{box.number}</tspan> ')
        for k, line in enumerate(box.lines):
            position = f' x="{box.x + pad:.1f}" dy="{shape.leading:.1f}"' if k else ""
            parts.append(f"<tspan{position}>{escape_html(line)}</tspan>")
        parts.append("</text>")
        if box.letter:
            badge = _estimate(box.letter, size) + pad
            parts.append(f'<rect class="dg-badge" x="{box.x + box.w - badge - pad / 2:.1f}" y="{box.y + 1:.1f}" '
                         f'width="{badge:.1f}" height="{size * 1.3:.1f}" rx="2"/>'
                         f'<text class="dg-letter" x="{box.x + box.w - badge / 2 - pad / 2:.1f}" '
                         f'y="{box.y + 1 + size * 1.02:.1f}" font-size="{size:g}" text-anchor="middle">'
                         f"{escape_html(box.letter)}</text>")
    for arrow in shape.arrows:
        points = " ".join(f"{x:.1f},{y + 1:.1f}" for x, y in arrow.points)
        css = "dg-arrow dg-back" if arrow.back else "dg-arrow"
        parts.append(f'<polyline class="{css}" points="{points}"/>')
        (x0, y0), (x1, y1) = arrow.points[-2], arrow.points[-1]
        head = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow_head((x0, y0 + 1), (x1, y1 + 1), size * 0.6))
        parts.append(f'<polygon class="dg-head" points="{head}"/>')
    parts.append("</svg>")
    return "".join(parts)
