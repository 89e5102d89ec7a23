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
    assert result.output.startswith("ok: 1 case, ")


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


def test_the_progress_bar_shows_its_label_not_markup(monkeypatch) -> None:  # noqa: ANN001
    """The console reads no markup, so the bar's label must not rely on a markup tag."""
    import io

    from prelude_cli.cli import output

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(output.sys, "stderr", screen)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    with output.progress("Validating") as bar:
        assert bar is not None
        bar(5, 10)
    assert "Validating" in screen.getvalue()
    assert "[progress" not in screen.getvalue()


def test_a_path_that_does_not_exist_is_a_usage_error(casebook, capsys) -> None:
    """A mistyped path in CI or a hook must fail, never pass as 'ok: 0 documents'."""
    import pytest

    from prelude_cli.cli.main import main

    root = casebook()
    for missing in ("cases/OP-NOPE00", f"cases/{CID}/contacts/nope.yaml", "nope.yaml"):
        with pytest.raises(SystemExit) as raised:
            main(["validate", "-C", str(root), str(root / missing)])
        assert raised.value.code == 2, missing
        assert "no such file or folder" in capsys.readouterr().err
    assert run("validate", "-C", str(root), str(root / "cases" / CID)).exit_code == 0


def test_cases_as_a_file_is_an_error_not_zero_cases(casebook) -> None:
    import shutil

    root = casebook()
    shutil.rmtree(root / "cases")
    (root / "cases").write_text("not a folder\n", encoding="utf-8")
    result = run("validate", "-C", str(root), "--as-of", "2026-11-26")
    assert result.exit_code == 1
    assert "cases:0:0: error unreadable not a folder" in result.output
