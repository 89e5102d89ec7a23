"""Each case's rows, built in this process or spread over worker processes.

Reading and checking the YAML is most of an export's time, and rows are small: for a large
casebook, workers read chunks of cases and send back only their rows, in case order, with a
few chunks in flight at most so that memory stays flat however many cases there are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..book.casebook import Casebook
from ..book.settings import Settings
from ..checks.validation import CaseResult, load_case
from ..privacy.sharing import INTERNAL, PARTNER, Fields, partner_case
from ..read.engine import ProductJob, per_case
from .partner import partner_tables
from .tables import TABLES, Context, Table
from .withdrawn import withdrawn_rows

Values = tuple[Any, ...]
CaseRows = tuple[int, dict[str, list[Values]]]
"""Errors that left documents out of the case, and its rows per table."""
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


def rows_of_case(job: RowJob, case_id: str) -> CaseRows:
    """One case read and turned into rows (without the cache)."""
    book = Casebook(job.root, job.settings, job.providers)
    return case_rows(job, load_case(book, case_id, as_of=job.as_of, view=True))


def rows_product(job: ProductJob, result: CaseResult) -> str:
    """A case's rows as `engine.per_case` caches them: one JSON text per case, so that ten
    thousand cases' rows stay small in memory and in the cache file."""
    within, include_text, tables, audience, fields = job.params
    row_job = RowJob(job.root, job.settings, job.providers, job.as_of, within, include_text,
                     tuple(tables), audience, tuple(fields) if fields is not None else None)
    return json.dumps(case_rows(row_job, result), ensure_ascii=False, separators=(",", ":"))


def iter_case_rows(job: RowJob, case_ids: Sequence[str], *, jobs: int = 1,
                   progress: Progress | None = None, use_cache: bool = True
                   ) -> Iterator[CaseRows]:
    """Each case's rows, in `case_ids` order, through the one read path and its cache."""
    book = Casebook(job.root, job.settings, job.providers)
    made = per_case(book, "export-rows", rows_product, as_of=job.as_of,
                    params=(job.within_days, job.include_text, list(job.tables), job.audience,
                            list(job.fields) if job.fields is not None else None),
                    case_ids=case_ids, jobs=jobs, progress=progress, use_cache=use_cache)
    for text in made:
        skipped, rows = json.loads(text)
        yield skipped, rows
