"""Releases: versioned files, one course deck, a bundle, checksums and notes of what changed.

The manifest written with each release records, per topic, the notes of the
current version and of the version before it. Release notes compare those two,
so re-running a release of unchanged content reproduces every byte.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from ..content.model import Topic
from ..deck.anki import DeckSpec, PackageWriter
from ..deck.cards import NoteSpec
from ..emoji import CREDIT
from ..errors import ContentError, ManifestError, Problem
from ..output import Staging, write_zip
from ..render import Progress, build_date, plan, render_all
from ..text import slugify

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
NOTES = "RELEASE-NOTES.md"
GUIDE = "STUDENTS.md"
CREDITS = "CREDITS.md"
Manifest = dict[str, Any]


def topic_hash(topic: Topic) -> str:
    """Content identity: everything but where the file lies and what version it claims."""
    bare = dataclasses.replace(topic, source="", version="", version_at=(0, 0))
    return hashlib.sha256(repr(bare).encode("utf-8")).hexdigest()


def find_search(topic_id: str, spec: NoteSpec) -> str:
    """An Anki Browse search matching this note alone: its topic, kind and whole cloze as stored.

    Tags rather than a deck, so it also finds notes imported through the course deck.
    """
    raw = re.sub(r'([\\"*_])', r"\\\1", spec.asks.markup)
    return f'tag:topic::{topic_id} tag:card::{spec.kind} "Text:*{raw}*"'


def note_states(topic_id: str, specs: list[NoteSpec]) -> dict[str, dict[str, str]]:
    return {
        spec.guid: {
            "key": spec.key,
            "kind": spec.kind,
            "hash": hashlib.sha256(
                "\x1f".join((spec.text, spec.extra, spec.source, " ".join(spec.tags))).encode("utf-8")
            ).hexdigest()[:16],
            "label": spec.asks.answer[:80],
            "find": find_search(topic_id, spec),
        }
        for spec in specs
    }


def _semver(version: str) -> tuple[int, int, int]:
    """The numeric core of a version the validator accepted (MAJOR.MINOR.PATCH, maybe with a suffix)."""
    major, minor, patch = version.split("-", 1)[0].split("+", 1)[0].split(".")
    return int(major), int(minor), int(patch)


def check_versions(topics: list[Topic], previous: Manifest) -> None:
    """Refuse a changed topic whose version was not bumped, or a version that went back."""
    problems = []
    for topic in topics:
        before = previous.get("topics", {}).get(topic.id)
        if not before:
            continue
        line, col = topic.version_at
        if topic.version == before["version"] and topic_hash(topic) != before["hash"]:
            problems.append(
                Problem(
                    topic.source,
                    line,
                    col,
                    "version",
                    f"topic '{topic.id}' changed since release {before['version']} but its version "
                    f"did not; bump it (e.g. {_bump(topic.version)})",
                )
            )
        elif _semver(topic.version) < _semver(before["version"]):
            problems.append(
                Problem(
                    topic.source,
                    line,
                    col,
                    "version",
                    f"topic '{topic.id}' version {topic.version} is lower than the released {before['version']}",
                )
            )
    if problems:
        raise ContentError(problems)


def _bump(version: str) -> str:
    major, minor, patch = _semver(version)
    return f"{major}.{minor}.{patch + 1}"


class ReleaseFiles:
    """The release's files as they are staged: a checksum each, and the staged copy to bundle later."""

    def __init__(self, folder: Path, staging: Staging) -> None:
        self.folder = folder
        self.staging = staging
        self.staged: dict[str, Path] = {}
        self.sums: dict[str, str] = {}

    def add(self, name: str, data: bytes) -> None:
        self.staged[name] = self.staging.add(self.folder / name, data)
        self.sums[name] = hashlib.sha256(data).hexdigest()

    def bundle(self, name: str, prefix: str) -> None:
        """The zip of every file staged so far, read back one at a time."""
        entries = ((f"{prefix}/{n}", self.staged[n].read_bytes()) for n in sorted(self.staged))
        self.staged[name] = self.staging.write(self.folder / name, lambda handle: write_zip(handle, entries))
        digest = hashlib.sha256()
        with self.staged[name].open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        self.sums[name] = digest.hexdigest()


def release_all(
    topics: list[Topic], out: Path, course: str, paper: str, workers: int = 1, progress: Progress | None = None
) -> list[Path]:
    """Write the release into OUT/release/; a failure part-way leaves the previous release as it was."""
    folder = out / "release"
    previous = read_manifest(folder)
    check_versions(topics, previous)
    jobs = plan(topics, paper)
    stamp = max(job.stamp for job in jobs)
    date = build_date(stamp)
    slug = slugify(course) or "course"
    manifest_topics = {}
    with Staging() as staging, PackageWriter(stamp) as course_deck:
        files = ReleaseFiles(folder, staging)
        for topic, rendered in zip(topics, render_all(jobs, workers, progress), strict=True):
            files.add(f"{topic.id}-{topic.version}.apkg", rendered.deck)
            files.add(f"{topic.id}-{topic.version}.pdf", rendered.sheet)
            course_deck.add(DeckSpec(f"{course}::{topic.deck}", rendered.notes))
            manifest_topics[topic.id] = _manifest_entry(topic, list(rendered.notes), previous)
        files.add(f"{slug}-{date}.apkg", course_deck.finish())
        files.add(NOTES, release_notes(course, date, topics, manifest_topics).encode("utf-8"))
        files.add(GUIDE, students_guide(course, slug, date, topics).encode("utf-8"))
        files.add(CREDITS, credits(topics).encode("utf-8"))
        files.bundle(f"{slug}-{date}.zip", f"{slug}-{date}")
        manifest = {
            "format": 1,
            "course": course,
            "date": date,
            "files": sorted(files.staged),
            "topics": manifest_topics,
        }
        files.add(MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())
        files.add(SUMS, "".join(f"{files.sums[n]}  {n}\n" for n in sorted(files.sums)).encode("ascii"))
        staging.commit()
    for name in sorted(set(previous.get("files", [])) - set(files.staged)):
        (folder / name).unlink(missing_ok=True)
    return [folder / name for name in files.staged]


def _manifest_entry(topic: Topic, specs: list[NoteSpec], previous: Manifest) -> dict[str, Any]:
    """This version's notes, and the notes of the version before it (kept across re-runs)."""
    before = previous.get("topics", {}).get(topic.id)
    if before and before["version"] == topic.version:
        baseline = before.get("previous")
    elif before:
        baseline = {"version": before["version"], "notes": before["notes"]}
    else:
        baseline = None
    return {
        "version": topic.version,
        "notes": note_states(topic.id, specs),
        "hash": topic_hash(topic),
        "title": topic.title,
        "deck": topic.deck,
        "previous": baseline,
    }


def _item(entry: dict[str, str]) -> str:
    where = entry["key"].split("/", 1)[1]
    return f"- {entry['label']} ({entry['kind']}, `{where}`)"


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
        lines.append(
            f"Since v{baseline['version']}: {len(added)} added, {len(changed)} changed, "
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


def students_guide(course: str, slug: str, date: str, topics: list[Topic]) -> str:
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

When a new release comes out, import the new file the same way: changed cards are
updated in place and your review history is kept. Cards removed from a topic are
listed in `RELEASE-NOTES.md` with a search to find them; an import never deletes
anything by itself.

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
    return "\n".join(lines)


def read_manifest(folder: Path) -> Manifest:
    """The previous release's manifest, or {} when there is none yet."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(path, str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("topics", {}), dict):
        raise ManifestError(path, "expected a JSON object with a 'topics' object")
    return data
