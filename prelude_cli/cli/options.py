"""Options shared by many commands, and turning them into core values."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..casebook import Casebook, CasebookError, find_root, open_casebook

CasebookOpt = Annotated[
    Path | None,
    typer.Option("--casebook", "-C", help="The casebook folder. Default: $PRELUDE_CASEBOOK, "
                 "else the nearest folder upward holding casebook.yaml.",
                 show_default=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Treat this date (YYYY-MM-DD) as today.", show_default=False,
                 metavar="DATE"),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Read every file, ignoring and not updating the cache in "
                 ".prelude-cache/."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes for a cold run. Default: the "
                 "number of CPU cores ($PRELUDE_JOBS overrides).", show_default=False),
]
ReadJobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes reading the cases of a large "
                 "casebook. Default: the number of CPU cores ($PRELUDE_JOBS overrides).",
                 show_default=False),
]


def complete_case_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of case ids: finds the casebook as the command itself would."""
    try:
        root = find_root(ctx.params.get("casebook"))
    except (CasebookError, OSError):
        return []
    try:
        names = sorted(e.name for e in (root / "cases").iterdir() if e.is_dir())
    except OSError:
        return []
    return [n for n in names if n.upper().startswith(incomplete.upper())]


class UsageError(Exception):
    """A usage problem found after parsing: exit 2 with a one-line message."""


def parse_date(text: str, option: str = "--as-of") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"not a date like 2026-05-01: {text!r}",
                                 param_hint=option) from None


def as_of_date(text: str | None) -> date:
    return parse_date(text) if text else date.today()


def load_book(casebook: Path | None, *, settings_for: str | None = None) -> Casebook:
    """Find and open the casebook, or exit 2 with a one-line reason.

    `settings_for` names what a command computes from casebook.yaml and providers.yaml (review
    intervals, provider categories): with errors in either, the defaults it would fall back on
    could list a review as not yet due, so it prints the errors and exits 1 instead.
    """
    try:
        book = open_casebook(find_root(casebook))
    except CasebookError as exc:
        raise UsageError(str(exc)) from None
    if settings_for is not None and any(p.is_error for p in book.problems):
        from ..reporters import problem_line
        from ..validation import settings_problems
        from .output import err

        for problem in settings_problems(book):
            if problem.is_error:
                err(problem_line(problem))
        err(f"prelude: {settings_for} needs casebook.yaml and providers.yaml free of errors; "
            "fix them first (prelude validate lists them)")
        raise typer.Exit(1)
    return book
