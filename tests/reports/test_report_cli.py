"""`prelude report case|programme` from the command line: formats, --out, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prelude_cli.cli.main import main

from .conftest import FULL_ID


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def test_case_markdown_to_stdout(capsys, full_book: Path) -> None:
    code, out, err = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                         "--as-of", "2026-11-26")
    assert (code, err) == (0, "")
    assert out.startswith(f"**OFFICIAL-SENSITIVE**\n\n# Case {FULL_ID}\n")
    assert "The chart is written as an SVG file beside the report" in out
    assert "| Accommodation | 3 | 6 | +3 |" in out


def test_case_markdown_to_a_file_writes_its_chart_beside(capsys, full_book: Path,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "out" / "case report.md"
    code, out, err = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                         "--as-of", "2026-11-26", "--out", str(target))
    assert code == 0 and out == ""
    assert sorted(p.name for p in target.parent.iterdir()) == ["case report-radar.svg",
                                                               "case report.md"]
    assert "](case%20report-radar.svg)" in target.read_text(encoding="utf-8")
    assert (target.parent / "case report-radar.svg").read_text().startswith("<svg ")
    assert "wrote" in err


def test_format_follows_the_out_extension(capsys, full_book: Path, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                     "--out", str(tmp_path / "case.html"), "--as-of", "2026-11-26")
    assert code == 0
    assert (tmp_path / "case.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob("*.svg"))  # HTML holds its chart inline


def test_case_json(capsys, full_book: Path) -> None:
    code, out, _ = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                       "--as-of", "2026-11-26", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["report"], data["case"]["id"], data["case"]["stage"]) == ("case", FULL_ID,
                                                                          "support")


def test_unknown_case_is_a_usage_error(capsys, full_book: Path) -> None:
    code, out, err = run(capsys, "report", "case", "OP-0000000", "-C", str(full_book))
    assert code == 2 and out == ""
    assert "no case 'OP-0000000'" in err


def test_refuses_to_write_inside_the_casebook(capsys, full_book: Path) -> None:
    target = full_book / "cases" / "report.html"
    code, _, err = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                       "--out", str(target))
    assert code == 2 and not target.exists()
    assert "inside the casebook" in err and "--force-inside" in err
    # reports/ is allowed only once the casebook's .gitignore ignores it.
    ignored = full_book / "reports" / "case.html"
    assert run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
               "--out", str(ignored))[0] == 2
    (full_book / ".gitignore").write_text("# reports are made, not kept\nreports/\n")
    assert run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
               "--out", str(ignored))[0] == 0
    assert ignored.exists()
    # --force-inside says the user means it, but never where documents or settings live.
    code, _, err = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                       "--out", str(target), "--force-inside")
    assert code == 2 and not target.exists() and "even with --force" in err
    elsewhere = full_book / "notes" / "report.html"
    # --force only replaces an existing file: the override inside is --force-inside, the
    # same option as an export's
    assert run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
               "--out", str(elsewhere), "--force")[0] == 2
    assert run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
               "--out", str(elsewhere), "--force-inside")[0] == 0
    assert elsewhere.exists()


def test_programme_period_in_json(capsys, programme_book: Path) -> None:
    code, out, _ = run(capsys, "report", "programme", "-C", str(programme_book),
                       "--from", "2026-01-01", "--to", "2026-03-31", "--as-of", "2026-11-26",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["period"]["from"] == "2026-01-01" and data["cases"] == 4
    assert data["figures"]["days_to_first_contact"]["value"] == 10


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-04-01", "--to", "2026-03-31"], "--from is after --to"),
    (["--from", "April"], "not a date"),
])
def test_programme_bad_period(capsys, programme_book: Path, args: list[str],
                              message: str) -> None:
    code, _, err = run(capsys, "report", "programme", "-C", str(programme_book), *args)
    assert code == 2 and message in err


def test_programme_markdown_to_a_file(capsys, programme_book: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "q1.md"
    code, _, _ = run(capsys, "report", "programme", "-C", str(programme_book), "--as-of",
                     "2026-11-26", "-o", str(target))
    assert code == 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["q1-caseload.svg", "q1-distance.svg",
                                                          "q1.md"]
    text = target.read_text(encoding="utf-8")
    assert "![Caseload by stage](q1-caseload.svg)" in text
    assert "**12.5 days**" in text



def test_out_under_a_file_is_one_line_and_exit_1(capsys, full_book: Path,
                                                 tmp_path: Path) -> None:
    """A path whose parent is a file cannot be written: a clear refusal, not a crash."""
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    code, out, err = run(capsys, "report", "case", FULL_ID, "-C", str(full_book),
                         "--as-of", "2026-06-01", "--out", str(blocker / "report.md"))
    assert code == 1
    assert err.startswith("prelude: could not write") and len(err.strip().splitlines()) == 1
    assert blocker.read_text() == "x"
