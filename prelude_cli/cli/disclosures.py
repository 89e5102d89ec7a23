"""`prelude disclosures`: the disclosure log, newest first, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Annotated

import typer

from ..book.textsafe import spreadsheet
from ..privacy import disclosures
from .casetext import safe
from .options import CasebookOpt, case_id_value, load_book
from .output import console, err, out

ListFormat = StrEnum("ListFormat", {f: f for f in ("table", "json", "csv")})  # type: ignore[misc]


def disclosures_command(
    case: Annotated[str | None, typer.Option(
        "--case", metavar="CASE", help="Only the disclosures that hold this case.",
        show_default=False, callback=case_id_value)] = None,
    recipient: Annotated[str | None, typer.Option(
        "--recipient", metavar="AGENCY", help="Only the disclosures made for this recipient "
        "(a partner id): what that partner has had.", show_default=False)] = None,
    format: Annotated[ListFormat, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="table for people; json or csv for tools.")
    ] = ListFormat["table"],  # type: ignore[misc]
    casebook: CasebookOpt = None,
) -> None:
    """The disclosure log: partner reports and exports made, to whom, why, when, by whom.

    Every partner output is recorded, and any other with --record-disclosure. The table and
    CSV count each record's cases; JSON gives each record whole, its case list included.

    Example: prelude disclosures --case OP-7FM7H9 --format csv
    """
    book = load_book(casebook)
    items, broken = disclosures.listing(book, case, recipient)
    if broken:
        err(f"prelude: warning: {broken} disclosure record(s) could not be read; run "
            "`prelude validate disclosures`")
    if format.value == "json":
        out(json.dumps([{"id": disclosures.row(i)["id"], **i.data} for i in items], indent=2,
                       ensure_ascii=False))
        return
    rows = [disclosures.row(i) for i in items]
    if format.value == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(disclosures.COLUMNS)
        for r in rows:
            writer.writerow([spreadsheet(r[c]) if isinstance(r[c], str) else r[c]
                             for c in disclosures.COLUMNS])
        out(buf.getvalue())
        return
    if not rows:
        out("no disclosures recorded" + (f" for {case}" if case else "")
            + (f" to {recipient}" if recipient else ""))
        return
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for title in ("Disclosure", "Date", "By", "To", "Purpose", "What", "Audience", "Cases"):
        table.add_column(title, no_wrap=title in ("Disclosure", "Date"))
    for r in rows:
        table.add_row(safe(r["id"]), safe(r["date"]), safe(r["by"]), safe(r["recipient"]),
                      safe(r["purpose"]), safe(f"{r['output']} ({r['format']})"),
                      safe(r["audience"]), safe(r["cases"]))
    console().print(table)
