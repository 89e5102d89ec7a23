"""JSON Schemas: valid, documented and closed; schema problems placed, free text kept out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, CASE_ID, flat
from conftest import CASE_DIR as C
from jsonschema import Draft7Validator

from prelude_cli.book import schemas
from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.problems import ERROR, Problem
from prelude_cli.checks.validation import validate

SCHEMA_FILES = sorted((Path(__file__).resolve().parents[2] / "schemas").glob("*.schema.json"))
# Free text that must never reach a message, however it is misplaced.
SECRET = "Jane Doe of 4 Elm Street"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def subschemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object below `node` (itself included), with a readable location.

    Walks properties, items, additionalProperties, definitions, then/else and the *Of lists;
    not `if`, whose `properties` are a condition rather than fields.
    """
    if not isinstance(node, dict):
        return
    yield where, node
    for name, sub in node.get("properties", {}).items():
        yield from subschemas(sub, f"{where}.properties.{name}")
    for name, sub in node.get("definitions", {}).items():
        yield from subschemas(sub, f"{where}.definitions.{name}")
    for key in ("items", "additionalProperties", "then", "else", "propertyNames"):
        yield from subschemas(node.get(key), f"{where}.{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(node.get(key, [])):
            yield from subschemas(sub, f"{where}.{key}[{i}]")


def test_every_kind_has_a_schema_file() -> None:
    assert {p.name.removesuffix(".schema.json") for p in SCHEMA_FILES} == set(schemas.KINDS)


def test_packaged_schemas_are_the_source_schemas() -> None:
    for path in SCHEMA_FILES:
        assert schemas.schema(path.name.removesuffix(".schema.json")) == load(path)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft7(path: Path) -> None:
    data = load(path)
    Draft7Validator.check_schema(data)
    assert data["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert data["title"] and data["description"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_title_and_description(path: Path) -> None:
    missing = []
    for where, node in subschemas(load(path), "#"):
        for name, prop in node.get("properties", {}).items():
            if not (prop.get("title") and prop.get("description")):
                missing.append(f"{where}.properties.{name}")
    assert missing == []


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_objects_are_closed(path: Path) -> None:
    open_objects = []
    for where, node in subschemas(load(path), "#"):
        if node.get("type") != "object" and "properties" not in node:
            continue
        if where.endswith((".then", ".else")):
            continue  # a condition's branch narrows the object that holds it, which is closed
        closed = node.get("additionalProperties") is False
        # The assessment's scores map is keyed by the casebook's own domain ids, and the
        # identity register by case ids: each entry is a closed object.
        scores_map = (path.name, where) in {("assessment.schema.json", "#.properties.scores"),
                                            ("identities.schema.json", "#")}
        if scores_map:
            assert isinstance(node["additionalProperties"], dict)
        elif not closed:
            open_objects.append(where)
    assert open_objects == []


def test_walk_reaches_nested_definitions() -> None:
    """The walk above is not vacuous: it sees a property defined inside a definition."""
    seen = {w for w, _ in subschemas(load(schemas.schema_dir() / "identification.schema.json"),
                                     "#")}
    assert "#.definitions.decision.properties.sources.properties.partners.items" in seen


# --- problems a schema reports, through the whole validator ---------------------------------

def schema_problems(make: Callable[..., Path], files: dict[str, str]) -> list[Problem]:
    root = make(files)
    problems = validate(open_casebook(root), as_of=AS_OF).problems
    return [p for p in problems if p.rule.startswith("schema-")]


def one(problems: list[Problem], rule: str) -> Problem:
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, problems
    assert found[0].severity == ERROR
    return found[0]


def test_unknown_key_points_at_the_key(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/case.yaml": f"""
        id: {CASE_ID}
        officer: PC 4471 Hart
        area: Slough
        concerns: [knife-crime]
        age_band: under-18
        nickname: 'x'
    """})
    p = one(problems, "schema-unknown-field")
    assert (p.path, p.line, p.column) == (f"{C}/case.yaml", 6, 1)
    assert p.message == "unknown field 'nickname' in the document"


def test_unknown_key_in_a_list_item_points_at_the_key(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/identification.yaml": """
        decisions:
          - date: '2026-01-12'
            decision: include
            forum: Slough Serious Violence tasking
            rationale: Dashboard rank and partner concerns.
            sources: {}
            approach: {role: youth-worker, by: '2026-01-26', colour: blue}
    """})
    p = one(problems, "schema-unknown-field")
    assert (p.line, p.column) == (7, 54)
    assert "decisions[0].approach" in p.message


def test_wrong_type_points_at_the_key(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/case.yaml": f"""
        id: {CASE_ID}
        officer: PC 4471 Hart
        area: Slough
        concerns: {SECRET}
        age_band: under-18
    """})
    p = one(problems, "schema-type")
    assert (p.path, p.line) == (f"{C}/case.yaml", 4)
    assert p.message == "concerns must be a list, not text"


def test_wrong_type_deep_in_a_list(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {
        f"{C}/contacts/2026-01-20-ab12.yaml": "date: '2026-01-20'\nby: Youth worker\n"
                                              "method: phone\npurpose: engage-and-explain\n"
                                              "outcome: declined\n"
                                              f"messages: [concern, [{SECRET}]]\n"})
    found = [p for p in problems if SECRET in p.message]
    assert found == []
    assert {(p.rule, p.line) for p in problems} >= {("schema-type", 6)}


def test_missing_required_field_points_at_the_parent(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/identification.yaml": """
        decisions:
          - date: '2026-01-12'
            decision: include
            rationale: Dashboard rank and partner concerns.
            sources: {}
            approach: {role: youth-worker, by: '2026-01-26'}
    """})
    p = one(problems, "schema-required")
    assert (p.path, p.line, p.column) == (f"{C}/identification.yaml", 2, 5)
    assert p.message == "missing required field 'forum' in decisions[0]"


def test_missing_required_top_level_field_points_at_line_1(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/case.yaml": f"""
        id: {CASE_ID}
        officer: PC 4471 Hart
        concerns: [knife-crime]
        age_band: under-18
    """})
    p = one(problems, "schema-required")
    assert (p.line, p.column) == (1, 1)
    assert p.message == "missing required field 'area' in the document"


def test_conditional_requirement_include_needs_an_approach(
        casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/identification.yaml": """
        decisions:
          - date: '2026-01-12'
            decision: include
            forum: Slough Serious Violence tasking
            rationale: Dashboard rank and partner concerns.
            sources: {}
    """})
    p = one(problems, "schema-required")
    assert p.line == 2
    assert "'approach'" in p.message


def test_impossible_date_points_at_the_key_and_names_the_date(
        casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/identification.yaml": """
        decisions:
          - date: '2026-02-30'
            decision: not-include
            forum: Slough Serious Violence tasking
            rationale: Not enough information.
            sources: {}
    """})
    p = one(problems, "schema-format")
    assert (p.line, p.column) == (2, 5)
    assert p.message == "decisions[0].date is not a real date: '2026-02-30'"


def test_free_text_in_a_date_field_is_not_quoted(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/identification.yaml": f"""
        decisions:
          - date: '{SECRET}'
            decision: not-include
            forum: Slough Serious Violence tasking
            rationale: Not enough information.
            sources: {{}}
    """})
    assert problems, "a non-date in a date field is a problem"
    assert all(p.line == 2 for p in problems)
    assert all(SECRET not in p.message for p in problems)


def test_enum_points_at_the_key_and_never_quotes_the_value(
        casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/case.yaml": f"""
        id: {CASE_ID}
        officer: PC 4471 Hart
        area: Slough
        concerns: [knife-crime]
        age_band: '{SECRET}'
    """})
    p = one(problems, "schema-enum")
    assert (p.line, p.column) == (5, 1)
    assert p.message == "age_band must be one of: under-18, 18-24, 25-plus"


@pytest.mark.parametrize(("field", "value", "rule", "message"), [
    ("officer", "'" + SECRET * 5 + "'", "schema-length", "officer is longer than 100 characters"),
    ("officer", "''", "schema-length", "officer must not be empty"),
    ("id", f"'{SECRET}'", "schema-pattern",
     "id does not have the expected form (^[A-Z0-9][A-Z0-9-]{2,39}$)"),
    ("area", "[Jane, Doe]", "schema-type", "area must be text, not a list"),
    ("concerns", f"[knife-crime, '{SECRET}']", "schema-enum",
     "concerns[1] must be one of: violence, knife-crime, county-lines, exploitation, weapons"),
])
def test_other_checks_never_quote_the_value(casebook: Callable[..., Path], field: str,
                                            value: str, rule: str, message: str) -> None:
    lines = {"id": CASE_ID, "officer": "PC 4471 Hart", "area": "Slough",
             "concerns": "[knife-crime]", "age_band": "under-18"}
    lines[field] = value
    text = "".join(f"{k}: {v}\n" for k, v in lines.items())
    problems = schema_problems(casebook, {f"{C}/case.yaml": text})
    p = one(problems, rule)
    assert p.line == list(lines).index(field) + 1
    assert p.message == message


def test_a_free_text_field_too_long_is_reported_without_its_text(
        casebook: Callable[..., Path]) -> None:
    notes = (SECRET + " ") * 600  # over the 4000-character limit on a rationale
    problems = schema_problems(casebook, {f"{C}/identification.yaml": flat("""
        decisions:
          - date: '2026-01-12'
            decision: not-include
            forum: Slough Serious Violence tasking
            sources: {}
    """) + f"    rationale: '{notes}'\n"})
    p = one(problems, "schema-length")
    assert p.line == 6
    assert p.message == "decisions[0].rationale is longer than 4000 characters"


def test_each_missing_required_field_is_reported_once(casebook: Callable[..., Path]) -> None:
    problems = schema_problems(casebook, {f"{C}/case.yaml": f"id: {CASE_ID}\nofficer: PC 1\n"})
    assert sorted(p.message for p in problems) == [
        f"missing required field '{name}' in the document"
        for name in ("age_band", "area", "concerns")]
    assert all((p.line, p.column) == (1, 1) for p in problems)


def test_free_text_typed_as_a_key_never_reaches_a_message(casebook) -> None:
    from datetime import date

    from prelude_cli.book.casebook import open_casebook
    from prelude_cli.checks.validation import validate

    root = casebook({"cases/OP-7K3M9Q/case.yaml": """
        id: OP-7K3M9Q
        officer: PC 4471 Hart
        area: Slough
        concerns: [knife-crime]
        age_band: under-18
        Jane Doe of Elm Street: 3
    """})
    result = validate(open_casebook(root), as_of=date(2026, 11, 26))
    assert result.problems
    assert all("Jane" not in p.message for p in result.problems)
    assert any(p.message == "unknown field '<key>' in the document" for p in result.problems)
