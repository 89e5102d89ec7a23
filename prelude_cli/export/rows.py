"""Each case's rows, built in this process or spread over worker processes.

Reading and checking the YAML is most of a cold export's time, and rows are small: for a
large casebook, workers read chunks of cases and send back only their rows, in case order,
with a few chunks in flight at most so that memory stays flat however many cases there are.
Rows go through the one read path into the row store (`store.py`), so a warm export reads
only the cases that changed; without the store they are read afresh and handed straight on.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..book.casebook import Casebook
from ..book.settings import Settings
from ..checks.validation import CaseResult
from ..privacy.sharing import INTERNAL, PARTNER, Fields, partner_case
from ..read.cache import global_key
from ..read.engine import ProductJob, each_case, refresh
from .partner import partner_tables
from .store import CaseRows, RowStore, Values
from .tables import TABLES, Context, Table
from .withdrawn import withdrawn_rows

Progress = Callable[[int, int], None]

@cache
def _by_name(audience: str, fields: tuple[str, ...] | None) -> dict[str, Table]:
    tables = TABLES if audience == INTERNAL else partner_tables(
        TABLES, frozenset(fields) if fields is not None else None)
    return {t.name: t for t in tables}


@dataclass(frozen=True, slots=True)
class RowJob:
    """What building rows needs: small and picklable, so a worker can be handed it."""

    root: Path
    settings: Settings
    providers: dict[str, dict[str, Any]]
    as_of: date
    within_days: int
    include_text: bool
    tables: tuple[str, ...]
    audience: str = INTERNAL
    fields: tuple[str, ...] | None = None  # a partner agreement's subset of the allowlist

    @property
    def field_set(self) -> Fields:
        return frozenset(self.fields) if self.fields is not None else None


def project(names: Sequence[str], rows: Any) -> list[Values]:
    """Rows as tuples in column order (free text already left out of `names`)."""
    return [tuple(row.get(n) for n in names) for row in rows]


def case_rows(job: RowJob, result: CaseResult) -> CaseRows:
    """A case's rows per table, from the case as read (as it stood on the as-of date)."""
    skipped = sum(1 for p in result.problems if p.is_error)
    if result.case.not_yet:  # as at the as-of date, not yet identified
        return skipped, {name: [] for name in job.tables}
    ctx = Context(job.settings, job.providers, job.as_of, job.within_days)
    # Rows come from the case as the whole allowlist shares it; an agreement's narrower
    # `fields` take out whole columns (`partner_tables`), so nothing outside them is written.
    case = partner_case(result.case) if job.audience == PARTNER else result.case
    by_name = _by_name(job.audience, job.fields)
    out: dict[str, list[Values]] = {}
    for name in job.tables:
        table = by_name[name]
        names = [c.name for c in table.selected(job.include_text)]
        out[name] = project(names, table.build(case, ctx))
        if job.audience != PARTNER:  # withdrawn records, kept and marked as such
            out[name] += project(names, withdrawn_rows(table, result.case, ctx))
    return skipped, out


def rows_value(job: ProductJob, result: CaseResult) -> CaseRows:
    """A case's rows as the read path makes them (`read.engine`), in a worker or here."""
    within, include_text, tables, audience, fields = job.params
    row_job = RowJob(job.root, job.settings, job.providers, job.as_of, within, include_text,
                     tuple(tables), audience, tuple(fields) if fields is not None else None)
    return case_rows(row_job, result)


def _params(job: RowJob) -> tuple[Any, ...]:
    return (job.within_days, job.include_text, list(job.tables), job.audience,
            list(job.fields) if job.fields is not None else None)


def iter_case_rows(job: RowJob, case_ids: Sequence[str], *, jobs: int = 1,
                   progress: Progress | None = None) -> Iterator[CaseRows]:
    """Each case's rows, in `case_ids` order, read afresh (no cache)."""
    book = Casebook(job.root, job.settings, job.providers)
    return each_case(book, rows_value, as_of=job.as_of, case_ids=list(case_ids),
                     params=_params(job), jobs=jobs, progress=progress)


def stored_rows(job: RowJob, case_ids: Sequence[str], *, jobs: int = 1,
                progress: Progress | None = None) -> RowStore | None:
    """The row store brought up to date for `case_ids` through the one read path, with
    those cases selected in order; None when there is no store to use now (the caller reads
    afresh with `iter_case_rows`). The caller closes it."""
    book = Casebook(job.root, job.settings, job.providers)
    by_name = _by_name(job.audience, job.fields)
    columns = {name: by_name[name].selected(job.include_text) for name in job.tables}
    key = global_key(job.root) + json.dumps(["export-rows", _params(job)], default=str)
    store = RowStore.open(job.root, key, columns)
    if store is None:
        return None
    try:
        refresh(book, rows_value, store, as_of=job.as_of, case_ids=list(case_ids),
                params=_params(job), jobs=jobs, progress=progress)
        store.commit(book.cases_dir)
        store.select(case_ids)
    except sqlite3.Error:  # a full or read-only disk: the export goes on without the store
        store.close()
        return None
    except BaseException:
        store.close()
        raise
    return store
