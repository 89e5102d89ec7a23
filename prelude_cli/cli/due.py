"""`prelude due-reviews`: the analyst's morning list, and a CI gate with --fail-on-overdue."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..book.settings import REVIEW_KINDS, IntervalError, parse_interval
from ..due.duelist import due_list
from ..due.reviews import DueFilter
from ..read.engine import summaries
from ..reporters import due as due_reporters
from .filters import (
    AgeBandsOpt,
    AreasOpt,
    CaseIdsOpt,
    ConcernsOpt,
    OfficersOpt,
    SinceOpt,
    StagesOpt,
    case_filter,
    known_cases,
    warn_officers,
)
from .options import AsOfOpt, CasebookOpt, JobsOpt, NoCacheOpt, as_of_date, load_book, window_days
from .output import console, err, out, progress

DueFormat = StrEnum("DueFormat", {f: f for f in due_reporters.FORMATS})  # type: ignore[misc]
Kind = StrEnum("Kind", {k: k for k in REVIEW_KINDS})  # type: ignore[misc]


def due_reviews_command(
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[str | None, typer.Option(
        "--within", metavar="INTERVAL", help="Window after the as-of date: 14d, 2w, 1m or "
        "'6 weeks'; 0d lists only what is due today or overdue. "
        "Default: the casebook's due_soon setting (14 days).", show_default=False)] = None,
    kind: Annotated[list[Kind] | None, typer.Option(  # type: ignore[valid-type]
        "--kind", help="Only these kinds (repeat the option).", show_default=False)] = None,
    case: CaseIdsOpt = None,
    area: AreasOpt = None,
    officer: OfficersOpt = None,
    stage: StagesOpt = None,
    age_band: AgeBandsOpt = None,
    concern: ConcernsOpt = None,
    since: SinceOpt = None,
    overdue_only: Annotated[bool, typer.Option("--overdue-only",
                                               help="Only overdue items.")] = False,
    fail_on_overdue: Annotated[bool, typer.Option(
        "--fail-on-overdue", help="Exit 1 when any item is overdue, or when documents have "
        "errors, so the list may be incomplete (for scheduled CI).")] = False,
    format: Annotated[DueFormat, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="table for people; json, csv, ics (calendar) or md "
        "(Markdown for meeting papers).")] = DueFormat["table"],  # type: ignore[misc]
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="Table format: show at most this many of the most urgent items "
        "(0: all). The summary counts every item; other formats list every item.")] = 100,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """List the reviews and actions that are overdue or fall due soon.

    Overdue items come first (most overdue first, proportionality reviews ahead of other
    kinds on the same day), then items due within the window.

    Example: prelude due-reviews -C sample_casebook --as-of 2026-11-26 --within 2w
    """
    book = load_book(casebook, settings_for="due-reviews")
    select = case_filter(case, area, officer, stage, age_band, concern, since)
    known_cases(book, select)
    today = as_of_date(as_of)
    try:
        window = (parse_interval(within, allow_zero=True) if within is not None
                  else book.settings.due_soon)
    except IntervalError as exc:
        raise typer.BadParameter(str(exc), param_hint="--within") from None
    where = DueFilter(kinds=tuple(k.value for k in kind or ()), overdue_only=overdue_only)
    with progress("Reading cases") as bar:
        cases = summaries(book, as_of=today, use_cache=not no_cache, jobs=jobs, progress=bar,
                          view=True)
    days = window_days(window, today)
    report = due_list(cases, today, days, where, select)
    for case_id, left_out in report.incomplete.items():
        by_file: dict[str, list[str]] = {}
        for entry in left_out:
            path, _, part = entry.partition(": ")
            by_file.setdefault(path, []).append(part)
        what = "; ".join(f"{path}: {', '.join(parts)}" for path, parts in by_file.items()) \
            if left_out else "nothing, but an item may be wrong"
        err(f"prelude: warning: {case_id} has errors in its documents, its items are flagged "
            f"incomplete (left out: {what}); run `prelude validate`")
    warn_officers(select, (s.officer for s in cases))
    if format.value == "table":
        console().print(due_reporters.render_table(report, limit, console().width))
    else:
        out(due_reporters.TEXT_RENDERERS[format.value](report))
    # A casebook with broken documents cannot be vouched overdue-free.
    raise typer.Exit(1 if fail_on_overdue and (report.overdue or report.problems) else 0)
