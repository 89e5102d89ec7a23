"""The disruption plan after a decline: tactics, proportionality reviews, closure.

Revisits made during the plan are contacts with purpose `revisit` (see `contact.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from .base import (
    Draft,
    RecordError,
    append_item,
    case_relpath,
    drop_empty,
    edit_file,
    iso,
    new_file,
    require_case,
    set_key,
)

KIND = "disruption"


@dataclass(frozen=True, slots=True)
class Tactic:
    tactic: str
    agency: str
    lead: str | None = None


def _relpath(case_id: str) -> str:
    return case_relpath(case_id, "disruption.yaml")


def _missing(case_id: str) -> str:
    return f"case {case_id} has no disruption plan; open one with `prelude disruption open`"


def _tactic_data(t: Tactic, start: date, notes: str | None = None) -> dict[str, Any]:
    return drop_empty({"tactic": t.tactic, "agency": t.agency, "lead": t.lead,
                       "from": iso(start), "notes": notes})


def open_plan(book: Casebook, case_id: str, *, opened: date, lead: str, tactics: list[Tactic],
              reason: str | None = None) -> Draft:
    require_case(book, case_id)
    if not tactics:
        raise RecordError("a disruption plan needs at least one tactic", usage=True)
    data = drop_empty({"opened": iso(opened), "lead": lead, "reason": reason})
    data["tactics"] = [_tactic_data(t, opened) for t in tactics]
    relpath = _relpath(case_id)
    if (book.root / relpath).exists():
        raise RecordError(f"case {case_id} already has a disruption plan ({relpath}); "
                          "a case has one plan: amend it with `disruption tactic`")
    return Draft(case_id, [new_file(book, relpath, data)])


def _edit_open(book: Casebook, case_id: str, edit: Any) -> Draft:
    """Update the plan, refusing once it is closed: a closed plan's record stays as it was."""
    require_case(book, case_id)

    def guarded(doc: Any) -> None:
        if "closed" in doc:
            raise RecordError(f"the disruption plan of {case_id} is closed")
        edit(doc)

    return Draft(case_id, [edit_file(book, _relpath(case_id), guarded, _missing(case_id))])


def review(book: Casebook, case_id: str, *, day: date, reviewer: str, decision: str,
           rationale: str) -> Draft:
    """A proportionality review: is continued enforcement still proportionate?"""
    item = {"date": iso(day), "reviewer": reviewer, "decision": decision,
            "rationale": rationale}
    return _edit_open(book, case_id, lambda doc: append_item(doc, "reviews", item, KIND))


def close(book: Casebook, case_id: str, *, day: date, reason: str,
          notes: str | None = None) -> Draft:
    """Close the plan; tactics still running end on the same day."""
    closure = drop_empty({"date": iso(day), "reason": reason, "notes": notes})

    def edit(doc: Any) -> None:
        for tactic in doc.get("tactics") or []:
            if "to" not in tactic:
                set_key(tactic, "to", iso(day), KIND, ("tactics", "*"))
        set_key(doc, "closed", closure, KIND)

    return _edit_open(book, case_id, edit)


def add_tactic(book: Casebook, case_id: str, tactic: Tactic, *, start: date,
               notes: str | None = None) -> Draft:
    item = _tactic_data(tactic, start, notes)
    return _edit_open(book, case_id, lambda doc: append_item(doc, "tactics", item, KIND))


def end_tactic(book: Casebook, case_id: str, tactic: str, agency: str | None, *,
               day: date) -> Draft:
    """End the running tactic of that kind (and agency, when several agencies run it)."""

    def edit(doc: Any) -> None:
        running = [t for t in doc.get("tactics") or [] if "to" not in t
                   and t.get("tactic") == tactic and (agency is None or t.get("agency") == agency)]
        what = f"{tactic}:{agency}" if agency else tactic
        if not running:
            raise RecordError(f"no running tactic {what} in the disruption plan of {case_id}")
        if len(running) > 1:
            raise RecordError(f"{len(running)} running tactics match {what}; "
                              "name the agency too (TACTIC:AGENCY)", usage=True)
        set_key(running[0], "to", iso(day), KIND, ("tactics", "*"))

    return _edit_open(book, case_id, edit)
