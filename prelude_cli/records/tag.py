"""The optional electronic tag (Buddi Tag): consent first, then fitting, reviews and removal.

Consent is recorded before anything else; for under-18s, with who was present (the
`tag-consent` rule makes that an error, so a consent without it is never written).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..book.casebook import Casebook
from .base import Draft, RecordError, append_item, drop_empty, iso, set_key
from .plan import KIND, edit_plan

TAG = ("tag",)


def _tag(doc: Any, case_id: str) -> Any:
    tag = doc.get("tag")
    if tag is None:
        raise RecordError(f"case {case_id} has no tag consent recorded; record it first with "
                          "`prelude plan tag consent`")
    return tag


def consent(book: Casebook, case_id: str, *, day: date, recorded_by: str,
            present: list[str]) -> Draft:
    def edit(doc: Any) -> None:
        if doc.get("tag") is not None:
            raise RecordError(f"case {case_id} already has a tag record")
        data = {"consent": drop_empty({"date": iso(day), "recorded_by": recorded_by,
                                       "present": list(dict.fromkeys(present))})}
        set_key(doc, "tag", data, KIND)

    return edit_plan(book, case_id, edit)


def withdraw(book: Casebook, case_id: str, *, day: date) -> Draft:
    def edit(doc: Any) -> None:
        tag = _tag(doc, case_id)
        set_key(tag["consent"], "withdrawn", iso(day), KIND, (*TAG, "consent"))

    return edit_plan(book, case_id, edit)


def fit(book: Casebook, case_id: str, *, day: date) -> Draft:
    def edit(doc: Any) -> None:
        tag = _tag(doc, case_id)
        if "fitted" in tag:
            raise RecordError(f"the tag of {case_id} was already fitted on {tag['fitted']}")
        set_key(tag, "fitted", iso(day), KIND, TAG)

    return edit_plan(book, case_id, edit)


def review(book: Casebook, case_id: str, *, day: date, reviewer: str, decision: str,
           notes: str | None = None) -> Draft:
    item = drop_empty({"date": iso(day), "reviewer": reviewer, "decision": decision,
                       "notes": notes})

    def edit(doc: Any) -> None:
        append_item(_tag(doc, case_id), "reviews", item, KIND, TAG)

    return edit_plan(book, case_id, edit)


def remove(book: Casebook, case_id: str, *, day: date, reason: str) -> Draft:
    def edit(doc: Any) -> None:
        tag = _tag(doc, case_id)
        if "removed" in tag:
            raise RecordError(f"the tag of {case_id} was already removed on {tag['removed']}")
        set_key(tag, "removed", iso(day), KIND, TAG)
        set_key(tag, "removal_reason", reason, KIND, TAG)

    return edit_plan(book, case_id, edit)
