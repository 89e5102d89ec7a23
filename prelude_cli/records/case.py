"""Identification: a new case (case.yaml and its first decision), and later decisions.

A case id is random from the casebook's pattern (or given and checked), so two clones that
each open a case never mint the same folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.casebook import Casebook, case_id_problems, new_case_id
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
)


@dataclass(slots=True)
class Decision:
    """One multi-agency decision as a command gives it."""

    date: date
    decision: str
    forum: str
    rationale: str
    attendees: list[str] = field(default_factory=list)
    dashboard_score: float | None = None
    dashboard_rank: int | None = None
    dashboard_date: date | None = None
    partners: list[tuple[str, str | None]] = field(default_factory=list)
    approach_role: str | None = None
    approach_by: date | None = None
    relationship: str | None = None
    recorded_by: str | None = None
    review_by: date | None = None


@dataclass(slots=True)
class NewCase:
    officer: str
    area: str
    concerns: list[str]
    age_band: str
    decision: Decision
    case_id: str | None = None


def decision_data(d: Decision, book: Casebook) -> dict[str, Any]:
    """The decision as a document entry, keys in schema order, unset options left out.

    An include decision needs an approach role; its `by` date defaults to the first-contact
    interval after the decision, the date by which the first approach falls due anyway.
    """
    if d.decision == "include" and not d.approach_role:
        raise RecordError("an include decision needs an approach role: who makes the approach",
                          usage=True)
    sources: dict[str, Any] = {}
    if d.dashboard_score is not None or d.dashboard_rank is not None:
        sources["dashboard"] = drop_empty({
            "score": d.dashboard_score,
            "rank": d.dashboard_rank,
            "date": iso(d.dashboard_date or d.date),
        })
    elif d.dashboard_date is not None:
        raise RecordError("a dashboard date needs a dashboard score or rank", usage=True)
    if d.partners:
        sources["partners"] = [drop_empty({"agency": a, "summary": s}) for a, s in d.partners]
    approach = None
    if d.approach_role:
        by = d.approach_by or d.date + book.settings.interval("first-contact")
        approach = drop_empty({"role": d.approach_role, "relationship": d.relationship,
                               "by": iso(by)})
    elif d.approach_by or d.relationship:
        raise RecordError("an approach date or relationship needs an approach role", usage=True)
    entry = drop_empty({
        "date": iso(d.date),
        "decision": d.decision,
        "forum": d.forum,
        "attendees": list(dict.fromkeys(d.attendees)),
        "rationale": d.rationale,
    })
    if sources:  # no `sources: {}` for a decision that drew on neither
        entry["sources"] = sources
    if approach:
        entry["approach"] = approach
    if d.review_by:
        if d.decision != "defer":
            raise RecordError("--review-by is for a defer decision: when the case comes back "
                              "to the meeting", usage=True)
        if d.review_by <= d.date:
            raise RecordError("--review-by must be after the decision's date", usage=True)
        entry["review_by"] = iso(d.review_by)
    if d.recorded_by:
        entry["recorded_by"] = d.recorded_by
    return entry


def new_case(book: Casebook, spec: NewCase) -> Draft:
    """case.yaml and identification.yaml for a new case folder."""
    existing = set(book.case_ids())
    if spec.case_id is None:
        case_id = new_case_id(book.settings, existing)
    else:
        case_id = spec.case_id
        reasons = case_id_problems(case_id, book.settings, existing)
        if reasons:
            clash = any("exists" in r or "letter case" in r for r in reasons)
            raise RecordError(f"case id {case_id!r}: {'; '.join(reasons)}", usage=not clash)
    case = {
        "id": case_id,
        "officer": spec.officer,
        "area": spec.area,
        "concerns": list(dict.fromkeys(spec.concerns)),
        "age_band": spec.age_band,
    }
    identification = {"decisions": [decision_data(spec.decision, book)]}
    return Draft(case_id, [
        new_file(book, case_relpath(case_id, "case.yaml"), case),
        new_file(book, case_relpath(case_id, "identification.yaml"), identification),
    ], made=case_id)


def decide(book: Casebook, case_id: str, decision: Decision) -> Draft:
    """Append a later decision (after a deferral, or a review of an earlier one)."""
    require_case(book, case_id)
    entry = decision_data(decision, book)
    relpath = case_relpath(case_id, "identification.yaml")

    def edit(doc: Any) -> None:
        append_item(doc, "decisions", entry, "identification")

    return Draft(case_id, [edit_file(book, relpath, edit,
                                     f"{relpath} is missing; the case has no decisions")])
