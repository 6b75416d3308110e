"""Study-material builder: YAML topics in, Anki decks and one-page cheat sheets out."""

__version__ = "0.1.0"
