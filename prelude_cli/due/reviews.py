"""Reviews that fall due: one pure function per kind, of (case, settings, as-of date).

Each rule returns the case's next due item of its kind (or items, for milestones), whatever
the window; `due_items` then keeps those due by the end of the window and orders them. Intervals
come from the casebook's settings as relativedeltas, so `12 months` after 31 January is the end
of the next January, not 365 days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..book.settings import REVIEW_KINDS, Settings
from ..case.model import Case, to_date
from ..case.officers import officer_matches

OVERDUE = "overdue"
DUE_SOON = "due-soon"


@dataclass(frozen=True, slots=True)
class DueItem:
    """One review or action due on a case. `detail` never holds free text from documents."""

    case: str
    kind: str
    due: date
    officer: str
    stage: str
    detail: str
    source: str
    ref: str = ""  # distinguishes several items of one kind (milestone ids)
    incomplete: bool = False  # the case's documents have errors: more may be due than shown

    def status(self, as_of: date) -> str:
        return OVERDUE if self.due < as_of else DUE_SOON

    def days_overdue(self, as_of: date) -> int:
        return (as_of - self.due).days

    def as_dict(self, as_of: date) -> dict[str, object]:
        """The JSON contract (docs/due-reviews.md): field names and order are stable."""
        return {
            "case": self.case,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "status": self.status(as_of),
            "days_overdue": self.days_overdue(as_of),
            "officer": self.officer,
            "stage": self.stage,
            "detail": self.detail,
            "source": self.source,
            "incomplete": self.incomplete,
        }


DueRule = Callable[[Case, Settings, date], Iterable[DueItem]]
DUE_RULES: dict[str, DueRule] = {}


def due_rule(kind: str) -> Callable[[DueRule], DueRule]:
    def register(fn: DueRule) -> DueRule:
        assert kind in REVIEW_KINDS, kind
        DUE_RULES[kind] = fn
        return fn

    return register


def _item(case: Case, kind: str, due: date, detail: str, source: str, ref: str = "") -> DueItem:
    return DueItem(case.id, kind, due, case.officer, case.stage, detail, source, ref)


def _doc(case: Case, name: str) -> str:
    return f"cases/{case.id}/{name}"


@due_rule("first-contact")
def first_contact(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """Make the approach within the interval of an include decision; an attempt that gets no
    answer (no contact, or undecided) makes it due again an interval after that attempt, until
    the person engages or declines."""
    included = case.include_date
    if not included or case.exit or case.engaged_date or case.answers_since(included):
        return
    attempts = case.attempts_since(included)
    if attempts:
        last = attempts[-1]
        n = len(attempts)
        yield _item(case, "first-contact", last.date + settings.interval("first-contact"),
                    f"no answer yet after {n} contact{'s' if n != 1 else ''}, last {last.date} "
                    f"({last.data['outcome']})", last.path)
    else:
        yield _item(case, "first-contact", included + settings.interval("first-contact"),
                    f"include decision {included}", _doc(case, "identification.yaml"))


@due_rule("deferral-review")
def deferral_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """A deferred case comes back for a decision: on the decision's `review_by` date, else an
    interval after it; a later decision ends it."""
    latest = case.latest_decision
    if not latest or latest["decision"] != "defer" or case.exit:
        return
    decided = date.fromisoformat(latest["date"])
    if latest.get("review_by"):
        due, detail = date.fromisoformat(latest["review_by"]), f"deferred {decided}, review by"
        detail += f" {latest['review_by']}"
    else:
        due, detail = decided + settings.interval("deferral-review"), f"deferred {decided}"
    yield _item(case, "deferral-review", due, detail, _doc(case, "identification.yaml"))


@due_rule("decision-review")
def decision_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """The person declined and no disruption plan is open (none opened since, or it closed
    without engagement): the case goes back to the partnership meeting, which includes again
    (a new approach), defers or does not include. Never left with nothing due."""
    included = case.include_date
    if (not included or case.exit or case.engaged_date or case.disruption_open
            or "disruption" in case.broken):
        return
    declines = [c for c in case.answers_since(included) if c.data["outcome"] == "declined"]
    if not declines:
        return
    base, source = declines[-1].date, declines[-1].path
    detail = f"declined {base}; no disruption plan opened"
    closed = case.disruption_closed
    if case.disruption and closed and closed >= included:
        reason = case.disruption.data["closed"].get("reason", "")
        if closed >= base:
            base, source = closed, case.disruption.path
            detail = f"disruption plan closed {closed} ({reason})"
        else:
            detail = f"declined {base}; disruption plan closed {closed}"
    yield _item(case, "decision-review", base + settings.interval("decision-review"), detail,
                source)


@due_rule("revisit")
def revisit(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """While a disruption plan is open, the offer is repeated on a regular engage-and-explain:
    only a contact in which the offer was made counts, not a failed attempt."""
    if not case.disruption_open or case.exit:
        return
    last = case.last_explain_contact()
    opened = case.disruption_opened
    assert opened is not None
    if last:  # possibly before the plan opened: the conversation in which they declined
        base, source, what = last.date, last.path, "offer last made"
    else:  # a plan with no contact that made the offer: count from its opening
        base, source, what = opened, _doc(case, "disruption.yaml"), "plan opened"
    yield _item(case, "revisit", base + settings.interval("revisit"),
                f"{what} {base}", source)


@due_rule("proportionality-review")
def proportionality_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """Enforcement is justified only while a recent review says it is proportionate."""
    if not case.disruption_open:
        return
    reviews = case.proportionality_reviews
    if reviews:
        base, what = to_date(reviews[-1]["date"]), "last review"
    else:
        base, what = case.disruption_opened, "plan opened"
    assert base is not None
    yield _item(case, "proportionality-review",
                base + settings.interval("proportionality-review"),
                f"{what} {base}",
                _doc(case, "disruption.yaml"))


@due_rule("needs-assessment")
def needs_assessment(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    engaged = case.engaged_date
    if engaged and not case.assessments and not case.exit and "assessment" not in case.broken:
        source = next(c.path for c in case.contacts if c.data["outcome"] == "engaged")
        yield _item(case, "needs-assessment", engaged + settings.interval("needs-assessment"),
                    f"engaged {engaged}", source)


@due_rule("needs-review")
def needs_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    latest = case.latest_assessment
    if latest and case.engaged_date and not case.exit:
        yield _item(case, "needs-review", latest.date + settings.interval("needs-review"),
                    f"last assessment {latest.date}", latest.path)


@due_rule("plan")
def plan(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    first = case.first_assessment
    if first and not case.plan and not case.exit and "plan" not in case.broken:
        yield _item(case, "plan", first.date + settings.interval("plan"),
                    f"first assessment {first.date}", first.path)


@due_rule("milestone")
def milestone(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """Each milestone not met or dropped is due on its own date (a missed one stays listed
    until it is met late, rescheduled or dropped)."""
    if not case.plan or case.exit:
        return
    for m in case.milestones:
        if m["status"] in ("pending", "missed"):
            yield _item(case, "milestone", date.fromisoformat(m["due"]),
                        f"{m['id']} ({m['status']})", case.plan.path, ref=m["id"])


@due_rule("tag-review")
def tag_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    tag = case.tag
    if not tag or not tag.get("fitted") or tag.get("removed"):
        return
    reviews = tag.get("reviews", [])
    base = to_date(reviews[-1]["date"] if reviews else tag["fitted"])
    assert base is not None and case.plan is not None
    what = "last tag review" if reviews else "fitted"
    yield _item(case, "tag-review", base + settings.interval("tag-review"),
                f"{what} {base}", case.plan.path)


@due_rule("programme-review")
def programme_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """First at 12 months from engagement, then every 3 months after the last review."""
    engaged = case.engaged_date
    if not engaged or case.exit:
        return
    due = engaged + settings.interval("programme-review")
    reviews = case.programme_reviews
    detail = f"engaged {engaged}"
    if reviews:
        last = date.fromisoformat(reviews[-1]["date"])
        due = max(due, last + settings.interval("programme-review-repeat"))
        detail = f"last programme review {last}"
    source = case.plan.path if case.plan else _doc(case, "identification.yaml")
    yield _item(case, "programme-review", due, detail, source)


@due_rule("exit-evaluation")
def exit_evaluation(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    if not case.exit:
        return
    missing = [part for part in ("feedback", "evaluation") if part not in case.exit.data]
    if missing:
        yield _item(case, "exit-evaluation", case.exit.date + settings.interval("exit-evaluation"),
                    f"{' and '.join(missing)} missing; exited {case.exit.date}", case.exit.path)


@due_rule("retention-review")
def retention_review(case: Case, settings: Settings, as_of: date) -> Iterator[DueItem]:
    """MoPI: is the record still needed? From exit (or last activity), or the last review."""
    reviews = case.retention_reviews
    if reviews and reviews[-1]["decision"] == "dispose":
        return  # disposal is decided; the record should be gone, not reviewed again
    if reviews:
        base, what = date.fromisoformat(reviews[-1]["date"]), "last retention review"
    elif case.exit:
        base, what = case.exit.date, "exit"
    else:
        last = case.last_activity
        if last is None:
            return
        base, what = last, "last activity"
    yield _item(case, "retention-review", base + settings.interval("retention-review"),
                f"{what} {base}", _doc(case, "case.yaml"))


def case_due_items(case: Case, settings: Settings, as_of: date) -> list[DueItem]:
    """Every next due item of a case, whenever it falls, in due order."""
    items = [i for rule in DUE_RULES.values() for i in rule(case, settings, as_of)]
    return sorted(items, key=sort_key)


def fix_documents_item(case: str, officer: str, stage: str, errors: int, source: str,
                       as_of: date) -> DueItem:
    """What stands in for the items of a case whose broken documents hide them: due now."""
    return DueItem(case, "fix-documents", as_of, officer, stage,
                   f"{errors} error{'s' if errors != 1 else ''} in its documents hide what "
                   "falls due: run prelude validate", source, "", True)


def lacks_next_action(items: Iterable[DueItem], horizon: date | None = None) -> bool:
    """Nothing but a retention review falls due (by `horizon`, when given: the end of the
    window being listed): a case with errors then needs `fix-documents`."""
    return all(i.kind == "retention-review" or (horizon is not None and i.due > horizon)
               for i in items)


def with_fail_safe(case: Case, items: list[DueItem], as_of: date,
                   horizon: date | None = None) -> list[DueItem]:
    """A case with errors never drops out of sight: its items are flagged incomplete, and
    when nothing but a retention review falls due (by `horizon`, when given: the end of the
    window being listed), `fix-documents` is due on the as-of date."""
    if not case.incomplete:
        return items
    out = [replace(i, incomplete=True) for i in items]
    if lacks_next_action(out, horizon):
        out.append(fix_documents_item(case.id, case.officer, case.stage, case.errors,
                                      case.first_error or _doc(case, "case.yaml"), as_of))
        out.sort(key=sort_key)
    return out


_KIND_RANK = {k: i for i, k in enumerate(REVIEW_KINDS)}


def sort_key(item: DueItem) -> tuple[object, ...]:
    """Earliest due first (so overdue first, most overdue first); on the same day a
    proportionality review leads, as the most serious item; then kind order, then case."""
    return (item.due, item.kind != "proportionality-review", _KIND_RANK[item.kind], item.case,
            item.ref)


@dataclass(slots=True)
class DueFilter:
    officer: str | None = None
    kinds: tuple[str, ...] = ()
    case: str | None = None
    stage: str | None = None
    overdue_only: bool = False

    def keep_case(self, case: str, officer: str, stage: str, incomplete: bool) -> bool:
        """Whether a case is within the filter. A case whose documents are broken may have
        lost its officer: it stays in any officer's list rather than in nobody's."""
        return ((self.officer is None or officer_matches(self.officer, officer)
                 or (incomplete and not officer))
                and (self.case is None or case == self.case)
                and (self.stage is None or stage == self.stage))

    def keep(self, item: DueItem, as_of: date) -> bool:
        return (
            self.keep_case(item.case, item.officer, item.stage, item.incomplete)
            and (not self.kinds or item.kind in self.kinds)
            and (not self.overdue_only or item.due < as_of)
        )


@dataclass(slots=True)
class DueReport:
    as_of: date
    within_days: int
    items: list[DueItem] = field(default_factory=list)
    problems: int = 0
    """Errors found in the documents of the cases within the filter."""
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    """Each case with errors (in case order) and what its model left out."""

    @property
    def overdue(self) -> list[DueItem]:
        return [i for i in self.items if i.due < self.as_of]

    @property
    def incomplete_cases(self) -> list[str]:
        return list(self.incomplete)

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "within_days": self.within_days,
            "problems": self.problems,
            "incomplete_cases": self.incomplete_cases,
            "items": [i.as_dict(self.as_of) for i in self.items],
        }

    def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for i in self.items:
            key = (i.kind, i.status(self.as_of))
            out[key] = out.get(key, 0) + 1
        return out


def due_items(per_case: Iterable[Iterable[DueItem]], as_of: date, within_days: int,
              where: DueFilter | None = None) -> DueReport:
    """Items due on or before `as_of + within_days`, filtered and in the agreed order.

    Takes each case's items (from `case_due_items`, possibly cached) rather than cases, so the
    list can be made without reading every document again.
    """
    where = where or DueFilter()
    horizon = as_of + timedelta(days=within_days)
    items = [
        item
        for case_items in per_case
        for item in case_items
        if item.due <= horizon and where.keep(item, as_of)
    ]
    items.sort(key=sort_key)
    return DueReport(as_of, within_days, items)
