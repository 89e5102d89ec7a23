"""Exports for analysts: the casebook as tidy tables in CSV, XLSX, SQLite or JSONL.

Cases are read one at a time and their rows handed straight to the writer, so memory stays
flat however large the casebook. The export is built under a temporary name and renamed into
place only when complete. docs/export.md is the data dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from ..casebook import Casebook
from ..settings import interval_days
from ..validation import iter_cases
from .destination import check_destination, discard, publish, staging_path
from .errors import ExportError
from .tables import CASE_TABLES, INFO, TABLES, Context, tables_for
from .writers import FOLDER_FORMATS, FORMATS, Writer, writer_class

EXPORT_FORMAT = 1
"""Version of the export's tables and columns; it changes only when a name or meaning does."""

__all__ = ["EXPORT_FORMAT", "FORMATS", "ExportError", "ExportResult", "export_casebook"]


@dataclass(slots=True)
class ExportResult:
    path: Path
    format: str
    as_of: date
    counts: dict[str, int] = field(default_factory=dict)
    skipped_problems: int = 0
    """Problems in documents that left them out of the export (as in `prelude due-reviews`)."""


def export_names(fmt: str) -> frozenset[str]:
    """The files a folder export of `fmt` holds, with or without --include-text."""
    return frozenset(f"{t.name}.{fmt}" for t in TABLES)


def export_casebook(book: Casebook, out: Path, *, fmt: str, as_of: date,
                    include_text: bool = False, force: bool = False,
                    force_inside: bool = False) -> ExportResult:
    """Write the casebook's tables to `out`; on any failure nothing is left behind."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dest = check_destination(out, fmt=fmt, folder=fmt in FOLDER_FORMATS,
                             casebook_root=book.root, force=force, force_inside=force_inside,
                             export_names=export_names(fmt))
    tables = tables_for(include_text)
    within = interval_days(book.settings.due_soon, as_of)
    ctx = Context(book.settings, book.providers, as_of, within)
    result = ExportResult(dest.path, fmt, as_of, {t.name: 0 for t in tables})
    staged = staging_path(dest)
    writer: Writer | None = None
    try:
        writer = writer_class(fmt)(staged, tables, include_text)
        per_case = [t for t in CASE_TABLES if t in tables]
        names = {t.name: [c.name for c in t.selected(include_text)] for t in tables}
        for case_result in iter_cases(book, as_of=as_of, checks=False):
            result.skipped_problems += sum(1 for p in case_result.problems if p.is_error)
            for table in per_case:
                rows = project(names[table.name], table.build(case_result.case, ctx))
                if rows:
                    writer.write(table, rows)
                    result.counts[table.name] += len(rows)
        info = {"export_format": EXPORT_FORMAT, "as_of": as_of.isoformat(),
                "programme": book.settings.programme, "casebook_format": book.settings.format,
                "prelude_version": __version__, "due_within_days": within,
                "include_text": include_text}
        writer.write(INFO, project(names[INFO.name], [info]))
        result.counts[INFO.name] = 1
        writer.close()
        writer = None
        publish(staged, dest)
    except BaseException:
        if writer is not None:
            writer.abort()
        discard(staged)
        raise
    return result


def project(names: list[str], rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows as tuples in the table's column order (free text already left out of `names`)."""
    return [tuple(row.get(n) for n in names) for row in rows]
