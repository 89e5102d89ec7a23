"""What `case list` and `case show` say about a case: its stage, a dated timeline of every
event its documents record, the latest needs scores, open milestones and what falls due next.

Values only (dicts ready for JSON); the CLI decides how they look. Event details hold
field values from documents (names of workers, forums): callers must make them safe to print.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from ..book.settings import Settings
from ..case.model import Case
from ..case.refs import ref_of
from ..case.withdrawn import label, record_date
from ..checks.validation import CaseResult
from ..due.reviews import case_due_items, with_fail_safe
from .engine import ProductJob, Progress, per_case


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event; `event` is a stable id, `detail` a short description, `ref` the
    reference of the record it comes from (its path, or PATH#ID for an entry)."""

    date: str
    event: str
    detail: str
    source: str
    ref: str = ""


def timeline(case: Case) -> list[Event]:
    """Every event in date order; on one day, in the order the programme runs. Withdrawn
    records are listed as `withdrawn` events on the date they were about, with the reason."""
    events = [e if e.ref else Event(e.date, e.event, e.detail, e.source, e.source)
              for e in _events(case)]
    events += [Event(record_date(w), "withdrawn",
                     f"{label(w)} withdrawn on {w.withdrawal['date']} by "
                     f"{w.withdrawal['by']}: {w.withdrawal['reason']}",
                     w.ref.split("#")[0], w.ref) for w in case.withdrawn]
    return sorted(events, key=lambda e: e.date)


def _ref(src: str, entry: dict[str, Any]) -> str:
    return ref_of(src, entry.get("id"))


def _events(c: Case) -> Iterator[Event]:
    if c.identification:
        src = c.identification.path
        for d in c.decisions:
            yield Event(d["date"], "decision", f"{d['decision']} at {d['forum']}", src,
                        _ref(src, d))
    yield from _contact_and_disruption(c)
    for a in c.assessments:
        yield Event(a.data["date"], "assessment",
                    f"needs assessment by {a.data['assessor']} "
                    f"({len(a.data['scores'])} domains scored)", a.path)
    if c.plan:
        yield from _plan_events(c.plan.data, c.plan.path)
    if c.exit:
        data, src = c.exit.data, c.exit.path
        yield Event(data["date"], "exit", f"exit: {data['route']}", src)
        if "feedback" in data:
            fb = data["feedback"]
            yield Event(fb["date"], "feedback",
                        "feedback declined" if fb.get("declined") else "feedback given", src)
        if "evaluation" in data:
            ev = data["evaluation"]
            yield Event(ev["date"], "evaluation", f"evaluated by {ev['by']}", src)
    if c.case:
        for r in c.retention_reviews:
            yield Event(r["date"], "retention-review",
                        f"retention review: {r['decision']} ({r['reviewer']})", c.case.path,
                        _ref(c.case.path, r))


def _contact_and_disruption(c: Case) -> Iterator[Event]:
    for x in c.contacts:
        d = x.data
        yield Event(d["date"], "contact", f"{d['purpose']}: {d['outcome']} "
                    f"({d['method']}, by {d['by']})", x.path)
    if not c.disruption:
        return
    data, src = c.disruption.data, c.disruption.path
    yield Event(data["opened"], "disruption-opened",
                f"disruption plan opened, lead {data['lead']}", src)
    for t in data["tactics"]:
        yield Event(t["from"], "tactic-started", f"tactic {t['tactic']} ({t['agency']})", src,
                    _ref(src, t))
        if "to" in t:
            yield Event(t["to"], "tactic-ended", f"tactic {t['tactic']} ({t['agency']}) ended",
                        src, _ref(src, t))
    for r in data.get("reviews", []):
        yield Event(r["date"], "proportionality-review",
                    f"proportionality review: {r['decision']} ({r['reviewer']})", src,
                    _ref(src, r))
    if "closed" in data:
        yield Event(data["closed"]["date"], "disruption-closed",
                    f"disruption plan closed: {data['closed']['reason']}", src)


def _plan_events(data: dict[str, Any], src: str) -> Iterator[Event]:
    yield Event(data["agreed"], "plan-agreed",
                f"plan agreed with {data['agreed_by']} ({len(data['goals'])} goals)", src)
    for m in data.get("milestones", []):
        if m["status"] != "pending" and "status_date" in m:
            yield Event(m["status_date"], "milestone", f"milestone {m['id']} {m['status']}", src,
                        _ref(src, m))
    for i in data.get("interventions", []):
        yield Event(i["referred"], "intervention",
                    f"referral {i['id']} to {i['provider']}", src, _ref(src, i))
        if "status_date" in i:
            yield Event(i["status_date"], "intervention",
                        f"referral {i['id']} {i['status']}", src, _ref(src, i))
    mentor = data.get("mentor")
    if mentor:
        yield Event(mentor["assigned"], "mentor", f"mentor {mentor['name']} assigned", src)
        if "ended" in mentor:
            yield Event(mentor["ended"], "mentor", f"mentoring by {mentor['name']} ended", src)
    tag = data.get("tag")
    if tag:
        consent = tag["consent"]
        yield Event(consent["date"], "tag", "tag consent recorded", src)
        if "withdrawn" in consent:
            yield Event(consent["withdrawn"], "tag", "tag consent withdrawn", src)
        if "fitted" in tag:
            yield Event(tag["fitted"], "tag", "tag fitted", src)
        for r in tag.get("reviews", []):
            yield Event(r["date"], "tag", f"tag review: {r['decision']} ({r['reviewer']})", src,
                        _ref(src, r))
        if "removed" in tag:
            yield Event(tag["removed"], "tag",
                        f"tag removed ({tag.get('removal_reason', 'no reason given')})", src)
    for r in data.get("reviews", []):
        yield Event(r["date"], "programme-review",
                    f"programme review: {r['decision']} ({r['reviewer']})", src, _ref(src, r))


def due_status(due: date, as_of: date, settings: Settings) -> str:
    if due < as_of:
        return "overdue"
    return "due-soon" if due <= as_of + settings.due_soon else "upcoming"


def next_due(case: Case, settings: Settings, as_of: date) -> list[dict[str, Any]]:
    items = []
    for item in with_fail_safe(case, case_due_items(case, settings, as_of), as_of):
        row = item.as_dict(as_of)
        row["status"] = due_status(item.due, as_of, settings)
        items.append(row)
    return items


def latest_scores(case: Case, settings: Settings) -> list[dict[str, Any]]:
    """The latest assessment's scores in the form's order, with the first assessment's for
    distance travelled."""
    if not case.latest_assessment or not case.first_assessment:
        return []
    latest = case.latest_assessment.data["scores"]
    first = case.first_assessment.data["scores"]
    rows = []
    for d in settings.domains:
        if d.id in latest:
            start = first.get(d.id, {}).get("score")
            score = latest[d.id]["score"]
            rows.append({"domain": d.id, "label": d.label, "score": score, "first": start,
                         "change": None if start is None else score - start})
    return rows


def open_milestones(case: Case) -> list[dict[str, Any]]:
    return [{"id": m["id"], "due": m["due"], "status": m["status"], "goal": m.get("goal"),
             "text": m["text"]} for m in case.milestones if m["status"] in ("pending", "missed")]


def show(case: Case, settings: Settings, as_of: date,
         problems: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    """Everything `case show` reports, as one JSON-ready mapping."""
    data = case.case.data if case.case else {}
    latest = case.latest_assessment
    return {
        "case": case.id,
        "stage": case.stage,
        "officer": case.officer,
        "area": case.area,
        "age_band": case.age_band,
        "concerns": list(data.get("concerns", [])),
        "as_of": as_of.isoformat(),
        "errors": problems[0],
        "warnings": problems[1],
        "incomplete": problems[0] > 0,
        "timeline": [asdict(e) for e in timeline(case)],
        "latest_assessment": latest.data["date"] if latest else None,
        "scores": latest_scores(case, settings),
        "open_milestones": open_milestones(case),
        "due": next_due(case, settings, as_of),
    }


LIST_COLUMNS = ("case", "stage", "officer", "area", "age_band", "concerns", "decision", "decided",
                "last_activity", "next_due", "next_kind", "next_status", "incomplete")


def list_row(case: Case, settings: Settings, as_of: date) -> dict[str, Any]:
    """One line of `case list`: who, where, which stage, and what falls due first."""
    latest = case.latest_decision
    due = next_due(case, settings, as_of)
    first = due[0] if due else None
    last = case.last_activity
    return {
        "case": case.id,
        "stage": case.stage,
        "officer": case.officer,
        "area": case.area,
        "age_band": case.age_band,
        "concerns": case.concerns,
        "decision": latest["decision"] if latest else "",
        "decided": latest["date"] if latest else "",
        "last_activity": last.isoformat() if last else "",
        "next_due": first["due"] if first else "",
        "next_kind": first["kind"] if first else "",
        "next_status": first["status"] if first else "",
        "incomplete": case.incomplete,
    }


def list_product(job: ProductJob, result: CaseResult) -> dict[str, Any] | None:
    """`case list`'s row of a case (None: not yet identified on the as-of date), as
    `engine.per_case` caches it."""
    if result.case.not_yet:
        return None
    return list_row(result.case, job.settings, job.as_of)


def list_rows(book: Casebook, as_of: date, *, use_cache: bool = True, jobs: int | None = None,
              progress: Progress | None = None) -> list[dict[str, Any]]:
    """Every case's `case list` row as it stood on `as_of`, through the cache."""
    rows = per_case(book, "case-list", list_product, as_of=as_of, use_cache=use_cache,
                    jobs=jobs, progress=progress)
    return [r for r in rows if r is not None]
