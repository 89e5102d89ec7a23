"""`prelude validate` through the CLI runner: exit codes, text and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from prelude_cli.cli.main import app

runner = CliRunner()
CID = "OP-7K3M9Q"


def run(*args: str):
    return runner.invoke(app, list(args))


def test_clean_casebook_exits_0(casebook) -> None:
    root = casebook()
    result = run("validate", "-C", str(root), "--as-of", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 1 cases")


def test_problems_exit_1_with_file_and_line(casebook) -> None:
    root = casebook({f"cases/{CID}/contacts/2026-01-20-ab12.yaml": """
        date: '2026-01-20'
        by: Youth worker T. Mensah
        method: carrier-pigeon
        purpose: engage-and-explain
        outcome: declined
    """})
    result = run("validate", "-C", str(root), "--as-of", "2026-11-26")
    assert result.exit_code == 1
    assert (f"cases/{CID}/contacts/2026-01-20-ab12.yaml:3:1: error schema-enum "
            "method must be one of:") in result.output


def test_json_output_contract(casebook) -> None:
    root = casebook({f"cases/{CID}/case.yaml": "id: OP-7K3M9Q\nofficer: ''\n"})
    result = run("validate", "-C", str(root), "--as-of", "2026-11-26", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert set(payload["problems"][0]) == {"path", "line", "column", "severity", "rule",
                                           "message"}
    assert payload["stats"]["cases"] == 1


def test_no_casebook_is_exit_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    import pytest

    from prelude_cli.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2


def test_newer_format_is_refused(casebook) -> None:
    import pytest

    from prelude_cli.cli.main import main

    root = casebook({"casebook.yaml": "format: 99\n"})
    with pytest.raises(SystemExit) as exc:
        main(["validate", "-C", str(root)])
    assert exc.value.code == 2
