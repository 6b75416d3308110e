"""The JSON Schema: shipped, printed by the CLI, and agreeing with the validator."""

from __future__ import annotations

import json

import jsonschema  # type: ignore[import-untyped]
import yaml
from helpers import BROKEN, CONTENT, FIXTURES, ROOT, run_cli

from builder.content.schema import COURSE, json_schema, json_schema_text


def test_shipped_schemas_are_current() -> None:
    shipped = ROOT / "builder" / "data" / "content-v1.schema.json"
    assert shipped.read_text(encoding="utf-8") == json_schema_text()
    course = ROOT / "builder" / "data" / "course-v1.schema.json"
    assert course.read_text(encoding="utf-8") == json_schema_text(COURSE)


def test_cli_prints_the_schema() -> None:
    code, out, _ = run_cli("schema")
    assert code == 0 and json.loads(out) == json_schema()


def test_content_points_editors_at_the_schema() -> None:
    for path in CONTENT.glob("*.yaml"):
        schema = "course" if path.name == "course.yaml" else "content"
        assert path.read_text().startswith(f"# yaml-language-server: $schema=../builder/data/{schema}-v1.schema.json")


def test_valid_files_pass_the_schema() -> None:
    topics = jsonschema.Draft202012Validator(json_schema())
    courses = jsonschema.Draft202012Validator(json_schema(COURSE))
    for path in [*CONTENT.glob("*.yaml"), *FIXTURES.glob("*.yaml")]:
        validator = courses if path.name == "course.yaml" else topics
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert errors == [], (path, errors[:1])


def test_schema_rejects_what_the_validator_rejects() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    names = ("unknown-key-typo", "format-2", "id-not-slug", "one-step", "shape-bad", "version-text")
    for name in (*names, "sheet-diagrams-not-bool", "sheet-unknown-key"):
        data = yaml.safe_load((BROKEN / f"{name}.yaml").read_text())
        assert not validator.is_valid(data), name


def test_schema_takes_the_sheet_settings_of_topics_and_sequences() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    topic = yaml.safe_load((FIXTURES / "minimal.yaml").read_text())
    topic["sheet"] = {"diagrams": False}
    topic["sequences"][0]["sheet"] = {"diagrams": True}
    assert list(validator.iter_errors(topic)) == []
