"""Short phrases both the Markdown and the HTML report use, so the two read the same.

They join values into words; they never escape. Each renderer escapes the result for its own
format (Jinja's autoescape, or textsafe for Markdown).
"""

from __future__ import annotations

from typing import Any

ACRONYMS = {"yos": "YOS", "dvla": "DVLA", "dwp": "DWP"}


def label(value: object) -> str:
    """An enum value as words: `engage-and-explain` -> `engage and explain`."""
    if value is None:
        return ""
    words = str(value).replace("_", "-").split("-")
    return " ".join(ACRONYMS.get(w, w) for w in words)


def blank(value: object) -> str:
    """None shows as nothing, booleans as yes/no, numbers without a needless `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def number(value: int | float | None, decimals: int | None = None) -> str:
    """A figure's number; a dash when there was nothing to count."""
    if value is None:
        return "\u2013"
    return f"{value:.{decimals}f}" if decimals is not None else blank(value)


def signed(value: int | float | None, decimals: int | None = None) -> str:
    """A change, with its sign: +3, -1, 0 (or +3.00 with decimals)."""
    if value is None:
        return "\u2013"
    if decimals is not None:
        return f"{value:+.{decimals}f}"
    return "0" if value == 0 else f"{value:+g}"


def cell(value: object, column: Any) -> str:
    """A programme figure's table cell, as its column says."""
    if not column.numeric:
        return label(value) if column.key in ("stage", "category", "route") else blank(value)
    if column.signed:
        return signed(value, column.decimals)  # type: ignore[arg-type]
    return number(value, column.decimals)  # type: ignore[arg-type]


def words(values: list[str]) -> str:
    return ", ".join(label(v) for v in values)


def dashboard(d: dict[str, Any] | None) -> str:
    if not d:
        return ""
    parts = [f"score {blank(d['score'])}" if d["score"] is not None else "",
             f"rank {d['rank']}" if d["rank"] is not None else "", f"as of {d['date']}"]
    return ", ".join(p for p in parts if p)


def approach(a: dict[str, Any] | None) -> str:
    return f"{label(a['role'])}, by {a['by']}" if a else ""


def due_status(item: dict[str, Any]) -> str:
    days = item["days_overdue"]
    if days > 0:
        return f"overdue {days} day{'s' if days != 1 else ''}"
    if days == 0:
        return "due today"
    return f"in {-days} day{'s' if days != -1 else ''}"


def closure(p: dict[str, Any]) -> str:
    return "open" if p["open"] else f"closed {p['closed']['date']}: {label(p['closed']['reason'])}"


def mentor(m: dict[str, Any] | None) -> str:
    if not m:
        return "none recorded"
    return m["name"] + (f", {m['organisation']}" if m["organisation"] else "")


def removal(t: dict[str, Any]) -> str:
    if not t["removed"]:
        return ""
    return t["removed"] + (f" ({label(t['removal_reason'])})" if t["removal_reason"] else "")


def milestones(n: dict[str, int]) -> str:
    return (f"{n['met']} met, {n['missed']} missed, {n['overdue']} overdue, "
            f"{n['due-soon']} due soon, {n['pending']} later, {n['dropped']} dropped")


def figure_value(value: int | float | None, unit: str) -> str:
    if value is None:
        return "no cases to count"
    return f"{number(value)}%" if unit == "%" else f"{number(value)} {unit}".strip()


def counts(c: dict[str, int]) -> str:
    return ", ".join(f"{label(k)} {v}" for k, v in c.items())
