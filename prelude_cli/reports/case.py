"""The case report: one case on one page, as plain data every format renders the same way.

Each section is built from the case's valid documents with every key present (None or an
empty list when a field is not recorded), so the JSON shape is stable and renderers need no
guessing. Free text stays as written here; escaping is the renderers' job, per format.

A partner report is built the same way from the case as `sharing.partner_case` gives it, so
every field outside the allowlist is simply absent (None) and nothing is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..book.casebook import Casebook
from ..book.settings import Settings, interval_days
from ..case import withdrawn
from ..case.model import Case, to_date
from ..case.refs import no_case
from ..checks.validation import load_case
from ..due.reviews import case_due_items
from ..privacy.sharing import INTERNAL, PARTNER, partner_case


class CaseNotFound(LookupError):
    """No case folder of that id in the casebook."""


@dataclass(slots=True)
class CaseReport:
    programme: str
    as_of: date
    due_window_days: int
    problems: int  # errors that left documents out of the report
    case: dict[str, Any]
    timeline: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    contacts: list[dict[str, Any]]
    disruption: dict[str, Any] | None
    assessments: dict[str, Any] | None
    distance: dict[str, Any] | None
    plan: dict[str, Any] | None
    exit: dict[str, Any] | None
    due: list[dict[str, Any]] | None  # None: not in a partner report
    audience: str = INTERNAL
    person: dict[str, Any] | None = None  # from the identity register, only when revealed
    disclosure: dict[str, Any] | None = None  # the record a partner report is made under

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract (docs/reports.md)."""
        return {
            "report": "case",
            "audience": self.audience,
            "disclosure": self.disclosure,
            "programme": self.programme,
            "as_of": self.as_of.isoformat(),
            "person": self.person,
            "problems_left_out": self.problems,
            "case": self.case,
            "timeline": self.timeline,
            "decisions": self.decisions,
            "contacts": self.contacts,
            "disruption": self.disruption,
            "assessments": self.assessments,
            "distance_travelled": self.distance,
            "plan": self.plan,
            "exit": self.exit,
            "due": None if self.due is None else {"window_days": self.due_window_days,
                                                  "items": self.due},
        }


def build_case_report(book: Casebook, case_id: str, as_of: date,
                      audience: str = INTERNAL) -> CaseReport:
    """Read one case (as `validate` sees it, invalid documents left out) and lay it out;
    for a partner, only what the allowlist shares, and no due items."""
    if case_id not in book.case_ids():
        raise CaseNotFound(no_case(book.case_ids(), case_id))
    result = load_case(book, case_id, as_of=as_of, view=True)
    problems = sum(1 for p in result.problems if p.is_error)
    if audience == PARTNER:
        report = case_report(partner_case(result.case), book.settings, book.providers, as_of,
                             problems)
        report.due, report.audience = None, PARTNER
        return report
    return case_report(result.case, book.settings, book.providers, as_of, problems)


def case_report(case: Case, settings: Settings, providers: dict[str, dict[str, Any]],
                as_of: date, problems: int = 0) -> CaseReport:
    window = interval_days(settings.due_soon, as_of)
    horizon = as_of + timedelta(days=window)
    due = [i.as_dict(as_of) for i in case_due_items(case, settings, as_of) if i.due <= horizon]
    return CaseReport(
        programme=settings.programme, as_of=as_of, due_window_days=window, problems=problems,
        case=summary(case, as_of), timeline=timeline(case, providers),
        decisions=[decision(d) for d in case.decisions],
        contacts=[contact(c.data) for c in case.contacts],
        disruption=disruption(case, settings),
        assessments=assessments(case, settings), distance=distance(case, settings),
        plan=plan(case, settings, providers, as_of, horizon), exit=exit_(case, providers),
        due=due)


def _get(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """`keys` of `data`, None where absent: every key present, so the shape is stable."""
    return {k: data.get(k) for k in keys}


def summary(case: Case, as_of: date | None = None) -> dict[str, Any]:
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    history = case.case.data.get("officer_history", []) if case.case else []
    handed = [_get(h, "officer", "from", "to", "reason") for h in history
              if as_of is None or h["to"] <= as_of.isoformat()]

    return {
        "id": case.id,
        "stage": case.stage,
        "officer": case.officer or None,
        "area": case.area or None,
        "age_band": case.age_band or None,
        "concerns": list(case.case.data.get("concerns", [])) if case.case else [],
        "officer_history": handed,  # earlier officers, handed over by the as-of date
        "key_dates": {
            "first_decision": iso(case.first_decision_date),
            "first_contact": iso(case.first_contact_date),
            "declined": iso(case.declined_date),
            "engaged": iso(case.engaged_date),
            "first_assessment": iso(case.first_assessment.date if case.first_assessment
                                    else None),
            "plan_agreed": iso(case.plan_agreed),
            "exited": iso(case.exit_date),
        },
    }


def decision(d: dict[str, Any]) -> dict[str, Any]:
    sources = d.get("sources") or {}
    approach = d.get("approach")
    return {
        **_get(d, "date", "decision", "forum", "rationale", "recorded_by"),
        "attendees": list(d.get("attendees", [])),
        "dashboard": _get(sources["dashboard"], "score", "rank", "date")
        if "dashboard" in sources else None,
        "partners": [_get(p, "agency", "summary") for p in sources.get("partners", [])],
        "approach": _get(approach, "role", "relationship", "by") if approach else None,
    }


def contact(c: dict[str, Any]) -> dict[str, Any]:
    return {**_get(c, "date", "by", "role", "method", "purpose", "outcome", "notes"),
            "messages": list(c.get("messages", []))}


def disruption(case: Case, settings: Settings) -> dict[str, Any] | None:
    """The plan and its proportionality-review log, each review with the date it was due."""
    if not case.disruption:
        return None
    data = case.disruption.data
    interval = settings.interval("proportionality-review")
    base = case.disruption_opened
    reviews = []
    for r in case.proportionality_reviews:
        due = base + interval  # type: ignore[operator]
        when = to_date(r["date"])
        reviews.append({**_get(r, "date", "reviewer", "decision", "rationale"),
                        "due": due.isoformat(), "on_time": when <= due})  # type: ignore[operator]
        base = when
    closed = data.get("closed")
    return {
        **_get(data, "opened", "lead", "reason"),
        "open": case.disruption_open,
        "tactics": [_get(t, "tactic", "agency", "lead", "from", "to", "notes")
                    for t in data["tactics"]],
        "reviews": reviews,
        "closed": _get(closed, "date", "reason", "notes") if closed else None,
    }


def _domains(case: Case, settings: Settings) -> list[tuple[str, str]]:
    """The casebook's domains with their labels, then any other domain a score names (shown,
    not hidden, under its id: `validate` reports it)."""
    out = [(d.id, d.label) for d in settings.domains]
    known = set(settings.domain_ids)
    for a in case.assessments:
        for d in a.data["scores"]:
            if d not in known:
                known.add(d)
                out.append((d, d))
    return out


def assessments(case: Case, settings: Settings) -> dict[str, Any] | None:
    """Scores as a table, domain by date; the person's own words from part 2."""
    if not case.assessments:
        return None
    return {
        "scale": {"min": settings.scale_min, "max": settings.scale_max},
        "dates": [a.data["date"] for a in case.assessments],
        "assessors": [a.data.get("assessor") for a in case.assessments],
        "rows": [{"domain": d, "label": label,
                  "scores": [a.data["scores"].get(d, {}).get("score") for a in case.assessments]}
                 for d, label in _domains(case, settings)],
        "own_words": [{"date": a.data["date"],
                       **_get(a.data.get("part2") or {}, "aspirations", "enjoys", "strengths")}
                      for a in case.assessments if a.data.get("part2")],
    }


def distance(case: Case, settings: Settings) -> dict[str, Any] | None:
    """First against latest assessment per domain: the distance travelled."""
    if not case.assessments:
        return None
    first = case.assessments[0]
    latest = case.assessments[-1] if len(case.assessments) > 1 else None
    rows = []
    for d, label in _domains(case, settings):
        a = first.data["scores"].get(d, {}).get("score")
        b = latest.data["scores"].get(d, {}).get("score") if latest else None
        rows.append({"domain": d, "label": label, "first": a, "latest": b,
                     "change": b - a if a is not None and b is not None else None})
    return {"first": first.data["date"], "latest": latest.data["date"] if latest else None,
            "scale": {"min": settings.scale_min, "max": settings.scale_max}, "rows": rows}


def milestone_state(m: dict[str, Any], as_of: date, horizon: date) -> str:
    """met / missed / dropped as recorded; a pending one is overdue, due-soon (within the
    window) or pending (due later)."""
    if m["status"] != "pending":
        return m["status"]
    due = date.fromisoformat(m["due"])
    return "overdue" if due < as_of else "due-soon" if due <= horizon else "pending"


def plan(case: Case, settings: Settings, providers: dict[str, dict[str, Any]], as_of: date,
         horizon: date) -> dict[str, Any] | None:
    if not case.plan:
        return None
    data = case.plan.data
    labels = {d.id: d.label for d in settings.domains}
    milestones = [{**_get(m, "id", "goal", "text", "due", "status", "status_date"),
                   "state": milestone_state(m, as_of, horizon)} for m in case.milestones]
    counts = {s: 0 for s in ("met", "missed", "dropped", "overdue", "due-soon", "pending")}
    for m in milestones:
        counts[m["state"]] += 1
    tag = data.get("tag")
    return {
        **_get(data, "agreed", "agreed_by", "target_end"),
        "goals": [{**_get(g, "id", "text"),
                   "domains": [labels.get(d, d) for d in g.get("domains", [])]}
                  for g in data["goals"]],
        "milestones": milestones,
        "milestone_counts": counts,
        "interventions": [intervention(i, providers) for i in data.get("interventions", [])],
        "mentor": _get(data["mentor"], "name", "organisation", "assigned", "ended")
        if "mentor" in data else None,
        "tag": {
            "consent": {**_get(tag["consent"], "date", "recorded_by", "withdrawn"),
                        "present": list(tag["consent"].get("present", []))},
            **_get(tag, "fitted", "removed", "removal_reason"),
            "reviews": [_get(r, "date", "reviewer", "decision", "notes")
                        for r in tag.get("reviews", [])],
        } if tag else None,
        "reviews": [_get(r, "date", "reviewer", "decision", "notes")
                    for r in case.programme_reviews],
    }


def intervention(i: dict[str, Any], providers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    p = providers.get(i["provider"], {})
    return {**_get(i, "id", "provider"), "provider_name": p.get("name"),
            "category": p.get("category"), "statutory": p.get("statutory"),
            **_get(i, "goal", "referred", "status", "status_date", "notes")}


def exit_(case: Case, providers: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if not case.exit:
        return None
    data = case.exit.data
    fb, ev = data.get("feedback"), data.get("evaluation")
    return {
        **_get(data, "date", "route", "exit_plan"),
        # `to` may name a provider of providers.yaml: its name is given too, else None.
        "signposting": [{**_get(s, "to", "for"),
                         "provider_name": providers.get(s["to"], {}).get("name")}
                        for s in data.get("signposting", [])],
        "feedback": {**_get(fb, "date", "text"), "declined": bool(fb.get("declined"))}
        if fb else None,
        "evaluation": _get(ev, "date", "by", "summary") if ev else None,
    }


def timeline(case: Case, providers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Everything done on the case, oldest first: the events, not their free text."""
    ev: list[tuple[str, str, str]] = []
    for d in case.decisions:
        ev.append((d["date"], "decision", f"Identification decision: {d['decision']}"))
    for c in case.contacts:
        d = c.data
        ev.append((d["date"], "contact",
                   f"Contact ({d['purpose']}, {d['method']}): {d['outcome']}"))
    if case.disruption:
        data = case.disruption.data
        ev.append((data["opened"], "disruption", "Disruption plan opened"))
        for r in case.proportionality_reviews:
            ev.append((r["date"], "proportionality-review",
                       f"Proportionality review: {r['decision']}"))
        if "closed" in data:
            ev.append((data["closed"]["date"], "disruption",
                       f"Disruption plan closed: {data['closed']['reason']}"))
    for a in case.assessments:
        ev.append((a.data["date"], "assessment", "Needs assessment"))
    if case.plan:
        _plan_events(case.plan.data, providers, ev)
    if case.exit:
        data = case.exit.data
        ev.append((data["date"], "exit", f"Exit: {data['route']}"))
        if "feedback" in data:
            ev.append((data["feedback"]["date"], "feedback",
                       "Feedback declined" if data["feedback"].get("declined")
                       else "Feedback given"))
        if "evaluation" in data:
            ev.append((data["evaluation"]["date"], "evaluation", "Evaluation"))
    for r in case.retention_reviews:
        ev.append((r["date"], "retention-review", f"Retention review: {r['decision']}"))
    ev.sort(key=lambda e: e[0])  # stable: same-day events keep programme order
    rows: list[dict[str, Any]] = [{"date": d, "kind": k, "text": t, "withdrawn": None}
                                  for d, k, t in ev]
    # Withdrawn records no longer count, but the report shows them struck through, with why.
    rows += [{"date": withdrawn.record_date(w), "kind": "withdrawn",
              "text": f"{withdrawn.label(w).capitalize()} ({w.ref.rsplit('/', 1)[-1]})",
              "withdrawn": _get(dict(w.withdrawal), "date", "by", "reason")}
             for w in case.withdrawn]
    rows.sort(key=lambda e: e["date"])
    return rows


def _plan_events(data: dict[str, Any], providers: dict[str, dict[str, Any]],
                 ev: list[tuple[str, str, str]]) -> None:
    ev.append((data["agreed"], "plan", "Diversionary plan agreed"))
    if "mentor" in data:
        ev.append((data["mentor"]["assigned"], "mentor", "Mentor assigned"))
        if "ended" in data["mentor"]:
            ev.append((data["mentor"]["ended"], "mentor", "Mentoring ended"))
    for i in data.get("interventions", []):
        name = providers.get(i["provider"], {}).get("name", i["provider"])
        ev.append((i["referred"], "intervention", f"Referred to {name}"))
    for m in data.get("milestones", []):
        if m["status"] in ("met", "missed") and "status_date" in m:
            text = f": {m['text']}" if m.get("text") else ""
            ev.append((m["status_date"], "milestone", f"Milestone {m['status']}{text}"))
    tag = data.get("tag")
    if tag:
        ev.append((tag["consent"]["date"], "tag", "Tag consent recorded"))
        if "fitted" in tag:
            ev.append((tag["fitted"], "tag", "Tag fitted"))
        for r in tag.get("reviews", []):
            ev.append((r["date"], "tag", f"Tag review: {r['decision']}"))
        if "removed" in tag:
            ev.append((tag["removed"], "tag", "Tag removed"))
    for r in data.get("reviews", []):
        ev.append((r["date"], "programme-review", f"Programme review: {r['decision']}"))
