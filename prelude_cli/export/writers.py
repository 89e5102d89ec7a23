"""Export writers: a registry, so adding a format is adding a class.

A writer is made with the path it owns (a folder or a file that does not exist yet), receives
rows table by table, case after case, and either closes (the output is complete) or aborts.
CSV and JSONL are written here; XLSX and SQLite have a module each.

Spreadsheet formats (CSV, XLSX) neutralise text that a spreadsheet would run as a formula;
JSONL and SQLite are data for programs and keep every value exactly as recorded.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from ..book import textsafe
from ..privacy.markings import Marking, readme
from .rows import Values
from .tables import Column, Table

README = "README.txt"
"""Written in a CSV export's folder: it carries the protective marking CSV files cannot."""


class Writer(Protocol):
    folder: bool
    """True when the output is a folder of files, one per table."""
    marking: Marking
    """The protective marking the output carries; set before the first row is written."""

    def __init__(self, path: Path, tables: Sequence[Table], include_text: bool) -> None: ...

    def write(self, table: Table, rows: list[Values]) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def csv_cell(value: Any) -> Any:
    """Empty for missing, true/false for booleans, text neutralised for spreadsheets."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return textsafe.spreadsheet(value)


class _FolderWriter:
    """One file per table in a new folder; subclasses say how a file starts and how a row
    is written."""

    folder = True
    suffix = ""
    marking = Marking()

    def __init__(self, path: Path, tables: Sequence[Table], include_text: bool) -> None:
        self.path = path
        path.mkdir()
        self.files: dict[str, IO[str]] = {}
        self.columns: dict[str, tuple[Column, ...]] = {}
        try:
            for table in tables:
                self.columns[table.name] = table.selected(include_text)
                self.files[table.name] = self.open(path / f"{table.name}{self.suffix}",
                                                   table.name)
        except BaseException:
            self.abort()
            raise

    def open(self, path: Path, table: str) -> IO[str]:
        raise NotImplementedError

    def close(self) -> None:
        for fh in self.files.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()

    def abort(self) -> None:
        """Close every file without caring what closing says: a full disk makes the flush
        fail, and the folder is removed next whatever happens."""
        for fh in self.files.values():
            with contextlib.suppress(Exception):
                fh.close()
            # A failed flush leaves the buffer and the descriptor: close that directly.
            with contextlib.suppress(Exception):
                os.close(fh.fileno())


class CsvWriter(_FolderWriter):
    """RFC 4180 through the csv module: CRLF, quotes where needed, UTF-8 with a BOM so Excel
    reads accents and symbols right."""

    suffix = ".csv"

    def __init__(self, path: Path, tables: Sequence[Table], include_text: bool) -> None:
        self.writers: dict[str, Any] = {}
        super().__init__(path, tables, include_text)

    def open(self, path: Path, table: str) -> IO[str]:
        fh = open(path, "x", encoding="utf-8-sig", newline="")  # noqa: SIM115 - kept open
        self.writers[table] = csv.writer(fh, lineterminator="\r\n")
        self.writers[table].writerow([c.name for c in self.columns[table]])
        return fh

    def write(self, table: Table, rows: list[Values]) -> None:
        self.writers[table.name].writerows([csv_cell(v) for v in row] for row in rows)

    def close(self) -> None:
        with open(self.path / README, "x", encoding="utf-8", newline="") as fh:
            fh.write(readme(self.marking, "A prelude export: one CSV file per table "
                                          "(export_info.csv says what, when and for whom)."))
            fh.flush()
            os.fsync(fh.fileno())
        super().close()


class JsonlWriter(_FolderWriter):
    """One JSON object per line, keys in column order; UTF-8, no BOM, LF line ends."""

    suffix = ".jsonl"

    def open(self, path: Path, table: str) -> IO[str]:
        return open(path, "x", encoding="utf-8", newline="\n")  # noqa: SIM115 - kept open

    def write(self, table: Table, rows: list[Values]) -> None:
        names = [c.name for c in self.columns[table.name]]
        self.files[table.name].writelines(
            json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
            for row in rows)


def writer_class(fmt: str) -> type[Writer]:
    """The writer for a format; XLSX and SQLite are imported only when used."""
    if fmt == "csv":
        return CsvWriter
    if fmt == "jsonl":
        return JsonlWriter
    if fmt == "xlsx":
        from .xlsx import XlsxWriter

        return XlsxWriter
    if fmt == "sqlite":
        from .sqlite import SqliteWriter

        return SqliteWriter
    raise ValueError(f"unknown export format {fmt!r}")


FORMATS = ("csv", "xlsx", "sqlite", "jsonl")
FOLDER_FORMATS = ("csv", "jsonl")
