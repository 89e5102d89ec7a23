"""docs/reports.md stays true to the code: every figure and every JSON key is documented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report

from .conftest import FULL_ID

DOC = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")
AS_OF = date(2026, 11, 26)


def test_every_figure_is_documented_with_its_title(programme_book: Path) -> None:
    report = build_programme_report(open_casebook(programme_book), AS_OF, Period())
    for f in report.figures:
        assert f"| `{f.key}` | {f.title} |" in DOC, f.key


def test_every_case_report_key_is_documented(full_book: Path) -> None:
    data = build_case_report(open_casebook(full_book), FULL_ID, AS_OF).as_dict()
    for key in data:
        assert f'"{key}"' in DOC, key
    for section in ("case", "plan", "disruption", "distance_travelled", "exit"):
        for key in data[section] or {}:
            assert f'"{key}"' in DOC, (section, key)
