"""The site's style sheet: its own rules (`site.css`) and the cards' rules for diagrams and code, whose night
mode classes become the site's `prefers-color-scheme: dark`."""

from __future__ import annotations

from importlib import resources

from ..deck.card_diagram import DIAGRAM_CSS
from ..text.highlight import card_css

NIGHT = ".nightMode"  # the night class the card rules are scoped by, one of Anki's two


def _day_and_night(css: str) -> tuple[list[str], list[str]]:
    """Card rules (one a line) split into those for the day and those for the night, the night ones unscoped."""
    day, night = [], []
    for line in css.splitlines():
        selectors, brace, body = line.partition("{")
        if not brace:
            continue
        chosen = [s.strip() for s in selectors.split(",")]
        if any(s.startswith(NIGHT + " ") for s in chosen):
            unscoped = [s.removeprefix(NIGHT + " ") for s in chosen if s.startswith(NIGHT + " ")]
            night.append(f"{', '.join(unscoped)} {{{body}")
        else:
            day.append(line)
    return day, night


def style_sheet() -> str:
    own = (resources.files(__package__) / "site.css").read_text(encoding="utf-8")
    day, night = _day_and_night(DIAGRAM_CSS + card_css(".code", (NIGHT,)))
    dark = "\n".join("  " + rule for rule in night)
    return own + "\n".join(day) + f"\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
