"""Inline casebooks for the report tests.

`PROGRAMME` holds seven small cases whose every programme figure is counted by hand in
test_report_figures.py; `FULL` is one case with every section filled, and hostile text in its
free-text fields, for the case report and escaping tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

AS_OF = "2026-11-26"
MSGS = "[concern, consequences, police-priority, offer]"

PROVIDERS = """
    providers:
      - {id: housing-advice, name: Housing Advice Service, category: housing, statutory: true}
      - {id: boxing-club, name: Community Boxing Club, category: enrichment, statutory: false}
      - {id: step-up, name: Step Up Mentoring, category: mentoring, statutory: false}
"""


def case_yaml(cid: str, age: str = "18-24") -> str:
    return (f"id: {cid}\nofficer: PC 1 Hart\narea: Slough\nconcerns: [knife-crime]\n"
            f"age_band: {age}\n")


def decisions(*items: tuple[str, str]) -> str:
    """identification.yaml from (date, decision) pairs."""
    out = "decisions:\n"
    for when, what in items:
        out += (f"  - {{date: '{when}', decision: {what}, forum: Tasking, rationale: Why, "
                f"sources: {{}}")
        out += f", approach: {{role: youth-worker, by: '{when}'}}}}\n" if what == "include" \
            else "}\n"
    return out


def contact(when: str, outcome: str, purpose: str = "engage-and-explain") -> str:
    return (f"date: '{when}'\nby: YW\nmethod: in-person\npurpose: {purpose}\n"
            f"outcome: {outcome}\nmessages: {MSGS}\n")


def assessment(when: str, **scores: int) -> str:
    body = "".join(f"  {d.replace('_', '-')}: {{score: {s}}}\n" for d, s in scores.items())
    return f"date: '{when}'\nassessor: PC 1 Hart\nscores:\n{body}"


def case_files(cid: str, docs: dict[str, str]) -> dict[str, str]:
    return {f"cases/{cid}/{name}": text for name, text in docs.items()}


PROGRAMME: dict[str, str] = {"casebook.yaml": "format: 1\n", "providers.yaml": PROVIDERS}

# A: included 01-10, engaged at first contact 01-20; three assessments; a plan; stage support.
PROGRAMME |= case_files("OP-AAAAAA", {
    "case.yaml": case_yaml("OP-AAAAAA"),
    "identification.yaml": decisions(("2026-01-10", "include")),
    "contacts/2026-01-20-aaaa.yaml": contact("2026-01-20", "engaged"),
    "assessments/2026-02-01.yaml": assessment("2026-02-01", accommodation=3, finances=4),
    "assessments/2026-03-10.yaml": assessment("2026-03-10", accommodation=6, finances=4),
    "assessments/2026-05-01.yaml": assessment("2026-05-01", accommodation=7, finances=5),
    "plan.yaml": """
        agreed: '2026-02-10'
        agreed_by: PC 1 Hart
        goals: [{id: g1, text: A home, domains: [accommodation]}]
        milestones:
          - {id: m1, goal: g1, text: Viewing, due: '2026-03-01', status: met,
             status_date: '2026-02-27'}
          - {id: m2, goal: g1, text: Bond, due: '2026-04-01', status: missed,
             status_date: '2026-04-02'}
          - {id: m3, goal: g1, text: Move in, due: '2026-12-31', status: pending}
          - {id: m4, goal: g1, text: Furniture, due: '2026-05-01', status: dropped,
             status_date: '2026-04-20'}
        interventions:
          - {id: i1, provider: housing-advice, goal: g1, referred: '2026-02-11',
             status: completed, status_date: '2026-04-01'}
          - {id: i2, provider: boxing-club, referred: '2026-02-12', status: started,
             status_date: '2026-03-01'}
    """,
})
# B: included 02-01, declined 02-20, disruption 02-25 (reviews 03-20 on time, 05-01 late),
# engaged on a revisit 05-15, plan closed 05-20; one assessment, no plan: problem-solving.
PROGRAMME |= case_files("OP-BBBBBB", {
    "case.yaml": case_yaml("OP-BBBBBB"),
    "identification.yaml": decisions(("2026-02-01", "include")),
    "contacts/2026-02-20-bbbb.yaml": contact("2026-02-20", "declined"),
    "contacts/2026-05-15-bbbb.yaml": contact("2026-05-15", "engaged", "revisit"),
    "disruption.yaml": """
        opened: '2026-02-25'
        lead: DS 2 Okafor
        tactics: [{tactic: bail-checks, agency: police, from: '2026-02-25'}]
        reviews:
          - {date: '2026-03-20', reviewer: Insp 3 Lee, decision: continue,
             rationale: Still declining}
          - {date: '2026-05-01', reviewer: Insp 3 Lee, decision: continue,
             rationale: Still declining}
        closed: {date: '2026-05-20', reason: engaged}
    """,
    "assessments/2026-06-01.yaml": assessment("2026-06-01", accommodation=5),
})
# C: included 03-01, declined 03-05, disruption open since 03-10 with no review: disruption.
PROGRAMME |= case_files("OP-CCCCCC", {
    "case.yaml": case_yaml("OP-CCCCCC"),
    "identification.yaml": decisions(("2026-03-01", "include")),
    "contacts/2026-03-05-cccc.yaml": contact("2026-03-05", "declined"),
    "disruption.yaml": """
        opened: '2026-03-10'
        lead: DS 2 Okafor
        tactics: [{tactic: vehicle-compliance, agency: police, from: '2026-03-10'}]
    """,
})
# D: not included: not-selected.
PROGRAMME |= case_files("OP-DDDDDD", {
    "case.yaml": case_yaml("OP-DDDDDD"),
    "identification.yaml": decisions(("2026-03-15", "not-include")),
})
# E: deferred 04-01, included 05-01, engaged 05-08; two assessments; exited 07-15 (moved
# away), feedback declined, no evaluation.
PROGRAMME |= case_files("OP-EEEEEE", {
    "case.yaml": case_yaml("OP-EEEEEE"),
    "identification.yaml": decisions(("2026-04-01", "defer"), ("2026-05-01", "include")),
    "contacts/2026-05-08-eeee.yaml": contact("2026-05-08", "engaged"),
    "assessments/2026-05-20.yaml": assessment("2026-05-20", accommodation=4, finances=6),
    "assessments/2026-06-25.yaml": assessment("2026-06-25", accommodation=4, finances=3),
    "plan.yaml": """
        agreed: '2026-05-25'
        agreed_by: PC 1 Hart
        goals: [{id: g1, text: Work}]
        milestones:
          - {id: m1, text: CV, due: '2026-06-30', status: met, status_date: '2026-06-28'}
          - {id: m2, text: Interview, due: '2026-07-10', status: pending}
        interventions:
          - {id: i1, provider: step-up, referred: '2026-05-26', status: completed,
             status_date: '2026-07-01'}
    """,
    "exit.yaml": """
        date: '2026-07-15'
        route: moved-away
        feedback: {date: '2026-07-20', declined: true}
    """,
})
# F: included 2025-12-01, no contact 12-10, engaged 12-16; two assessments; completed
# 2026-03-01 with feedback and an evaluation.
PROGRAMME |= case_files("OP-FFFFFF", {
    "case.yaml": case_yaml("OP-FFFFFF"),
    "identification.yaml": decisions(("2025-12-01", "include")),
    "contacts/2025-12-10-ffff.yaml": contact("2025-12-10", "no-contact"),
    "contacts/2025-12-16-ffff.yaml": contact("2025-12-16", "engaged"),
    "assessments/2026-01-05.yaml": assessment("2026-01-05", accommodation=2),
    "assessments/2026-02-10.yaml": assessment("2026-02-10", accommodation=5),
    "plan.yaml": """
        agreed: '2026-01-10'
        agreed_by: PC 1 Hart
        goals: [{id: g1, text: Stay safe}]
        milestones: [{id: m1, text: Course, due: '2026-02-01', status: met,
                      status_date: '2026-01-30'}]
    """,
    "exit.yaml": """
        date: '2026-03-01'
        route: completed
        feedback: {date: '2026-03-05', text: It helped.}
        evaluation: {date: '2026-03-20', by: Insp 3 Lee, summary: Goals met.}
    """,
})
# G: included 06-01, not yet approached: identified.
PROGRAMME |= case_files("OP-GGGGGG", {
    "case.yaml": case_yaml("OP-GGGGGG"),
    "identification.yaml": decisions(("2026-06-01", "include")),
})

HOSTILE = "<script>alert(1)</script> [bold]x[/bold] | a | [link](javascript:alert(1)) &amp;"
"""Free text that must come out literally: HTML, rich markup, table pipes, a link, an entity."""
HEADING = "# not a heading"

FULL_ID = "OP-7K3M9Q"
FULL: dict[str, str] = {"casebook.yaml": "format: 1\n", "providers.yaml": PROVIDERS}
FULL |= case_files(FULL_ID, {
    "case.yaml": case_yaml(FULL_ID, "under-18"),
    "identification.yaml": f"""
        decisions:
          - date: '2026-01-12'
            decision: include
            forum: Slough Serious Violence tasking
            attendees: [police, youth-justice]
            rationale: |-
              {HEADING}
              {HOSTILE}
            sources:
              dashboard: {{score: 71.5, rank: 4, date: '2026-01-05'}}
              partners: [{{agency: youth-justice, summary: 'Known to YOS | missed appointments'}}]
            approach: {{role: former-yos-worker, relationship: Former YOS worker, by: '2026-01-26'}}
    """,
    "contacts/2026-01-20-k3m9.yaml": contact("2026-01-20", "declined")
    + f"notes: '{HOSTILE}'\n",
    "contacts/2026-03-02-k3m9.yaml": contact("2026-03-02", "engaged", "revisit"),
    "disruption.yaml": f"""
        opened: '2026-01-25'
        lead: DS 2 Okafor
        reason: '{HOSTILE}'
        tactics:
          - {{tactic: achilles-heel, agency: housing, lead: Housing officer,
              from: '2026-01-25', to: '2026-03-02'}}
        reviews:
          - {{date: '2026-02-20', reviewer: Insp 3 Lee, decision: continue,
              rationale: Offer repeated}}
        closed: {{date: '2026-03-03', reason: engaged}}
    """,
    "assessments/2026-03-10.yaml": assessment("2026-03-10", accommodation=3, finances=4,
                                              mental_health=2, substance_use=5,
                                              positive_influences=3),
    "assessments/2026-09-20.yaml": assessment("2026-09-20", accommodation=6, finances=5,
                                              mental_health=4, substance_use=5,
                                              positive_influences=7)
    + f"part2:\n  aspirations: '{HOSTILE}'\n  enjoys: Boxing\n  strengths: Loyal\n",
    "plan.yaml": f"""
        agreed: '2026-03-20'
        agreed_by: PC 4471 Hart
        target_end: '2027-03-20'
        goals:
          - {{id: g1, text: '{HOSTILE}', domains: [accommodation]}}
        milestones:
          - {{id: m1, goal: g1, text: Viewing, due: '2026-04-01', status: met,
              status_date: '2026-03-30'}}
          - {{id: m2, goal: g1, text: Bond, due: '2026-05-01', status: missed,
              status_date: '2026-05-02'}}
          - {{id: m3, goal: g1, text: Tenancy course, due: '2026-11-01', status: pending}}
          - {{id: m4, goal: g1, text: Move in, due: '2026-12-05', status: pending}}
        interventions:
          - {{id: i1, provider: housing-advice, goal: g1, referred: '2026-03-21',
              status: started, status_date: '2026-04-01', notes: '{HOSTILE}'}}
          - {{id: i2, provider: boxing-club, referred: '2026-03-22', status: referred}}
        mentor: {{name: Sam Mentor, organisation: Step Up Mentoring, assigned: '2026-03-25'}}
        tag:
          consent: {{date: '2026-04-01', recorded_by: PC 4471 Hart, present: [parent]}}
          fitted: '2026-04-02'
          reviews: [{{date: '2026-04-28', reviewer: Insp 3 Lee, decision: continue}}]
    """,
})


@pytest.fixture
def programme_book(casebook: Callable[..., Path]) -> Path:
    return casebook(PROGRAMME, base={})


@pytest.fixture
def full_book(casebook: Callable[..., Path]) -> Path:
    return casebook(FULL, base={})
