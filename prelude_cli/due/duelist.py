"""The due list over a casebook: every case's items within the window, and the fail-safe.

A case whose documents have errors never drops out of the list: each of its items is flagged
`incomplete`, the report counts its problems and names it, and when nothing but a retention
review is left to say of it, a `fix-documents` item due on the as-of date stands in for what
cannot be worked out (docs/due-reviews.md, "When documents are broken").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ..read.cache import CaseSummary
from ..read.selection import CaseFilter
from .reviews import (
    DueFilter,
    DueItem,
    DueReport,
    due_items,
    fix_documents_item,
    lacks_next_action,
)


def case_items(summary: CaseSummary, as_of: date, horizon: str) -> list[DueItem]:
    """One case's items due by `horizon`, with the fail-safe applied."""
    items = summary.due_until(horizon)
    # A broken case must show in the list it is being read for, not only in a later one.
    if summary.incomplete and lacks_next_action(items):
        items.append(fix_documents_item(summary.case_id, summary.officer, summary.stage,
                                        summary.errors, summary.first_broken, as_of))
    return items


def due_list(cases: Iterable[CaseSummary], as_of: date, within_days: int,
             where: DueFilter | None = None, select: CaseFilter | None = None) -> DueReport:
    """The due list of the cases as read (as at `as_of`), within the window, the cases
    `select` keeps and the item filter `where`."""
    where = where or DueFilter()
    select = select or CaseFilter()
    horizon = (as_of + timedelta(days=within_days)).isoformat()
    per_case: list[list[DueItem]] = []
    problems = 0
    incomplete: dict[str, list[str]] = {}
    filtering = not select.empty
    for summary in cases:
        if summary.not_yet:
            continue  # as at the as-of date, the case was not yet identified
        if filtering and not select.keep(summary.filterable()):
            continue
        per_case.append(case_items(summary, as_of, horizon))
        if summary.incomplete and where.keep_case(summary.case_id, summary.officer,
                                                  summary.stage, True):
            problems += summary.errors
            incomplete[summary.case_id] = list(summary.omitted)
    report = due_items(per_case, as_of, within_days, where)
    report.problems = problems
    report.incomplete = incomplete
    return report
