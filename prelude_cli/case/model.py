"""A typed view of one case: its documents and what follows from them (stage, key dates).

Built only from documents that passed their schema, so every date here parses. Stage and key
dates are derived, never stored: the documents are the single source of truth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .withdrawn import Withdrawn

STAGES = (
    "identified",
    "deferred",
    "not-selected",
    "engage",
    "disruption",
    "problem-solving",
    "support",
    "exited",
)
"""Every stage a case can be in, in programme order (see docs/format.md, Stages)."""

EXPLAIN_PURPOSES = ("engage-and-explain", "revisit")
FUTURE_FIELDS = frozenset({"due", "target_end", "by", "review_by"})
"""Date fields that plan the future rather than record the past."""
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
EXPLAIN_MESSAGES = ("concern", "consequences", "police-priority", "offer")


def offer_made(contact: dict[str, Any]) -> bool:
    """A contact in which the offer was made: an engage-and-explain conversation or revisit
    that reached the person and delivered the offer. A failed attempt does not count."""
    return (contact.get("purpose") in EXPLAIN_PURPOSES
            and contact.get("outcome") != "no-contact"
            and "offer" in (contact.get("messages") or ()))


def to_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(slots=True)
class Record:
    """A document's data with the file it came from."""

    path: str
    data: dict[str, Any]

    @property
    def date(self) -> date:
        return date.fromisoformat(self.data["date"])


@dataclass
class Case:
    """One case's valid documents; derived facts are computed on first use."""

    id: str
    case: Record | None = None
    identification: Record | None = None
    disruption: Record | None = None
    plan: Record | None = None
    exit: Record | None = None
    contacts: list[Record] = field(default_factory=list)
    assessments: list[Record] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)
    """Kinds of document that are there but could not be used at all, each with its first
    path: a rule that would act on a document's absence must not act on these."""

    not_yet: bool = False
    """Seen as at a date before its first decision: the case did not exist yet."""
    errors: int = 0
    """Errors found in the case's documents when it was read (set by `validation.load_case`
    when it checks them): what is said of an incomplete case may be missing or wrong."""
    first_error: str = ""
    """The first file with an error."""

    @property
    def incomplete(self) -> bool:
        return self.errors > 0

    def mark_broken(self, kind: str, path: str) -> None:
        self.broken.setdefault(kind, path)
    withdrawn: list[Withdrawn] = field(default_factory=list)  # left out of everything above

    def add(self, kind: str, path: str, data: dict[str, Any]) -> None:
        record = Record(path, data)
        if kind == "contact":
            self.contacts.append(record)
        elif kind == "assessment":
            self.assessments.append(record)
        else:
            setattr(self, kind, record)

    def records(self) -> Iterator[tuple[str, Record]]:
        """Every document of the case as (kind, record), single documents first."""
        for kind in ("case", "identification", "disruption", "plan", "exit"):
            record = getattr(self, kind)
            if record is not None:
                yield kind, record
        yield from (("contact", r) for r in self.contacts)
        yield from (("assessment", r) for r in self.assessments)

    def finish(self) -> Case:
        """Sort the many-file records by date (then file name, for a stable order)."""
        self.contacts.sort(key=lambda r: (r.data["date"], r.path))
        self.assessments.sort(key=lambda r: (r.data["date"], r.path))
        return self

    # --- the case record ---------------------------------------------------------------
    @property
    def officer(self) -> str:
        return self.case.data.get("officer", "") if self.case else ""

    @property
    def area(self) -> str:
        return self.case.data.get("area", "") if self.case else ""

    @property
    def age_band(self) -> str:
        return self.case.data.get("age_band", "") if self.case else ""

    @property
    def concerns(self) -> list[str]:
        return list(self.case.data.get("concerns", [])) if self.case else []

    # --- identification ------------------------------------------------------------------
    @property
    def decisions(self) -> list[dict[str, Any]]:
        return list(self.identification.data["decisions"]) if self.identification else []

    @property
    def latest_decision(self) -> dict[str, Any] | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def first_decision_date(self) -> date | None:
        return to_date(self.decisions[0]["date"]) if self.decisions else None

    @property
    def include_date(self) -> date | None:
        """The date of the include decision that stands (None if the latest is not include)."""
        latest = self.latest_decision
        return to_date(latest["date"]) if latest and latest["decision"] == "include" else None

    # --- engage and explain ----------------------------------------------------------------
    @cached_property
    def engaged_date(self) -> date | None:
        """The first contact at which the person engaged."""
        for c in self.contacts:
            if c.data["outcome"] == "engaged":
                return c.date
        return None

    @cached_property
    def declined_date(self) -> date | None:
        for c in self.contacts:
            if c.data["outcome"] == "declined":
                return c.date
        return None

    @property
    def first_contact_date(self) -> date | None:
        return self.contacts[0].date if self.contacts else None

    def last_explain_contact(self) -> Record | None:
        """The last contact in which the offer was actually made (a failed attempt, or one
        where the offer was not delivered, does not repeat it)."""
        made = [c for c in self.contacts if offer_made(c.data)]
        return made[-1] if made else None

    def answers_since(self, since: date) -> list[Record]:
        """Contacts on or after `since` in which the person gave an answer (engaged or
        declined): the approach is made once one of these exists."""
        return [c for c in self.contacts
                if c.date >= since and c.data["outcome"] in ("engaged", "declined")]

    def attempts_since(self, since: date) -> list[Record]:
        """Contacts on or after `since`, whatever came of them."""
        return [c for c in self.contacts if c.date >= since]

    # --- disruption ----------------------------------------------------------------------
    @property
    def disruption_opened(self) -> date | None:
        return to_date(self.disruption.data["opened"]) if self.disruption else None

    @property
    def disruption_closed(self) -> date | None:
        if not self.disruption or "closed" not in self.disruption.data:
            return None
        return to_date(self.disruption.data["closed"]["date"])

    @property
    def disruption_open(self) -> bool:
        return self.disruption is not None and "closed" not in self.disruption.data

    @property
    def proportionality_reviews(self) -> list[dict[str, Any]]:
        return list(self.disruption.data.get("reviews", [])) if self.disruption else []

    # --- problem solving -------------------------------------------------------------------
    @property
    def first_assessment(self) -> Record | None:
        return self.assessments[0] if self.assessments else None

    @property
    def latest_assessment(self) -> Record | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def plan_agreed(self) -> date | None:
        return to_date(self.plan.data["agreed"]) if self.plan else None

    @property
    def milestones(self) -> list[dict[str, Any]]:
        return list(self.plan.data.get("milestones", [])) if self.plan else []

    @property
    def tag(self) -> dict[str, Any] | None:
        return self.plan.data.get("tag") if self.plan else None

    @property
    def programme_reviews(self) -> list[dict[str, Any]]:
        return list(self.plan.data.get("reviews", [])) if self.plan else []

    # --- exit ------------------------------------------------------------------------------
    @property
    def exit_date(self) -> date | None:
        return self.exit.date if self.exit else None

    @property
    def retention_reviews(self) -> list[dict[str, Any]]:
        return list(self.case.data.get("retention_reviews", [])) if self.case else []

    # --- derived -----------------------------------------------------------------------
    @cached_property
    def stage(self) -> str:
        return stage_of(self)

    def activity_dates(self) -> list[date]:
        """Every date something was done on the case (not due dates or targets)."""
        out: list[date] = [to_date(d["date"]) for d in self.decisions]  # type: ignore[misc]
        out += [c.date for c in self.contacts] + [a.date for a in self.assessments]
        if self.disruption:
            out.append(self.disruption_opened)  # type: ignore[arg-type]
            out += [to_date(r["date"]) for r in self.proportionality_reviews]  # type: ignore[misc]
            if self.disruption_closed:
                out.append(self.disruption_closed)
        if self.plan:
            out.append(self.plan_agreed)  # type: ignore[arg-type]
            out += [to_date(r["date"]) for r in self.programme_reviews]  # type: ignore[misc]
        if self.exit:
            out.append(self.exit.date)
            for part in ("feedback", "evaluation"):
                if part in self.exit.data:
                    out.append(to_date(self.exit.data[part]["date"]))  # type: ignore[arg-type]
        return out

    def _records(self) -> list[Record]:
        return [r for r in (self.case, self.identification, self.disruption, self.plan,
                            self.exit, *self.contacts, *self.assessments) if r is not None]

    @cached_property
    def latest_recorded(self) -> str:
        """The latest date that records something done ('' if none): the as-of date before
        which no future-date problem can arise. A quick walk, without pointers."""
        latest = ""
        for record in self._records():
            latest = _latest_in(record.data, latest)
        return latest

    def recorded_dates(self) -> list[tuple[Record, tuple[str | int, ...], str]]:
        """Every date that records something done (not a due date or target), with where it
        is; only walked when the latest of them is after the as-of date."""
        out: list[tuple[Record, tuple[str | int, ...], str]] = []
        for record in self._records():
            stack: list[tuple[tuple[str | int, ...], Any]] = [((), record.data)]
            while stack:
                pointer, node = stack.pop()
                if isinstance(node, dict):
                    stack.extend(((*pointer, k), v) for k, v in node.items())
                elif isinstance(node, list):
                    stack.extend(((*pointer, i), v) for i, v in enumerate(node))
                elif (type(node) is str and len(node) == 10 and _DATE.match(node)
                      and pointer and pointer[-1] not in FUTURE_FIELDS):
                    out.append((record, pointer, node))
        return out

    @property
    def last_activity(self) -> date | None:
        dates = self.activity_dates()
        return max(dates) if dates else None


def _latest_in(node: dict[str, Any], latest: str) -> str:
    """The latest of `latest` and the dates recorded in a mapping's values, nested mappings
    and lists of mappings (runs over every value of a cold run, so: type checks, no regex
    unless a value could be a later date)."""
    for key, value in node.items():
        kind = type(value)
        if kind is str:
            if len(value) == 10 and value > latest and key not in FUTURE_FIELDS \
                    and _DATE.match(value):
                latest = value
        elif kind is dict:
            latest = _latest_in(value, latest)
        elif kind is list:
            latest = _latest_in_list(value, latest)
    return latest


def _latest_in_list(items: list[Any], latest: str) -> str:
    for item in items:
        kind = type(item)
        if kind is dict:
            latest = _latest_in(item, latest)
        elif kind is list:
            latest = _latest_in_list(item, latest)
    return latest


def stage_of(case: Case) -> str:
    """The stage follows from the documents, most advanced first.

    exited: exit.yaml exists. not-selected / deferred: the latest identification decision says
    so. support: engaged and a plan is agreed. problem-solving: engaged, no plan yet.
    disruption: declined and a disruption plan is open. engage: approached (any contact) but
    not engaged. identified: included, no contact yet.
    """
    if case.exit:
        return "exited"
    latest = case.latest_decision
    if latest and latest["decision"] == "not-include":
        return "not-selected"
    if latest and latest["decision"] == "defer":
        return "deferred"
    if case.engaged_date:
        return "support" if case.plan else "problem-solving"
    if case.disruption_open:
        return "disruption"
    if case.contacts:
        return "engage"
    return "identified"
