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
from rich.console import Group, RenderableType
from rich.text import Text

from ..book.casebook import Casebook
from ..book.problems import sort_problems
from ..book.textsafe import markdown_cell, spreadsheet, terminal
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
from .casetext import plain_table, safe
from .options import AsOfOpt, CasebookOpt, UsageError, as_of_date, load_book, read_given
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
    raw = read_given(extract, EXTRACT_MAX_BYTES, "extract", f"{option}: ")
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
        console().print(render_intake(intake, rows, today, marking_of(book.settings).text,
                                      reveal, console().width))
    if intake.problems:
        raise typer.Exit(1)


SECTIONS = {
    "new": ("New on the dashboard", ("case",)),
    "on-programme": ("On the programme", ("stage", "officer")),
    "deferred": ("Deferred", ("decided", "forum", "review_by")),
    "not-included": ("Not included", ("decided", "eligible")),
    "exited": ("Exited", ("exited", "route")),
}
"""Each category's heading and the columns that speak to it (beside row, key, case, rank,
score and area, which every section has)."""
WRAPPING = ("name", "area", "forum", "officer", "stage", "route")
DROPPED = ("area", "score", "name", "forum", "officer")
"""Left out in this order while a section does not fit the terminal; ids, keys, ranks and
dates are never cut short."""


def render_intake(intake: Intake, rows: list[dict[str, Any]], today: date, marking: str,
                  reveal: bool, width: int | None) -> RenderableType:
    """The intake for people: one section per category, each with only its own columns, in
    the tables' one style; the protective marking first and last."""
    parts: list[RenderableType] = [Text(f"{marking}: dashboard intake as of {today}",
                                        style="bold"),
                                   Text(f"{intake.source}: " + ", ".join(
                                       f"{intake.counts()[c]} {c}" for c in CATEGORIES))]
    for category in CATEGORIES:
        mine = [r for r in rows if r.get("category") == category]
        if not mine:
            continue
        heading, own = SECTIONS[category]
        columns = ["row", "key", *(["name"] if reveal else []),
                   *([] if category == "new" else ["case"]), "rank", "score", "area",
                   *(c for c in own if c != "case")]
        cells = [{c: safe(r.get(c)) for c in columns} for r in mine]
        parts += [Text(""), Text(f"{heading} ({len(mine)})", style="bold"),
                  plain_table(cells, columns, drop=DROPPED, wraps=WRAPPING, width=width)]
    parts += [Text(""), Text(marking, style="bold")]
    return Group(*parts)
