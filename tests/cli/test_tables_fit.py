"""Tables at 60, 80 and 120 columns never cut what matters: case ids, kinds, dates and
statuses stay whole; a narrow terminal loses the least useful columns instead."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prelude_cli.cli.main import app
from prelude_cli.cli.output import console

SAMPLE = str(Path(__file__).resolve().parents[2] / "sample_casebook")
AS_OF = "2026-11-26"
runner = CliRunner()


def run(width: int, *args: str) -> str:
    console.cache_clear()  # one process runs every test: the console reads COLUMNS once
    result = runner.invoke(app, [*args, "-C", SAMPLE, "--as-of", AS_OF],
                           env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", text))


@pytest.mark.parametrize("width", [60, 80, 120])
def test_due_reviews_table_keeps_ids_kinds_dates_and_statuses_whole(width: int) -> None:
    table = run(width, "due-reviews", "--limit", "0")
    items = json.loads(run(120, "due-reviews", "--format", "json"))["items"]
    assert "…" not in table
    assert max(len(line) for line in table.splitlines()) <= width
    seen = words(table)
    for item in items:
        assert {item["case"], item["kind"], item["due"]} <= seen, item
        status = f"{item['days_overdue']}d" if item["status"] == "overdue" else None
        assert status is None or status in seen


@pytest.mark.parametrize("width", [60, 80, 120])
def test_case_list_keeps_ids_stages_dates_and_kinds_whole(width: int) -> None:
    table = run(width, "case", "list")
    rows = json.loads(run(120, "case", "list", "--format", "json"))
    rows = rows["cases"] if isinstance(rows, dict) else rows
    assert "…" not in table
    assert max(len(line) for line in table.splitlines()) <= width
    seen = words(table)
    for row in rows:
        assert {row["case"], row["stage"]} <= seen, row
        if row.get("next_due"):
            assert {row["next_due"], row["next_kind"]} <= seen, row


def test_a_wide_terminal_shows_every_column() -> None:
    head = run(120, "case", "list").splitlines()[0].split()
    assert head[:3] == ["Case", "Stage", "Officer"] and "Area" in head and "activity" in head
    assert run(120, "due-reviews").count("Detail") >= 1


@pytest.fixture(scope="module")
def intake_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample casebook with its fictional dashboard extract, as `init --sample` writes it."""
    book = tmp_path_factory.mktemp("intake") / "book"
    result = runner.invoke(app, ["init", "--sample", str(book)])
    assert result.exit_code == 0, result.output
    return book


@pytest.mark.parametrize("width", [60, 80, 120])
def test_intake_keeps_keys_ids_ranks_and_dates_whole(intake_book: Path, width: int) -> None:
    extract = str(intake_book / "extracts" / "dashboard-2026-11.csv")

    def intake(w: int, *extra: str) -> str:
        console.cache_clear()
        result = runner.invoke(app, ["intake", extract, "-C", str(intake_book), "--as-of",
                                     AS_OF, *extra], env={"COLUMNS": str(w), "NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        return result.stdout

    table = intake(width)
    rows = json.loads(intake(120, "--format", "json"))["rows"]
    assert "…" not in table
    assert max(len(line) for line in table.splitlines()) <= width
    assert table.splitlines()[0].startswith("OFFICIAL-SENSITIVE")
    assert table.rstrip().splitlines()[-1] == "OFFICIAL-SENSITIVE"
    seen = words(table)
    assert len(rows) == 8
    for row in rows:
        whole = {row["key"], str(row["rank"]), row["case"], row.get("decided"),
                 row.get("review_by"), row.get("eligible"), row.get("exited")}
        assert {w for w in whole if w} <= seen, row
