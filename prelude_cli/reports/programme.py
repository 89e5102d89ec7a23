"""The programme report: figures for the evaluation and the quarterly board.

Every figure carries a one-line definition saying what it counts and over which cases, so
that an analyst can reproduce it from the export. The cases are those in the period (see
`figures.Period`); each is reduced to `CaseFacts` as it is read.

A partner report reduces each case as `sharing.partner_case` gives it, and leaves out every
figure that counts a field outside the allowlist (FIGURE_INPUTS), rather than showing a
figure computed from data the partner may not see, or a false zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from ..book.settings import Settings
from ..case.model import STAGES
from ..checks.validation import CaseResult
from ..privacy.sharing import INTERNAL, PARTNER, Fields, partner_case, source_shared
from ..read.engine import ProductJob, Progress, per_case
from ..read.selection import CaseFilter, select_cases
from .figures import (
    ROUNDING,
    UNKNOWN_CATEGORY,
    CaseFacts,
    Period,
    Timeliness,
    case_facts,
    mean,
    median_days,
    percent,
)

PROVIDER_CATEGORIES = ("housing", "substance-misuse", "finance", "mental-health",
                       "physical-health", "education-training-employment", "enrichment",
                       "family", "mentoring", "exploitation", "other")
EXIT_ROUTES = ("completed", "disengaged", "custody", "moved-away", "other")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool = True
    decimals: int | None = None  # fixed decimals when shown (means), else as computed
    signed: bool = False  # a change: shown with its sign


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: a headline value and/or a table, with what it counts and over which cases."""

    key: str
    title: str
    definition: str
    cases: int  # how many cases the figure is computed over
    value: int | float | None = None
    unit: str = ""  # "days" or "%"
    counts: dict[str, int] = field(default_factory=dict)  # the numbers behind the value
    columns: tuple[Column, ...] = ()
    rows: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract (docs/reports.md): keys stable, rows keyed by column key."""
        return {
            "title": self.title,
            "definition": self.definition,
            "cases": self.cases,
            "value": self.value,
            "unit": self.unit,
            "counts": dict(self.counts),
            "rows": [dict(r) for r in self.rows],
        }


@dataclass(slots=True)
class ProgrammeReport:
    programme: str
    as_of: date
    period: Period
    cases: int  # cases in the period
    cases_read: int  # every case in the casebook
    problems: int  # errors that left documents out
    figures: list[Figure]
    audience: str = INTERNAL
    case_ids: list[str] = field(default_factory=list)  # the cases in the period
    disclosure: dict[str, Any] | None = None  # the record a partner report is made under
    select: CaseFilter = field(default_factory=CaseFilter)  # the filters applied first

    @property
    def filters(self) -> list[str]:
        """The filters applied, one phrase each, for the heading."""
        return self.select.describe()

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def has(self, key: str) -> bool:
        return any(f.key == key for f in self.figures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": "programme",
            "audience": self.audience,
            "disclosure": self.disclosure,
            "programme": self.programme,
            "as_of": self.as_of.isoformat(),
            "period": {
                "from": self.period.start.isoformat() if self.period.start else None,
                "to": self.period.end.isoformat() if self.period.end else None,
                "definition": self.period.definition(),
            },
            "filters": self.select.as_dict(),
            "cases": self.cases,
            "cases_in_casebook": self.cases_read,
            "problems_left_out": self.problems,
            "figures": {f.key: f.as_dict() for f in self.figures},
        }


FIGURE_INPUTS: dict[str, tuple[str, ...]] = {
    "caseload_by_stage": ("derived.stage", "identification.decisions.*.date"),
    "flow": ("identification.decisions.*.decision", "contact.date", "contact.outcome"),
    "disruption_flow": ("contact.outcome", "disruption.opened"),
    "days_to_first_contact": ("identification.decisions.*.date", "contact.date"),
    "days_to_engagement": ("identification.decisions.*.date", "contact.outcome"),
    "proportionality_reviews_on_time": ("disruption.opened", "disruption.reviews.*.date"),
    "needs_reviews_on_time": ("assessment.date", "exit.date"),
    "distance_travelled": ("assessment.scores.*.score",),
    "milestones_met": ("plan.milestones.*.status", "plan.milestones.*.due"),
    "interventions_by_category": ("plan.interventions.*.provider",
                                  "plan.interventions.*.status"),
    "exits": ("exit.route",),
    "feedback": ("exit.feedback.date", "exit.feedback.declined", "exit.evaluation.date"),
}
"""The fields each figure counts (`kind.field.path`, as `sharing.source_shared` reads them)."""


def facts_product(job: ProductJob, result: CaseResult) -> dict[str, Any]:
    """A case's errors and its facts for the audience in `job.params` (None: not yet
    identified on the as-of date), as `engine.per_case` caches them. The period is applied
    afterwards, so one cache serves every period."""
    errors = sum(1 for p in result.problems if p.is_error)
    if result.case.not_yet:
        return {"errors": errors, "facts": None}
    # As the whole allowlist shares the case; figures that count a field outside an
    # agreement's narrower `fields` are left out of the report (FIGURE_INPUTS).
    audience, _fields = job.params
    case = partner_case(result.case) if audience == PARTNER else result.case
    return {"errors": errors,
            "facts": case_facts(case, job.settings, job.providers, job.as_of).to_json()}


def build_programme_report(book: Casebook, as_of: date, period: Period,
                           audience: str = INTERNAL, *, jobs: int | None = None,
                           progress: Progress | None = None, use_cache: bool = True,
                           select: CaseFilter | None = None, strict: bool = False,
                           fields: Fields = None) -> ProgrammeReport:
    """Every case's facts through the one read path (cached, else read over `jobs` worker
    processes), keep those the filters select and in the period, compute the figures.

    `cases_read` counts the cases the filters select (every case without filters). `strict`
    and `fields` are a partner agreement's: a case that cannot be shown to be within the
    filters stays out, and only the agreement's fields are counted."""
    select = select or CaseFilter()
    ids = None if select.empty else select_cases(book, as_of, select, strict=strict,
                                                 use_cache=use_cache, jobs=jobs)
    facts: list[CaseFacts] = []
    read = problems = 0
    for made in per_case(book, "programme-facts", facts_product, as_of=as_of,
                         params=(audience, sorted(fields) if fields is not None else None),
                         jobs=jobs, progress=progress,
                         use_cache=use_cache, case_ids=ids):
        read += 1
        problems += made["errors"]
        raw = made["facts"]
        if raw is not None and period.contains(date.fromisoformat(raw["first_decision"])
                                               if raw["first_decision"] else None):
            facts.append(CaseFacts.from_json(raw))
    figures = programme_figures(facts, book.settings, as_of)
    if audience == PARTNER:
        figures = [f for f in figures
                   if all(source_shared(s, fields) for s in FIGURE_INPUTS[f.key])]
    return ProgrammeReport(book.settings.programme, as_of, period, len(facts), read, problems,
                           figures, audience, [f.case for f in facts], select=select)


def programme_figures(facts: list[CaseFacts], settings: Settings, as_of: date) -> list[Figure]:
    """Every figure of the programme report, in the order it is printed."""
    return [
        caseload_by_stage(facts, as_of),
        flow(facts),
        disruption_flow(facts),
        days_to_first_contact(facts),
        days_to_engagement(facts),
        reviews_on_time(
            "proportionality_reviews_on_time", "Proportionality reviews done on time",
            [f.proportionality for f in facts if f.proportionality is not None],
            "Over cases in the period with a disruption plan: each proportionality review is "
            f"due {settings.policy_text['proportionality-review']} after the plan opened or "
            "the previous review, and is on time when dated on or before its due date; the "
            "next review, not yet done, counts as due and late once its due date is before the "
            "as-of date or the date the plan closed."),
        reviews_on_time(
            "needs_reviews_on_time", "Needs reviews done on time",
            [f.needs_reviews for f in facts if f.needs_reviews is not None],
            "Over cases in the period with a needs assessment: each assessment after the first "
            f"is a review, due {settings.policy_text['needs-review']} after the one before, "
            "and is on time when dated on or before its due date; the next review, not yet "
            "done, counts as due and late once its due date is before the as-of date or the "
            "exit date."),
        distance_travelled(facts, settings),
        milestones_met(facts, as_of),
        interventions_by_category(facts),
        exits(facts),
        feedback(facts),
    ]


def caseload_by_stage(facts: list[CaseFacts], as_of: date) -> Figure:
    count = Counter(f.stage for f in facts)
    return Figure(
        "caseload_by_stage", "Caseload by stage",
        f"Every case in the period, counted once, at its stage as of {as_of}: the most "
        "advanced stage its documents show (docs/format.md, Stages).",
        len(facts), columns=(Column("stage", "Stage", False), Column("cases", "Cases")),
        rows=tuple({"stage": s, "cases": count[s]} for s in STAGES))


Step = tuple[str, str, Callable[[CaseFacts], Any]]  # key, label, kept when true


def _funnel(key: str, title: str, definition: str, facts: list[CaseFacts],
            steps: list[Step]) -> Figure:
    """Cases kept at each step from those of the step before; each percentage is of the step
    before (the first, of all cases in the period)."""
    rows = []
    kept = facts
    for step, label, keep in steps:
        before, kept = len(kept), [f for f in kept if keep(f)]
        rows.append({"step": step, "label": label, "cases": len(kept),
                     "percent_of_previous": percent(len(kept), before)})
    columns = (Column("label", "Step", False), Column("cases", "Cases"),
               Column("percent_of_previous", "% of step before"))
    return Figure(key, title, definition, len(facts), columns=columns, rows=tuple(rows))


def flow(facts: list[CaseFacts]) -> Figure:
    return _funnel(
        "flow", "Identified, approached, engaged",
        "Of the cases in the period: identified = with an include decision; approached = "
        "identified and with at least one contact; engaged = approached and with a contact "
        "whose outcome is engaged. Each percentage is of the step before (the first, of all "
        "cases in the period).", facts,
        [("identified", "Identified (include decision)", lambda f: f.first_include),
         ("approached", "Approached (any contact)", lambda f: f.first_contact),
         ("engaged", "Engaged", lambda f: f.engaged)])


def disruption_flow(facts: list[CaseFacts]) -> Figure:
    return _funnel(
        "disruption_flow", "Declined, disruption, later engaged",
        "Of the cases in the period: declined = with a contact whose outcome is declined; "
        "disruption = declined and with a disruption plan; later engaged = of those, with a "
        "contact whose outcome is engaged dated on or after the plan opened. Each percentage "
        "is of the step before (the first, of all cases in the period).", facts,
        [("declined", "Declined", lambda f: f.declined),
         ("disruption", "Disruption plan", lambda f: f.disruption),
         ("later_engaged", "Later engaged", lambda f: f.engaged_after_disruption)])


def days_to_first_contact(facts: list[CaseFacts]) -> Figure:
    days = [d for f in facts if (d := f.days_to_first_contact) is not None]
    return Figure(
        "days_to_first_contact", "Median days from decision to first contact",
        "Median, over cases in the period that have an include decision and at least one "
        "contact, of the days from the FIRST include decision to the earliest contact.",
        len(days), value=median_days(days), unit="days")


def days_to_engagement(facts: list[CaseFacts]) -> Figure:
    days = [d for f in facts if (d := f.days_to_engagement) is not None]
    return Figure(
        "days_to_engagement", "Median days from decision to engagement",
        "Median, over cases in the period that have an include decision and a contact whose "
        "outcome is engaged, of the days from the FIRST include decision to the first such "
        "contact.",
        len(days), value=median_days(days), unit="days")


def reviews_on_time(key: str, title: str, tallies: list[Timeliness],
                    definition: str) -> Figure:
    total = sum(tallies, Timeliness())
    return Figure(key, title, definition, len(tallies), value=percent(total.on_time, total.due),
                  unit="%", counts={"due": total.due, "on_time": total.on_time,
                                    "late": total.due - total.on_time})


def distance_travelled(facts: list[CaseFacts], settings: Settings) -> Figure:
    assessed = [f for f in facts if f.distance]
    rows = []
    for d in settings.domains:
        pairs = [f.distance[d.id] for f in assessed if d.id in f.distance]
        rows.append({"domain": d.id, "label": d.label, "cases": len(pairs),
                     "mean_first": mean([a for a, _ in pairs]),
                     "mean_latest": mean([b for _, b in pairs]),
                     "mean_change": mean([b - a for a, b in pairs])})
    return Figure(
        "distance_travelled", "Distance travelled per needs domain",
        "Over cases in the period with at least two needs assessments: per domain, the mean "
        "of (latest score - first score) among those whose first and latest assessments both "
        f"score it (n = cases). Scale {settings.scale_min} to {settings.scale_max}, higher is "
        f"better, so a positive change is progress. Means to 2 decimal places, {ROUNDING}.",
        len(assessed),
        columns=(Column("label", "Domain", False), Column("cases", "n"),
                 Column("mean_first", "Mean first", decimals=2),
                 Column("mean_latest", "Mean latest", decimals=2),
                 Column("mean_change", "Mean change", decimals=2, signed=True)),
        rows=tuple(rows))


def milestones_met(facts: list[CaseFacts], as_of: date) -> Figure:
    counted: Counter[str] = Counter()
    cases = 0
    for f in facts:
        settled = [s if s != "pending" else "overdue" for s, due in f.milestones
                   if s in ("met", "missed") or (s == "pending" and due < as_of)]
        cases += bool(settled)
        counted.update(settled)
    due = sum(counted.values())
    return Figure(
        "milestones_met", "Milestones met",
        "Milestones in the plans of cases in the period that are met, missed, or still pending "
        "after their due date (due before the as-of date); dropped milestones and those not "
        "yet due are left out. The percentage is met of all these.",
        cases, value=percent(counted["met"], due), unit="%",
        counts={"counted": due, "met": counted["met"], "missed": counted["missed"],
                "overdue": counted["overdue"]})


def interventions_by_category(facts: list[CaseFacts]) -> Figure:
    referred: Counter[str] = Counter()
    completed: Counter[str] = Counter()
    for f in facts:
        for category, status in f.interventions:
            referred[category] += 1
            completed[category] += status == "completed"
    order = [c for c in (*PROVIDER_CATEGORIES, UNKNOWN_CATEGORY) if referred[c]]
    return Figure(
        "interventions_by_category", "Interventions by provider category",
        "Interventions in the plans of cases in the period, by the category of their provider "
        "in providers.yaml ('unknown' when the provider is not listed); completed = status "
        "completed. Categories with no intervention are left out.",
        sum(1 for f in facts if f.interventions),
        counts={"interventions": sum(referred.values()), "completed": sum(completed.values())},
        columns=(Column("category", "Provider category", False),
                 Column("interventions", "Interventions"), Column("completed", "Completed")),
        rows=tuple({"category": c, "interventions": referred[c], "completed": completed[c]}
                   for c in order))


def exits(facts: list[CaseFacts]) -> Figure:
    routes = Counter(f.exit_route for f in facts if f.exit_route)
    total = sum(routes.values())
    return Figure(
        "exits", "Exits by route",
        "Cases in the period that have exited, by exit route; the completion rate is route "
        "completed as a percentage of all exits.",
        total, value=percent(routes["completed"], total), unit="%",
        counts={"exits": total, "completed": routes["completed"]},
        columns=(Column("route", "Route", False), Column("cases", "Cases")),
        rows=tuple({"route": r, "cases": routes[r]} for r in EXIT_ROUTES))


def feedback(facts: list[CaseFacts]) -> Figure:
    exited = [f for f in facts if f.exit_route]
    kinds = Counter(f.feedback for f in exited)
    return Figure(
        "feedback", "Feedback and evaluation at exit",
        "Cases in the period that have exited: the person's feedback given (recorded and not "
        "declined), declined, or not recorded; and how many have an evaluation recorded.",
        len(exited), value=percent(kinds["given"], len(exited)), unit="%",
        counts={"given": kinds["given"], "declined": kinds["declined"],
                "not_recorded": kinds["not-recorded"],
                "evaluated": sum(1 for f in exited if f.evaluated)})

