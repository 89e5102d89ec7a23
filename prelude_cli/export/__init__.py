"""Exports for analysts: the casebook as tidy tables in CSV, XLSX, SQLite or JSONL.

Cases are read one at a time (or a few chunks at a time by worker processes) and their rows
handed straight to the writer, so memory stays flat however large the casebook. The export is
built under a temporary name and renamed into place only when complete. docs/export.md is the
data dictionary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__
from ..book.casebook import Casebook
from ..book.settings import interval_days
from ..privacy.markings import marking_of
from ..privacy.sharing import AUDIENCES, INTERNAL, PARTNER, Fields
from ..read.selection import CaseFilter, select_cases
from .destination import check_destination
from .errors import ExportError
from .partner import partner_tables
from .rows import Progress, RowJob, iter_case_rows, project, stored_rows
from .store import RowStore
from .tables import CASE_TABLES, INFO, TABLES, Table, tables_for
from .writers import FOLDER_FORMATS, FORMATS, README, Writer, writer_class

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
    case_ids: list[str] = field(default_factory=list)
    """Every case exported (a disclosure record lists them)."""


def export_names(fmt: str) -> frozenset[str]:
    """The files a folder export of `fmt` holds, with or without --include-text."""
    names = {f"{t.name}.{fmt}" for t in TABLES}
    return frozenset(names | {README} if fmt == "csv" else names)


def write_stored(writer: Writer, table: Table, store: RowStore) -> int:
    """A table's rows from the store: copied inside SQLite when the writer can, else read
    back a chunk at a time. The number of rows written."""
    copy = getattr(writer, "copy_stored", None)
    if copy is not None:
        return int(copy(table, store))
    written = 0
    for rows in store.rows(table.name):
        writer.write(table, rows)
        written += len(rows)
    return written


def export_casebook(book: Casebook, out: Path, *, fmt: str, as_of: date,
                    include_text: bool = False, force: bool = False,
                    force_inside: bool = False, jobs: int = 1,
                    progress: Progress | None = None, audience: str = INTERNAL,
                    before_publish: Callable[[ExportResult], None] | None = None,
                    on_failure: Callable[[], None] | None = None,
                    use_cache: bool = True, select: CaseFilter | None = None,
                    strict: bool = False, fields: Fields = None) -> ExportResult:
    """Write the casebook's tables to `out`; on any failure nothing is left behind.

    `jobs` worker processes read the cases of a large casebook (the CLI uses every core);
    library callers get one process unless they ask. A partner export holds only the shared
    columns (export/partner.py), never free text. `before_publish` runs once the export is
    complete and before it is moved into place (the CLI records the disclosure there): if it
    raises, nothing is published; `on_failure` runs if anything fails after it (the CLI
    withdraws the disclosure there). Disk errors are `outputs.OutputError` (one line).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if audience not in AUDIENCES:
        raise ExportError(f"unknown audience {audience!r}")
    if audience == PARTNER and include_text:
        raise ExportError("a partner export never holds free text (--include-text)")
    dest = check_destination(out, fmt=fmt, folder=fmt in FOLDER_FORMATS,
                             casebook_root=book.root, force=force, force_inside=force_inside,
                             export_names=export_names(fmt))
    tables = tables_for(include_text)
    if audience == PARTNER:
        tables = partner_tables(tables, fields)
    by_name = {t.name: t for t in tables}
    within = interval_days(book.settings.due_soon, as_of)
    job = RowJob(book.root, book.settings, book.providers, as_of, within, include_text,
                 tuple(t.name for t in CASE_TABLES if t.name in by_name), audience,
                 tuple(sorted(fields)) if fields is not None else None)
    result = ExportResult(dest.path, fmt, as_of, {t.name: 0 for t in tables})
    select = select or CaseFilter()
    marking = marking_of(book.settings)

    def build(staged: Path) -> None:
        writer: Writer = writer_class(fmt)(staged, tables, include_text)
        writer.marking = marking
        try:
            _fill(writer)
            writer.close()
        except BaseException:
            writer.abort()  # its files closed and temporary data gone before the discard
            raise

    def _fill(writer: Writer) -> None:
        result.case_ids = book.case_ids() if select.empty else select_cases(
            book, as_of, select, strict=strict, use_cache=use_cache, jobs=jobs)
        store = stored_rows(job, result.case_ids, jobs=jobs,
                            progress=progress) if use_cache else None
        if store is None:
            for skipped, case_rows in iter_case_rows(job, result.case_ids, jobs=jobs,
                                                     progress=progress):
                result.skipped_problems += skipped
                for name, rows in case_rows.items():
                    if rows:
                        writer.write(by_name[name], rows)
                        result.counts[name] += len(rows)
        else:
            with store:
                result.skipped_problems = store.skipped()
                for name in job.tables:  # `cases` first: the other tables refer to it
                    result.counts[name] = write_stored(writer, by_name[name], store)
        info = {"export_format": EXPORT_FORMAT, "as_of": as_of.isoformat(),
                "programme": book.settings.programme, "casebook_format": book.settings.format,
                "prelude_version": __version__, "due_within_days": within,
                "include_text": include_text, "audience": audience,
                "filters": "; ".join(select.describe()) or None,
                "protective_marking": marking.text}
        info_table = by_name[INFO.name]
        writer.write(info_table, project([c.name for c in info_table.selected(include_text)],
                                         [info]))
        result.counts[INFO.name] = 1

    dest.write(build, before_publish=(lambda: before_publish(result))
               if before_publish is not None else None, on_failure=on_failure)
    return result
