"""Exports for analysts: the casebook as tidy tables in CSV, XLSX, SQLite or JSONL.

Cases are read one at a time (or a few chunks at a time by worker processes) and their rows
handed straight to the writer, so memory stays flat however large the casebook. The export is
built under a temporary name and renamed into place only when complete. docs/export.md is the
data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__
from ..casebook import Casebook
from ..settings import interval_days
from .destination import check_destination, discard, publish, staging_path
from .errors import ExportError
from .rows import Progress, RowJob, iter_case_rows, project
from .tables import CASE_TABLES, INFO, TABLES, tables_for
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
                    force_inside: bool = False, jobs: int = 1,
                    progress: Progress | None = None) -> ExportResult:
    """Write the casebook's tables to `out`; on any failure nothing is left behind.

    `jobs` worker processes read the cases of a large casebook (the CLI uses every core);
    library callers get one process unless they ask.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dest = check_destination(out, fmt=fmt, folder=fmt in FOLDER_FORMATS,
                             casebook_root=book.root, force=force, force_inside=force_inside,
                             export_names=export_names(fmt))
    tables = tables_for(include_text)
    by_name = {t.name: t for t in tables}
    within = interval_days(book.settings.due_soon, as_of)
    job = RowJob(book.root, book.settings, book.providers, as_of, within, include_text,
                 tuple(t.name for t in CASE_TABLES if t in tables))
    result = ExportResult(dest.path, fmt, as_of, {t.name: 0 for t in tables})
    staged = staging_path(dest)
    writer: Writer | None = None
    try:
        writer = writer_class(fmt)(staged, tables, include_text)
        for skipped, case_rows in iter_case_rows(job, book.case_ids(), jobs=jobs,
                                                 progress=progress):
            result.skipped_problems += skipped
            for name, rows in case_rows.items():
                if rows:
                    writer.write(by_name[name], rows)
                    result.counts[name] += len(rows)
        info = {"export_format": EXPORT_FORMAT, "as_of": as_of.isoformat(),
                "programme": book.settings.programme, "casebook_format": book.settings.format,
                "prelude_version": __version__, "due_within_days": within,
                "include_text": include_text}
        writer.write(INFO, project([c.name for c in INFO.selected(include_text)], [info]))
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
