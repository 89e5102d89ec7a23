"""The casebook as it stood on a date: records dated after it do not exist yet.

`as_at(kind, data, day)` returns a document's data as it was on `day` (an ISO date), or None
when the whole record came later. Entries of lists dated later are left out, and a status or
an end recorded later is undone (a milestone met after the day was still pending on it).
Only reading commands use this (`due-reviews`, `case list|show`, `report`, `export`); for
`validate`, a date after its `--as-of` is an error, because there the as-of date is today.

Data is never changed in place: a document is copied only where something is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import Case

Data = dict[str, Any]


def _later(value: Any, day: str) -> bool:
    return isinstance(value, str) and value > day


def _dated(items: Any, key: str, day: str) -> list[Any]:
    """The entries of a list not dated after the day (an entry without the key is kept)."""
    return [i for i in items if not (isinstance(i, dict) and _later(i.get(key), day))]


def _without(data: Data, *keys: str) -> Data:
    return {k: v for k, v in data.items() if k not in keys}


def _case(data: Data, day: str) -> Data | None:
    out = dict(data)
    if "retention_reviews" in data:
        out["retention_reviews"] = _dated(data["retention_reviews"], "date", day)
    return out


def _identification(data: Data, day: str) -> Data | None:
    decisions = _dated(data.get("decisions", []), "date", day)
    if not decisions:
        return None  # no decision yet: the case did not exist on that day
    return {**data, "decisions": decisions}


def _single_date(data: Data, day: str) -> Data | None:
    """Contacts and assessments: one record, one date."""
    return None if _later(data.get("date"), day) else data


def _disruption(data: Data, day: str) -> Data | None:
    if _later(data.get("opened"), day):
        return None
    out = dict(data)
    tactics = []
    for t in _dated(data.get("tactics", []), "from", day):
        tactics.append(_without(t, "to") if isinstance(t, dict) and _later(t.get("to"), day)
                       else t)
    out["tactics"] = tactics
    if "reviews" in data:
        out["reviews"] = _dated(data["reviews"], "date", day)
    closed = data.get("closed")
    if isinstance(closed, dict) and _later(closed.get("date"), day):
        del out["closed"]
    return out


def _status_undone(entry: Any, day: str, initial: str) -> Any:
    """An entry whose status was set after the day had its initial status on it."""
    if isinstance(entry, dict) and _later(entry.get("status_date"), day):
        return {**_without(entry, "status_date"), "status": initial}
    return entry


def _plan(data: Data, day: str) -> Data | None:
    if _later(data.get("agreed"), day):
        return None
    out = dict(data)
    if "milestones" in data:
        out["milestones"] = [_status_undone(m, day, "pending") for m in data["milestones"]]
    if "interventions" in data:
        out["interventions"] = [_status_undone(i, day, "referred")
                                for i in _dated(data["interventions"], "referred", day)]
    mentor = data.get("mentor")
    if isinstance(mentor, dict):
        if _later(mentor.get("assigned"), day):
            del out["mentor"]
        elif _later(mentor.get("ended"), day):
            out["mentor"] = _without(mentor, "ended")
    tag = data.get("tag")
    if isinstance(tag, dict):
        tag_then = _tag(tag, day)
        if tag_then is None:
            del out["tag"]
        else:
            out["tag"] = tag_then
    if "reviews" in data:
        out["reviews"] = _dated(data["reviews"], "date", day)
    return out


def _tag(tag: Data, day: str) -> Data | None:
    consent = tag.get("consent")
    if isinstance(consent, dict) and _later(consent.get("date"), day):
        return None
    out = dict(tag)
    if isinstance(consent, dict) and _later(consent.get("withdrawn"), day):
        out["consent"] = _without(consent, "withdrawn")
    if _later(tag.get("fitted"), day):
        return _without(out, "fitted", "removed", "removal_reason", "reviews")
    if _later(tag.get("removed"), day):
        out = _without(out, "removed", "removal_reason")
    if "reviews" in tag:
        out["reviews"] = _dated(tag["reviews"], "date", day)
    return out


def _exit(data: Data, day: str) -> Data | None:
    if _later(data.get("date"), day):
        return None
    out = dict(data)
    for part in ("feedback", "evaluation"):
        value = data.get(part)
        if isinstance(value, dict) and _later(value.get("date"), day):
            del out[part]
    return out


AS_AT: dict[str, Callable[[Data, str], Data | None]] = {
    "case": _case,
    "identification": _identification,
    "contact": _single_date,
    "assessment": _single_date,
    "disruption": _disruption,
    "plan": _plan,
    "exit": _exit,
}


def as_at(kind: str, data: Data, day: str) -> Data | None:
    """`data` as it stood on `day`, or None if the record did not exist yet."""
    fn = AS_AT.get(kind)
    return data if fn is None else fn(data, day)


def case_at(case: Case, day: str) -> Case:
    """The case as it stood on `day`: the same object when nothing in it is dated later."""
    if case.latest_recorded <= day:
        return case
    out = Case(case.id, broken=dict(case.broken), errors=case.errors,
               first_error=case.first_error, withdrawn=list(case.withdrawn))
    for kind, record in case.records():
        data = as_at(kind, record.data, day)
        if data is not None:
            out.add(kind, record.path, data)
    out.not_yet = case.identification is not None and out.identification is None
    return out.finish()
