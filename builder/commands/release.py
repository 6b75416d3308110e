"""Releases: versioned files, one course deck, a bundle, checksums and notes of what changed.

The manifest written with each release records, per topic, its content hash
(`topic_hash`), its notes (with their content hashes and modification times) and
the notes of the previous release it was compared with. A new release compares
with the previous one; a re-run of the same release keeps the same comparison, so
it reproduces every byte. A released version names one set of files: a topic whose
content or whose files (cards, sheet) changed gets a new version, or the release
is refused, saying which of the two changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.model import Topic, fingerprint
from ..deck.anki import DeckSpec, PackageWriter, Preset
from ..deck.cards import NoteSpec
from ..errors import ContentError, CourseRenamedError, ManifestError, Problem, strictly
from ..output import Staging, write_zip
from ..render.plan import RenderJob, build_date, plan
from ..render.pool import Workers
from ..render.renderer import Rendered, Renderer
from ..render.run import Progress, render_all
from ..site.files import FOLDER, Site, SiteTopic, site_files
from ..text.i18n import ENGLISH, Words, translated_characters
from ..text.marks import file_slug
from .release_docs import NEW_PER_DAY, credits, release_notes, students_guide

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
NOTES = "RELEASE-NOTES.md"
GUIDE = "STUDENTS.md"
CREDITS = "CREDITS.md"
FORMAT = 2  # of the manifest; in format 1 a topic's hash was `_repr_hash`
Manifest = dict[str, Any]


def topic_hash(topic: Topic) -> str:
    """Content identity: the topic's fingerprint, without where the file lies and what version it claims, and
    with any English (en, en-GB: the same words) as the default's."""
    content = dataclasses.replace(topic, lang=ENGLISH) if _english(topic.lang) else topic
    return fingerprint(content, leave_out=("source", "version", "version_at"))


def _repr_hash(topic: Topic) -> str:
    """A topic's hash as a manifest of format 1 has it: of its repr, and its `lang` unless English. Only to
    compare with such a manifest, and only right while the model's fields are those of format 1."""
    bare = dataclasses.replace(topic, source="", version="", version_at=(0, 0))
    identity = repr(bare) + ("" if _english(topic.lang) else f" lang={topic.lang!r}")
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def _english(lang: str) -> bool:
    return lang.split("-")[0].lower() == ENGLISH


def released_hash(previous: Manifest) -> Callable[[Topic], str]:
    """How the previous release hashed a topic, so that unchanged content matches whichever way it did."""
    return topic_hash if previous.get("format", 1) >= FORMAT else _repr_hash


def find_search(topic_id: str, spec: NoteSpec) -> str:
    """An Anki Browse search matching this note alone: its topic, kind and whole cloze as stored.

    Tags rather than a deck, so it also finds notes imported through the course deck.
    """
    raw = re.sub(r'([\\"*_])', r"\\\1", spec.asks.markup)
    return f'tag:topic::{topic_id} tag:card::{spec.kind} "Text:*{raw}*"'


def note_states(topic_id: str, specs: list[NoteSpec], mods: dict[str, int]) -> dict[str, dict[str, str | int]]:
    return {
        spec.guid: {
            "key": spec.key,
            "kind": spec.kind,
            "hash": spec.content_hash,
            "mod": mods[spec.guid],
            "label": shorten(spec.asks.answer, 80),
            "find": find_search(topic_id, spec),
        }
        for spec in specs
    }


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _semver(version: str) -> tuple[int, int, int]:
    """The numeric core of a version the validator accepted (MAJOR.MINOR.PATCH, maybe with a suffix)."""
    major, minor, patch = version.split("-", 1)[0].split("+", 1)[0].split(".")
    return int(major), int(minor), int(patch)


def check_versions(topics: list[Topic], previous: Manifest) -> None:
    """Refuse a topic whose content changed but not its version, or a version that went back."""
    problems = []
    hashed = released_hash(previous)
    for topic in topics:
        before = previous.get("topics", {}).get(topic.id)
        if not before:
            continue
        released = before["version"]
        if topic.version == released and hashed(topic) != before["hash"]:
            why = f"its content changed since release {released} but its version did not; bump it"
            why += f" (e.g. {_bump(topic.version)})"
        elif _semver(topic.version) < _semver(released):
            why = f"version {topic.version} is lower than the released {released}"
        else:
            continue
        problems.append(Problem(topic.source, *topic.version_at, "version", f"topic '{topic.id}': {why}"))
    if problems:
        raise ContentError(problems)


def builder_change(job: RenderJob, rendered: Rendered, previous: Manifest, sums: dict[str, str]) -> Problem | None:
    """A topic whose content is as released under this version, but whose cards or sheet this builder makes
    differently: students would hold two sets of files under one version. `check_versions` has passed. A sheet
    prints its build time, so it is compared only when built at the same time (a manifest of format 1 has none)."""
    topic = job.topic
    before = previous.get("topics", {}).get(topic.id)
    if not before or before["version"] != topic.version:
        return None
    was = {guid: note["hash"] for guid, note in before["notes"].items()}
    now = {spec.guid: spec.content_hash for spec in rendered.notes}
    differ = sum(1 for guid in was.keys() | now.keys() if was.get(guid) != now.get(guid))  # reworded, new, gone
    changes = [f"words {differ} of its cards differently"] if differ else []
    sheet = sums.get(f"{topic.id}-{topic.version}.pdf") if before.get("stamp") == job.stamp else None
    if sheet is not None and sheet != hashlib.sha256(rendered.sheet).hexdigest():
        changes.append("sets its sheet differently")
    if not changes:
        return None
    why = f"its content is as in release {topic.version}, but this builder {' and '.join(changes)}; bump its version"
    why += f" (e.g. {_bump(topic.version)}) so that students can tell the new files from the old"
    return Problem(topic.source, *topic.version_at, "version", f"topic '{topic.id}': {why}")


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


@dataclass(frozen=True)
class Release:
    """What a release run was asked to do: the course, its paper, and what it may replace."""

    course: str
    paper: str
    new_per_day: int = NEW_PER_DAY
    rename: bool = False
    lang: str = ENGLISH  # of the builder's words in the notes, the guide, the credits and the booklet
    strict: bool = False  # a sheet's warning (a diagram left out) is an error, and nothing is released


@dataclass(frozen=True)
class Released:
    written: list[Path]
    removed: list[Path]
    warnings: tuple[Problem, ...] = ()  # what fitting the sheets warned of


def release_all(
    topics: list[Topic], out: Path, options: Release, workers: Workers, progress: Progress | None = None
) -> Released:
    """Write the release into OUT/release/; a failure part-way leaves the previous release as it was."""
    folder = out / "release"
    previous = read_manifest(folder)
    before = previous.get("course")
    if before and before != options.course and not options.rename:
        raise CourseRenamedError(folder, before, options.course)
    check_versions(topics, previous)
    sums = read_sums(folder)
    course = options.course
    jobs = plan(topics, options.paper, course, _known_notes(previous))
    stamp = max(job.stamp for job in jobs)
    date = build_date(stamp)
    slug = file_slug(course) or "course"
    words = Words.load(options.lang)
    states: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    listed: list[SiteTopic] = []
    warnings: list[Problem] = []
    with Staging() as staging, PackageWriter(stamp, Preset(course, options.new_per_day)) as course_deck:
        files = ReleaseFiles(folder, staging)
        for job, rendered in zip(jobs, render_all(jobs, workers, progress), strict=True):
            topic = job.topic
            deck, sheet = f"{topic.id}-{topic.version}.apkg", f"{topic.id}-{topic.version}.pdf"
            files.add(deck, rendered.deck)
            files.add(sheet, rendered.sheet)
            listed.append(SiteTopic(topic, len(rendered.notes), f"../{deck}", f"../{sheet}", build_date(job.stamp)))
            course_deck.add(DeckSpec(job.deck, rendered.notes), rendered.mods)
            states[topic.id] = _manifest_entry(job, rendered)
            if change := builder_change(job, rendered, previous, sums):
                problems.append(change)
            warnings += rendered.warnings
        if options.strict:
            problems += strictly(warnings)
        if problems:
            raise ContentError(problems)
        manifest_topics = _compared(states, previous, date, course)
        files.add(f"{slug}-{date}.apkg", course_deck.finish())
        files.add(f"{slug}-{date}-sheets.pdf", _booklet(course, date, jobs, words))
        documents = {
            NOTES: release_notes(course, date, topics, manifest_topics, words),
            GUIDE: students_guide(course, slug, date, topics, options.new_per_day, words),
            CREDITS: credits(topics, words),
        }
        for name, text in documents.items():
            files.add(name, text.encode("utf-8"))
        files.bundle(f"{slug}-{date}.zip", f"{slug}-{date}")
        site = Site(course, date, tuple(listed), _downloads(slug, date, words), _pages(documents))
        for name, data in site_files(site, words).items():
            files.add(f"{FOLDER}/{name}", data)
        manifest = {
            "format": FORMAT,
            "course": course,
            "date": date,
            "files": sorted(files.staged),
            "topics": manifest_topics,
        }
        files.add(MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())
        files.add(SUMS, "".join(f"{files.sums[n]}  {n}\n" for n in sorted(files.sums)).encode("ascii"))
        staging.commit()
    removed = [folder / name for name in sorted(set(previous.get("files", [])) - set(files.staged))]
    for path in removed:
        path.unlink(missing_ok=True)
    return Released([folder / name for name in files.staged], removed, tuple(warnings))


PAGES = {GUIDE: "students.html", NOTES: "release-notes.html", CREDITS: "credits.html"}


def _pages(documents: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The release's documents as the site's pages."""
    return tuple((PAGES[name], documents[name]) for name in (GUIDE, NOTES, CREDITS))


def _downloads(slug: str, date: str, words: Words) -> tuple[tuple[str, str], ...]:
    """What the site's index offers beside the topics, from the site folder: the course's files and pages."""
    return (
        (f"../{slug}-{date}.apkg", words.gettext("Every topic in one Anki deck")),
        (f"../{slug}-{date}-sheets.pdf", words.gettext("Every cheat sheet in one PDF")),
        (f"../{slug}-{date}.zip", words.gettext("Everything in one zip")),
        (PAGES[GUIDE], words.gettext("How to study with these files")),
        (PAGES[NOTES], words.gettext("Release notes")),
        (PAGES[CREDITS], words.gettext("Licences and credits")),
        (f"../{SUMS}", words.gettext("Checksums (SHA256SUMS)")),
    )


def _booklet(course: str, date: str, jobs: list[RenderJob], words: Words) -> bytes:
    """Every sheet in one PDF to print in one go. The sheets are laid out again here: workers send back
    bytes, and a fitted sheet is a large thing to send."""
    from ..sheet.booklet import booklet_bytes

    renderer = Renderer()
    said = "".join(sorted(translated_characters(words.lang))) + words.date(date)
    texts = [course, *(job.topic.title for job in jobs), said]
    cjk = renderer.cjk_face(texts)
    return booklet_bytes(course, date, [(job.topic, renderer.fit(job)) for job in jobs], renderer.emoji, words, cjk)


def _known_notes(previous: Manifest) -> dict[str, dict[str, tuple[str, int]]]:
    """Per topic, its released notes' content hashes and times (a manifest from an older builder has no times)."""
    known: dict[str, dict[str, tuple[str, int]]] = {}
    for topic_id, entry in previous.get("topics", {}).items():
        notes = entry.get("notes", {}) if isinstance(entry, dict) else {}
        known[topic_id] = {g: (n["hash"], n["mod"]) for g, n in notes.items() if isinstance(n.get("mod"), int)}
    return known


def _baseline(entry: dict[str, Any] | None, date: str | None) -> dict[str, Any] | None:
    """What this release compares a topic with: the topic as the previous release had it."""
    if not entry:
        return None
    return {"version": entry["version"], "date": date, "notes": entry["notes"]}


def _manifest_entry(job: RenderJob, rendered: Rendered) -> dict[str, Any]:
    topic = job.topic
    return {
        "version": topic.version,
        "notes": note_states(topic.id, list(rendered.notes), rendered.mods),
        "hash": topic_hash(topic),
        "stamp": job.stamp,
        "title": topic.title,
        "deck": job.deck,
    }


def _compared(states: dict[str, dict[str, Any]], previous: Manifest, date: str, course: str) -> dict[str, Any]:
    """Each topic with what its release notes compare it to: the release that is there now, unless this is
    that same release again (same date, course and notes), whose comparison is kept so every byte repeats."""
    before = previous.get("topics", {})

    def same(topic_id: str, state: dict[str, Any]) -> bool:
        old = before.get(topic_id) or {}
        notes = {g: n["hash"] for g, n in state["notes"].items()}
        return old.get("version") == state["version"] and notes == {g: n["hash"] for g, n in old["notes"].items()}

    rerun = (previous.get("date"), previous.get("course")) == (date, course) and set(before) == set(states)
    rerun = rerun and all(same(topic_id, state) for topic_id, state in states.items())
    return {
        topic_id: {
            **state,
            "previous": before[topic_id].get("previous")
            if rerun
            else _baseline(before.get(topic_id), previous.get("date")),
        }
        for topic_id, state in states.items()
    }


def read_sums(folder: Path) -> dict[str, str]:
    """The previous release's checksums by file name, or {} when there are none."""
    path = folder / SUMS
    if not path.exists():
        return {}
    lines = (line.split("  ", 1) for line in path.read_text(encoding="ascii").splitlines())
    return {name: digest for digest, name in (line for line in lines if len(line) == 2)}


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
