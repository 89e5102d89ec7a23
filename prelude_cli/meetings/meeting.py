"""The partnership meeting's agenda, built from the casebook: what the meeting must decide.

One pack is for one forum on one date. An item is a case whose latest identification
decision was taken by that forum and that needs the meeting now:

- `deferral-review`: deferred, and its review falls due by the next meeting;
- `decision-review`: the person declined and no disruption plan is open: back to the meeting;
- `re-presentation`: not included, and the `re-presentation` interval has passed;
- `proportionality-review`: a disruption plan is open and its review falls due by the next
  meeting (the most serious: enforcement is justified only while a review says so);
- `nomination`: with an intake, a row of the dashboard extract whose person has no case;
- `exit-proposal`: engaged, not exited, and proposed for exit: the latest programme review
  decided `plan-exit`, or every milestone of the agreed plan is settled (met, missed or
  dropped, none pending), or the plan's target end falls by the horizon;
- `exit-evaluation`: exited, and the evaluation of their time on the programme is missing.

With an intake, not-included people on the extract whose re-presentation date has passed are
nominations to present again whichever forum decided last, and every case on the extract
carries the dashboard's current rank and score.

Each item carries the facts needed to decide and nothing more: no names, and no free text
unless asked (`include_text`: the latest rationale, review or plan notes). The horizon is the
day before `next` (the next meeting), else the meeting's own date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..book.casebook import Casebook
from ..book.settings import Settings
from ..case.model import Case
from ..checks.validation import CaseResult
from ..due.reviews import case_due_items
from ..read.engine import ProductJob, per_case
from ..read.selection import CaseFilter, select_cases
from .intake import Intake, Row

IDENTIFICATION = ("include", "not-include", "defer")
PROPORTIONALITY = ("continue", "amend", "stop")
EXIT = ("exit", "continue")
EVALUATION = ("evaluated",)

ALLOWED: dict[str, tuple[str, ...]] = {
    "proportionality-review": PROPORTIONALITY,
    "deferral-review": IDENTIFICATION,
    "decision-review": IDENTIFICATION,
    "nomination": IDENTIFICATION,
    "re-presentation": IDENTIFICATION,
    "exit-proposal": EXIT,
    "exit-evaluation": EVALUATION,
}
"""The closed vocabulary of each kind of agenda item, in the agenda's order of sections."""

QUESTION = {
    "proportionality-review": "Is continued enforcement still proportionate?",
    "deferral-review": "Deferred: include, not include, or defer again?",
    "decision-review": "Declined, no disruption plan open: include again, not include, "
                       "or defer?",
    "nomination": "New on the dashboard: include, not include, or defer?",
    "re-presentation": "Not included before: present again for a decision?",
    "exit-proposal": "Proposed for exit: exit now, or continue on the programme?",
    "exit-evaluation": "Exited: evaluate their time on the programme.",
}

SECTION = {
    "proportionality-review": "Disruption plans: proportionality reviews",
    "deferral-review": "Deferred cases returning",
    "decision-review": "Declined: back to the meeting",
    "nomination": "Nominations from the dashboard",
    "re-presentation": "Nominations to present again",
    "exit-proposal": "Cases proposed for exit",
    "exit-evaluation": "Exits awaiting evaluation",
}


@dataclass(slots=True)
class AgendaItem:
    number: int
    kind: str
    case: str | None
    """The case; None for a nomination (a row of the intake: see `row` and `key`)."""
    due: date | None
    facts: dict[str, Any]
    row: int | None = None
    key: str | None = None

    @property
    def allowed(self) -> tuple[str, ...]:
        return ALLOWED[self.kind]

    def as_dict(self) -> dict[str, Any]:
        out = {"item": self.number, "kind": self.kind, "case": self.case,
               "question": QUESTION[self.kind],
               "due": self.due.isoformat() if self.due else None,
               "allowed": list(self.allowed), "facts": self.facts}
        if self.key is not None:
            out |= {"row": self.row, "key": self.key}
        return out


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
    intake: str | None = None
    """The extract's file name, when the pack was made with one."""
    include_text: bool = False

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for i in self.items if i.kind == k) for k in ALLOWED}

    def as_dict(self) -> dict[str, Any]:
        return {"pack": "meeting", "programme": self.programme, "forum": self.forum,
                "date": self.date.isoformat(),
                "next": self.next.isoformat() if self.next else None,
                "as_of": self.as_of.isoformat(), "filters": self.filters,
                "forum_cases": self.forum_cases, "intake": self.intake,
                "include_text": self.include_text, "counts": self.counts(),
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


def _exit_proposal(case: Case, horizon: date) -> tuple[date | None, str] | None:
    """(since when, why) the case is proposed for exit, or None: engaged and not exited, and
    the latest programme review planned exit, or the plan's milestones are all settled, or
    its target end falls by the horizon."""
    if case.exit or not case.engaged_date or not case.plan:
        return None
    reviews = case.programme_reviews
    if reviews and reviews[-1].get("decision") == "plan-exit":
        return date.fromisoformat(reviews[-1]["date"]), "programme review: plan exit"
    milestones = case.milestones
    if milestones and all(m.get("status") in ("met", "missed", "dropped") for m in milestones):
        return None, "every milestone settled"
    end = case.plan.data.get("target_end")
    if end and date.fromisoformat(end) <= horizon:
        return date.fromisoformat(end), "the plan's target end"
    return None


def _texts(case: Case, kind: str) -> dict[str, Any]:
    """The free text an item's decision may draw on, only when asked (`include_text`)."""
    latest = case.latest_decision or {}
    out: dict[str, Any] = {"rationale": latest.get("rationale")}
    if kind == "proportionality-review" and case.proportionality_reviews:
        out["last_review"] = case.proportionality_reviews[-1].get("rationale")
    if kind == "exit-proposal" and case.programme_reviews:
        out["programme_review"] = case.programme_reviews[-1].get("notes")
    if kind == "exit-evaluation" and case.exit:
        out["exit_plan"] = case.exit.data.get("exit_plan")
    return {k: v for k, v in out.items() if v}


def case_items(case: Case, settings: Settings, meeting: date, horizon: date) -> list[
        tuple[str, date | None, dict[str, Any]]]:
    """What the meeting must decide about one case: (kind, due, facts), in agenda order."""
    found: list[tuple[str, date | None, dict[str, Any]]] = []
    due = {i.kind: i for i in case_due_items(case, settings, meeting)}
    base = _facts(case)
    if "proportionality-review" in due and due["proportionality-review"].due <= horizon:
        found.append(("proportionality-review", due["proportionality-review"].due,
                      {**base, "disruption": _disruption_facts(case)}))
    for kind in ("deferral-review", "decision-review"):
        if kind in due and due[kind].due <= horizon:
            found.append((kind, due[kind].due, base))
    latest = case.latest_decision
    if latest and latest.get("decision") == "not-include" and not case.exit:
        eligible = date.fromisoformat(latest["date"]) + settings.interval(
            "re-presentation")
        if eligible <= meeting:
            found.append(("re-presentation", eligible, base))
    proposed = _exit_proposal(case, horizon)
    if proposed:
        plan = case.plan.data if case.plan else {}
        found.append(("exit-proposal", proposed[0], {**base, "proposed": {
            "why": proposed[1], "engaged": case.engaged_date.isoformat()
            if case.engaged_date else None, "plan_agreed": plan.get("agreed"),
            "target_end": plan.get("target_end"),
            "milestones": {s: sum(1 for m in case.milestones if m.get("status") == s)
                           for s in ("met", "missed", "dropped", "pending")}}}))
    if "exit-evaluation" in due and case.exit and "evaluation" not in case.exit.data:
        found.append(("exit-evaluation", due["exit-evaluation"].due,
                      {**base, "exit": _exit_facts(case)}))
    return found


def pack_product(job: ProductJob, result: CaseResult) -> dict[str, Any]:
    """What the pack needs of one case, as JSON (cached per case by `read.engine.per_case`):
    whether this forum decided last, and the case's agenda items; for another forum's case,
    only its re-presentation, which an intake may bring back."""
    forum, meeting, horizon, include_text = job.params
    case = result.case
    latest = case.latest_decision
    ours = bool(latest) and same_forum((latest or {}).get("forum"), forum)
    items = case_items(case, job.settings, date.fromisoformat(meeting),
                       date.fromisoformat(horizon))
    if not ours:
        items = [i for i in items if i[0] == "re-presentation"]
    return {"ours": ours, "incomplete": case.incomplete,
            "items": [[kind, due.isoformat() if due else None,
                       facts | ({"text": _texts(case, kind)} if include_text else {})]
                      for kind, due, facts in items]}


def _now(row: Row) -> dict[str, Any]:
    return {"rank": row.rank, "score": row.score,
            "date": row.extract_date.isoformat() if row.extract_date else None}


def _in_areas(select: CaseFilter, area: str | None) -> bool:
    """A row within the pack's --area filter (a row that names no area is kept)."""
    return not select.areas or not area or area.casefold() in {
        a.casefold() for a in select.areas}


def build_pack(book: Casebook, *, forum: str, meeting: date, next_meeting: date | None,
               as_of: date, select: CaseFilter | None = None, intake: Intake | None = None,
               include_text: bool = False, use_cache: bool = True,
               jobs: int | None = None) -> MeetingPack:
    """The agenda of `forum`'s meeting on `meeting`, from the casebook as of `as_of` and, if
    given, a dashboard extract sorted against it (`intake`).

    Cases are read as they stood on `as_of` (the day the pack is made); what falls due is
    judged against the meeting's date and the horizon (the day before `next_meeting`)."""
    if next_meeting is not None and next_meeting <= meeting:
        raise ValueError("the next meeting must be after this one")
    horizon = next_meeting - timedelta(days=1) if next_meeting else meeting
    select = select or CaseFilter()
    ids = book.case_ids() if select.empty else select_cases(book, as_of, select,
                                                             use_cache=use_cache, jobs=jobs)
    pack = MeetingPack(book.settings.programme, forum, meeting, next_meeting, as_of,
                       list(select.describe()), intake=intake.source if intake else None,
                       include_text=include_text)
    rows = {r.case: r for r in intake.rows if r.case} if intake else {}
    # (order, case, due, facts, row): a nomination's "case" sorts by its rank
    found: list[tuple[int, str, date | None, dict[str, Any], Row | None]] = []
    order = {k: n for n, k in enumerate(ALLOWED)}
    made = per_case(book, "meeting-pack", pack_product, as_of=as_of, case_ids=ids,
                    params=(forum, meeting.isoformat(), horizon.isoformat(), include_text),
                    use_cache=use_cache, jobs=jobs)
    for case_id, product in zip(ids, made, strict=True):
        if product["ours"]:
            pack.forum_cases += 1
            if product["incomplete"]:
                pack.incomplete.append(case_id)
            items = product["items"]
        elif case_id in rows and rows[case_id].category == "not-included":
            # On the extract again: presented to this forum, whichever decided last.
            items = [i for i in product["items"] if i[0] == "re-presentation"]
        else:
            continue
        for kind, due, facts in items:
            facts = dict(facts)
            if case_id in rows:
                facts["dashboard_now"] = _now(rows[case_id])
            found.append((order[kind], case_id, date.fromisoformat(due) if due else None,
                          facts | {"kind": kind}, None))
    for n, row in enumerate(intake.rows if intake else []):  # already in rank order
        if row.category == "new" and _in_areas(select, row.area):
            facts = {"area": row.area, "dashboard_now": _now(row), "kind": "nomination"}
            found.append((order["nomination"], f"{n:09d}", None, facts, row))
    found.sort(key=lambda f: (f[0], f[2] or meeting, f[1]))
    for n, (_, case_id, due, facts, row) in enumerate(found, 1):
        kind = facts.pop("kind")
        pack.items.append(AgendaItem(n, kind, None if row else case_id, due, facts,
                                     row.row if row else None, row.key if row else None))
    return pack
