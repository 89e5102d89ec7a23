"""Partner outputs from the command line: refused without a recipient and purpose, recorded
in the disclosure log before they are released, and listed by `prelude disclosures`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)
PARTNER = ["--audience", "partner", "--recipient", "youth-justice",
           "--purpose", "joint case review"]
# The sample's youth-justice agreement: under-18s in Slough and Milton Keynes, included.
IN_SCOPE = ["OP-2N4RJP", "OP-959KQ3", "OP-PGN0T7"]
AGREEMENT = {"reference": "ISA-TV-YJ-2026", "version": "2"}
# The violence reduction unit's agreement: every included case, the whole allowlist.
VRU = ["--audience", "partner", "--recipient", "violence-reduction-unit",
       "--purpose", "joint case review"]


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    shutil.rmtree(root / "disclosures")
    monkeypatch.setenv("PRELUDE_USER", "A. Analyst")
    monkeypatch.chdir(tmp_path)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def records(root: Path) -> list[dict]:
    folder = root / "disclosures"
    return [yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))] \
        if folder.is_dir() else []


@pytest.mark.parametrize("missing", [["--recipient", "youth-justice"],
                                     ["--purpose", "board"], []])
def test_partner_output_refused_without_recipient_and_purpose(capsys, book: Path,
                                                              missing: list[str]) -> None:
    for command in (["report", "programme"], ["report", "case", "OP-7FM7H9"],
                    ["export", "--format", "csv", "--out", "x"]):
        code, out, err = run(capsys, *command, "-C", book, "--audience", "partner", *missing)
        assert (code, out) == (2, ""), err
        assert "needs --recipient AGENCY and --purpose TEXT" in err
    assert not (book / "disclosures").exists() and not Path("x").exists()


def test_recipient_without_a_record_is_a_usage_error(capsys, book: Path) -> None:
    code, _, err = run(capsys, "report", "programme", "-C", book, "--recipient", "yjs")
    assert code == 2 and "add --record-disclosure" in err


def test_to_on_programme_is_the_period_and_points_at_recipient(capsys, book: Path) -> None:
    code, _, err = run(capsys, "report", "programme", "-C", book, "--audience", "partner",
                       "--to", "youth-justice", "--purpose", "board")
    assert code == 2 and "--recipient" in err


def test_partner_programme_report_is_recorded_and_cites_its_record(capsys, book: Path) -> None:
    code, out, err = run(capsys, "report", "programme", "-C", book, "--as-of", "2026-11-26",
                         "-f", "md", *PARTNER)
    assert code == 0, err
    [record] = records(book)
    [path] = (book / "disclosures").glob("*.yaml")
    assert f"Disclosure {path.stem}, made {record['date']} by A. Analyst" in out
    assert err == f"recorded disclosure disclosures/{path.name}\n"
    assert record["by"] == "A. Analyst" and record["recipient"] == "youth-justice"
    assert record["purpose"] == "joint case review"
    assert record["lawful_basis"].startswith("DPA 2018 Part 3")  # the agreement's
    assert record["agreement"] == AGREEMENT
    assert record["filters"]["areas"] == ["Slough", "Milton Keynes"]
    assert record["filters"]["age_bands"] == ["under-18"]
    assert (record["output"], record["format"], record["audience"]) == (
        "report-programme", "md", "partner")
    assert record["cases"] == IN_SCOPE  # the agreement's scope, not the whole casebook
    assert record["as_of"] == "2026-11-26" and path.name.startswith(record["date"])
    # the command line keeps what is safe to keep; free text and paths become <value>
    assert record["command"] == (
        "prelude report programme --casebook <value> --as-of 2026-11-26 --format md "
        "--audience partner --recipient youth-justice --purpose <value>")
    assert "Disruption" not in out and "Proportionality" not in out
    assert validate(open_casebook(book), as_of=AS_OF).problems == []


def test_partner_case_report_json_and_disclosure_summary(capsys, book: Path) -> None:
    code, out, _ = run(capsys, "report", "case", "OP-PGN0T7", "-C", book, "-f", "json",
                       "--as-of", "2026-11-26", *VRU)
    data = json.loads(out)
    [record] = records(book)
    assert data["audience"] == "partner"
    assert data["disclosure"]["recipient"] == "violence-reduction-unit"
    assert data["disclosure"]["id"] == next((book / "disclosures").glob("*.yaml")).stem
    assert record["cases"] == ["OP-PGN0T7"] and record["output"] == "report-case"


def test_record_withdrawn_when_the_report_cannot_be_written(capsys, book: Path, tmp_path: Path,
                                                           monkeypatch) -> None:
    from prelude_cli.files import outputs

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The record is written just before the report is renamed into place; the rename fails.
    monkeypatch.setattr(outputs, "_publish", disk_full)
    code, _, err = run(capsys, "report", "case", "OP-PGN0T7", "-C", book, "-f", "html",
                       "--as-of", "2026-11-26", "--out", tmp_path / "case.html", *VRU)
    assert code == 1 and "No space left on device" in err and "recorded disclosure" in err
    assert records(book) == [] and list(tmp_path.glob(".case.html.*")) == []
    assert not (tmp_path / "case.html").exists()


def test_nothing_is_exported_when_the_record_cannot_be_written(capsys, book: Path,
                                                               tmp_path: Path) -> None:
    (book / "disclosures").write_text("in the way")
    code, _, err = run(capsys, "export", "-C", book, "--format", "csv", "--out",
                       tmp_path / "exp", "--as-of", "2026-11-26", *PARTNER)
    # The disk's or the casebook's failure, not the command line's: exit 1, not 2.
    assert code == 1 and "cannot record the disclosure" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]


def test_internal_export_recorded_on_request(capsys, book: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "export", "-C", book, "--format", "sqlite", "--out",
                         tmp_path / "e.sqlite", "--include-text", "--record-disclosure",
                         "--recipient", "evaluation-team", "--purpose", "evaluation",
                         "--by", "B. Evaluator")
    assert code == 0, err
    [record] = records(book)
    assert (record["audience"], record["include_text"], record["by"]) == (
        "internal", True, "B. Evaluator")
    assert record["command"] == (
        "prelude export --out <value> --format sqlite --casebook <value> --include-text "
        "--recipient evaluation-team --purpose <value> --by <value> --record-disclosure")
    code, _, err = run(capsys, "export", "-C", book, "--format", "csv", "--out",
                       tmp_path / "p", "--include-text", "--as-of", "2026-11-26", *PARTNER)
    assert code == 2 and "never holds free text" in err


def test_disclosures_list_table_json_csv_and_case_filter(capsys, book: Path,
                                                         tmp_path: Path) -> None:
    run(capsys, "report", "case", "OP-PGN0T7", "-C", book, "--as-of", "2026-11-26", *VRU)
    run(capsys, "report", "programme", "-C", book, "--as-of", "2026-11-26", *PARTNER)
    code, out, _ = run(capsys, "disclosures", "-C", book, "--case", "OP-PGN0T7", "-f", "json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = run(capsys, "disclosures", "-C", book, "--case", "OP-959KQ3", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["output"] for r in rows] == ["report-programme"]
    assert rows[0]["cases"] == "3" and rows[0]["purpose"] == "joint case review"
    code, out, _ = run(capsys, "disclosures", "-C", book)
    assert code == 0 and "youth-justice" in out and "report-case" in out
    code, out, _ = run(capsys, "disclosures", "-C", book, "--case", "OP-NOSUCH")
    assert out == "no disclosures recorded for OP-NOSUCH\n"


def test_validate_checks_disclosure_records(capsys, book: Path) -> None:
    (book / "disclosures").mkdir()
    (book / "disclosures" / "2026-10-02-ab12.yaml").write_text(
        "date: '2026-10-03'\nby: A\nrecipient: yjs\npurpose: x\noutput: leaflet\nformat: md\n"
        "audience: partner\ncases: []\ncommand: prelude\n")
    (book / "disclosures" / "notes.yaml").write_text("date: '2026-10-03'\n")
    found = {(p.path, p.line, p.rule) for p in validate(
        open_casebook(book), as_of=AS_OF).problems}
    assert found == {("disclosures/2026-10-02-ab12.yaml", 5, "schema-enum"),
                     ("disclosures/notes.yaml", 0, "file-name"),
                     ("disclosures/notes.yaml", 1, "schema-required")}
