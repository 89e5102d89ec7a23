"""The sample casebook: valid under prelude and under plain jsonschema, and its due-review list
as of a fixed date matches the golden file checked by hand (tests/golden/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from prelude_cli.book.casebook import kind_of
from prelude_cli.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_casebook"
GOLDEN = ROOT / "tests" / "golden" / "due-reviews-sample-2026-11-26.json"
runner = CliRunner()


def test_sample_validates_clean_with_prelude() -> None:
    result = runner.invoke(app, ["validate", "-C", str(SAMPLE), "--as-of", "2026-11-26",
                                 "--no-cache", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["problems"] == []
    assert payload["stats"]["cases"] >= 12


def _documents() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(SAMPLE.rglob("*.yaml")):
        rel = path.relative_to(SAMPLE).as_posix()
        kind = kind_of(rel)
        if kind:
            out.append((path, kind))
    return out


@pytest.mark.parametrize(("path", "kind"), _documents(), ids=lambda v: str(v)[-40:])
def test_sample_documents_pass_plain_jsonschema(path: Path, kind: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = list(Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
                  .iter_errors(data))
    assert errors == []


def test_sample_covers_every_stage_but_deferred() -> None:
    result = runner.invoke(app, ["due-reviews", "-C", str(SAMPLE), "--as-of", "2026-11-26",
                                 "--no-cache", "--format", "json", "--within", "10y"])
    stages = {i["stage"] for i in json.loads(result.stdout)["items"]}
    assert {"identified", "not-selected", "engage", "disruption", "problem-solving", "support",
            "exited"} <= stages


def test_due_reviews_golden() -> None:
    result = runner.invoke(app, ["due-reviews", "-C", str(SAMPLE), "--as-of", "2026-11-26",
                                 "--no-cache", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_golden_readme_lists_every_item() -> None:
    notes = (GOLDEN.parent / "README.md").read_text(encoding="utf-8")
    for item in json.loads(GOLDEN.read_text(encoding="utf-8"))["items"]:
        assert f"| {item['case']} | {item['kind']} | {item['due']} |" in notes
