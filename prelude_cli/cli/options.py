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


def load_book(casebook: Path | None) -> Casebook:
    """Find and open the casebook, or exit 2 with a one-line reason."""
    try:
        return open_casebook(find_root(casebook))
    except CasebookError as exc:
        raise UsageError(str(exc)) from None
