"""Which export columns a partner may have: each column names the fields it comes from.

A column goes into a partner export only when every field it is made from is on the partner
allowlist (`sharing.source_shared`); `()` marks a column made from no case data at all (keys,
sequence numbers, the export's own details). A column missing from SOURCES is withheld, and a
table left with nothing but such columns is left out. The rows themselves are built from the
case as `sharing.partner_case` gives it, so a withheld field could not reach them anyway.
"""

from __future__ import annotations

import dataclasses

from ..privacy.sharing import Fields, source_shared
from .tables import Table

P = "plan.interventions.*.provider"
D = "identification.decisions.*"
SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "cases": {
        "id": (), "area": ("case.area",), "officer": ("case.officer",),
        "concerns": ("case.concerns",), "age_band": ("case.age_band",),
        "stage": ("derived.stage",), "first_decision_date": (f"{D}.date",),
        "include_date": (f"{D}.date", f"{D}.decision"), "latest_decision": (f"{D}.decision",),
        "latest_decision_date": (f"{D}.date",), "first_contact_date": ("contact.date",),
        "engaged_date": ("contact.date", "contact.outcome"),
        "declined_date": ("contact.date", "contact.outcome"),
        "disruption_opened": ("disruption.opened",), "disruption_lead": ("disruption.lead",),
        "disruption_closed": ("disruption.closed.date",),
        "disruption_closed_reason": ("disruption.closed.reason",),
        "first_assessment_date": ("assessment.date",),
        "latest_assessment_date": ("assessment.date",), "plan_agreed": ("plan.agreed",),
        "plan_target_end": ("plan.target_end",), "exit_date": ("exit.date",),
        "exit_route": ("exit.route",), "disruption_reason": ("disruption.reason",),
        "disruption_closed_notes": ("disruption.closed.notes",),
    },
    "decisions": {
        "case_id": (), "decision_seq": (), "date": (f"{D}.date",),
        "decision": (f"{D}.decision",), "forum": (f"{D}.forum",),
        "attendees": (f"{D}.attendees",), "dashboard_score": (f"{D}.sources.dashboard.score",),
        "dashboard_rank": (f"{D}.sources.dashboard.rank",),
        "dashboard_date": (f"{D}.sources.dashboard.date",),
        "partner_agencies": (f"{D}.sources.partners.*.agency",),
        "approach_role": (f"{D}.approach.role",), "approach_by": (f"{D}.approach.by",),
        "recorded_by": (f"{D}.recorded_by",), "is_latest": (), "rationale": (f"{D}.rationale",),
        "approach_relationship": (f"{D}.approach.relationship",),
        "partner_summaries": (f"{D}.sources.partners.*.summary",),
    },
    "contacts": {
        "case_id": (), "contact_id": (), "contact_seq": (), "date": ("contact.date",),
        "by": ("contact.by",), "role": ("contact.role",), "method": ("contact.method",),
        "purpose": ("contact.purpose",), "outcome": ("contact.outcome",),
        "messages": ("contact.messages",), "notes": ("contact.notes",),
    },
    "disruption_actions": {
        "case_id": (), "action_seq": (), "tactic": ("disruption.tactics.*.tactic",),
        "agency": ("disruption.tactics.*.agency",), "lead": ("disruption.tactics.*.lead",),
        "from_date": ("disruption.tactics.*.from",), "to_date": ("disruption.tactics.*.to",),
        "notes": ("disruption.tactics.*.notes",),
    },
    "proportionality_reviews": {
        "case_id": (), "review_seq": (), "date": ("disruption.reviews.*.date",),
        "reviewer": ("disruption.reviews.*.reviewer",),
        "decision": ("disruption.reviews.*.decision",),
        "rationale": ("disruption.reviews.*.rationale",),
    },
    "assessments": {
        "case_id": (), "assessment_seq": (), "date": ("assessment.date",),
        "assessor": ("assessment.assessor",), "is_first": (), "is_latest": (), "domain": (),
        "domain_label": (), "score": ("assessment.scores.*.score",),
        "facts": ("assessment.scores.*.facts",), "views": ("assessment.scores.*.views",),
    },
    "assessment_part2": {
        "case_id": (), "assessment_seq": (), "date": ("assessment.date",),
        "aspirations": ("assessment.part2.aspirations",),
        "enjoys": ("assessment.part2.enjoys",), "strengths": ("assessment.part2.strengths",),
    },
    "milestones": {
        "case_id": (), "milestone_seq": (), "milestone_id": ("plan.milestones.*.id",),
        "goal": ("plan.milestones.*.goal",), "due": ("plan.milestones.*.due",),
        "status": ("plan.milestones.*.status",),
        "status_date": ("plan.milestones.*.status_date",),
        "milestone_text": ("plan.milestones.*.text",),
    },
    "interventions": {
        "case_id": (), "intervention_seq": (), "intervention_id": ("plan.interventions.*.id",),
        "provider": (P,), "provider_name": (P,), "provider_category": (P,),
        "provider_statutory": (P,), "goal": ("plan.interventions.*.goal",),
        "referred": ("plan.interventions.*.referred",),
        "status": ("plan.interventions.*.status",),
        "status_date": ("plan.interventions.*.status_date",),
        "notes": ("plan.interventions.*.notes",),
    },
    "exits": {
        "case_id": (), "date": ("exit.date",), "route": ("exit.route",),
        "signposted_to": ("exit.signposting.*.to",), "feedback_date": ("exit.feedback.date",),
        "feedback_declined": ("exit.feedback.declined",),
        "evaluation_date": ("exit.evaluation.date",), "evaluated_by": ("exit.evaluation.by",),
        "exit_plan": ("exit.exit_plan",), "signposting_for": ("exit.signposting.*.for",),
        "feedback_text": ("exit.feedback.text",),
        "evaluation_summary": ("exit.evaluation.summary",),
    },
    # Due items are the team's own work list, drawn from every document: never shared.
    "due_items": {},
    "export_info": {name: () for name in (
        "export_format", "as_of", "programme", "casebook_format", "prelude_version",
        "due_within_days", "include_text", "audience", "filters", "protective_marking")},
}


def column_shared(table: str, column: str, fields: Fields = None) -> bool:
    sources = SOURCES.get(table, {}).get(column)
    return sources is not None and all(source_shared(s, fields) for s in sources)


def partner_tables(tables: tuple[Table, ...], fields: Fields = None) -> tuple[Table, ...]:
    """The tables as a partner export writes them: shared columns only (of those, an
    agreement's `fields` when given), in their order; a table left without any column of
    case data is dropped."""
    out = []
    for table in tables:
        columns = tuple(c for c in table.columns
                        if column_shared(table.name, c.name, fields))
        if table.name != "export_info" and not any(SOURCES[table.name][c.name]
                                                   for c in columns):
            continue
        key = tuple(k for k in table.key if any(c.name == k for c in columns))
        out.append(dataclasses.replace(table, columns=columns, key=key))
    return tuple(out)
