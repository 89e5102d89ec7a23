"""Partner outputs obey their information-sharing agreement (casebook.yaml's `partners`):
only configured partners, only their purposes, only while the agreement is valid, only the
cases in its scope (narrowed from the command line, never widened), only its fields; and
`validate` checks the agreements themselves."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import yaml

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-26"
YJ = ["--audience", "partner", "--recipient", "youth-justice", "--purpose",
      "joint case review", "--as-of", AS_OF]


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


def in_scope(root: Path) -> list[str]:
    """The youth-justice scope worked out from the files alone: under-18s in Slough or
    Milton Keynes whose latest decision is include (the sample has no later exclusions)."""
    out = []
    for folder in sorted((root / "cases").iterdir()):
        case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        ident = yaml.safe_load((folder / "identification.yaml").read_text(encoding="utf-8"))
        latest = ident["decisions"][-1]["decision"]
        if (case["area"] in ("Slough", "Milton Keynes") and case["age_band"] == "under-18"
                and latest == "include"):
            out.append(folder.name)
    return out


def test_a_partner_pack_holds_exactly_the_scope(capsys, book: Path, tmp_path: Path) -> None:
    wanted = in_scope(book)
    assert wanted and len(wanted) < len(open_casebook(book).case_ids())
    others = set(open_casebook(book).case_ids()) - set(wanted)
    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"pack-{fmt}"
        code, _, err = run(capsys, "export", "-C", book, "--format", fmt, "--out", out, *YJ)
        assert code == 0, err
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
        assert not any(o in text for o in others), "an out-of-scope case reached the pack"
    code, out, err = run(capsys, "report", "programme", "-C", book, "-f", "json", *YJ)
    assert code == 0, err
    report = json.loads(out)
    assert report["cases_in_casebook"] == len(wanted)
    records = [yaml.safe_load(p.read_text()) for p in sorted((book / "disclosures").iterdir())]
    assert all(r["cases"] == wanted for r in records) and len(records) == 3
    assert all(r["agreement"] == {"reference": "ISA-TV-YJ-2026", "version": "2"}
               for r in records)
    for fmt in ("md", "html"):
        code, out, _ = run(capsys, "report", "programme", "-C", book, "-f", fmt, *YJ)
        assert code == 0 and not any(o in out for o in others)


def test_the_agreement_fields_narrow_columns_and_figures(capsys, book: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "pack.sqlite"
    code, _, err = run(capsys, "export", "-C", book, "--format", "sqlite", "--out", out, *YJ)
    assert code == 0, err
    db = sqlite3.connect(out)
    contacts = [r[1] for r in db.execute("pragma table_info(contacts)")]
    assert "date" in contacts and "outcome" in contacts
    assert "method" not in contacts and "purpose" not in contacts  # allowlisted, not agreed
    cases = [r[1] for r in db.execute("pragma table_info(cases)")]
    assert "area" in cases and "concerns" not in cases
    db.close()
    code, out_text, _ = run(capsys, "report", "programme", "-C", book, "-f", "json", *YJ)
    figures = json.loads(out_text)["figures"]
    assert "exits" in figures and "feedback" not in figures  # exit.route agreed; feedback not


def test_a_case_report_is_refused_when_the_agreement_narrows_fields(capsys, book: Path) -> None:
    code, out, err = run(capsys, "report", "case", "OP-PGN0T7", "-C", book, *YJ)
    assert (code, out) == (2, "") and "ISA-TV-YJ-2026 v2" in err
    assert not (book / "disclosures").exists()


@pytest.mark.parametrize(("change", "message"), [
    (["--recipient", "housing"], "no partner 'housing' in casebook.yaml"),
    (["--purpose", "curiosity"], "allows these purposes only"),
    (["--as-of", "2027-04-01"], "is valid from 2026-04-01 to 2027-03-31, not on 2027-04-01"),
    (["--as-of", "2026-03-31"], "not on 2026-03-31"),
    (["--area", "Reading"], "areas Reading outside the agreement"),
    (["--age-band", "18-24"], "age bands 18-24 outside the agreement"),
    (["--stage", "not-selected"], "stages not-selected outside the agreement"),
    (["--lawful-basis", "consent"], "names its lawful basis"),
])
def test_outside_the_agreement_nothing_is_made(capsys, book: Path, tmp_path: Path,
                                               change: list[str], message: str) -> None:
    args = list(YJ)
    for i in range(0, len(change), 2):
        if change[i] in args:
            args[args.index(change[i]) + 1] = change[i + 1]
        else:
            args += change[i:i + 2]
    for command in (["report", "programme"],
                    ["export", "--format", "csv", "--out", tmp_path / "x"]):
        code, out, err = run(capsys, *command, "-C", book, *args)
        assert (code, out) == (2, ""), (command, err)
        assert message in err and "nothing was made" in err, err
    assert not (book / "disclosures").exists() and not (tmp_path / "x").exists()


def test_narrowing_within_the_scope_is_fine(capsys, book: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "report", "programme", "-C", book, "-f", "json", *YJ,
                         "--area", "slough")
    assert code == 0, err
    [record] = [yaml.safe_load(p.read_text()) for p in (book / "disclosures").iterdir()]
    assert record["cases"] == [c for c in in_scope(book)
                               if "Slough" in (book / "cases" / c / "case.yaml").read_text()]
    assert record["filters"]["areas"] == ["slough"]


def test_disclosures_by_recipient(capsys, book: Path, tmp_path: Path) -> None:
    run(capsys, "report", "programme", "-C", book, *YJ)
    run(capsys, "report", "case", "OP-PGN0T7", "-C", book, "--audience", "partner",
        "--recipient", "violence-reduction-unit", "--purpose", "joint case review",
        "--as-of", AS_OF)
    code, out, _ = run(capsys, "disclosures", "-C", book, "--recipient", "youth-justice",
                       "-f", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["recipient"], r["agreement"]) for r in rows] == [
        ("youth-justice", "ISA-TV-YJ-2026 v2")]
    code, out, _ = run(capsys, "disclosures", "-C", book, "--recipient", "nobody")
    assert out == "no disclosures recorded to nobody\n"


def test_validate_checks_the_agreements(book: Path) -> None:
    text = (book / "casebook.yaml").read_text(encoding="utf-8")
    text = text.replace("valid_to: '2027-03-31'", "valid_to: '2026-01-01'")
    text = text.replace("        - exit.route\n", "        - exit.route\n"
                        "        - disruption.lead\n")
    text = text.replace("  - id: violence-reduction-unit", "  - id: youth-justice")
    (book / "casebook.yaml").write_text(text, encoding="utf-8")
    found = {(p.rule, p.line) for p in validate(open_casebook(book),
                                                as_of=date.fromisoformat(AS_OF)).problems
             if p.path == "casebook.yaml"}
    lines = text.splitlines()
    assert found == {
        ("partner-agreement", lines.index("    valid_to: '2026-01-01'") + 1),
        ("partner-agreement", lines.index("        - disruption.lead") + 1),
        ("duplicate-id", lines.index("  - id: youth-justice", 20) + 1),
    }
