"""The one place that relies on genanki's internals: an Anki collection written deck by deck.

genanki's public way to make a package (`Package.write_to_file`) holds every
note of every deck in memory and stamps the zip with the current time. Writing a
course deck by deck, into a repeatable zip, needs three of its internals
(genanki 0.13): `apkg_schema.APKG_SCHEMA` and `apkg_col.APKG_COL`, the SQL of an
empty collection, and `Deck.write_to_db(cursor, timestamp, id_gen)`. The upper
bound on genanki in pyproject.toml keeps them where this module expects them.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA


class Collection:
    """A new collection in a temporary folder; closing it removes the folder, whatever happened.

    The file is read back once and thrown away, so SQLite keeps its journal in memory
    and never waits for the disk (each of the schema's statements synced it: 0.1 to
    0.25 s a deck on a busy disk). Neither changes a byte of the file.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory()
        self._path = Path(self._folder.name) / "collection.anki2"
        self._conn = sqlite3.connect(self._path)
        self._cursor = self._conn.cursor()
        self._cursor.execute("PRAGMA journal_mode = MEMORY")
        self._cursor.execute("PRAGMA synchronous = OFF")
        self._cursor.executescript(APKG_SCHEMA)
        self._cursor.executescript(APKG_COL)

    def write_deck(self, deck: genanki.Deck, timestamp: int, ids: Iterator[int]) -> None:
        """Insert a deck with its notes and cards; `ids` hands out note and card ids."""
        deck.write_to_db(self._cursor, timestamp, ids)

    def add_preset(self, preset_id: int, name: str, new_per_day: int, timestamp: int) -> None:
        """A deck preset beside genanki's default one: the default's settings, its own name and new cards a day.

        genanki writes the default preset (id 1) only, and every deck uses it; Anki
        imports other presets when "Import any deck presets" is ticked.
        """
        (stored,) = self._cursor.execute("SELECT dconf FROM col").fetchone()
        presets = json.loads(stored)
        preset = json.loads(json.dumps(presets["1"]))
        preset.update(id=preset_id, name=name, mod=timestamp)
        preset["new"]["perDay"] = new_per_day
        presets[str(preset_id)] = preset
        self._cursor.execute("UPDATE col SET dconf = ?", (json.dumps(presets, sort_keys=True),))

    def use_preset(self, deck_id: int, preset_id: int) -> None:
        """Point a deck written by `write_deck` at a preset (genanki writes every deck with the default)."""
        (stored,) = self._cursor.execute("SELECT decks FROM col").fetchone()
        decks = json.loads(stored)
        decks[str(deck_id)]["conf"] = preset_id
        self._cursor.execute("UPDATE col SET decks = ?", (json.dumps(decks),))

    def set_note_times(self, mods: Mapping[str, int]) -> None:
        """Give notes (by GUID) and their cards their own modification time instead of the deck's."""
        for guid, mod in sorted(mods.items()):
            self._cursor.execute("UPDATE notes SET mod = ? WHERE guid = ?", (mod, guid))
            self._cursor.execute(
                "UPDATE cards SET mod = ? WHERE nid IN (SELECT id FROM notes WHERE guid = ?)", (mod, guid)
            )

    def finish(self) -> bytes:
        """The collection file's bytes; the collection is closed."""
        self._conn.commit()
        self.close()
        return self._path.read_bytes()

    def close(self) -> None:
        self._conn.close()

    def cleanup(self) -> None:
        self.close()
        self._folder.cleanup()

    def __enter__(self) -> Collection:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.cleanup()
