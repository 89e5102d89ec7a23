"""SQLite: typed tables with primary keys, foreign keys to `cases.id`, indexes on case and date
columns, and a `case_summary` view.

Dates are ISO `TEXT` (SQLite's own convention: `julianday()` and `date()` read them), booleans
0/1. Values are kept exactly as recorded: no spreadsheet neutralising, since this is data for
programs. The whole load is one transaction with no journal: the file is a fresh temporary one
that is renamed into place only once complete, so durability during the load buys nothing.
Rows kept in the row store (`store.py`) are copied table to table inside SQLite.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..privacy.markings import Marking
from .errors import ExportError
from .tables import Column, Table

if TYPE_CHECKING:
    from .store import RowStore

SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT",
             "boolean": "INTEGER"}

CASE_SUMMARY = """
CREATE VIEW case_summary AS
SELECT
  c.id AS case_id,
  c.area,
  c.officer,
  c.stage,
  (SELECT count(*) FROM contacts x WHERE x.case_id = c.id
     AND x.withdrawn IS NULL) AS contacts,
  (SELECT count(DISTINCT a.assessment_seq) FROM assessments a WHERE a.case_id = c.id
     AND a.withdrawn IS NULL)
    AS assessments,
  (SELECT count(*) FROM milestones m WHERE m.case_id = c.id AND m.status = 'met'
     AND m.withdrawn IS NULL)
    AS milestones_met,
  (SELECT count(*) FROM milestones m WHERE m.case_id = c.id AND m.status = 'missed'
     AND m.withdrawn IS NULL)
    AS milestones_missed,
  (SELECT count(*) FROM interventions i WHERE i.case_id = c.id
     AND i.withdrawn IS NULL) AS interventions,
  (SELECT sum(a.score) FROM assessments a WHERE a.case_id = c.id AND a.is_first = 1)
    AS first_total_score,
  (SELECT sum(a.score) FROM assessments a WHERE a.case_id = c.id AND a.is_latest = 1)
    AS latest_total_score
FROM cases c
"""

VIEW_COLUMNS = ("case_id", "area", "officer", "stage", "contacts", "assessments",
                "milestones_met", "milestones_missed", "interventions", "first_total_score",
                "latest_total_score")
"""The columns of `case_summary`, in order (docs/export.md documents them)."""


def q(name: str) -> str:
    """Quote an identifier (column names such as `by` and `date` stay safe in any position)."""
    return '"' + name.replace('"', '""') + '"'


def select_into(db: sqlite3.Connection, case_ids: Sequence[str]) -> None:
    """`temp.sel` of `db`: the cases to export, numbered in export order (the row store and
    a SQLite export each select them on their own connection)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS sel (ord INTEGER PRIMARY KEY, id TEXT NOT NULL)")
    db.execute("DELETE FROM temp.sel")
    db.executemany("INSERT INTO temp.sel (id) VALUES (?)", ((c,) for c in case_ids))


def create_table(table: Table, columns: Sequence[Column]) -> str:
    lines = []
    for col in columns:
        not_null = " NOT NULL" if col.name in table.key or col.name == "case_id" else ""
        lines.append(f"  {q(col.name)} {SQL_TYPES[col.type]}{not_null}")
    if table.key:
        lines.append(f"  PRIMARY KEY ({', '.join(q(k) for k in table.key)})")
    if any(c.name == "case_id" for c in columns):
        lines.append(f"  FOREIGN KEY ({q('case_id')}) REFERENCES {q('cases')} ({q('id')})")
    return f"CREATE TABLE {q(table.name)} (\n" + ",\n".join(lines) + "\n)"


def create_indexes(table: Table, columns: Sequence[Column]) -> list[str]:
    """An index on `case_id` and on every date column of the tables about cases (a key's first
    column has one already)."""
    if not any(c.name in ("id", "case_id") for c in columns):
        return []
    wanted = [c.name for c in columns if c.name == "case_id" or c.type == "date"]
    return [f"CREATE INDEX {q(f'ix_{table.name}_{name}')} ON {q(table.name)} ({q(name)})"
            for name in wanted if not (table.key and table.key[0] == name)]


_DISK_ERRORS = (("full", errno.ENOSPC), ("readonly", errno.EROFS), ("read-only", errno.EROFS),
                ("i/o", errno.EIO))


def _disk_error(exc: sqlite3.Error) -> BaseException:
    """SQLite's word for a disk failure as the OSError it is, so the export reports it in
    one line like any other format; anything else stays what it was."""
    text = str(exc).lower()
    for word, code in _DISK_ERRORS:
        if word in text:
            return OSError(code, os.strerror(code))
    return exc


class SqliteWriter:
    """Every SQLite failure of the disk comes out as an OSError (see `_disk_error`)."""

    folder = False
    marking = Marking()
    """Carried by export_info.protective_marking, as in every format."""

    def __init__(self, path: Path, tables: Sequence[Table], include_text: bool) -> None:
        try:
            self._open(path, tables, include_text)
        except sqlite3.Error as exc:
            self.abort()
            raise _disk_error(exc) from None

    def write(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        try:
            self.db.executemany(self.inserts[table.name], rows)
        except sqlite3.Error as exc:
            raise _disk_error(exc) from None

    def copy_stored(self, table: Table, store: RowStore) -> int:
        """A table's rows copied from the row store inside SQLite, in export order: no row
        passes through Python. The number of rows copied."""
        try:
            if not self.attached:
                self.db.execute("ATTACH DATABASE ? AS rowstore", (store.uri,))
                select_into(self.db, store.case_ids)
                self.attached = True
            cols = ", ".join(q(c.name) for c in self.columns[table.name])
            return self.db.execute(f"INSERT INTO main.{q(table.name)} ({cols}) "
                                   + store.rows_sql(table.name, schema_name="rowstore")
                                   ).rowcount
        except sqlite3.Error as exc:
            raise _disk_error(exc) from None

    def close(self) -> None:
        try:
            self._close()
        except sqlite3.Error as exc:
            raise _disk_error(exc) from None

    def _open(self, path: Path, tables: Sequence[Table], include_text: bool) -> None:
        with open(path, "xb"):  # the disk's own reason (read-only, full...) if it refuses
            pass
        self.db = sqlite3.connect(path, isolation_level=None)
        self.tables = list(tables)
        self.columns = {t.name: t.selected(include_text) for t in tables}
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("BEGIN")
        self.inserts: dict[str, str] = {}
        self.attached = False
        for table in tables:
            cols = self.columns[table.name]
            self.db.execute(create_table(table, cols))
            self.inserts[table.name] = (
                f"INSERT INTO {q(table.name)} ({', '.join(q(c.name) for c in cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})")

    def _close(self) -> None:
        for table in self.tables:
            for sql in create_indexes(table, self.columns[table.name]):
                self.db.execute(sql)
        if self._has_view_columns():
            self.db.execute(CASE_SUMMARY)
        broken = self.db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ExportError(f"{len(broken)} row(s) refer to a case not exported")
        self.db.execute("COMMIT")
        self.db.close()

    def _has_view_columns(self) -> bool:
        """The summary view needs the tables and columns it reads (a partner export has not
        all of them, and goes without the view)."""
        cols = {t: {c.name for c in cs} for t, cs in self.columns.items()}
        wanted = {"cases": {"id", "area", "officer", "stage"}, "contacts": {"case_id"},
                  "assessments": {"case_id", "assessment_seq", "score", "is_first",
                                  "is_latest"},
                  "milestones": {"case_id", "status"}, "interventions": {"case_id"}}
        return all(need <= cols.get(t, set()) for t, need in wanted.items())

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()
