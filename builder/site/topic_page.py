"""A topic's web page: everything its sheet holds, as headings, lists, tables and figures a reader can follow."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..content.model import Analogy, Mnemonic, Picture, Sequence, Snippet, Step, Topic
from ..deck.card_diagram import diagram_svg
from ..text.highlight import Highlighter
from ..text.i18n import Words
from ..text.marks import plain
from .index_page import topic_meta
from .inline import inline_html
from .pages import attr, back_link, document


@dataclass(frozen=True)
class TopicLinks:
    """What a topic page names and links to beyond its topic: the course and, in a release, the topic's files."""

    course: str
    deck: str | None = None
    sheet: str | None = None
    cards: int | None = None
    built: str | None = None  # YYYY-MM-DD


def media_path(picture: Picture) -> str:
    """Where a picture lies in the site: one file per picture, whichever pages show it."""
    return f"media/{picture.media_name}"


def picture_html(picture: Picture | None, large: bool = False) -> str:
    if picture is None:
        return ""
    kind = "picture large" if large else "picture"
    width, height = round(picture.width), round(picture.height)
    return (
        f'<figure class="{kind}"><img src="{attr(media_path(picture))}" alt="{attr(picture.alt)}" '
        f'width="{width}" height="{height}"></figure>'
    )


def _step_html(topic: Topic, seq: Sequence, step: Step, letter: str | None, code: Highlighter) -> str:
    parts = [f'<li id="{attr(seq.id)}-{attr(step.id)}"><span class="name">{inline_html(step.name)}</span>']
    if letter:
        parts.append(f' <span class="cue">{html.escape(letter)}</span>')
    if step.does:
        parts.append(f'<p class="does">{inline_html(step.does)}</p>')
    if step.code:
        snippet = topic.snippet_for(seq.id)
        line = code.lines(step.code.strip(), snippet.language if snippet else "python")[0]
        parts.append(f'<code class="step-code code">{line}</code>')
    if step.substeps:
        parts.append('<ul class="substeps">' + "".join(f"<li>{inline_html(s)}</li>" for s in step.substeps) + "</ul>")
    parts.append(picture_html(step.image))
    parts.append("</li>")
    return "".join(parts)


def _diagram_html(topic: Topic, seq: Sequence, words: Words) -> str:
    """The cards' diagram, with the order it draws written out as its text alternative."""
    order = " → ".join(" ".join(plain(s.name).split()) for s in seq.steps)
    if seq.shape == "loop":
        order += " " + words.gettext("↻ loop")
    caption = f'<figcaption class="visually-hidden">{html.escape(order)}</figcaption>'
    return f'<figure class="diagram">{diagram_svg(topic, seq)}{caption}</figure>'


def _sequence_html(topic: Topic, seq: Sequence, code: Highlighter, words: Words) -> str:
    letters = topic.cue_letters(seq.id)
    loop = f' <span class="meta">{html.escape(words.gettext("↻ loop"))}</span>' if seq.shape == "loop" else ""
    ident = f"seq-{seq.id}"
    parts = [f'<section aria-labelledby="{attr(ident)}"><h2 id="{attr(ident)}">{inline_html(seq.title)}{loop}</h2>']
    if seq.summary:
        parts.append(f'<p class="note">{inline_html(seq.summary)}</p>')
    parts.append(picture_html(seq.image, large=True))
    parts.append('<ol class="steps">')
    parts += [_step_html(topic, seq, step, letters.get(step.id), code) for step in seq.steps]
    parts.append("</ol>")
    parts.append(_diagram_html(topic, seq, words))
    parts.append("</section>")
    return "".join(parts)


def marked_phrase(mnemonic: Mnemonic) -> str:
    """The phrase with each cue's letters underlined, where the cards and the sheet mark them."""
    phrase, out, at = mnemonic.phrase, [], 0
    for cue, found in zip(mnemonic.cues, mnemonic.letter_positions(), strict=True):
        end = found + len(cue.letter)
        out += [html.escape(phrase[at:found]), f"<u>{html.escape(phrase[found:end])}</u>"]
        at = end
    return "".join(out) + html.escape(phrase[at:])


def _mnemonic_html(topic: Topic, mnemonic: Mnemonic, index: int) -> str:
    seq = topic.sequence(mnemonic.sequence)
    ident = f"mnemonic-{index}"
    parts = [
        f'<section aria-labelledby="{ident}"><h2 id="{ident}"><span class="phrase">{marked_phrase(mnemonic)}</span>'
        f' <span class="meta">— {inline_html(seq.title)}</span></h2><dl class="cues">'
    ]
    for cue in mnemonic.cues:
        hook = f'<br><span class="hook">{inline_html(cue.hook)}</span>' if cue.hook else ""
        parts.append(
            f"<div><dt>{html.escape(cue.letter)}</dt><dd>{inline_html(seq.step(cue.step).name)}{hook}</dd></div>"
        )
    parts.append("</dl>")
    if mnemonic.note:
        parts.append(f'<p class="note">{inline_html(mnemonic.note)}</p>')
    parts.append("</section>")
    return "".join(parts)


def _analogy_html(topic: Topic, analogy: Analogy, words: Words) -> str:
    seq = topic.sequence(analogy.sequence)
    order = {s.id: i for i, s in enumerate(seq.steps)}
    ident = f"analogy-{analogy.id}"
    said = html.escape(words.gettext("analogy for %(sequence)s", sequence="\x00"))
    heading = f'{inline_html(analogy.title)} <span class="meta">{said.replace(chr(0), inline_html(seq.title))}</span>'
    rows = []
    for pair in sorted(analogy.pairs, key=lambda p: order[p.step]):
        detail = f'<br><span class="note">{inline_html(pair.detail)}</span>' if pair.detail else ""
        step = f"{order[pair.step] + 1}. {inline_html(seq.step(pair.step).name)}"
        rows.append(
            f'<tr><th scope="row">{step}</th><td>{inline_html(pair.like)}{detail}{picture_html(pair.image)}</td></tr>'
        )
    return (
        f'<section aria-labelledby="{attr(ident)}"><h2 id="{attr(ident)}">{heading}</h2><table><thead><tr>'
        f'<th scope="col">{inline_html(seq.title)}</th><th scope="col">{inline_html(analogy.title)}</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _snippet_html(topic: Topic, snippet: Snippet, code: Highlighter, words: Words) -> str:
    seq = topic.sequence(snippet.sequence) if snippet.sequence else None
    marks: dict[int, int] = {}
    for i, step in enumerate(seq.steps if seq else ()):
        at = snippet.line_of(step.code) if step.code else None
        if at is not None:
            marks.setdefault(at, i + 1)
    lines = code.lines(snippet.code, snippet.language)[: len(snippet.lines)]
    gutter = ['<span class="mark">' + str(marks.get(k, "")) + "</span>" if seq else "" for k in range(len(lines))]
    # One block a line: a line too long for a phone wraps under its own code, indented past it (the sheet marks
    # the same wrap with ↪), not under the margin numbers.
    body = "".join(
        f'<span class="row">{gutter[k]}<span class="line">{line}</span></span>' for k, line in enumerate(lines)
    )
    ident = f"snippet-{snippet.id}"
    title = inline_html(snippet.title or (seq.title if seq else snippet.id))
    parts = [f'<section aria-labelledby="{attr(ident)}"><h2 id="{attr(ident)}">{title}</h2>']
    parts.append(f'<pre class="snippet code"><code>{body}</code></pre>')
    if seq:
        said = html.escape(words.gettext("Margin numbers are step numbers (%(sequence)s).", sequence="\x00"))
        parts.append(f'<p class="note">{said.replace(chr(0), inline_html(seq.title))}</p>')
    parts.append("</section>")
    return "".join(parts)


def _terms_html(topic: Topic, words: Words) -> str:
    rows = "".join(
        f"<div><dt>{inline_html(t.term)}</dt><dd>{inline_html(t.means)}{picture_html(t.image)}</dd></div>"
        for t in topic.terms
    )
    title = html.escape(words.gettext("Terms"))
    return f'<section aria-labelledby="terms"><h2 id="terms">{title}</h2><dl class="terms">{rows}</dl></section>'


def _credits(topic: Topic, links: TopicLinks, words: Words) -> str:
    parts = [f"{html.escape(topic.title)} v{html.escape(topic.version)}"]
    if links.built:
        parts.append(html.escape(words.gettext("built %(date)s", date=words.date(links.built))))
    if topic.license:
        parts.append(html.escape(words.gettext("licence %(license)s", license=topic.license)))
    if topic.authors:
        parts.append(html.escape(words.gettext("by %(authors)s", authors=words.join(topic.authors))))
    return " · ".join(parts)


def topic_page(topic: Topic, links: TopicLinks, words: Words) -> str:
    """The page, in the topic's language (`words`)."""
    code = Highlighter()
    head = [f"<h1>{inline_html(topic.title)}</h1>"]
    if topic.summary:
        head.append(f'<p class="summary">{inline_html(topic.summary)}</p>')
    head.append(topic_meta(topic.version, links.cards, links.sheet, links.deck, words))
    sections = [picture_html(topic.image, large=True)]
    sections += [_sequence_html(topic, seq, code, words) for seq in topic.sequences]
    sections += [_mnemonic_html(topic, m, k) for k, m in enumerate(topic.mnemonics, 1)]
    sections += [_analogy_html(topic, a, words) for a in topic.analogies]
    sections += [_snippet_html(topic, s, code, words) for s in topic.snippets]
    if topic.terms:
        sections.append(_terms_html(topic, words))
    body = (
        f"{back_link(links.course, words)}\n<header>{''.join(head)}</header>\n<main>{''.join(sections)}</main>\n"
        f"<footer><p>{_credits(topic, links, words)}</p></footer>"
    )
    return document(words.lang, plain(topic.title), body)
