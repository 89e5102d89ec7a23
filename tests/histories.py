"""Random case histories that follow the programme, kept as dated events.

A history is a list of `(date, step)` in date order; each step changes the case's documents
(kind -> data; contacts and assessments are lists). Applying every step gives the case as it
is; applying only the steps dated on or before D gives the case as it stood on D, built
without `asat`, so the two can be compared. Every history is valid: tests check it against
the schemas and the cross-document rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from prelude_cli.case.model import Case

Docs = dict[str, Any]
Step = Callable[[Docs], None]
History = list[tuple[date, Step]]
CID = "OP-7K3M9Q"
MESSAGES = ["concern", "consequences", "police-priority", "offer"]
START = date(2024, 1, 1)


def build(history: History, until: date | None = None) -> Case:
    """The case from the steps dated on or before `until` (all of them without it)."""
    docs: Docs = {"case": {"id": CID, "officer": "PC 4471 Hart", "area": "Slough",
                           "concerns": ["knife-crime"], "age_band": "under-18"},
                  "contacts": [], "assessments": []}
    for day, step in history:
        if until is None or day <= until:
            step(docs)
    case = Case(CID)
    base = f"cases/{CID}"
    for kind in ("case", "identification", "disruption", "plan", "exit"):
        if kind in docs:
            case.add(kind, f"{base}/{kind}.yaml", docs[kind])
    for i, c in enumerate(docs["contacts"]):
        case.add("contact", f"{base}/contacts/{c['date']}-{i:04d}.yaml", c)
    for a in docs["assessments"]:
        case.add("assessment", f"{base}/assessments/{a['date']}.yaml", a)
    return case.finish()


class Writer:
    """Builds one history: a clock that only moves forward, and the steps so far."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.day = START + timedelta(days=rng.randrange(0, 200))
        self.history: History = []
        self.disrupted = False

    def later(self, lo: int = 1, hi: int = 45) -> str:
        self.day += timedelta(days=self.rng.randint(lo, hi))
        return self.day.isoformat()

    def at(self, day: str, step: Step) -> None:
        self.history.append((date.fromisoformat(day), step))

    # --- steps ---------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        day = self.later()
        entry: dict[str, Any] = {"date": day, "decision": decision, "forum": "tasking",
                                 "rationale": "r", "sources": {}}
        if decision == "include":
            entry["approach"] = {"role": "youth-worker", "by": self.later_text(14)}
        if decision == "defer" and self.rng.random() < 0.5:
            entry["review_by"] = self.later_text(self.rng.randint(10, 120))

        def step(d: Docs) -> None:
            d.setdefault("identification", {"decisions": []})
            d["identification"] = {"decisions": [*d["identification"]["decisions"], entry]}
        self.at(day, step)

    def later_text(self, days: int) -> str:
        return (self.day + timedelta(days=days)).isoformat()

    def contact(self, outcome: str, purpose: str = "engage-and-explain") -> str:
        day = self.later()
        c: dict[str, Any] = {"date": day, "by": "YW", "method": "in-person",
                             "purpose": purpose, "outcome": outcome}
        if outcome != "no-contact" and purpose in ("engage-and-explain", "revisit"):
            c["messages"] = (MESSAGES if self.rng.random() < 0.85
                             else self.rng.sample(MESSAGES[:3], 2))
        self.at(day, lambda d: d.__setitem__("contacts", [*d["contacts"], c]))
        return day

    def open_disruption(self) -> None:
        day = self.later(0, 10)
        plan = {"opened": day, "lead": "DS", "tactics": [
            {"tactic": "bail-checks", "agency": "police", "from": day}]}
        self.at(day, lambda d: d.__setitem__("disruption", plan))

    def review_disruption(self, decision: str = "continue") -> None:
        day = self.later(10, 35)
        review = {"date": day, "reviewer": "Insp", "decision": decision, "rationale": "r"}

        def step(d: Docs) -> None:
            plan = d["disruption"]
            d["disruption"] = {**plan, "reviews": [*plan.get("reviews", []), review]}
        self.at(day, step)

    def close_disruption(self, reason: str) -> None:
        day = self.later(0, 5)

        def step(d: Docs) -> None:
            plan = d["disruption"]
            tactics = [{**t, "to": day} if "to" not in t else t for t in plan["tactics"]]
            d["disruption"] = {**plan, "tactics": tactics,
                               "closed": {"date": day, "reason": reason}}
        self.at(day, step)

    def assess(self) -> None:
        day = self.later(3, 40)
        a = {"date": day, "assessor": "PC", "scores": {
            k: {"score": self.rng.randint(1, 10)} for k in (
                "accommodation", "education-training-employment", "finances", "mental-health",
                "wellness", "substance-use", "managing-strong-feelings",
                "thinking-and-behaviour", "family-and-relationships", "positive-influences",
                "positive-use-of-time", "safety-from-exploitation")}}
        self.at(day, lambda d: d.__setitem__("assessments", [*d["assessments"], a]))

    def agree_plan(self) -> None:
        day = self.later(1, 20)
        milestones = [{"id": f"m{i}", "goal": "g1", "text": "t",
                       "due": self.later_text(self.rng.randint(10, 200)), "status": "pending"}
                      for i in range(self.rng.randint(0, 3))]
        plan = {"agreed": day, "agreed_by": "PC", "goals": [
            {"id": "g1", "text": "t", "domains": ["accommodation"]}],
            "milestones": milestones}
        self.at(day, lambda d: d.__setitem__("plan", plan))

    def plan_change(self, change: Callable[[dict[str, Any], str], dict[str, Any]],
                    lo: int = 5, hi: int = 60) -> str:
        day = self.later(lo, hi)
        self.at(day, lambda d: d.__setitem__("plan", change(d["plan"], day)))
        return day

    def exit(self, route: str) -> None:
        day = self.later(5, 60)
        record: dict[str, Any] = {"date": day, "route": route}
        self.at(day, lambda d: d.__setitem__("exit", record))
        for part in ("feedback", "evaluation"):
            if self.rng.random() < 0.6:
                when = self.later(1, 40)
                value = ({"date": when, "text": "t"} if part == "feedback"
                         else {"date": when, "by": "Insp", "summary": "s"})

                def step(d: Docs, part: str = part, value: dict[str, Any] = value) -> None:
                    d["exit"] = {**d["exit"], part: value}
                self.at(when, step)


def history(rng: random.Random) -> History:
    """One case's history, from its first decision to wherever it stops."""
    w = Writer(rng)
    for _ in range(rng.randint(1, 3)):  # each pass: a decision, and what follows from it
        decision = rng.choices(["include", "defer", "not-include"], [7, 2, 1])[0]
        w.decide(decision)
        if decision != "include" or rng.random() < 0.15:
            if rng.random() < 0.5:
                break
            continue
        if _approach(w) == "engaged":
            _support(w)
            break
        if rng.random() < 0.4:
            break
    return w.history


def _approach(w: Writer) -> str:
    """Contacts until the person answers (or the history stops); enforcement on a decline."""
    rng = w.rng
    while True:
        outcome = rng.choices(["engaged", "declined", "no-contact", "undecided"], [3, 3, 2, 2])[0]
        w.contact(outcome)
        if outcome == "engaged":
            return outcome
        if outcome == "declined":
            break
        if rng.random() < 0.3:
            return "stopped"
    if rng.random() < 0.2 or w.disrupted:
        return "declined"  # no plan opened (yet); a case has one disruption plan at most
    w.disrupted = True
    w.open_disruption()
    for _ in range(rng.randint(0, 4)):
        if rng.random() < 0.5:
            w.contact(rng.choice(["declined", "no-contact", "undecided"]), "revisit")
        else:
            w.review_disruption()
    end = rng.random()
    if end < 0.35:
        w.contact("engaged", "revisit")
        w.close_disruption("engaged")
        return "engaged"
    if end < 0.7:
        w.review_disruption("stop")
        w.close_disruption("not-proportionate")
    return "declined"


def _support(w: Writer) -> None:
    rng = w.rng
    if rng.random() < 0.15:
        return
    w.assess()
    if rng.random() < 0.2:
        return
    w.agree_plan()
    fitted = False
    for _ in range(rng.randint(0, 6)):
        pick = rng.random()
        if pick < 0.25:
            w.assess()
        elif pick < 0.45:
            w.plan_change(_milestone_status(rng))
        elif pick < 0.6 and not fitted:
            w.plan_change(lambda p, day: {**p, "tag": {
                "consent": {"date": day, "recorded_by": "PC", "present": ["parent"]},
                "fitted": day}})
            fitted = True
        elif pick < 0.75 and fitted:
            w.plan_change(lambda p, day: {**p, "tag": {**p["tag"], "reviews": [
                *p["tag"].get("reviews", []),
                {"date": day, "reviewer": "PC", "decision": "continue"}]}}, 10, 35)
        else:
            w.plan_change(lambda p, day: {**p, "reviews": [
                *p.get("reviews", []), {"date": day, "reviewer": "Insp",
                                        "decision": "continue"}]}, 30, 120)
    if rng.random() < 0.5:
        if fitted:
            w.plan_change(lambda p, day: {**p, "tag": {**p["tag"], "removed": day,
                                                       "removal_reason": "exited"}}, 1, 5)
        w.exit(rng.choice(["completed", "disengaged", "custody", "moved-away", "other"]))


def _milestone_status(rng: random.Random) -> Callable[[dict[str, Any], str], dict[str, Any]]:
    status = rng.choice(["met", "missed", "dropped"])

    def change(plan: dict[str, Any], day: str) -> dict[str, Any]:
        pending = [m for m in plan.get("milestones", []) if m["status"] == "pending"]
        if not pending:
            return plan
        target = pending[0]["id"]
        return {**plan, "milestones": [
            {**m, "status": status, "status_date": day} if m["id"] == target else m
            for m in plan["milestones"]]}
    return change
