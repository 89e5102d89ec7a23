"""What one case contributes to the programme figures, and the arithmetic they share.

A programme report reads thousands of cases; each is reduced here to a small `CaseFacts` (a
few dates, counts and labels) as it is read, so memory stays flat and every figure is a plain
sum, median or percentage over those facts. The definitions the figures print (programme.py)
are written against these fields, so an analyst can reproduce each from the export.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from dateutil.relativedelta import relativedelta

from ..book.settings import Settings
from ..case.model import Case, to_date

UNKNOWN_CATEGORY = "unknown"
"""Category of an intervention whose provider is not in providers.yaml."""


@dataclass(frozen=True, slots=True)
class Period:
    """Which cases a programme report covers: those whose FIRST identification decision falls
    within [start, end], both inclusive and both optional. With neither bound every case is in;
    with a bound, a case with no (valid) decision is out."""

    start: date | None = None
    end: date | None = None

    def describe(self) -> str:
        """The period in words, for a report's heading: which first decisions it covers."""
        if self.start and self.end:
            return f"cases first decided {self.start} to {self.end}"
        if self.start:
            return f"cases first decided on or after {self.start}"
        if self.end:
            return f"cases first decided on or before {self.end}"
        return "every case, whenever first decided"

    def definition(self) -> str:
        """What being in the period means, with this period's own dates."""
        rule = "A case is in the period when its first identification decision is dated "
        if self.start and self.end:
            return (rule + f"from {self.start} to {self.end}, both days included; a case with "
                    "no identification decision is not.")
        if self.start:
            return (rule + f"{self.start} or later; a case with no identification decision "
                    "is not.")
        if self.end:
            return (rule + f"{self.end} or earlier; a case with no identification decision "
                    "is not.")
        return ("No first or last day was set, so every case is in the period, whenever its "
                "first identification decision was taken, and so is a case with no decision "
                "yet.")

    def contains(self, first_decision: date | None) -> bool:
        if first_decision is None:
            return self.start is None and self.end is None
        return ((self.start is None or first_decision >= self.start)
                and (self.end is None or first_decision <= self.end))


@dataclass(frozen=True, slots=True)
class Timeliness:
    """Reviews that fell due, and how many of them were done by their due date."""

    due: int = 0
    on_time: int = 0

    def __add__(self, other: Timeliness) -> Timeliness:
        return Timeliness(self.due + other.due, self.on_time + other.on_time)


def timeliness(start: date, done: list[date], interval: relativedelta, end: date) -> Timeliness:
    """Each review is due `interval` after the previous one (the first after `start`); a done
    review is on time when dated on or before its due date. The next review, not yet done,
    counts as due and late when its due date is before `end` (the as-of date, or the date the
    plan closed or the person exited)."""
    due = on_time = 0
    base = start
    for when in sorted(done):
        due += 1
        on_time += when <= base + interval
        base = when
    if base + interval < end:
        due += 1
    return Timeliness(due, on_time)


@dataclass(slots=True)
class CaseFacts:
    """One case reduced to what the programme figures count."""

    case: str
    stage: str
    first_decision: date | None
    first_include: date | None = None
    first_contact: date | None = None
    engaged: date | None = None
    declined: bool = False
    disruption: bool = False
    engaged_after_disruption: bool = False
    proportionality: Timeliness | None = None  # None: no disruption plan
    needs_reviews: Timeliness | None = None  # None: no assessment
    distance: dict[str, tuple[int, int]] = field(default_factory=dict)  # domain: (first, latest)
    milestones: list[tuple[str, date]] = field(default_factory=list)  # (status, due)
    interventions: list[tuple[str, str]] = field(default_factory=list)  # (category, status)
    exit_route: str | None = None
    feedback: str | None = None  # given / declined / not-recorded, for exited cases
    evaluated: bool = False

    def to_json(self) -> dict[str, Any]:
        """A plain JSON value, for the cache of the one read path (`engine.per_case`)."""
        def day(d: date | None) -> str | None:
            return d.isoformat() if d else None

        def tl(t: Timeliness | None) -> list[int] | None:
            return None if t is None else [t.due, t.on_time]

        return {"case": self.case, "stage": self.stage, "first_decision": day(self.first_decision),
                "first_include": day(self.first_include),
                "first_contact": day(self.first_contact), "engaged": day(self.engaged),
                "declined": self.declined, "disruption": self.disruption,
                "engaged_after_disruption": self.engaged_after_disruption,
                "proportionality": tl(self.proportionality),
                "needs_reviews": tl(self.needs_reviews),
                "distance": {k: list(v) for k, v in self.distance.items()},
                "milestones": [[s, d.isoformat()] for s, d in self.milestones],
                "interventions": [list(i) for i in self.interventions],
                "exit_route": self.exit_route, "feedback": self.feedback,
                "evaluated": self.evaluated}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> CaseFacts:
        def day(s: str | None) -> date | None:
            return date.fromisoformat(s) if s else None

        def tl(v: list[int] | None) -> Timeliness | None:
            return None if v is None else Timeliness(v[0], v[1])

        return cls(raw["case"], raw["stage"], day(raw["first_decision"]),
                   day(raw["first_include"]), day(raw["first_contact"]), day(raw["engaged"]),
                   raw["declined"], raw["disruption"], raw["engaged_after_disruption"],
                   tl(raw["proportionality"]), tl(raw["needs_reviews"]),
                   {k: (v[0], v[1]) for k, v in raw["distance"].items()},
                   [(s, date.fromisoformat(d)) for s, d in raw["milestones"]],
                   [(c, s) for c, s in raw["interventions"]],
                   raw["exit_route"], raw["feedback"], raw["evaluated"])

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_include and self.first_contact:
            return (self.first_contact - self.first_include).days
        return None

    @property
    def days_to_engagement(self) -> int | None:
        if self.first_include and self.engaged:
            return (self.engaged - self.first_include).days
        return None


def case_facts(case: Case, settings: Settings, providers: dict[str, dict[str, Any]],
               as_of: date) -> CaseFacts:
    """What `case` contributes to the programme figures, as of `as_of`."""
    includes = [to_date(d["date"]) for d in case.decisions if d["decision"] == "include"]
    facts = CaseFacts(case.id, case.stage, case.first_decision_date,
                      first_include=min(includes) if includes else None,
                      first_contact=case.first_contact_date, engaged=case.engaged_date,
                      declined=case.declined_date is not None,
                      disruption=case.disruption is not None)
    if case.disruption:
        opened = case.disruption_opened
        assert opened is not None
        facts.engaged_after_disruption = any(
            c.data["outcome"] == "engaged" and c.date >= opened for c in case.contacts)
        facts.proportionality = timeliness(
            opened, [to_date(r["date"]) for r in case.proportionality_reviews],  # type: ignore[misc]
            settings.interval("proportionality-review"), case.disruption_closed or as_of)
    if case.assessments:
        first, latest = case.assessments[0], case.assessments[-1]
        facts.needs_reviews = timeliness(first.date, [a.date for a in case.assessments[1:]],
                                         settings.interval("needs-review"),
                                         case.exit_date or as_of)
        if len(case.assessments) > 1:
            facts.distance = {
                d: (first.data["scores"][d]["score"], latest.data["scores"][d]["score"])
                for d in settings.domain_ids
                if d in first.data["scores"] and d in latest.data["scores"]
            }
    facts.milestones = [(m["status"], date.fromisoformat(m["due"])) for m in case.milestones]
    if case.plan:
        facts.interventions = [
            (providers.get(i["provider"], {}).get("category", UNKNOWN_CATEGORY), i["status"])
            for i in case.plan.data.get("interventions", [])
        ]
    if case.exit:
        facts.exit_route = case.exit.data["route"]
        feedback = case.exit.data.get("feedback")
        facts.feedback = ("not-recorded" if feedback is None
                          else "declined" if feedback.get("declined") else "given")
        facts.evaluated = "evaluation" in case.exit.data
    return facts


def median_days(values: list[int]) -> int | float | None:
    """statistics.median, as a whole number when it is one (12, or 12.5 between two)."""
    if not values:
        return None
    m = statistics.median(values)
    return int(m) if float(m).is_integer() else float(m)


def percent(part: int, whole: int) -> float | None:
    """part / whole as a percentage to one decimal place; None when there is nothing to count."""
    return half_away_from_zero(Fraction(100 * part, whole), 1) if whole else None


def mean(values: list[int]) -> float | None:
    """The mean to two decimal places, halves away from zero (6.625 is 6.63), computed
    exactly from the whole-number values: as SQLite's and DuckDB's ROUND and Excel give."""
    return half_away_from_zero(Fraction(sum(values), len(values)), 2) if values else None


ROUNDING = ("rounded halves away from zero (6.625 to 6.63), as SQLite, DuckDB and Excel "
            "round")
"""How every mean and percentage is rounded, for the figures' definitions."""


def half_away_from_zero(value: Fraction, places: int) -> float:
    """`value` rounded to `places` decimals, an exact half going away from zero; Python's
    round() goes to even (6.625 to 6.62), and a float would not hold 6.625's neighbours
    exactly anyway."""
    scale = 10 ** places
    steps = math.floor(abs(value) * scale + Fraction(1, 2))
    return math.copysign(steps / scale, value) if steps else 0.0
