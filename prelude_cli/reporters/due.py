"""Due-review writers: JSON, CSV, iCalendar and Markdown as plain text; a rich table for people.

Every format carries the same items in the same order (`DueReport.items`).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from rich.cells import cell_len

from ..book import textsafe
from ..due.reviews import DueItem, DueReport

COLUMNS = ("case", "kind", "due", "status", "days_overdue", "officer", "stage", "detail", "source",
           "incomplete")


def render_json(report: DueReport) -> str:
    """One item per line: readable, diffable, and written by json's C encoder (an indented
    dump of thousands of items goes through its slow pure-Python path)."""
    head = json.dumps({"as_of": report.as_of.isoformat(), "within_days": report.within_days,
                       "problems": report.problems,
                       "incomplete_cases": report.incomplete_cases}, ensure_ascii=False)[:-1]
    items = ",\n".join("    " + json.dumps(i.as_dict(report.as_of), ensure_ascii=False)
                       for i in report.items)
    text = f'{head}, "items": [\n{items}\n  ]}}' if items else f'{head}, "items": []}}'
    return textsafe.json_text(text) + "\n"


def render_csv(report: DueReport) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in report.items:
        row = item.as_dict(report.as_of)
        row["incomplete"] = "true" if item.incomplete else "false"
        writer.writerow([textsafe.spreadsheet(_plain(row[c])) for c in COLUMNS])
    return buf.getvalue()


def _plain(value: object) -> object:
    """Text cells without control characters: a CSV is printed as often as it is opened."""
    return textsafe.terminal(value) if isinstance(value, str) else value


SEQUENCE_EPOCH = date(2000, 1, 1)
"""SEQUENCE counts days from here to the due date: when a review is done and the next falls
due later, the same event (same UID) comes back with a higher SEQUENCE, so a calendar that
imported the earlier file moves the event rather than keeping a stale copy beside it."""


def ics_uid(item: DueItem) -> str:
    """Stable for as long as the item is outstanding: case, kind and (for several items of one
    kind) its ref, never the due date, which moves when a review is done."""
    return "-".join(p for p in (item.case, item.kind, item.ref) if p) + "@prelude"


def render_ics(report: DueReport, made: datetime | None = None) -> str:
    """One all-day event per item, its UID stable per outstanding item (`ics_uid`), SEQUENCE
    from its due date, DTSTAMP when the file was made (`made`, default now)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Operation Prelude//prelude due-reviews//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Prelude due reviews")
    stamp = (made or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    seen: Counter[str] = Counter()
    for item in report.items:
        ev = Event()
        uid = ics_uid(item)
        seen[uid] += 1
        if seen[uid] > 1:  # two items of one kind without refs: keep each event apart
            uid = uid.replace("@prelude", f"-{seen[uid]}@prelude")
        ev.add("uid", textsafe.terminal(uid))
        ev.add("dtstamp", stamp)
        ev.add("sequence", max(0, (item.due - SEQUENCE_EPOCH).days))
        ev.add("dtstart", item.due)
        ev.add("dtend", item.due + timedelta(days=1))
        status = item.status(report.as_of)
        ev.add("summary", textsafe.terminal(f"{item.kind}: {item.case}" + (
            " (overdue)" if status == "overdue" else "") + (
            " (incomplete)" if item.incomplete else "")))
        warning = (f"\n{INCOMPLETE_NOTE}" if item.incomplete else "")
        ev.add("description", textsafe.terminal(
            f"{item.detail}\nOfficer: {item.officer}\nStage: {item.stage}\nSource: {item.source}"
            + warning))
        ev.add("categories", [item.kind])
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")


def render_md(report: DueReport) -> str:
    lines = [
        f"**Due reviews as of {report.as_of}** (window {report.within_days} days): "
        f"{summary_line(report)}",
        "",
        "| Case | Kind | Due | Status | Days overdue | Officer | Stage | Detail |",
        "|---|---|---|---|---:|---|---|---|",
    ]
    for item in report.items:
        row = item.as_dict(report.as_of)
        if item.incomplete:
            row["detail"] = f"{row['detail']} (incomplete: documents have errors)"
        cells = [textsafe.markdown_cell(str(row[c])) for c in
                 ("case", "kind", "due", "status", "days_overdue", "officer", "stage", "detail")]
        lines.append("| " + " | ".join(cells) + " |")
    if not report.items:
        lines.append("| | | | | | | | nothing due |")
    if report.incomplete:
        lines += ["", f"**{incomplete_line(report)}**"]
    return "\n".join(lines) + "\n"


INCOMPLETE_NOTE = ("Incomplete: this case's documents have errors, so items may be missing "
                   "or wrong. Run prelude validate.")


def incomplete_line(report: DueReport) -> str:
    """The warning every human-readable format ends with when a case has broken documents."""
    cases = report.incomplete_cases
    return (f"Incomplete: {report.problems} problem{'s' if report.problems != 1 else ''} in the "
            f"documents of {len(cases)} case{'s' if len(cases) != 1 else ''} "
            f"({', '.join(textsafe.one_line(c) for c in cases)}): their items may be missing or "
            "wrong; run prelude validate.")


def summary_line(report: DueReport) -> str:
    """`3 overdue, 5 due soon (proportionality-review 1 overdue; ...)`."""
    if not report.items:
        return "nothing due"
    status = Counter(i.status(report.as_of) for i in report.items)
    by_kind: dict[str, Counter[str]] = {}
    for i in report.items:
        by_kind.setdefault(i.kind, Counter())[i.status(report.as_of)] += 1
    kinds = "; ".join(
        f"{kind} " + ", ".join(f"{n} {s.replace('-', ' ')}" for s, n in sorted(c.items(),
                                                                               reverse=True))
        for kind, c in by_kind.items()
    )
    return f"{status['overdue']} overdue, {status['due-soon']} due soon ({kinds})"


def _row(item: DueItem, report: DueReport) -> tuple[str, str, str, str, str]:
    status = item.status(report.as_of)
    days = item.days_overdue(report.as_of)
    status_text = f"overdue {days}d" if status == "overdue" else (
        "due today" if days == 0 else f"in {-days}d")
    detail = item.detail + (" (incomplete)" if item.incomplete else "")
    return tuple(textsafe.one_line(v) for v in (  # type: ignore[return-value]
        item.case, item.kind, item.due.isoformat(), status_text, detail))


def _layout(rows: list[tuple[str, str, str, str, str]], width: int | None) -> tuple[bool, bool]:
    """(status under the due date, detail shown) so that no id, kind, date or status is cut
    at `width`: the table's edges and gaps take 3 columns per column."""
    if width is None or not rows:
        return False, True

    def widest(i: int, title: str) -> int:
        return max(cell_len(title), *(cell_len(r[i]) for r in rows))

    def longest_word(i: int) -> int:
        return max(cell_len(w) for r in rows for w in r[i].split() or [""])

    fixed = widest(0, "Case") + widest(1, "Kind")
    side_by_side = fixed + widest(2, "Due") + widest(3, "Status")
    stacked = fixed + max(widest(2, "Due"), widest(3, "Status"))
    detail = max(longest_word(4), cell_len("Detail"))
    for stack, show, total in ((False, True, side_by_side + detail + 3 * 5),
                               (True, True, stacked + detail + 3 * 4),
                               (False, False, side_by_side + 3 * 4),
                               (True, False, stacked + 3 * 3)):
        if total <= width:
            return stack, show
    return True, False


def render_table(report: DueReport, limit: int = 0, width: int | None = None) -> object:
    """A rich renderable: one table per officer, overdue rows highlighted.

    `limit` keeps the most urgent rows only (0: all): a terminal listing of thousands of rows
    is slow to draw and no use to read; the summary still counts everything. On a terminal
    `width` columns wide, ids, kinds, dates and statuses are never cut short: the status goes
    under the due date, then the detail is left out, when they would not fit side by side.
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[object] = []
    officers: dict[str, list] = {}
    shown = report.items[:limit] if limit else report.items
    for item in shown:
        officers.setdefault(item.officer, []).append(item)
    rows = {id(item): _row(item, report) for item in shown}
    stacked, detail = _layout([rows[id(i)] for i in shown], width)
    for officer in sorted(officers, key=str.casefold):
        table = Table(title=Text(textsafe.one_line(officer or "(no officer)"), style="bold"),
                      title_justify="left", expand=False, box=box.SIMPLE_HEAD)
        columns = ["Case", "Kind", *(["Due / status"] if stacked else ["Due", "Status"]),
                   *(["Detail"] if detail else [])]
        for col in columns:
            table.add_column(col, no_wrap=col != "Detail")
        for item in officers[officer]:
            case, kind, due, status_text, detail_text = rows[id(item)]
            style = "bold red" if item.status(report.as_of) == "overdue" else ""
            cells = [case, kind, *([f"{due}\n{status_text}"] if stacked
                                   else [due, status_text]), *([detail_text] if detail else [])]
            table.add_row(*(Text(v, style=style) for v in cells))
        parts.append(table)
    if len(shown) < len(report.items):
        parts.append(Text(f"Showing the {len(shown)} most urgent of {len(report.items)} items; "
                          "--limit 0 shows all, or narrow with --officer, --kind or "
                          "--overdue-only, or use --format csv|md|json.", style="bold"))
    parts.append(Text(f"As of {report.as_of}, window {report.within_days} days: "
                      f"{summary_line(report)}"))
    if report.incomplete:
        parts.append(Text(incomplete_line(report), style="bold red"))
    return Group(*parts)  # type: ignore[arg-type]


TEXT_RENDERERS = {"json": render_json, "csv": render_csv, "ics": render_ics, "md": render_md}
FORMATS = ("table", *TEXT_RENDERERS)
