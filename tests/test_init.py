"""`init`: a new course folder that checks, builds and releases as written, and never overwrites anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT

from builder.commands.init import course_title, init_course, yaml_string
from builder.errors import FolderNotEmptyError

FILES = [
    "content/course.yaml",
    "content/example-topic.yaml",
    ".gitignore",
    "README.md",
    ".github/workflows/release.yml",
]
# What the workflow may run: the builder's install and its two commands (no shell built-ins are used).
ALLOWED_RUN = ("pip install ", "python -m builder check", "python -m builder release")


def builder(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The builder of this checkout, run the way a teacher runs it: from the course folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )


def git(folder: Path, *args: str) -> None:
    config = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *config, *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("courses") / "my-course"
    written = init_course(folder, None)
    assert written == [folder / f for f in FILES]
    return folder


def test_writes_every_file_with_the_name_from_the_folder(course: Path) -> None:
    assert sorted(str(p.relative_to(course)) for p in course.rglob("*") if p.is_file()) == sorted(FILES)
    settings = yaml.safe_load((course / "content/course.yaml").read_text(encoding="utf-8"))
    assert settings == {"format": 1, "name": "My Course", "license": "CC-BY-4.0", "paper": "a4"}
    assert (course / "README.md").read_text(encoding="utf-8").startswith("# My Course\n")
    assert not any("{name}" in (course / f).read_text(encoding="utf-8") for f in FILES)


def test_gitignore_keeps_build_output_out(course: Path) -> None:
    lines = (course / ".gitignore").read_text(encoding="utf-8").splitlines()
    wanted = ["dist/*.apkg", "dist/*.pdf", "dist/.build-cache.json", "dist/preview/", ".venv/", "__pycache__/"]
    assert [line for line in lines if line and not line.startswith("#")] == wanted


def test_readme_tells_students_and_teachers_what_matters(course: Path) -> None:
    text = " ".join((course / "README.md").read_text(encoding="utf-8").split())
    for needed in (
        "AnkiDroid",
        "AnkiMobile",
        "File > Import",
        "**100 %**",
        "deleting it loses your review history",
        "**20 new cards a day**",
        "python -m builder check --strict",
        "python -m builder release",
        "git add dist/release",
        "git tag v",
    ):
        assert needed in text, needed


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflow_runs_only_the_builder(course: Path) -> None:
    workflow = yaml.safe_load((course / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    assert workflow[True] == ["push", "pull_request"]  # YAML 1.1 reads the key `on` as true
    commands = [line.strip() for step in steps(workflow) if "run" in step for line in step["run"].splitlines()]
    assert commands and all(c.startswith(ALLOWED_RUN) for c in commands if c), commands
    assert "pip install flozp-builder" in commands
    assert "python -m builder check --strict" in commands
    release = workflow["jobs"]["release"]
    assert "refs/tags/v" in release["if"]
    uses = [step.get("uses", "") for step in release["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert any(u.startswith("softprops/action-gh-release@") for u in uses)
    pages = workflow["jobs"]["pages"]
    assert "refs/tags/v" in pages["if"] and pages["permissions"] == {"pages": "write", "id-token": "write"}
    published = [step.get("uses", "") for step in pages["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in published)
    assert published[-1].startswith("actions/deploy-pages@")
    assert next(s for s in pages["steps"] if "upload-pages" in s.get("uses", ""))["with"]["path"] == "dist/release/"
    # Build times come from the content's commits: a shallow clone would change every date.
    checkouts = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts)


def test_checks_builds_and_releases(course: Path) -> None:
    checked = builder(course, "check", "--strict", "content")
    assert checked.returncode == 0, checked.stderr
    built = builder(course, "build")
    assert built.returncode == 0, built.stderr
    assert (course / "dist/example-topic.apkg").is_file() and (course / "dist/example-topic.pdf").is_file()
    git(course, "init", "-q")
    git(course, "add", "-A")
    git(course, "commit", "-qm", "New course")
    released = builder(course, "release", "--name", "My Course")
    assert released.returncode == 0, released.stderr
    assert (course / "dist/release/manifest.json").is_file()


def test_refuses_a_folder_that_holds_anything(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FolderNotEmptyError, match=str(tmp_path)):
        init_course(tmp_path, None)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(FolderNotEmptyError):
        init_course(tmp_path / "notes.txt", None)


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    assert init_course(tmp_path, "Biology 101") == [tmp_path / f for f in FILES]


@pytest.mark.parametrize(
    "name",
    ['Kurs: "C++" & #1', "yes", "123", "- item", "{name}", "Cours d'été 🌞", "a\\b \\theta", "  spaced  "],
)
def test_any_name_reads_back_as_given(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "course"
    init_course(folder, name)
    assert yaml.safe_load((folder / "content/course.yaml").read_text(encoding="utf-8"))["name"] == name
    assert yaml.safe_load(f"name: {yaml_string(name)}")["name"] == name
    assert (folder / "README.md").read_text(encoding="utf-8").startswith(f"# {name}\n")


@pytest.mark.parametrize(
    ("folder", "title"),
    [("my-course", "My Course"), ("intro_to_AI", "Intro To AI"), ("biology", "Biology"), ("---", "Course")],
)
def test_course_title_from_the_folder(folder: str, title: str) -> None:
    assert course_title(folder) == title
