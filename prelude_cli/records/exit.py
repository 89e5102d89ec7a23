"""Support and exit: the exit with its route and signposting, the person's feedback, and the
team's review and evaluation of their time on the programme."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..book.casebook import Casebook
from .base import (
    Draft,
    RecordError,
    case_relpath,
    drop_empty,
    edit_file,
    iso,
    new_file,
    require_case,
    set_key,
)

KIND = "exit"


def _relpath(case_id: str) -> str:
    return case_relpath(case_id, "exit.yaml")


def record(book: Casebook, case_id: str, *, day: date, route: str,
           exit_plan: str | None = None,
           signposts: list[tuple[str, str | None]] | None = None) -> Draft:
    require_case(book, case_id)
    path = _relpath(case_id)
    if (book.root / path).exists():
        raise RecordError(f"case {case_id} has already exited ({path})")
    data = drop_empty({
        "date": iso(day),
        "route": route,
        "exit_plan": exit_plan,
        "signposting": [drop_empty({"to": to, "for": why}) for to, why in signposts or []],
    })
    return Draft(case_id, [new_file(book, path, data)])


def _add_part(book: Casebook, case_id: str, part: str, data: dict[str, Any]) -> Draft:
    require_case(book, case_id)

    def edit(doc: Any) -> None:
        if part in doc:
            raise RecordError(f"the {part} of {case_id} is already recorded")
        set_key(doc, part, data, KIND)

    missing = f"case {case_id} has not exited; record the exit with `prelude exit record`"
    return Draft(case_id, [edit_file(book, _relpath(case_id), edit, missing)])


def feedback(book: Casebook, case_id: str, *, day: date, text: str | None,
             declined: bool) -> Draft:
    """The person's own words, or that they were asked and declined to give any."""
    if bool(text) == declined:
        raise RecordError("give the feedback text, or record that the person declined "
                          "(one of them)", usage=True)
    data: dict[str, Any] = {"date": iso(day)}
    if declined:
        data["declined"] = True
    else:
        data["text"] = text
    return _add_part(book, case_id, "feedback", data)


def evaluate(book: Casebook, case_id: str, *, day: date, by: str,
             summary: str | None) -> Draft:
    return _add_part(book, case_id, "evaluation",
                     drop_empty({"date": iso(day), "by": by, "summary": summary}))
