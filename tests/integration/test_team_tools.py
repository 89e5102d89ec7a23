"""Fitting the team's tools: CI templates, editor schema mapping, CI output formats,
shell completion, doctor."""

from __future__ import annotations

import fnmatch
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from prelude_cli.book.casebook import kind_of
from prelude_cli.cli.main import app
from prelude_cli.tools import integrations

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_casebook"
runner = CliRunner()


def test_ci_templates_are_valid_yaml_running_the_right_commands() -> None:
    gh = yaml.safe_load(integrations.GITHUB_WORKFLOW)
    steps = " ".join(s.get("run", "") for job in gh["jobs"].values() for s in job["steps"])
    assert "prelude validate --format github" in steps
    assert "prelude fmt --check" in steps
    assert "--fail-on-overdue" in steps
    assert gh[True]["schedule"][0]["cron"] == "0 6 * * 1-5"  # `on:` reads as true in YAML 1.1
    assert {"push", "pull_request"} <= set(gh[True])
    gl = yaml.safe_load(integrations.GITLAB_CI)
    assert gl["validate"]["artifacts"]["reports"]["junit"] == "prelude-junit.xml"
    assert "--fail-on-overdue" in " ".join(gl["due-reviews"]["script"])
    assert gl["due-reviews"]["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "schedule"'


def test_init_writes_workflow_editor_mapping_and_schemas(tmp_path: Path) -> None:
    book = tmp_path / "book"
    result = runner.invoke(app, ["init", str(book), "--no-git"])
    assert result.exit_code == 0, result.output
    assert (book / ".github/workflows/prelude.yml").read_text() == integrations.GITHUB_WORKFLOW
    assert not (book / ".gitlab-ci.yml").exists()
    settings = json.loads((book / ".vscode/settings.json").read_text())
    assert settings["yaml.schemas"] == integrations.yaml_schemas_mapping()
    for schema_file in settings["yaml.schemas"]:
        assert (book / schema_file).is_file()
    doctor = runner.invoke(app, ["doctor", "-C", str(book), "--format", "json"])
    checks = {c["name"]: c for c in json.loads(doctor.stdout)}
    assert checks["editor schemas"]["status"] == "ok"


def test_init_ci_adds_a_workflow_to_an_existing_casebook(tmp_path: Path) -> None:
    book = tmp_path / "book"
    assert runner.invoke(app, ["init", str(book), "--no-git", "--ci", "none"]).exit_code == 0
    assert not (book / ".github").exists()
    before = (book / "casebook.yaml").read_bytes()
    result = runner.invoke(app, ["init", str(book), "--ci", "gitlab"])
    assert result.exit_code == 0, result.output
    assert (book / ".gitlab-ci.yml").read_text() == integrations.GITLAB_CI
    assert (book / "casebook.yaml").read_bytes() == before
    assert runner.invoke(app, ["init", str(book)]).exit_code == 2  # still refuses a re-init


def test_editor_mapping_covers_every_document_of_the_sample() -> None:
    mapping = integrations.yaml_schemas_mapping()
    kinds_seen = set()
    for path in SAMPLE.rglob("*.yaml"):
        rel = path.relative_to(SAMPLE).as_posix()
        if rel.startswith("."):
            continue
        matches = [schema for schema, globs in mapping.items()
                   if any(fnmatch.fnmatchcase(rel, g) and rel.count("/") == g.count("/")
                          for g in globs)]
        assert len(matches) == 1, rel
        kind = kind_of(rel)
        assert matches[0] == f"./schemas/{kind}.schema.json", rel
        kinds_seen.add(kind)
    # The identity register is never part of the sample (it is kept out of git): its
    # mapping is checked on its path alone.
    assert kinds_seen == set(integrations.DOCUMENT_GLOBS) - {"identities"}
    assert kind_of("identities.yaml") == "identities"
    assert mapping["./schemas/identities.schema.json"] == ["identities.yaml"]


def test_vscode_settings_keep_other_settings() -> None:
    merged = json.loads(integrations.vscode_settings('{"editor.tabSize": 2, '
                                                     '"yaml.schemas": {"x.json": ["a"]}}'))
    assert merged["editor.tabSize"] == 2
    assert merged["yaml.schemas"]["x.json"] == ["a"]
    assert "./schemas/plan.schema.json" in merged["yaml.schemas"]


BROKEN = {"cases/OP-7K3M9Q/case.yaml": "id: OP-7K3M9Q\nofficer: [1]\n"}


def test_github_annotations_auto_under_actions(casebook, monkeypatch) -> None:
    root = casebook(BROKEN)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root.parent))
    result = runner.invoke(app, ["validate", "-C", str(root), "--as-of", "2026-11-26"])
    assert result.exit_code == 1
    assert ("::error file=book/cases/OP-7K3M9Q/case.yaml,line=2,col=1,"
            "title=schema-type::officer must be text, not a list") in result.stdout.splitlines()
    text = runner.invoke(app, ["validate", "-C", str(root), "--as-of", "2026-11-26",
                               "--format", "text"])
    assert text.stdout.startswith("cases/OP-7K3M9Q/case.yaml:")


def test_junit_one_case_per_document_with_failures(casebook) -> None:
    root = casebook(BROKEN)
    result = runner.invoke(app, ["validate", "-C", str(root), "--as-of", "2026-11-26",
                                 "--format", "junit"])
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout).find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests")) == 4
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["cases/OP-7K3M9Q/case.yaml"]
    assert suite.get("failures") == "1"
    assert "schema-type" in failed[0].find("failure").text


def test_case_ids_complete_from_the_casebook(monkeypatch) -> None:
    monkeypatch.setenv("_PRELUDE_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", f"prelude case show -C {SAMPLE} OP-1")
    monkeypatch.setenv("COMP_CWORD", "5")
    result = runner.invoke(app, [], prog_name="prelude")
    assert result.stdout.split() == ["OP-1RE863", "OP-1ZPNFX"]
    monkeypatch.setenv("COMP_WORDS", "prelude plan tag re")
    monkeypatch.setenv("COMP_CWORD", "3")
    assert set(runner.invoke(app, [], prog_name="prelude").stdout.split()) == {"review",
                                                                               "remove"}


def test_doctor_reports_versions_and_fast_paths() -> None:
    result = runner.invoke(app, ["doctor", "-C", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0
    names = {c["name"]: c for c in json.loads(result.stdout)}
    for name in ("python", "prelude", "typer", "ruamel.yaml", "jsonschema", "PyYAML",
                 "fast YAML parser (libyaml)", "git", "casebook.yaml format"):
        assert name in names
    assert names["settings and providers"]["status"] == "ok"


@pytest.mark.skipif(os.name == "nt", reason="POSIX shell completion script")
def test_completion_script_is_offered() -> None:
    result = runner.invoke(app, ["--show-completion", "bash"], prog_name="prelude")
    assert "_PRELUDE_COMPLETE" in result.stdout
