"""Options shared by many commands, and turning them into core values."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from dateutil.relativedelta import relativedelta

from ..book.casebook import Casebook, CasebookError, find_root, open_casebook
from ..book.settings import interval_days
from ..files.fsread import ReadRefused, read_regular

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
ForceInsideOpt = Annotated[
    bool,
    typer.Option("--force-inside", help="Allow --out inside the casebook outside an ignored "
                 "folder such as reports/ or exports/ (never over a document or setting; never "
                 "commit it)."),
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


MAX_CASE_ID = 16 + 16
"""The longest id a casebook's pattern allows: a prefix of up to 16 characters and up to 16
random ones (schemas/casebook.schema.json)."""


def case_id_value(value: str | None) -> str | None:
    """A case id argument or option, its length checked before it touches the file system:
    a few thousand characters would otherwise fail deep inside as "File name too long" (exit
    70). What it may hold (no separators, no control characters) is checked where the id is
    used, with the reasons spelled out."""
    if value is not None and len(value) > MAX_CASE_ID:
        raise typer.BadParameter(f"a case id is at most {MAX_CASE_ID} characters; this one "
                                 f"is {len(value)}")
    return value


def case_id_checked(value: str) -> str:
    """A case id argument: its length checked before it touches the file system, then
    matched whatever its letter case (`op-7k3m9q` names `OP-7K3M9Q`)."""
    from ..case.refs import case_id_argument

    return case_id_argument(case_id_value(value) or "")


class UsageError(Exception):
    """A usage problem found after parsing: exit 2 with a one-line message."""


ROOM_YEARS = 100
"""A date option leaves this many years of calendar on either side, so that adding a review
interval or a window to it can never run past year 9999 (an OverflowError, exit 70)."""
EARLIEST = date(date.min.year + ROOM_YEARS, 1, 1)
LATEST = date(date.max.year - ROOM_YEARS, 12, 31)


def parse_date(text: str, option: str = "--as-of") -> date:
    """A date option's value; an empty, impossible or out-of-calendar date is a usage error
    naming the option."""
    try:
        when = date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"not a date like 2026-05-01: {text!r}",
                                 param_hint=option) from None
    if not EARLIEST <= when <= LATEST:
        raise typer.BadParameter(
            f"{text} leaves no room for date arithmetic; give a date between "
            f"{EARLIEST.isoformat()} and {LATEST.isoformat()}", param_hint=option)
    return when


def as_of_date(text: str | None) -> date:
    """--as-of, or today when it is not given; given empty, it is a usage error."""
    return date.today() if text is None else parse_date(text)


def window_days(window: relativedelta, as_of: date, option: str = "--within") -> int:
    """How many days a window spans from `as_of`; past the calendar's end is a usage error."""
    try:
        return interval_days(window, as_of)
    except (OverflowError, ValueError):
        raise typer.BadParameter("the window runs past the end of the calendar (year 9999); "
                                 "give a shorter one", param_hint=option) from None


def _finish_interrupted(root: Path) -> None:
    """Complete or roll back a record of several files that a crash interrupted, before
    anything reads the casebook (transaction.py); say so on stderr."""
    from ..files.transaction import recover
    from .output import err

    for done in recover(root):
        err(f"prelude: {done}")


def load_book(casebook: Path | None, *, settings_for: str | None = None) -> Casebook:
    """Find and open the casebook, or exit 2 with a one-line reason.

    `settings_for` names what a command computes from casebook.yaml and providers.yaml (review
    intervals, provider categories): with errors in either, the defaults it would fall back on
    could list a review as not yet due, so it prints the errors and exits 1 instead.
    """
    try:
        root = find_root(casebook)
    except CasebookError as exc:
        raise UsageError(str(exc)) from None
    _finish_interrupted(root)
    try:
        book = open_casebook(root)
    except CasebookError as exc:
        raise UsageError(str(exc)) from None
    if settings_for is not None and any(p.is_error for p in book.problems):
        from ..checks.validation import settings_problems
        from ..reporters import problem_line
        from .output import err

        for problem in settings_problems(book):
            if problem.is_error:
                err(problem_line(problem))
        err(f"prelude: {settings_for} needs casebook.yaml and providers.yaml free of errors; "
            "fix them first (prelude validate lists them)")
        raise typer.Exit(1)
    return book


def read_given(path: Path, limit: int, noun: str, prefix: str = "") -> bytes:
    """A file named on the command line (an extract, a filled sheet), read bounded and
    without blocking; missing or unreadable, a usage error saying which."""
    try:
        return read_regular(path, limit, name=str(path))
    except FileNotFoundError:
        raise UsageError(f"{prefix}no {noun} at {path}") from None
    except (ReadRefused, OSError) as exc:
        raise UsageError(f"{prefix}cannot read the {noun}: {exc}") from None
