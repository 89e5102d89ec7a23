"""The partnership meeting's agenda, built from the casebook: what the meeting must decide.

One pack is for one forum on one date. An item is a case whose latest identification
decision was taken by that forum and that needs the meeting now:

- `deferral-review`: deferred, and its review falls due by the next meeting;
- `decision-review`: the person declined and no disruption plan is open: back to the meeting;
- `re-presentation`: not included, and the `re-presentation` interval has passed;
- `proportionality-review`: a disruption plan is open and its review falls due by the next
  meeting (the most serious: enforcement is justified only while a review says so);
- `exit-evaluation`: exited, and the evaluation of their time on the programme is missing.

Each item carries the facts needed to decide and nothing more: no free text and no names.
The horizon is the day before `next` (the next meeting), else the meeting's own date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..book.casebook import Casebook
from ..case.model import Case
from ..checks.validation import load_case
from ..due.reviews import case_due_items
from ..read.selection import CaseFilter, select_cases

IDENTIFICATION = ("include", "not-include", "defer")
PROPORTIONALITY = ("continue", "amend", "stop")
EVALUATION = ("evaluated",)

ALLOWED: dict[str, tuple[str, ...]] = {
    "proportionality-review": PROPORTIONALITY,
    "deferral-review": IDENTIFICATION,
    "decision-review": IDENTIFICATION,
    "re-presentation": IDENTIFICATION,
    "exit-evaluation": EVALUATION,
}
"""The closed vocabulary of each kind of agenda item, in the agenda's order of sections."""

QUESTION = {
    "proportionality-review": "Is continued enforcement still proportionate?",
    "deferral-review": "Deferred: include, not include, or defer again?",
    "decision-review": "Declined, no disruption plan open: include again, not include, "
                       "or defer?",
    "re-presentation": "Not included before: present again for a decision?",
    "exit-evaluation": "Exited: evaluate their time on the programme.",
}

SECTION = {
    "proportionality-review": "Disruption plans: proportionality reviews",
    "deferral-review": "Deferred cases returning",
    "decision-review": "Declined: back to the meeting",
    "re-presentation": "Nominations to present again",
    "exit-evaluation": "Exits awaiting evaluation",
}


@dataclass(slots=True)
class AgendaItem:
    number: int
    kind: str
    case: str
    due: date | None
    facts: dict[str, Any]

    @property
    def allowed(self) -> tuple[str, ...]:
        return ALLOWED[self.kind]

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.number, "kind": self.kind, "case": self.case,
                "question": QUESTION[self.kind],
                "due": self.due.isoformat() if self.due else None,
                "allowed": list(self.allowed), "facts": self.facts}


@dataclass(slots=True)
class MeetingPack:
    programme: str
    forum: str
    date: date
    next: date | None
    as_of: date
    filters: list[str] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    """Cases of this forum whose documents have errors: the agenda may miss something."""
    forum_cases: int = 0
    """Cases whose latest decision this forum took (none: perhaps a misspelt forum)."""

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for i in self.items if i.kind == k) for k in ALLOWED}

    def as_dict(self) -> dict[str, Any]:
        return {"pack": "meeting", "programme": self.programme, "forum": self.forum,
                "date": self.date.isoformat(),
                "next": self.next.isoformat() if self.next else None,
                "as_of": self.as_of.isoformat(), "filters": self.filters,
                "forum_cases": self.forum_cases, "counts": self.counts(),
                "items": [i.as_dict() for i in self.items],
                "incomplete_cases": self.incomplete}


def same_forum(a: str | None, b: str) -> bool:
    return bool(a) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _dashboard(decision: dict[str, Any]) -> dict[str, Any] | None:
    dash = (decision.get("sources") or {}).get("dashboard")
    return {k: dash.get(k) for k in ("score", "rank", "date")} if dash else None


def _facts(case: Case) -> dict[str, Any]:
    latest = case.latest_decision or {}
    return {"area": case.area, "age_band": case.age_band, "concerns": case.concerns,
            "stage": case.stage, "officer": case.officer,
            "latest_decision": {"date": latest.get("date"), "decision": latest.get("decision"),
                                "review_by": latest.get("review_by")},
            "decisions": len(case.decisions), "dashboard": _dashboard(latest)}


def _disruption_facts(case: Case) -> dict[str, Any]:
    data = case.disruption.data if case.disruption else {}
    reviews = case.proportionality_reviews
    last = reviews[-1] if reviews else None
    tactics = [t for t in data.get("tactics") or [] if "to" not in t]
    return {"opened": data.get("opened"), "lead": data.get("lead"),
            "tactics_running": sorted({str(t.get("tactic")) for t in tactics}),
            "reviews": len(reviews),
            "last_review": {"date": last.get("date"), "decision": last.get("decision")}
            if last else None,
            "declined": case.declined_date.isoformat() if case.declined_date else None}


def _exit_facts(case: Case) -> dict[str, Any]:
    data = case.exit.data if case.exit else {}
    return {"exited": data.get("date"), "route": data.get("route"),
            "feedback": "declined" if (data.get("feedback") or {}).get("declined")
            else "recorded" if data.get("feedback") else "missing"}


def case_items(case: Case, book: Casebook, meeting: date, horizon: date) -> list[
        tuple[str, date | None, dict[str, Any]]]:
    """What the meeting must decide about one case: (kind, due, facts), in agenda order."""
    found: list[tuple[str, date | None, dict[str, Any]]] = []
    due = {i.kind: i for i in case_due_items(case, book.settings, meeting)}
    base = _facts(case)
    if "proportionality-review" in due and due["proportionality-review"].due <= horizon:
        found.append(("proportionality-review", due["proportionality-review"].due,
                      {**base, "disruption": _disruption_facts(case)}))
    for kind in ("deferral-review", "decision-review"):
        if kind in due and due[kind].due <= horizon:
            found.append((kind, due[kind].due, base))
    latest = case.latest_decision
    if latest and latest.get("decision") == "not-include" and not case.exit:
        eligible = date.fromisoformat(latest["date"]) + book.settings.interval(
            "re-presentation")
        if eligible <= meeting:
            found.append(("re-presentation", eligible, base))
    if "exit-evaluation" in due and case.exit and "evaluation" not in case.exit.data:
        found.append(("exit-evaluation", due["exit-evaluation"].due,
                      {**base, "exit": _exit_facts(case)}))
    return found


def build_pack(book: Casebook, *, forum: str, meeting: date, next_meeting: date | None,
               as_of: date, select: CaseFilter | None = None) -> MeetingPack:
    """The agenda of `forum`'s meeting on `meeting`, from the casebook as of `as_of`.

    Cases are read as they stood on `as_of` (the day the pack is made); what falls due is
    judged against the meeting's date and the horizon (the day before `next_meeting`)."""
    if next_meeting is not None and next_meeting <= meeting:
        raise ValueError("the next meeting must be after this one")
    horizon = next_meeting - timedelta(days=1) if next_meeting else meeting
    select = select or CaseFilter()
    ids = book.case_ids() if select.empty else select_cases(book, as_of, select)
    pack = MeetingPack(book.settings.programme, forum, meeting, next_meeting, as_of,
                       list(select.describe()))
    found: list[tuple[int, str, date | None, dict[str, Any]]] = []
    order = {k: n for n, k in enumerate(ALLOWED)}
    for case_id in ids:
        result = load_case(book, case_id, as_of=as_of, view=True, checks=False)
        case = result.case
        latest = case.latest_decision
        if not latest or not same_forum(latest.get("forum"), forum):
            continue
        pack.forum_cases += 1
        if case.incomplete:
            pack.incomplete.append(case_id)
        for kind, due, facts in case_items(case, book, meeting, horizon):
            found.append((order[kind], case_id, due, facts | {"kind": kind}))
    found.sort(key=lambda f: (f[0], f[2] or meeting, f[1]))
    for n, (_, case_id, due, facts) in enumerate(found, 1):
        kind = facts.pop("kind")
        pack.items.append(AgendaItem(n, kind, case_id, due, facts))
    return pack
