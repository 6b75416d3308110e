"""Content text as web page HTML: the inline marks of `text.spans`, maths as MathML with its TeX as text."""

from __future__ import annotations

import html

from ..text.marks import MATHS, spans

_TAGS = {"b": ("<strong>", "</strong>"), "i": ("<em>", "</em>"), "code": ("<code>", "</code>"), "": ("", "")}


def maths_html(tex: str, display: bool) -> str:
    """MathML, which browsers typeset and screen readers read, with the TeX as its alternative text."""
    from latex2mathml.converter import convert

    mathml = convert(tex, display="block" if display else "inline")
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex)}" ', 1)


def inline_html(text: str) -> str:
    """A text's runs as HTML: bold, italic, code and maths; line breaks kept."""
    out = []
    for style, run in spans(text):
        if style in MATHS:
            out.append(maths_html(run, style == "display"))
            continue
        start, end = _TAGS[style]
        out.append(start + html.escape(run, quote=False).replace("\n", "<br>") + end)
    return "".join(out)
