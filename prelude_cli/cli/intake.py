"""`prelude intake FILE`: a dashboard extract sorted against the casebook."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..book.casebook import Casebook
from ..book.problems import sort_problems
from ..book.textsafe import markdown_cell, spreadsheet, terminal
from ..files.fsread import ReadRefused, read_regular
from ..meetings.intake import (
    CATEGORIES,
    Intake,
    IntakeError,
    intake_settings,
    match_extract,
)
from ..privacy import identities
from ..privacy.markings import markdown as marked_markdown
from ..privacy.markings import marking_of
from ..reporters import problem_line
from .options import AsOfOpt, CasebookOpt, UsageError, as_of_date, load_book
from .output import console, err, out

IntakeFormat = StrEnum("IntakeFormat", {f: f for f in ("table", "json", "csv", "md")})  # type: ignore[misc]
EXTRACT_MAX_BYTES = 50 * 1024 * 1024
COLUMNS = ("row", "key", "category", "case", "rank", "score", "area", "date", "stage",
           "officer", "decided", "forum", "review_by", "eligible", "exited", "route")


def _lines(intake: Intake, reveal: bool) -> list[dict[str, Any]]:
    return [r.as_dict(reveal) for r in intake.rows]


def _columns(reveal: bool) -> tuple[str, ...]:
    return (*COLUMNS[:2], "name", *COLUMNS[2:]) if reveal else COLUMNS


def load_intake(book: Casebook, extract: Path, today: date, *, top: int | None = None,
                option: str = "FILE") -> Intake:
    """The extract read and sorted against the casebook (the identity register already read
    into `book`); no settings or no readable extract is a usage error, an extract that cannot
    be used at all exit 1. Problems of single rows are in the result."""
    settings = intake_settings(book)
    if settings is None:
        raise UsageError("casebook.yaml has no `intake:` settings: say which column holds "
                         "the person key (docs/meeting.md, Dashboard intake)")
    try:
        raw = read_regular(extract, EXTRACT_MAX_BYTES, name=str(extract))
    except FileNotFoundError:
        raise UsageError(f"{option}: no extract at {extract}") from None
    except (ReadRefused, OSError) as exc:
        raise UsageError(f"{option}: cannot read the extract: {exc}") from None
    try:
        return match_extract(book, settings, extract, raw, today, top=top)
    except IntakeError as exc:
        err(f"prelude: {terminal(str(exc))}")
        raise typer.Exit(1) from None


def intake_command(
    extract: Annotated[Path, typer.Argument(metavar="FILE", help="The dashboard extract, "
                                            "CSV or XLSX.", show_default=False)],
    top: Annotated[int | None, typer.Option("--top", min=1, metavar="N", help="Only the N "
                                            "highest-ranked rows.", show_default=False)] = None,
    format: Annotated[IntakeFormat, typer.Option(  # noqa: A002  # type: ignore[valid-type]
        "--format", "-f", help="table (for people), json, csv or md.")
    ] = IntakeFormat.table,  # type: ignore[attr-defined]
    reveal: Annotated[bool, typer.Option("--reveal", help="Show the extract's name column "
                                         "(intake.name) too.")] = False,
    as_of: AsOfOpt = None,
    casebook: CasebookOpt = None,
) -> None:
    """Sort a Serious Violence Dashboard extract against the casebook.

    Each row is matched to a case through the identity register (casebook.yaml's `intake`
    says which column holds the key and what it is) and sorted: new, on the programme,
    deferred, not included (with the date it may be presented again), or exited. Nothing from
    the extract is written anywhere; names only with --reveal. Rows that cannot be read are
    listed as problems with their row number (exit 1).

    Example: prelude intake ../extracts/dashboard-2026-11.csv --top 20
    """
    today = as_of_date(as_of)
    book = load_book(casebook, settings_for="intake")
    identities.read_into(book)
    intake = load_intake(book, extract, today, top=top)
    for p in sort_problems(intake.problems):
        err(problem_line(p))
    fmt = str(format.value)
    rows = _lines(intake, reveal)
    cols = _columns(reveal)
    if fmt == "json":
        out(json.dumps({"protective_marking": marking_of(book.settings).as_dict(),
                        "source": intake.source, "as_of": today.isoformat(),
                        "counts": intake.counts(), "rows": rows,
                        "problems": [p.as_dict() for p in intake.problems]},
                       indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows([spreadsheet("" if r.get(c) is None else str(r.get(c)))
                          for c in cols] for r in rows)
        out(buffer.getvalue().rstrip("\n"))
    elif fmt == "md":
        lines = [f"# Dashboard intake: {markdown_cell(intake.source)}", "",
                 f"As of {today}: " + ", ".join(f"{intake.counts()[c]} {c}"
                                                for c in CATEGORIES), "",
                 "| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
        lines += ["| " + " | ".join(markdown_cell("" if r.get(c) is None else str(r.get(c)))
                                    for c in cols) + " |" for r in rows]
        out(marked_markdown("\n".join(lines), marking_of(book.settings)).rstrip("\n"))
    else:
        from rich.table import Table

        table = Table(title=f"{marking_of(book.settings).text}: dashboard intake as of {today}",
                      caption=marking_of(book.settings).text)
        shown = [c for c in cols if any(r.get(c) is not None for r in rows)] or list(cols[:4])
        for c in shown:
            table.add_column(c)
        for r in rows:
            table.add_row(*(terminal("" if r.get(c) is None else str(r.get(c)))
                            for c in shown))
        console().print(table)
    if intake.problems:
        raise typer.Exit(1)
