"""The documents of a release for people: what changed per topic, the students' guide, the credits.

They are written in the course's language (`words`); dates come in as YYYY-MM-DD, as
file names use them, and are written as that language writes dates.
"""

from __future__ import annotations

from typing import Any

from ..content.model import Topic
from ..glyphs.emoji import ARTWORK
from ..text.i18n import Words

NEW_PER_DAY = 20


def _item(entry: dict[str, str]) -> str:
    where = entry["key"].split("/", 1)[1]
    return f"- {entry['label']} ({entry['kind']}, `{where}`)"


def _since(baseline: dict[str, Any], words: Words) -> str:
    if not baseline.get("date"):
        return f"v{baseline['version']}"
    return words.gettext(
        "v%(version)s, released %(date)s", version=baseline["version"], date=words.date(baseline["date"])
    )


def release_notes(
    course: str, date: str, topics: list[Topic], manifest_topics: dict[str, Any], words: Words | None = None
) -> str:
    words = Words() if words is None else words
    lines = [words.gettext("# %(course)s: release %(date)s", course=course, date=words.date(date)), ""]
    for topic in topics:
        entry = manifest_topics[topic.id]
        baseline = entry["previous"]
        now = entry["notes"]
        lines.append(f"## {topic.title} v{topic.version}")
        lines.append("")
        if baseline is None:
            lines += [words.ngettext("First release: %(count)s card.", "First release: %(count)s cards.", len(now)), ""]
            continue
        before = baseline["notes"]
        added = [g for g in now if g not in before]
        removed = [g for g in before if g not in now]
        changed = [g for g in now if g in before and now[g]["hash"] != before[g]["hash"]]
        since = _since(baseline, words)
        if not (added or removed or changed):
            unchanged = words.ngettext(
                "Unchanged since %(since)s: %(count)s card.",
                "Unchanged since %(since)s: %(count)s cards.",
                len(now),
                since=since,
            )
            lines += [unchanged, ""]
            continue
        lines.append(
            words.ngettext(
                "Since %(since)s: %(added)s added, %(changed)s changed, %(removed)s removed (%(count)s card in all).",
                "Since %(since)s: %(added)s added, %(changed)s changed, %(removed)s removed (%(count)s cards in all).",
                len(now),
                since=since,
                added=words.number(len(added)),
                changed=words.number(len(changed)),
                removed=words.number(len(removed)),
            )
        )
        lines.append("")
        for title, guids, table in ((words.gettext("Added:"), added, now), (words.gettext("Changed:"), changed, now)):
            if guids:
                lines.append(title)
                lines += [_item(table[g]) for g in sorted(guids, key=lambda g: table[g]["key"])]
                lines.append("")
        if removed:
            lines.append(
                words.gettext(
                    "Removed (an import never deletes cards: find each in Anki's Browse window with the search "
                    "shown, then delete it if you no longer want it):"
                )
            )
            for g in sorted(removed, key=lambda g: before[g]["key"]):
                lines.append(f"{_item(before[g])}: `{before[g]['find']}`")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def students_guide(
    course: str,
    slug: str,
    date: str,
    topics: list[Topic],
    new_per_day: int = NEW_PER_DAY,
    words: Words | None = None,
) -> str:
    words = Words() if words is None else words
    listing = []
    for topic in topics:
        name, files = f"{topic.title} v{topic.version}", f"{topic.id}-{topic.version}"
        deck, sheet = files + ".apkg", files + ".pdf"
        listing.append(
            "- " + words.gettext("%(topic)s: `%(deck)s` and `%(sheet)s`", topic=name, deck=deck, sheet=sheet)
        )
    course_deck = f"{slug}-{date}.apkg"
    listing.append(
        "- " + words.gettext("Everything in one deck: `%(file)s` (each topic is a sub-deck)", file=course_deck)
    )
    ways = [
        words.gettext("**Anki on a computer**: File > Import, choose the `.apkg` file. Or double-click it."),
        words.gettext(
            "**AnkiDroid (Android)**: open the `.apkg` from your Downloads (or in AnkiDroid:\n"
            "  menu > Import) and confirm."
        ),
        words.gettext(
            "**AnkiMobile (iPhone, iPad)**: open the `.apkg` from Files or Safari and choose\n"
            '  "Open in Anki" (or share it to AnkiMobile).'
        ),
    ]
    paragraphs = [
        words.gettext("# %(course)s: study materials (%(date)s)", course=course, date=words.date(date)),
        "\n".join(listing),
        words.gettext(
            "Import either the course deck or the topic decks; importing both is harmless (the\n"
            "cards are the same notes and are not duplicated)."
        ),
        words.gettext(
            "Every cheat sheet is also a web page, for a phone or a screen reader: open\n"
            "`site/index.html` (or the course's site, if your teacher published it)."
        ),
        words.gettext("## Import the deck"),
        "\n".join("- " + way for way in ways),
        words.gettext(
            "When a new release comes out, import the new file the same way, **over the old\n"
            "deck**: changed cards are updated in place and your review history is kept. Never\n"
            "delete the old deck first: deleting it deletes your review history with it. Cards\n"
            "removed from a topic are listed in `RELEASE-NOTES.md` with a search to find them; an\n"
            "import never deletes anything by itself."
        ),
        words.gettext("## How many new cards a day"),
        words.ngettext(
            "This course is planned for **%(count)s new card a day**. A deck file cannot set\n"
            "this for you: in Anki, open the deck's options (the gear beside the deck) and set\n"
            '"New cards/day" to %(count)s.',
            "This course is planned for **%(count)s new cards a day**. A deck file cannot set\n"
            "this for you: in Anki, open the deck's options (the gear beside the deck) and set\n"
            '"New cards/day" to %(count)s.',
            new_per_day,
        ),
        words.gettext(
            'The course deck can set it for you: when you import it, tick "Import any deck\n'
            'presets". Its sub-decks then use the preset "%(course)s".',
            course=course,
        ),
        words.gettext("## Print the cheat sheets"),
        words.gettext(
            'Each `.pdf` is one landscape page. Print it at **100% / Actual size** (not "Fit to\n'
            'page"), landscape, on A4 or US Letter; it is designed to read well in greyscale.'
        ),
    ]
    return "\n\n".join(paragraphs) + "\n"


def credits(topics: list[Topic], words: Words | None = None) -> str:
    words = Words() if words is None else words
    lines = [words.gettext("# Licences and credits"), ""]
    for topic in topics:
        name = f"{topic.title} v{topic.version}"
        licence = topic.license or words.gettext("no licence given")
        if topic.authors:
            who = words.join(topic.authors)
            line = words.gettext("%(topic)s by %(authors)s: %(license)s", topic=name, authors=who, license=licence)
        else:
            line = words.gettext("%(topic)s: %(license)s", topic=name, license=licence)
        lines.append("- " + line)
    lines += [
        "",
        words.gettext(
            "Cheat sheets are set in DejaVu Sans and DejaVu Sans Mono (Bitstream Vera licence; DejaVu changes"
            " are in the public domain)."
        ),
        "",
        words.gettext("Emoji: %(artwork)s", artwork=ARTWORK)
        + ": https://openmoji.org, https://creativecommons.org/licenses/by-sa/4.0/",
        "",
    ]
    if any(topic.has_maths() for topic in topics):
        credit = words.gettext("Maths: STIX Two Math (SIL Open Font License)")
        lines += [f"{credit}: https://www.stixfonts.org, https://openfontlicense.org", ""]
    return "\n".join(lines)
