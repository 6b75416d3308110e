"""The builder's own words in a topic's or course's language: gettext catalogs, and Babel for dates and numbers.

English is the source language: its words are the message ids themselves and its
dates stay ISO (2026-01-01), so English output is what it was before translations.
Catalogs are compiled into `builder/locale/<name>/LC_MESSAGES/messages.mo`
(docs/translating.md). Nothing here is global: a `Words` is made for one language
and handed to each stage that writes words.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LOCALES = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
ENGLISH = "en"


def catalogs() -> list[str]:
    """The shipped catalogs by folder name (`de`, `pt_BR`, `zh_Hans`), sorted."""
    return sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


def parse(tag: str) -> Locale | None:
    """Babel's reading of a BCP 47 tag (`de`, `pt-BR`, `zh-Hans`), or None when Babel knows no such language."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def catalog_for(locale: Locale) -> str | None:
    """The catalog that speaks for a locale: its own, else its language's (`de-AT` uses de, `zh-CN` zh_Hans).

    Missing script and region come from CLDR's likely subtags, so `zh` is written in
    Hans and `pt` is Brazilian; `zh-TW` (Hant) and `pt-PT` find no catalog.
    """
    from babel.core import get_global

    likely = get_global("likely_subtags")
    regional = likely.get(f"{locale.language}_{locale.territory}") if locale.territory else None
    full = regional or likely.get(locale.language) or ""
    parts = full.split("_")
    script = locale.script or (parts[1] if len(parts) > 2 else None)
    territory = locale.territory or (parts[-1] if len(parts) > 1 else None)
    names = (
        f"{locale.language}_{script}_{territory}",
        f"{locale.language}_{territory}",
        f"{locale.language}_{script}",
        locale.language,
    )
    shipped = catalogs()
    return next((name for name in names if name in shipped), None)


def _compiled(tag: str) -> tuple[Locale, Path] | None:
    """A tag's locale and compiled catalog; None for English, and for a language without a catalog."""
    if tag.split("-")[0].lower() == ENGLISH:
        return None  # the message ids themselves, without loading Babel
    locale = parse(tag)
    name = catalog_for(locale) if locale is not None and locale.language != ENGLISH else None
    if locale is None or name is None:
        return None
    return locale, LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.mo"


def translated_characters(tag: str) -> frozenset[str]:
    """Every character of the words a tag's catalog writes (none for English): what the sheet's font must draw."""
    found = _compiled(tag)
    if found is None:
        return frozenset()
    from babel.messages.mofile import read_mo

    with found[1].open("rb") as handle:
        catalog = read_mo(handle)
    texts = (m.string if isinstance(m.string, tuple) else (m.string,) for m in catalog if m.id)
    return frozenset("".join(text for forms in texts for text in forms if isinstance(text, str)))


def lang_problem(tag: str) -> tuple[str, bool] | None:
    """What is wrong with a well-formed `lang` value (the schema refuses malformed ones), always a warning:
    any registered BCP 47 tag is allowed, and a language outside Babel's data gets English words."""
    locale = parse(tag)
    if locale is None:
        return (
            f"the builder knows no words or dates for language '{tag}' (not in Babel's data), so they stay "
            "English; check the tag if you meant a language such as de, pt-BR or zh-Hans",
            True,
        )
    if locale.language != ENGLISH and catalog_for(locale) is None:
        shipped = ", ".join(name.replace("_", "-") for name in catalogs())
        return (
            f"the builder's words are not translated into '{tag}' yet, so they stay English (translated: "
            f"{shipped}; docs/translating.md says how to add a language)",
            True,
        )
    return None


@dataclass(frozen=True)
class Words:
    """The builder's own words in one language, and dates, numbers and lists as that language writes them.

    `lang` is the tag the content gave (what an HTML page's `lang` says); `locale` is
    None when the words are English, the source language, also for a language
    without a catalog.
    """

    lang: str = ENGLISH
    locale: Locale | None = None
    catalog: gettext.NullTranslations = field(default_factory=gettext.NullTranslations, compare=False, repr=False)

    @classmethod
    def load(cls, tag: str) -> Words:
        """The words for a tag from its catalog; English ones when it has none (validation warned)."""
        found = _compiled(tag)
        if found is None:
            return cls(tag)
        with found[1].open("rb") as handle:
            return cls(tag, found[0], gettext.GNUTranslations(handle))

    def gettext(self, message: str, **values: object) -> str:
        """The message in this language, its `%(name)s` placeholders filled from `values`."""
        text = self.catalog.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The form of the message for `count`, with `%(count)s` written as this language writes numbers."""
        text = self.catalog.ngettext(singular, plural, count)
        return text % {"count": self.number(count), **values}

    def date(self, iso: str) -> str:
        """A date given as YYYY-MM-DD, as this language writes it in full (English keeps the ISO form)."""
        if self.locale is None:
            return iso
        from babel.dates import format_date

        return format_date(dt.date.fromisoformat(iso), "long", locale=self.locale)

    def number(self, value: int) -> str:
        if self.locale is None:
            return str(value)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def join(self, items: Iterable[str]) -> str:
        """Names joined as this language joins them ("A, B und C"); English keeps commas only."""
        if self.locale is None:
            return ", ".join(items)
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale)
