"""`prelude history`: who changed what on a case, when and why."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..case.refs import no_case
from ..records.history import History, case_history
from .casetext import safe
from .options import AsOfOpt, CasebookOpt
from .output import console, err, out
from .recording import CaseArg, fail, open_book

HistoryFormat = StrEnum("HistoryFormat", {"text": "text", "json": "json"})  # type: ignore[misc]


def history_command(
    case_id: CaseArg,
    format: Annotated[HistoryFormat, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="text for people; json for tools.")
    ] = HistoryFormat["text"],  # type: ignore[misc]
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Show a case's audit timeline: every commit that touched its files (author, date,
    message, files, and the fields each changed, old and new), merged with the withdrawals,
    reinstatements, amendments and reassignments its documents record.

    Outside a git repository, says so and shows what the documents record.

    Example: prelude history OP-7FM7H9 --format json
    """
    book, today = open_book(casebook, as_of)
    if case_id not in book.case_ids():
        fail(no_case(book.case_ids(), case_id))
    history = case_history(book, case_id, today)
    if history.note:
        err(f"prelude: note: {history.note}")
    if format.value == "json":
        out(json.dumps(history.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        console().print(render(history))


def render(history: History) -> Any:
    """The history for people: one block per event, fields changed indented under files."""
    parts: list[Any] = [Text(f"{history.case_id}: history", style="bold")]
    if not history.events:
        parts.append(Text("nothing recorded"))
    for e in history.events:
        head = Text.assemble((e.date[:10], "bold"), "  ", (e.kind, "cyan"), "  ",
                             safe(e.by), "  ", safe(e.text))
        if e.commit:
            head.append(f"  {e.commit[:10]}", style="dim")
        elif e.ref:
            head.append_text(safe(f"  {e.ref}", "dim"))
        parts.append(head)
        if e.files:
            grid = Table.grid(padding=(0, 2))
            for f in e.files:
                grid.add_row(Text("    "), safe(f.status), safe(f.path))
                for c in f.fields:
                    grid.add_row(Text(""), Text(""), safe(f"  {c.field}: {_value(c.old)} -> "
                                                          f"{_value(c.new)}"))
            parts.append(grid)
    return Group(*parts)


def _value(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)
