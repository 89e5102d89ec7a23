"""The export's tables: a stable column list each, and a row builder per table from one case.

Tidy tables, one row per thing, so analysts join and pivot instead of unpicking documents.
Columns are the contract scripts rely on (docs/export.md is its dictionary; a test keeps the
two in step). Free-text columns come last in each table and are left out unless asked for,
since notes and rationales may hold personal data; the other columns keep their positions.

Builders yield dicts keyed by column name, dates as ISO text; writers turn them into their
format's types. Every builder reads one `Case`, so an export holds one case in memory at once.
A partner export feeds them the case as `sharing.partner_case` gives it (a withheld field is
simply absent) and keeps only the columns `partner.py` finds shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..book.settings import Settings
from ..case.model import Case
from ..due.reviews import case_due_items, due_items, with_fail_safe

TYPES = ("text", "integer", "number", "date", "boolean")
LIST_SEPARATOR = ";"

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str = "text"
    free_text: bool = False
    """Free text from the documents: exported only with --include-text."""


@dataclass(frozen=True, slots=True)
class Context:
    """What a builder needs beyond the case: settings, providers and the as-of date."""

    settings: Settings
    providers: dict[str, dict[str, Any]]
    as_of: date
    within_days: int


Builder = Callable[[Case, Context], Iterator[Row]]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    build: Builder
    text_only: bool = False
    """A table of free text alone: exported only with --include-text."""

    def selected(self, include_text: bool) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if include_text or not c.free_text)


def C(name: str, type_: str = "text") -> Column:  # noqa: N802 - reads like a table row
    return Column(name, type_)


def T(name: str) -> Column:  # noqa: N802
    return Column(name, "text", free_text=True)


def joined(items: list[str] | None) -> str | None:
    return LIST_SEPARATOR.join(items) if items else None


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def ref(case: Case) -> Row:
    return {"case_id": case.id}


def counts(case: Case) -> Row:
    """The first columns of a row about a record that counts: its case, and no withdrawal
    (`export/withdrawn.py` adds the rows of withdrawn records)."""
    return {"case_id": case.id, "withdrawn": None}


# --- cases -----------------------------------------------------------------------------------
def case_rows(case: Case, ctx: Context) -> Iterator[Row]:
    data = case.case.data if case.case else {}
    decisions = case.decisions
    latest = decisions[-1] if decisions else None
    include = next((d["date"] for d in decisions if d["decision"] == "include"), None)
    disruption = case.disruption.data if case.disruption else {}
    closed = disruption.get("closed") or {}
    yield {
        "id": case.id,
        "area": data.get("area"),
        "officer": data.get("officer"),
        "concerns": joined(data.get("concerns")),
        "age_band": data.get("age_band"),
        "stage": case.stage,
        "first_decision_date": iso(case.first_decision_date),
        "include_date": include,
        "latest_decision": latest["decision"] if latest else None,
        "latest_decision_date": latest["date"] if latest else None,
        "first_contact_date": iso(case.first_contact_date),
        "engaged_date": iso(case.engaged_date),
        "declined_date": iso(case.declined_date),
        "disruption_opened": disruption.get("opened"),
        "disruption_lead": disruption.get("lead"),
        "disruption_closed": closed.get("date"),
        "disruption_closed_reason": closed.get("reason"),
        "first_assessment_date": iso(case.first_assessment.date) if case.assessments else None,
        "latest_assessment_date": iso(case.latest_assessment.date) if case.assessments else None,
        "plan_agreed": iso(case.plan_agreed),
        "plan_target_end": case.plan.data.get("target_end") if case.plan else None,
        "exit_date": iso(case.exit_date),
        "exit_route": case.exit.data["route"] if case.exit else None,
        "incomplete": case.incomplete,
        "disruption_reason": disruption.get("reason"),
        "disruption_closed_notes": closed.get("notes"),
    }


CASES = Table("cases", (
    C("id"), C("area"), C("officer"), C("concerns"), C("age_band"), C("stage"),
    C("first_decision_date", "date"), C("include_date", "date"), C("latest_decision"),
    C("latest_decision_date", "date"), C("first_contact_date", "date"),
    C("engaged_date", "date"), C("declined_date", "date"), C("disruption_opened", "date"),
    C("disruption_lead"), C("disruption_closed", "date"), C("disruption_closed_reason"),
    C("first_assessment_date", "date"), C("latest_assessment_date", "date"),
    C("plan_agreed", "date"), C("plan_target_end", "date"), C("exit_date", "date"),
    C("exit_route"), C("incomplete", "boolean"), T("disruption_reason"),
    T("disruption_closed_notes"),
), ("id",), case_rows)


# --- identification --------------------------------------------------------------------------
def decision_rows(case: Case, ctx: Context) -> Iterator[Row]:
    decisions = case.decisions
    for seq, d in enumerate(decisions, 1):
        sources = d.get("sources") or {}
        dash = sources.get("dashboard") or {}
        partners = sources.get("partners") or []
        approach = d.get("approach") or {}
        summaries = [f"{p['agency']}: {p['summary']}" for p in partners if p.get("summary")]
        yield {
            **counts(case), "decision_seq": seq, "date": d["date"], "decision": d["decision"],
            "forum": d.get("forum"), "attendees": joined(d.get("attendees")),
            "dashboard_score": dash.get("score"), "dashboard_rank": dash.get("rank"),
            "dashboard_date": dash.get("date"),
            "partner_agencies": joined([p["agency"] for p in partners]),
            "approach_role": approach.get("role"), "approach_by": approach.get("by"),
            "recorded_by": d.get("recorded_by"), "is_latest": seq == len(decisions),
            "rationale": d.get("rationale"), "approach_relationship": approach.get("relationship"),
            "partner_summaries": "\n".join(summaries) or None,
        }


DECISIONS = Table("decisions", (
    C("case_id"), C("decision_seq", "integer"), C("date", "date"), C("decision"), C("forum"),
    C("attendees"), C("dashboard_score", "number"), C("dashboard_rank", "integer"),
    C("dashboard_date", "date"), C("partner_agencies"), C("approach_role"),
    C("approach_by", "date"), C("recorded_by"), C("is_latest", "boolean"),
    C("withdrawn", "date"), T("rationale"), T("approach_relationship"), T("partner_summaries"),
), ("case_id", "decision_seq"), decision_rows)


# --- engage and explain ----------------------------------------------------------------------
def contact_rows(case: Case, ctx: Context) -> Iterator[Row]:
    for seq, c in enumerate(case.contacts, 1):
        d = c.data
        yield {
            **counts(case), "contact_id": c.path.rsplit("/", 1)[-1].removesuffix(".yaml"),
            "contact_seq": seq, "date": d["date"], "by": d.get("by"), "role": d.get("role"),
            "method": d["method"], "purpose": d["purpose"], "outcome": d["outcome"],
            "messages": joined(d.get("messages")), "notes": d.get("notes"),
        }


CONTACTS = Table("contacts", (
    C("case_id"), C("contact_id"), C("contact_seq", "integer"), C("date", "date"), C("by"),
    C("role"), C("method"), C("purpose"), C("outcome"), C("messages"), C("withdrawn", "date"),
    T("notes"),
), ("case_id", "contact_id"), contact_rows)


def action_rows(case: Case, ctx: Context) -> Iterator[Row]:
    if not case.disruption:
        return
    for seq, t in enumerate(case.disruption.data["tactics"], 1):
        yield {
            **counts(case), "action_seq": seq, "tactic": t["tactic"], "agency": t["agency"],
            "lead": t.get("lead"), "from_date": t["from"], "to_date": t.get("to"),
            "notes": t.get("notes"),
        }


DISRUPTION_ACTIONS = Table("disruption_actions", (
    C("case_id"), C("action_seq", "integer"), C("tactic"), C("agency"), C("lead"),
    C("from_date", "date"), C("to_date", "date"), C("withdrawn", "date"), T("notes"),
), ("case_id", "action_seq"), action_rows)


def review_rows(case: Case, ctx: Context) -> Iterator[Row]:
    for seq, r in enumerate(case.proportionality_reviews, 1):
        yield {**counts(case), "review_seq": seq, "date": r["date"], "reviewer": r["reviewer"],
               "decision": r["decision"], "rationale": r["rationale"]}


PROPORTIONALITY_REVIEWS = Table("proportionality_reviews", (
    C("case_id"), C("review_seq", "integer"), C("date", "date"), C("reviewer"), C("decision"),
    C("withdrawn", "date"), T("rationale"),
), ("case_id", "review_seq"), review_rows)


# --- problem solving -------------------------------------------------------------------------
def assessment_rows(case: Case, ctx: Context) -> Iterator[Row]:
    """Long format: one row per domain scored, domains in the casebook's form order."""
    order = {d.id: i for i, d in enumerate(ctx.settings.domains)}
    labels = {d.id: d.label for d in ctx.settings.domains}
    last = len(case.assessments)
    for seq, a in enumerate(case.assessments, 1):
        scores = a.data["scores"]
        for domain in sorted(scores, key=lambda k: (order.get(k, len(order)), k)):
            entry = scores[domain]
            yield {
                **counts(case), "assessment_seq": seq, "date": a.data["date"],
                "assessor": a.data.get("assessor"), "is_first": seq == 1, "is_latest": seq == last,
                "domain": domain, "domain_label": labels.get(domain), "score": entry["score"],
                "facts": entry.get("facts"), "views": entry.get("views"),
            }


ASSESSMENTS = Table("assessments", (
    C("case_id"), C("assessment_seq", "integer"), C("date", "date"), C("assessor"),
    C("is_first", "boolean"), C("is_latest", "boolean"), C("domain"), C("domain_label"),
    C("score", "integer"), C("withdrawn", "date"), T("facts"), T("views"),
), ("case_id", "assessment_seq", "domain"), assessment_rows)


def part2_rows(case: Case, ctx: Context) -> Iterator[Row]:
    for seq, a in enumerate(case.assessments, 1):
        part2 = a.data.get("part2") or {}
        if part2:
            yield {**ref(case), "assessment_seq": seq, "date": a.data["date"],
                   "aspirations": part2.get("aspirations"), "enjoys": part2.get("enjoys"),
                   "strengths": part2.get("strengths")}


ASSESSMENT_PART2 = Table("assessment_part2", (
    C("case_id"), C("assessment_seq", "integer"), C("date", "date"), T("aspirations"),
    T("enjoys"), T("strengths"),
), ("case_id", "assessment_seq"), part2_rows, text_only=True)


def milestone_rows(case: Case, ctx: Context) -> Iterator[Row]:
    for seq, m in enumerate(case.milestones, 1):
        yield {**counts(case), "milestone_seq": seq, "milestone_id": m["id"], "goal": m.get("goal"),
               "due": m["due"], "status": m["status"], "status_date": m.get("status_date"),
               "milestone_text": m.get("text")}


MILESTONES = Table("milestones", (
    C("case_id"), C("milestone_seq", "integer"), C("milestone_id"), C("goal"), C("due", "date"),
    C("status"), C("status_date", "date"), C("withdrawn", "date"), T("milestone_text"),
), ("case_id", "milestone_seq"), milestone_rows)


def intervention_rows(case: Case, ctx: Context) -> Iterator[Row]:
    items = case.plan.data.get("interventions", []) if case.plan else []
    for seq, i in enumerate(items, 1):
        provider = ctx.providers.get(i["provider"]) or {}
        yield {
            **counts(case), "intervention_seq": seq, "intervention_id": i["id"],
            "provider": i["provider"], "provider_name": provider.get("name"),
            "provider_category": provider.get("category"),
            "provider_statutory": provider.get("statutory"), "goal": i.get("goal"),
            "referred": i["referred"], "status": i["status"],
            "status_date": i.get("status_date"), "notes": i.get("notes"),
        }


INTERVENTIONS = Table("interventions", (
    C("case_id"), C("intervention_seq", "integer"), C("intervention_id"), C("provider"),
    C("provider_name"), C("provider_category"), C("provider_statutory", "boolean"), C("goal"),
    C("referred", "date"), C("status"), C("status_date", "date"), C("withdrawn", "date"),
    T("notes"),
), ("case_id", "intervention_seq"), intervention_rows)


# --- support and exit ------------------------------------------------------------------------
def exit_rows(case: Case, ctx: Context) -> Iterator[Row]:
    if not case.exit:
        return
    d = case.exit.data
    signposting = d.get("signposting") or []
    feedback = d.get("feedback") or {}
    evaluation = d.get("evaluation") or {}
    reasons = [f"{s['to']}: {s['for']}" for s in signposting if s.get("for") and s.get("to")]
    yield {
        **counts(case), "date": d["date"], "route": d["route"],
        "signposted_to": joined([s["to"] for s in signposting if s.get("to")]),
        "feedback_date": feedback.get("date"), "feedback_declined": feedback.get("declined"),
        "evaluation_date": evaluation.get("date"), "evaluated_by": evaluation.get("by"),
        "exit_plan": d.get("exit_plan"), "signposting_for": "\n".join(reasons) or None,
        "feedback_text": feedback.get("text"), "evaluation_summary": evaluation.get("summary"),
    }


EXITS = Table("exits", (
    C("case_id"), C("date", "date"), C("route"), C("signposted_to"), C("feedback_date", "date"),
    C("feedback_declined", "boolean"), C("evaluation_date", "date"), C("evaluated_by"),
    C("withdrawn", "date"), T("exit_plan"), T("signposting_for"), T("feedback_text"),
    T("evaluation_summary"),
), ("case_id",), exit_rows)


def due_rows(case: Case, ctx: Context) -> Iterator[Row]:
    """The due-reviews items of this case: overdue, and due within the casebook's window."""
    items = with_fail_safe(case, case_due_items(case, ctx.settings, ctx.as_of), ctx.as_of,
                           ctx.as_of + timedelta(days=ctx.within_days))
    report = due_items([items], ctx.as_of, ctx.within_days)
    for item in report.items:
        row = item.as_dict(ctx.as_of)
        yield {"case_id": row.pop("case"), **row}


DUE_ITEMS = Table("due_items", (
    C("case_id"), C("kind"), C("due", "date"), C("status"), C("days_overdue", "integer"),
    C("officer"), C("stage"), C("detail"), C("source"), C("incomplete", "boolean"),
), (), due_rows)


INFO = Table("export_info", (
    C("export_format", "integer"), C("as_of", "date"), C("programme"),
    C("casebook_format", "integer"), C("prelude_version"), C("due_within_days", "integer"),
    C("include_text", "boolean"), C("audience"), C("filters"), C("protective_marking"),
), (), lambda case, ctx: iter(()))
"""One row about the export itself, written once at the end (not per case)."""

CASE_TABLES: tuple[Table, ...] = (
    CASES, DECISIONS, CONTACTS, DISRUPTION_ACTIONS, PROPORTIONALITY_REVIEWS, ASSESSMENTS,
    ASSESSMENT_PART2, MILESTONES, INTERVENTIONS, EXITS, DUE_ITEMS,
)
"""Tables with rows per case, `cases` first (other tables refer to it)."""

TABLES: tuple[Table, ...] = (*CASE_TABLES, INFO)


def tables_for(include_text: bool) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if include_text or not t.text_only)
