"""The programme report and the SQLite export agree: the SQL documented in docs/export.md
reproduces the report's caseload by stage and median days to first contact."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from prelude_cli.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _sql_blocks() -> list[str]:
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    section = text.split("## Programme figures in SQL", 1)[1]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_documented_sql_reproduces_the_programme_report(tmp_path: Path) -> None:
    out = tmp_path / "sample.sqlite"
    args = ["-C", str(ROOT / "sample_casebook"), "--as-of", "2026-11-26"]
    assert runner.invoke(app, ["export", "--format", "sqlite", "--out", str(out), *args]
                         ).exit_code == 0
    report = json.loads(runner.invoke(app, ["report", "programme", "--format", "json", *args]
                                      ).stdout)["figures"]
    caseload_sql, median_sql = _sql_blocks()[:2]
    with sqlite3.connect(out) as db:
        caseload = dict(db.execute(caseload_sql).fetchall())
        (median,) = db.execute(median_sql).fetchone()
    expected = {r["stage"]: r["cases"] for r in report["caseload_by_stage"]["rows"]
                if r["cases"]}
    assert caseload == expected
    assert median == report["days_to_first_contact"]["value"]
