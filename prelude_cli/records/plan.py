"""The diversionary plan: goals, milestones, interventions, mentor and programme reviews.

Items added after the plan is agreed get random ids (`g-`, `m-`, `i-` and a suffix), so two
clones adding a milestone each never mint the same id. The tag lives in `tag.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..book.casebook import Casebook, new_suffix
from .base import (
    Draft,
    RecordError,
    append_item,
    case_relpath,
    drop_empty,
    edit_file,
    find_item,
    iso,
    new_file,
    require_case,
    set_key,
)

KIND = "plan"


def relpath(case_id: str) -> str:
    return case_relpath(case_id, "plan.yaml")


def edit_plan(book: Casebook, case_id: str, edit: Callable[[Any], None]) -> Draft:
    require_case(book, case_id)
    missing = f"case {case_id} has no agreed plan; record one with `prelude plan agree`"
    return Draft(case_id, [edit_file(book, relpath(case_id), edit, missing)])


def _check_domains(book: Casebook, domains: list[str]) -> None:
    form = book.settings.domain_ids
    for d in domains:
        if d not in form:
            raise RecordError(f"unknown needs domain {d!r}; this casebook's domains are: "
                              f"{', '.join(form)}")


def _fresh_id(doc: Any, prefix: str) -> str:
    taken = {str(i.get("id")) for section in ("goals", "milestones", "interventions")
             for i in doc.get(section) or [] if hasattr(i, "get")}
    while True:
        item_id = f"{prefix}-{new_suffix()}"
        if item_id not in taken:
            return item_id


def _check_goal(doc: Any, goal: str | None) -> None:
    if goal is not None:
        find_item(doc.get("goals"), goal, "goal")


def agree(book: Casebook, case_id: str, *, day: date, agreed_by: str, goals: list[str],
          target_end: date | None = None) -> Draft:
    """The plan agreed with the person. Its goals get random ids (`g-` and a suffix), as
    goals added later do; `made` lists them, one a line, in the order given."""
    require_case(book, case_id)
    if not goals:
        raise RecordError("a plan needs at least one goal", usage=True)
    path = relpath(case_id)
    if (book.root / path).exists():
        raise RecordError(f"case {case_id} already has an agreed plan ({path}); add to it "
                          "with `plan goal add`, `plan milestone add`...")
    data = drop_empty({"agreed": iso(day), "agreed_by": agreed_by,
                       "target_end": iso(target_end) if target_end else None})
    ids: list[str] = []
    for _ in goals:
        ids.append(_fresh_id({"goals": [{"id": i} for i in ids]}, "g"))
    data["goals"] = [{"id": i, "text": text} for i, text in zip(ids, goals, strict=True)]
    return Draft(case_id, [new_file(book, path, data)], made="\n".join(ids))


def add_goal(book: Casebook, case_id: str, *, text: str, domains: list[str]) -> Draft:
    _check_domains(book, domains)
    made: list[str] = []

    def edit(doc: Any) -> None:
        made.append(_fresh_id(doc, "g"))
        item = drop_empty({"id": made[0], "text": text, "domains": list(dict.fromkeys(domains))})
        append_item(doc, "goals", item, KIND)

    draft = edit_plan(book, case_id, edit)
    draft.made = made[0]
    return draft


def add_milestone(book: Casebook, case_id: str, *, text: str, due: date,
                  goal: str | None = None) -> Draft:
    made: list[str] = []

    def edit(doc: Any) -> None:
        _check_goal(doc, goal)
        made.append(_fresh_id(doc, "m"))
        item = drop_empty({"id": made[0], "goal": goal, "text": text, "due": iso(due),
                           "status": "pending"})
        append_item(doc, "milestones", item, KIND)

    draft = edit_plan(book, case_id, edit)
    draft.made = made[0]
    return draft


def set_milestone(book: Casebook, case_id: str, milestone: str, *, status: str,
                  day: date) -> Draft:
    def edit(doc: Any) -> None:
        item = find_item(doc.get("milestones"), milestone, "milestone")
        set_key(item, "status", status, KIND, ("milestones", "*"))
        set_key(item, "status_date", iso(day), KIND, ("milestones", "*"))

    return edit_plan(book, case_id, edit)


def add_intervention(book: Casebook, case_id: str, *, provider: str, referred: date,
                     goal: str | None = None, status: str = "referred",
                     notes: str | None = None) -> Draft:
    """A referral to a provider of the casebook's directory that still takes referrals."""
    known = book.providers.get(provider)
    if known is None:
        listed = ", ".join(sorted(book.providers)) or "none: add them to providers.yaml"
        raise RecordError(f"unknown provider {provider!r}; providers.yaml lists: {listed}")
    if known.get("active") is False:
        raise RecordError(f"provider {provider!r} no longer takes referrals (active: false)")
    made: list[str] = []

    def edit(doc: Any) -> None:
        _check_goal(doc, goal)
        made.append(_fresh_id(doc, "i"))
        item = drop_empty({"id": made[0], "provider": provider, "goal": goal,
                           "referred": iso(referred), "status": status,
                           "status_date": iso(referred) if status != "referred" else None,
                           "notes": notes})
        append_item(doc, "interventions", item, KIND)

    draft = edit_plan(book, case_id, edit)
    draft.made = made[0]
    return draft


def set_intervention(book: Casebook, case_id: str, intervention: str, *, status: str,
                     day: date, notes: str | None = None) -> Draft:
    def edit(doc: Any) -> None:
        item = find_item(doc.get("interventions"), intervention, "intervention")
        set_key(item, "status", status, KIND, ("interventions", "*"))
        set_key(item, "status_date", iso(day), KIND, ("interventions", "*"))
        if notes:
            set_key(item, "notes", notes, KIND, ("interventions", "*"))

    return edit_plan(book, case_id, edit)


def mentor(book: Casebook, case_id: str, *, name: str | None, organisation: str | None,
           assigned: date | None, ended: date | None) -> Draft:
    """Assign a mentor (replacing the last one), or record that mentoring ended."""

    def edit(doc: Any) -> None:
        if name:
            data = drop_empty({"name": name, "organisation": organisation,
                               "assigned": iso(assigned) if assigned else None,
                               "ended": iso(ended) if ended else None})
            set_key(doc, "mentor", data, KIND)
            return
        current = doc.get("mentor")
        if current is None:
            raise RecordError(f"case {case_id} has no mentor; assign one with --name",
                              usage=True)
        if organisation:
            set_key(current, "organisation", organisation, KIND, ("mentor",))
        if ended:
            set_key(current, "ended", iso(ended), KIND, ("mentor",))

    if name and not assigned:
        raise RecordError("a mentor needs an assigned date", usage=True)
    if not name and not (ended or organisation):
        raise RecordError("give --name to assign a mentor, or --ended to end mentoring",
                          usage=True)
    return edit_plan(book, case_id, edit)


def programme_review(book: Casebook, case_id: str, *, day: date, reviewer: str,
                     decision: str, notes: str | None = None) -> Draft:
    item = drop_empty({"date": iso(day), "reviewer": reviewer, "decision": decision,
                       "notes": notes})
    return edit_plan(book, case_id, lambda doc: append_item(doc, "reviews", item, KIND))
