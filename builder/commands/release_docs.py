"""The documents of a release for people: what changed per topic, the students' guide, the credits."""

from __future__ import annotations

from typing import Any

from ..content.model import Topic
from ..emoji import CREDIT
from ..maths import CREDIT as MATHS_CREDIT

NEW_PER_DAY = 20


def _item(entry: dict[str, str]) -> str:
    where = entry["key"].split("/", 1)[1]
    return f"- {entry['label']} ({entry['kind']}, `{where}`)"


def _since(baseline: dict[str, Any]) -> str:
    when = f", released {baseline['date']}" if baseline.get("date") else ""
    return f"v{baseline['version']}{when}"


def release_notes(course: str, date: str, topics: list[Topic], manifest_topics: dict[str, Any]) -> str:
    lines = [f"# {course}: release {date}", ""]
    for topic in topics:
        entry = manifest_topics[topic.id]
        baseline = entry["previous"]
        now = entry["notes"]
        lines.append(f"## {topic.title} v{topic.version}")
        lines.append("")
        if baseline is None:
            lines += [f"First release: {len(now)} cards.", ""]
            continue
        before = baseline["notes"]
        added = [g for g in now if g not in before]
        removed = [g for g in before if g not in now]
        changed = [g for g in now if g in before and now[g]["hash"] != before[g]["hash"]]
        if not (added or removed or changed):
            lines += [f"Unchanged since {_since(baseline)}: {len(now)} cards.", ""]
            continue
        lines.append(
            f"Since {_since(baseline)}: {len(added)} added, {len(changed)} changed, "
            f"{len(removed)} removed ({len(now)} cards in all)."
        )
        lines.append("")
        for title, guids, table in (("Added", added, now), ("Changed", changed, now)):
            if guids:
                lines.append(f"{title}:")
                lines += [_item(table[g]) for g in sorted(guids, key=lambda g: table[g]["key"])]
                lines.append("")
        if removed:
            lines.append(
                "Removed (an import never deletes cards: find each in Anki's Browse window with the search "
                "shown, then delete it if you no longer want it):"
            )
            for g in sorted(removed, key=lambda g: before[g]["key"]):
                lines.append(f"{_item(before[g])}: `{before[g]['find']}`")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def students_guide(course: str, slug: str, date: str, topics: list[Topic], new_per_day: int = NEW_PER_DAY) -> str:
    listing = "\n".join(
        f"- {t.title} v{t.version}: `{t.id}-{t.version}.apkg` and `{t.id}-{t.version}.pdf`" for t in topics
    )
    return f"""# {course}: study materials ({date})

{listing}
- Everything in one deck: `{slug}-{date}.apkg` (each topic is a sub-deck)

Import either the course deck or the topic decks; importing both is harmless (the
cards are the same notes and are not duplicated).

## Import the deck

- **Anki on a computer**: File > Import, choose the `.apkg` file. Or double-click it.
- **AnkiDroid (Android)**: open the `.apkg` from your Downloads (or in AnkiDroid:
  menu > Import) and confirm.
- **AnkiMobile (iPhone, iPad)**: open the `.apkg` from Files or Safari and choose
  "Open in Anki" (or share it to AnkiMobile).

When a new release comes out, import the new file the same way, **over the old
deck**: changed cards are updated in place and your review history is kept. Never
delete the old deck first: deleting it deletes your review history with it. Cards
removed from a topic are listed in `RELEASE-NOTES.md` with a search to find them; an
import never deletes anything by itself.

## How many new cards a day

This course is planned for **{new_per_day} new cards a day**. A deck file cannot set
this for you: in Anki, open the deck's options (the gear beside the deck) and set
"New cards/day" to {new_per_day}.

## Print the cheat sheets

Each `.pdf` is one landscape page. Print it at **100% / Actual size** (not "Fit to
page"), landscape, on A4 or US Letter; it is designed to read well in greyscale.
"""


def credits(topics: list[Topic]) -> str:
    lines = ["# Licences and credits", ""]
    for topic in topics:
        who = f" by {', '.join(topic.authors)}" if topic.authors else ""
        lines.append(f"- {topic.title} v{topic.version}{who}: {topic.license or 'no licence given'}")
    lines += [
        "",
        "Cheat sheets are set in DejaVu Sans and DejaVu Sans Mono (Bitstream Vera licence; DejaVu changes"
        " are in the public domain).",
        "",
        f"{CREDIT}: https://openmoji.org, https://creativecommons.org/licenses/by-sa/4.0/",
        "",
    ]
    if any(topic.has_maths() for topic in topics):
        lines += [f"{MATHS_CREDIT}: https://www.stixfonts.org, https://openfontlicense.org", ""]
    return "\n".join(lines)
