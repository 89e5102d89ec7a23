"""Each case's rows, built in this process or spread over worker processes.

Reading and checking the YAML is most of an export's time, and rows are small: for a large
casebook, workers read chunks of cases and send back only their rows, in case order, with a
few chunks in flight at most so that memory stays flat however many cases there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..casebook import Casebook
from ..engine import map_cases
from ..settings import Settings
from ..sharing import INTERNAL, PARTNER, partner_case
from ..validation import load_case
from .partner import partner_tables
from .tables import TABLES, Context
from .withdrawn import withdrawn_rows

Values = tuple[Any, ...]
CaseRows = tuple[int, dict[str, list[Values]]]
"""Errors that left documents out of the case, and its rows per table."""
Progress = Callable[[int, int], None]

_BY_NAME = {INTERNAL: {t.name: t for t in TABLES},
            PARTNER: {t.name: t for t in partner_tables(TABLES)}}


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


def project(names: Sequence[str], rows: Any) -> list[Values]:
    """Rows as tuples in column order (free text already left out of `names`)."""
    return [tuple(row.get(n) for n in names) for row in rows]


def rows_of_case(job: RowJob, case_id: str) -> CaseRows:
    book = Casebook(job.root, job.settings, job.providers)
    result = load_case(book, case_id, as_of=job.as_of, checks=False)
    skipped = sum(1 for p in result.problems if p.is_error)
    ctx = Context(job.settings, job.providers, job.as_of, job.within_days)
    case = partner_case(result.case) if job.audience == PARTNER else result.case
    out: dict[str, list[Values]] = {}
    for name in job.tables:
        table = _BY_NAME[job.audience][name]
        names = [c.name for c in table.selected(job.include_text)]
        out[name] = project(names, table.build(case, ctx))
        if job.audience != PARTNER:  # withdrawn records, kept and marked as such
            out[name] += project(names, withdrawn_rows(table, result.case, ctx))
    return skipped, out


def iter_case_rows(job: RowJob, case_ids: Sequence[str], *, jobs: int = 1,
                   progress: Progress | None = None) -> Iterator[CaseRows]:
    """Each case's rows, in `case_ids` order."""
    return map_cases(rows_of_case, job, case_ids, jobs=jobs, progress=progress)
