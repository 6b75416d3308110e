"""Code highlighting at build time with Pygments: one token stream, rendered for cards and for the sheet.

A lexer compiles its regular expressions when it is first made, in every process
(20 ms for Python's, more than the lexing): so the tokens Pygments gave a code
block are kept in the user's cache (`cache/store.py`), one entry per block and Pygments version, and a build
whose code was highlighted before makes no lexer at all.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pygments
from pygments import lex
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, Token, _TokenType, string_to_tokentype

from ..cache import store
from .marks import escape_html

Line = list[tuple[_TokenType, str]]


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    """Pygments finds a lexer by name by scanning every lexer's aliases: look each up once."""
    return get_lexer_by_name(language, stripnl=False, ensurenl=False, tabsize=4)


FORMAT = 2  # of a kept token stream; 1 kept all streams in one file


def token_lines(code: str, language: str) -> list[Line]:
    """Tokens grouped by source line; tabs expanded so widths can be measured."""
    lines: list[Line] = [[]]
    for kind, value in _tokens(code.expandtabs(4), language):
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append((kind, part))
    return lines[: len(code.split("\n"))]


def _tokens(code: str, language: str) -> list[tuple[_TokenType, str]]:
    """Pygments' tokens of a code block, from the user's cache when it lexed the same block before."""
    return store.remembered(
        "tokens",
        f"{language}\x1f{code}",
        [FORMAT, pygments.__version__],
        lambda: list(lex(code, _lexer(language))),
        encode=lambda tokens: [[str(kind), value] for kind, value in tokens],
        decode=_decoded_tokens,
    )


def _decoded_tokens(kept: Any) -> list[tuple[_TokenType, str]]:
    if not all(type(kind) is str and type(value) is str for kind, value in kept):
        raise ValueError("not a token stream")
    return [(string_to_tokentype(kind), value) for kind, value in kept]


def css_class(kind: _TokenType) -> str:
    while kind not in STANDARD_TYPES and kind.parent is not None:
        kind = kind.parent
    return STANDARD_TYPES.get(kind, "")


class Highlighter:
    """Card HTML for code, memoised: one topic highlights the same lines for several cards."""

    def __init__(self) -> None:
        self._done: dict[tuple[str, str], list[str]] = {}

    def lines(self, code: str, language: str) -> list[str]:
        key = (code, language)
        if key not in self._done:
            self._done[key] = code_lines_html(code, language)
            for line, html in zip(code.split("\n"), self._done[key], strict=False):
                indent = line[: len(line) - len(line.lstrip(" "))]
                if line.strip() and html.startswith(indent):
                    self._done.setdefault((line.strip(), language), [html[len(indent) :]])
        return self._done[key]


def code_lines_html(code: str, language: str) -> list[str]:
    """One HTML string per line, with Pygments' short CSS classes and no inline colour."""
    out = []
    for line in token_lines(code, language):
        parts = []
        for kind, value in line:
            cls = css_class(kind)
            text = escape_html(value)
            parts.append(f'<span class="{cls}">{text}</span>' if cls and kind is not Token.Text else text)
        out.append("".join(parts))
    return out


def card_css(scope: str, night_scopes: tuple[str, ...]) -> str:
    """Pygments colours for light cards and for both of Anki's night-mode classes (made every run: keeping them
    in the user's cache saved no measurable time, docs/performance.md)."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="default").get_style_defs(scope)  # type: ignore[no-untyped-call]
    dark = HtmlFormatter(style="monokai").get_style_defs([f"{night} {scope}" for night in night_scopes])  # type: ignore[no-untyped-call]
    return "\n".join(
        line
        for line in (light + "\n" + dark).splitlines()
        if "background" not in line and not line.lstrip().startswith(("pre", "td.", "span.linenos"))
    )
