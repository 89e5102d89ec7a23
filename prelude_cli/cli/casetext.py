"""`case list` and `case show` for people: rich renderables built only from `Text` objects.

Every value from a document goes through `textsafe.terminal` and into a `Text`, never into a
markup string, so document text can neither inject rich markup nor escape sequences.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..book.textsafe import terminal

_STATUS_STYLE = {"overdue": "bold red", "due-soon": "yellow", "upcoming": ""}


def safe(value: Any, style: str = "") -> Text:
    """Any value as plain, terminal-safe text (newlines folded so a cell stays one line)."""
    text = "" if value is None else str(value)
    return Text(terminal(text.replace("\r\n", " ").replace("\n", " ")), style=style)


COLUMNS = ("Case", "Stage", "Officer", "Area", "Age band", "Last activity", "Next due",
           "Next")
"""The case list's columns; Officer and Area may wrap between words, the others never."""
WRAPS = ("Officer", "Area")
DROP_ORDER = ("Age band", "Area", "Last activity", "Officer")
"""Dropped in this order, one at a time, while the table does not fit the terminal: ids,
stages, dates and kinds are never cut short (`2026-11-…`, `proportionality-…`)."""


def _cells(r: dict[str, Any]) -> dict[str, Text]:
    style = _STATUS_STYLE.get(r["next_status"], "") if r["next_due"] else ""
    return {
        "Case": safe(r["case"] + (" !" if r["incomplete"] else ""),
                     "bold red" if r["incomplete"] else ""),
        "Stage": safe(r["stage"]), "Officer": safe(r["officer"]), "Area": safe(r["area"]),
        "Age band": safe(r["age_band"]), "Last activity": safe(r["last_activity"]),
        "Next due": safe(r["next_due"] or "", style), "Next": safe(r["next_kind"] or "", style),
        "Next due / kind": Text("\n").join([safe(r["next_due"] or "", style),
                                            safe(r["next_kind"] or "", style)]),
    }


def _table(cells: list[dict[str, Text]], columns: list[str],
           wraps: tuple[str, ...] = WRAPS) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", pad_edge=False)
    for title in columns:
        wrap = title in wraps
        table.add_column(title, no_wrap=not wrap, overflow="fold" if wrap else "ellipsis")
    for row in cells:
        table.add_row(*(row[c] for c in columns))
    return table


def fitting_table(cells: list[dict[str, Text]], width: int | None) -> Table:
    """The case table with as many columns as fit `width` uncut (all when `width` is None)."""
    columns = fitting_columns(cells, list(COLUMNS), DROP_ORDER, WRAPS, width)
    if width is not None and least_width(cells, columns, WRAPS) > width:
        columns = [*columns[:-2], "Next due / kind"]  # the due date above its kind
    return _table(cells, columns)


def plain_table(cells: list[dict[str, Text]], columns: list[str], *, drop: tuple[str, ...],
                wraps: tuple[str, ...], width: int | None) -> Table:
    """Any command's table for people, in the one style: the columns in `drop` left out in
    that order while the table does not fit `width`; those in `wraps` may break between
    words; every other value is shown whole, never cut short."""
    return _table(cells, fitting_columns(cells, columns, drop, wraps, width), wraps)


def fitting_columns(cells: list[dict[str, Text]], columns: list[str], drop: tuple[str, ...],
                    wraps: tuple[str, ...], width: int | None) -> list[str]:
    columns = list(columns)
    if width is not None:
        for title in drop:
            if least_width(cells, columns, wraps) <= width:
                break
            if title in columns:
                columns.remove(title)
    return columns


def least_width(cells: list[dict[str, Text]], columns: list[str],
                wraps: tuple[str, ...]) -> int:
    """The narrowest the table can be with nothing cut: whole values, except that a wrapping
    column may break between words; 3 columns of space between columns."""
    def need(title: str) -> int:
        texts = [title, *(line for row in cells for line in row[title].plain.split("\n"))]
        if title in wraps:
            return max(cell_len(word) for text in texts for word in text.split() or [""])
        return max(cell_len(text) for text in texts)

    return sum(need(c) for c in columns) + 3 * (len(columns) - 1)


def render_table(rows: list[dict[str, Any]], limit: int = 0,
                 width: int | None = None) -> RenderableType:
    """The cases as a table for people; `limit` keeps the first rows only (0: all), since a
    terminal table of thousands of rows is slow to draw and no use to read. At `width`
    columns, the least useful columns are left out rather than any value cut short."""
    if not rows:
        return Text("no cases match")
    every = rows
    rows = rows[:limit] if limit else rows
    table = fitting_table([_cells(r) for r in rows], width)
    count = f"{len(every)} case{'s' if len(every) != 1 else ''}"
    if len(rows) < len(every):
        count = (f"{count}; showing the first {len(rows)}: --limit 0 shows all, or narrow with "
                 "--stage, --officer or --area, or use --format csv|json")
    parts: list[RenderableType] = [table, Text(count)]
    broken = [r["case"] for r in every if r["incomplete"]]
    if broken:
        parts.append(Text(terminal(
            f"Incomplete (!): {len(broken)} case{'s' if len(broken) != 1 else ''} with errors "
            f"in their documents ({', '.join(broken)}): what is shown may be missing or wrong; "
            "run prelude validate"), style="bold red"))
    return Group(*parts)


def render_show(view: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text()
    head.append_text(safe(view["case"], "bold"))
    head.append("  stage: ")
    head.append_text(safe(view["stage"], "bold"))
    if view.get("person"):
        head.append("  name: ")
        head.append_text(safe(view["person"]["name"], "bold"))  # type: ignore[index]
    parts.append(head)
    parts.append(Text.assemble("officer: ", safe(view["officer"]), "  area: ",
                               safe(view["area"]), "  age band: ", safe(view["age_band"]),
                               "  concerns: ", safe(", ".join(view["concerns"]))))
    if view["errors"] or view["warnings"]:
        parts.append(Text(f"{view['errors']} error(s), {view['warnings']} warning(s): run "
                          f"prelude validate cases/{terminal(view['case'])}", style="red"))
    parts.append(_section("Timeline"))
    # The reference is what withdraw and amend take: on a line of its own, folded rather
    # than cut at a narrow terminal, so it can always be copied whole.
    events = Table.grid(padding=(0, 2))
    events.add_column(no_wrap=True)
    events.add_column(no_wrap=True)
    events.add_column(overflow="fold")
    for e in view["timeline"]:
        struck = "strike" if e["event"] == "withdrawn" else ""
        cell = safe(e["detail"], struck)
        if e["ref"]:
            cell.append("\n")
            cell.append_text(safe(e["ref"], "dim"))
        events.add_row(safe(e["date"]), safe(e["event"]), cell)
    parts.append(events if view["timeline"] else Text("nothing recorded"))
    if view["scores"]:
        parts.append(_section(f"Needs scores ({view['latest_assessment']}; change since the "
                              "first assessment)"))
        scores = Table.grid(padding=(0, 2))
        for s in view["scores"]:
            change = "" if s["change"] in (None, 0) else f"{s['change']:+d}"
            scores.add_row(safe(s["label"]), safe(s["score"]), safe(change))
        parts.append(scores)
    if view["open_milestones"]:
        parts.append(_section("Open milestones"))
        grid = Table.grid(padding=(0, 2))
        for m in view["open_milestones"]:
            grid.add_row(safe(m["id"]), safe(m["due"]), safe(m["status"]), safe(m["text"]))
        parts.append(grid)
    parts.append(_section(f"Next due (as of {view['as_of']})"))
    due = Table.grid(padding=(0, 2))
    for d in view["due"]:
        due.add_row(safe(d["due"]), safe(d["status"], _STATUS_STYLE.get(d["status"], "")),
                    safe(d["kind"]), safe(d["detail"]))
    parts.append(due if view["due"] else Text("nothing due"))
    return Group(*parts)


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold")
