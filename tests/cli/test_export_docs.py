"""The data dictionary (docs/export.md) lists every table and column the export writes, in
order and with its type, so scripts can rely on it and it cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prelude_cli.export.sqlite import VIEW_COLUMNS
from prelude_cli.export.tables import TABLES, Table

DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def documented() -> dict[str, list[tuple[str, str]]]:
    """Each `### \\`name\\`` section's table as (column, type) rows."""
    out: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `([a-z0-9_]+)`", line)
        if heading:
            current = heading.group(1)
            out[current] = []
            continue
        if line.startswith("## "):
            current = None
        cell = re.match(r"^\| `([a-z0-9_]+)` \| ([a-z ]+) \|", line)
        if current and cell:
            out[current].append((cell.group(1), cell.group(2).strip()))
    return out


def expected(table: Table) -> list[tuple[str, str]]:
    return [(c.name, "free text" if c.free_text else c.type) for c in table.columns]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_column_is_documented_in_order_with_its_type(table: Table) -> None:
    assert documented().get(table.name) == expected(table)


def test_no_table_is_documented_that_is_not_exported() -> None:
    assert set(documented()) == {t.name for t in TABLES} | {"case_summary"}


def test_the_summary_view_is_documented() -> None:
    assert [name for name, _ in documented()["case_summary"]] == list(VIEW_COLUMNS)


def test_the_rules_scripts_rely_on_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for phrase in ("--include-text", "Formula injection", "`=`, `+`, `-`, `@`", "--force-inside",
                   "SQLite and JSONL are not neutralised"):
        assert phrase in text
