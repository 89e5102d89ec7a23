"""`prelude due-reviews`: the analyst's morning list, and a CI gate with --fail-on-overdue."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

import typer

from ..engine import summaries
from ..model import STAGES
from ..reporters import due as due_reporters
from ..reviews import DueFilter, due_items
from ..settings import REVIEW_KINDS, IntervalError, parse_interval
from .options import (
    AsOfOpt,
    CasebookOpt,
    JobsOpt,
    NoCacheOpt,
    UsageError,
    as_of_date,
    case_id_value,
    load_book,
    window_days,
)
from .output import console, err, out, progress

DueFormat = StrEnum("DueFormat", {f: f for f in due_reporters.FORMATS})  # type: ignore[misc]
Kind = StrEnum("Kind", {k: k for k in REVIEW_KINDS})  # type: ignore[misc]
Stage = StrEnum("Stage", {s: s for s in STAGES})  # type: ignore[misc]


def due_reviews_command(
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[str | None, typer.Option(
        "--within", help="Window after the as-of date: 14d, 2w, 1m or '6 weeks'. "
        "Default: the casebook's due_soon setting (14 days).", show_default=False)] = None,
    officer: Annotated[str | None, typer.Option(
        "--officer", help="Only this Officer in the Case (case-insensitive).",
        show_default=False)] = None,
    kind: Annotated[list[Kind] | None, typer.Option(  # type: ignore[valid-type]
        "--kind", help="Only these kinds (repeat the option).", show_default=False)] = None,
    case: Annotated[str | None, typer.Option("--case", help="Only this case id.",
                                             callback=case_id_value,
                                             show_default=False)] = None,
    stage: Annotated[Stage | None, typer.Option(  # type: ignore[valid-type]
        "--stage", help="Only cases at this stage.", show_default=False)] = None,
    overdue_only: Annotated[bool, typer.Option("--overdue-only",
                                               help="Only overdue items.")] = False,
    fail_on_overdue: Annotated[bool, typer.Option(
        "--fail-on-overdue", help="Exit 1 when any item is overdue (for scheduled CI).")] = False,
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
    if case is not None and case not in book.case_ids():  # never "nothing due" for a typo
        raise UsageError(f"no case {case} in the casebook")
    today = as_of_date(as_of)
    try:
        window = parse_interval(within) if within is not None else book.settings.due_soon
    except IntervalError as exc:
        raise typer.BadParameter(str(exc), param_hint="--within") from None
    where = DueFilter(officer=officer, kinds=tuple(k.value for k in kind or ()), case=case,
                      stage=stage.value if stage else None, overdue_only=overdue_only)
    with progress("Reading cases") as bar:
        cases = summaries(book, as_of=today, use_cache=not no_cache, jobs=jobs, progress=bar)
    skipped = sum(1 for s in cases for p in s.problems if p.is_error)
    days = window_days(window, today)
    horizon = (today + timedelta(days=days)).isoformat()
    report = due_items((s.due_until(horizon) for s in cases), today, days, where)
    if skipped:
        err(f"prelude: warning: {skipped} problem(s) in documents left them out of this list; "
            "run `prelude validate`")
    if format.value == "table":
        console().print(due_reporters.render_table(report, limit))
    else:
        out(due_reporters.TEXT_RENDERERS[format.value](report))
    raise typer.Exit(1 if fail_on_overdue and report.overdue else 0)
