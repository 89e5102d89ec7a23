"""The browser's recording forms: fields for people, then the command line's own builders.

Each form lists its fields (labels and choices from the schemas, so the two never drift),
reads what was posted into the values a builder takes, and builds the same `Draft` as its
command (`contact add`, `disruption review`, `assess`, `plan milestone set`, `plan review`).
`app` then writes it through `records.commit.write`, under the case's lock, exactly as the
command does. Typing errors are said next to their field; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from ..book.problems import Problem
from ..book.schemas import choices, schema_node
from ..case.model import EXPLAIN_MESSAGES, Case
from ..records import Draft, RecordError
from ..records import disruption as disruption_records
from ..records import plan as plan_records
from ..records.assessment import PART2, AssessmentInput, add_assessment
from ..records.contact import Contact, add_contact

Values = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One input. `kind`: date, text, textarea, select, checkboxes or number."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    group: str = ""  # the fieldset it belongs to (a needs domain)
    low: int = 0
    high: int = 0


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    title: str
    command: str  # the command line's equivalent, named on the page
    fields: tuple[Field, ...]
    build: Callable[[Casebook, str, Values, date], Draft] = field(compare=False)
    start: Values = field(default_factory=dict, compare=False)  # values shown at first


class FieldErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _schema_text(kind: str, *pointer: str) -> tuple[str, str]:
    node = schema_node(kind, pointer)
    return node.get("title", pointer[-1]), node.get("description", "").replace("`", "")


def _choice(kind: str, *pointer: str) -> tuple[tuple[str, str], ...]:
    return tuple((v, v.replace("-", " ")) for v in choices(kind, *pointer))


def _field(kind: str, pointer: tuple[str, ...], name: str, input_kind: str = "text",
           required: bool = False, options: bool = False, label: str = "") -> Field:
    title, hint = _schema_text(kind, *pointer)
    return Field(name, label or title, input_kind, required,
                 _choice(kind, *pointer) if options else (), hint)


DATE_HINT = "YYYY-MM-DD, for example 2026-11-26. Default: today."


def _date_field(name: str = "date", label: str = "Date") -> Field:
    return Field(name, label, "date", False, (), DATE_HINT)


# --- reading what was posted -----------------------------------------------------------------
def read(form: Form, posted: Mapping[str, Any], getlist: Callable[[str], list[str]],
         today: date) -> Values:
    """The posted fields as typed values; FieldErrors names each field that is wrong."""
    values: Values = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        if f.kind == "checkboxes":
            picked = [v for v in getlist(f.name) if v]
            allowed = {c for c, _ in f.choices}
            bad = [v for v in picked if v not in allowed]
            if bad:
                errors[f.name] = f"not one of the choices: {', '.join(bad)}"
            values[f.name] = [v for v in picked if v in allowed]
            continue
        text = str(posted.get(f.name, "")).strip()
        if not text:
            if f.kind == "date" and not f.required:
                values[f.name] = today
            elif f.required:
                errors[f.name] = f"{f.label} is required"
            else:
                values[f.name] = None
            continue
        if f.kind == "date":
            try:
                values[f.name] = date.fromisoformat(text)
            except ValueError:
                errors[f.name] = f"not a date like 2026-11-26: {text!r}"
        elif f.kind == "select":
            if text not in {c for c, _ in f.choices}:
                errors[f.name] = "choose one of the options"
            else:
                values[f.name] = text
        elif f.kind == "number":
            try:
                number = int(text)
            except ValueError:
                errors[f.name] = f"not a whole number: {text!r}"
                continue
            if not f.low <= number <= f.high:
                errors[f.name] = f"must be from {f.low} to {f.high}"
            else:
                values[f.name] = number
        else:
            values[f.name] = text
    if errors:
        raise FieldErrors(errors)
    return values


def field_of(form: Form, problem: Problem) -> str | None:
    """The field a problem of the written document is about, from its pointer (a needs
    domain's fields are named `score__DOMAIN`, `facts__DOMAIN`, `views__DOMAIN`)."""
    names = {f.name for f in form.fields}
    parts = [p for p in problem.pointer if isinstance(p, str)]
    for i in range(len(parts) - 1, -1, -1):
        if i > 0 and f"{parts[i]}__{parts[i - 1]}" in names:
            return f"{parts[i]}__{parts[i - 1]}"
        if parts[i] in names:
            return parts[i]
    return None


# --- the forms -----------------------------------------------------------------------------
def contact_form(book: Casebook, case: Case) -> Form:
    def build(book: Casebook, case_id: str, v: Values, today: date) -> Draft:
        contact = Contact(date=v["date"], by=v["by"], method=v["method"], purpose=v["purpose"],
                          outcome=v["outcome"], role=v["role"], messages=v["messages"],
                          notes=v["notes"])
        try:
            return add_contact(book, case_id, contact)
        except RecordError as exc:
            if "messages" in str(exc):
                raise FieldErrors({"messages": str(exc)}) from None
            raise

    fields = (
        _date_field(),
        _field("contact", ("by",), "by", required=True, label="Who made the contact"),
        _field("contact", ("role",), "role", "select", options=True),
        _field("contact", ("method",), "method", "select", required=True, options=True),
        _field("contact", ("purpose",), "purpose", "select", required=True, options=True),
        _field("contact", ("outcome",), "outcome", "select", required=True, options=True),
        Field("messages", "Messages delivered (engage-and-explain)", "checkboxes",
              choices=tuple((m, m.replace("-", " ")) for m in EXPLAIN_MESSAGES),
              hint="The concern, the consequences, that they are a police priority, the offer."),
        _field("contact", ("notes",), "notes", "textarea", label="Notes (no names)"),
    )
    purpose = "revisit" if case.disruption_open else (
        "engage-and-explain" if not case.engaged_date else "support")
    return Form("contact", "Add a contact", "prelude contact add", fields, build,
                {"purpose": purpose if purpose in choices("contact", "purpose") else ""})


def proportionality_form(book: Casebook, case: Case) -> Form:
    def build(book: Casebook, case_id: str, v: Values, today: date) -> Draft:
        return disruption_records.review(book, case_id, day=v["date"], reviewer=v["reviewer"],
                                         decision=v["decision"], rationale=v["rationale"])

    fields = (
        _date_field(),
        _field("disruption", ("reviews", "*", "reviewer"), "reviewer", required=True,
               label="Reviewer"),
        _field("disruption", ("reviews", "*", "decision"), "decision", "select", required=True,
               options=True),
        _field("disruption", ("reviews", "*", "rationale"), "rationale", "textarea",
               required=True, label="Rationale: why enforcement is, or is no longer, "
               "proportionate"),
    )
    return Form("proportionality-review", "Record a proportionality review",
                "prelude disruption review", fields, build)


def assessment_form(book: Casebook, case: Case) -> Form:
    settings = book.settings
    lo, hi = settings.scale_min, settings.scale_max
    latest = case.latest_assessment.data["scores"] if case.latest_assessment else {}

    def build(book: Casebook, case_id: str, v: Values, today: date) -> Draft:
        scores = {d.id: {"score": v[f"score__{d.id}"], "facts": v[f"facts__{d.id}"],
                         "views": v[f"views__{d.id}"]}
                  for d in settings.domains if v.get(f"score__{d.id}") is not None}
        given = AssessmentInput(v["date"], v["assessor"], {},
                                {k: v[k] for k in PART2 if v.get(k)},
                                {"scores": scores})
        return add_assessment(book, case_id, given, as_of=today)

    fields: list[Field] = [
        _date_field(),
        _field("assessment", ("assessor",), "assessor", required=True, label="Assessor"),
    ]
    first = not latest
    for d in settings.domains:
        group = d.label
        fields += [
            Field(f"score__{d.id}", f"{d.label}: score", "number", required=first,
                  hint=f"{lo} to {hi}, higher is better. {d.description}".strip(),
                  group=group, low=lo, high=hi),
            Field(f"facts__{d.id}", f"{d.label}: facts", "textarea", group=group,
                  hint="What is known, and from whom (no names)."),
            Field(f"views__{d.id}", f"{d.label}: views", "textarea", group=group,
                  hint="Their view and the assessor's, kept apart from the facts."),
        ]
    for key, label, hint in (("aspirations", "Aspirations", "What they want, in their words."),
                             ("enjoys", "What they enjoy", "In their words."),
                             ("strengths", "Strengths", "What they are good at.")):
        fields.append(Field(key, label, "textarea", hint=hint, group="Part 2, in their words"))
    start = {f"score__{k}": v["score"] for k, v in latest.items()}
    return Form("assessment", "Record a needs assessment", "prelude assess", tuple(fields),
                build, start)


def milestone_form(book: Casebook, case: Case) -> Form:
    def build(book: Casebook, case_id: str, v: Values, today: date) -> Draft:
        return plan_records.set_milestone(book, case_id, v["milestone"], status=v["status"],
                                          day=v["date"])

    options = tuple((m["id"], f"{m['id']}: {m['text']} (due {m['due']}, {m['status']})")
                    for m in case.milestones)
    fields = (
        Field("milestone", "Milestone", "select", True, options),
        _field("plan", ("milestones", "*", "status"), "status", "select", required=True,
               options=True, label="Status"),
        _date_field(label="Date of the status"),
    )
    return Form("milestone", "Set a milestone's status", "prelude plan milestone set", fields,
                build)


def programme_review_form(book: Casebook, case: Case) -> Form:
    def build(book: Casebook, case_id: str, v: Values, today: date) -> Draft:
        return plan_records.programme_review(book, case_id, day=v["date"],
                                             reviewer=v["reviewer"], decision=v["decision"],
                                             notes=v["notes"])

    fields = (
        _date_field(),
        _field("plan", ("reviews", "*", "reviewer"), "reviewer", required=True,
               label="Reviewer"),
        _field("plan", ("reviews", "*", "decision"), "decision", "select", required=True,
               options=True),
        _field("plan", ("reviews", "*", "notes"), "notes", "textarea", label="Notes (no names)"),
    )
    return Form("programme-review", "Record a programme review", "prelude plan review", fields,
                build)


FORMS: dict[str, Callable[[Casebook, Case], Form]] = {
    "contact": contact_form,
    "proportionality-review": proportionality_form,
    "assessment": assessment_form,
    "milestone": milestone_form,
    "programme-review": programme_review_form,
}


def available(case: Case) -> list[tuple[str, str]]:
    """The forms that apply to the case now: (form id, title)."""
    out = [("contact", "Add a contact")]
    if case.disruption_open:
        out.append(("proportionality-review", "Record a proportionality review"))
    if case.engaged_date or case.assessments:
        out.append(("assessment", "Record a needs assessment"))
    if case.milestones:
        out.append(("milestone", "Set a milestone's status"))
    if case.plan:
        out.append(("programme-review", "Record a programme review"))
    return out
