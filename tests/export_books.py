"""Inline casebooks for the export tests, with their programme figures worked out by hand."""

from __future__ import annotations

AS_OF = "2026-11-26"

CONTACT = """
    date: '{date}'
    by: Youth worker T. Mensah
    role: youth-worker-lived-experience
    method: in-person
    purpose: {purpose}
    outcome: {outcome}
    messages: [concern, consequences, police-priority, offer]
"""


def case_yaml(cid: str, officer: str = "PC 4471 Hart", area: str = "Slough") -> str:
    return f"""
        id: {cid}
        officer: {officer}
        area: {area}
        concerns: [knife-crime, county-lines]
        age_band: 18-24
    """


def decision(when: str, what: str = "include") -> str:
    approach = f"\n    approach: {{role: youth-worker, by: '{when}'}}" if what == "include" else ""
    return f"""
  - date: '{when}'
    decision: {what}
    forum: Slough Serious Violence tasking
    rationale: Dashboard rank and partner concerns.
    sources:
      dashboard: {{score: 71.5, rank: 4, date: '{when}'}}
      partners: [{{agency: housing, summary: Tenancy at risk.}}]{approach}"""


def identification(*decisions: str) -> str:
    return "decisions:" + "".join(decisions) + "\n"


def contact(when: str, outcome: str, purpose: str = "engage-and-explain") -> str:
    return CONTACT.format(date=when, outcome=outcome, purpose=purpose)


def assessment(when: str, scores: dict[str, int]) -> str:
    lines = "".join(f"\n  {d}: {{score: {s}, facts: Known., views: Hopeful.}}"
                    for d, s in scores.items())
    return (f"date: '{when}'\nassessor: PC 4471 Hart\nscores:{lines}\n"
            "part2: {aspirations: A job., enjoys: Boxing., strengths: Loyal.}\n")


PLAN = """
    agreed: '{agreed}'
    agreed_by: PC 4471 Hart
    goals:
      - {{id: g1, text: Get back into work., domains: [education-training-employment]}}
    milestones:
      - {{id: m-1, goal: g1, text: Enrol at college., due: '{m1}', status: met,
          status_date: '{m1}'}}
      - {{id: m-2, goal: g1, text: Attend an interview., due: '{m2}', status: missed,
          status_date: '{m2}'}}
      - {{id: m-3, goal: g1, text: Start a course., due: '2026-12-01', status: pending}}
    interventions:
      - {{id: i-1, provider: housing-advice, goal: g1, referred: '{agreed}', status: started}}
      - {{id: i-2, provider: boxing-club, referred: '{agreed}', status: referred}}
"""

FIGURES_BOOK: dict[str, str] = {
    "casebook.yaml": "format: 1\nprogramme: Operation Prelude - test\n",
    "providers.yaml": """
        providers:
          - {id: housing-advice, name: Housing Advice Service, category: housing,
             statutory: true}
          - {id: boxing-club, name: Community Boxing Club, category: enrichment,
             statutory: false}
    """,
    # 1: included 2026-01-12, first contact 2026-01-20 (8 days); engaged, assessed, plan: support
    "cases/OP-1AAAAA/case.yaml": case_yaml("OP-1AAAAA"),
    "cases/OP-1AAAAA/identification.yaml": identification(decision("2026-01-12")),
    "cases/OP-1AAAAA/contacts/2026-01-20-a1b2.yaml": contact("2026-01-20", "engaged"),
    "cases/OP-1AAAAA/contacts/2026-02-20-c3d4.yaml": contact("2026-02-20", "engaged", "support"),
    "cases/OP-1AAAAA/assessments/2026-02-01.yaml": assessment(
        "2026-02-01", {"accommodation": 3, "finances": 4, "substance-use": 5}),
    "cases/OP-1AAAAA/assessments/2026-03-15.yaml": assessment(
        "2026-03-15", {"accommodation": 6, "finances": 5, "substance-use": 7}),
    "cases/OP-1AAAAA/plan.yaml": PLAN.format(agreed="2026-02-10", m1="2026-03-01",
                                             m2="2026-04-01"),
    # 2: deferred, then included 2026-02-02; declined 2026-02-12 (10 days): disruption
    "cases/OP-2BBBBB/case.yaml": case_yaml("OP-2BBBBB", area="Reading"),
    "cases/OP-2BBBBB/identification.yaml": identification(decision("2026-01-05", "defer"),
                                                          decision("2026-02-02")),
    "cases/OP-2BBBBB/contacts/2026-02-12-e5f6.yaml": contact("2026-02-12", "declined"),
    "cases/OP-2BBBBB/contacts/2026-11-01-g7h8.yaml": contact("2026-11-01", "declined",
                                                             "revisit"),
    "cases/OP-2BBBBB/disruption.yaml": """
        opened: '2026-02-13'
        lead: DS 1190 Okafor
        reason: Continued carrying.
        tactics:
          - {tactic: bail-checks, agency: police, lead: PC 2 Lee, from: '2026-02-13'}
          - {tactic: achilles-heel, agency: housing, from: '2026-03-01', to: '2026-06-01'}
        reviews:
          - {date: '2026-03-10', reviewer: Insp 602 Rowe, decision: continue,
             rationale: Still carrying.}
          - {date: '2026-11-05', reviewer: Insp 602 Rowe, decision: continue,
             rationale: Still carrying.}
    """,
    # 3: included 2026-03-01 and again 2026-04-01; first contact 2026-04-05: 35 days from the
    # FIRST include (4 from the latest); no contact made: engage
    "cases/OP-3CCCCC/case.yaml": case_yaml("OP-3CCCCC"),
    "cases/OP-3CCCCC/identification.yaml": identification(decision("2026-03-01"),
                                                          decision("2026-04-01")),
    "cases/OP-3CCCCC/contacts/2026-04-05-j9k1.yaml": contact("2026-04-05", "no-contact"),
    # 4: included, never contacted: identified (not in the median)
    "cases/OP-4DDDDD/case.yaml": case_yaml("OP-4DDDDD", officer="PC 3318 Bajwa"),
    "cases/OP-4DDDDD/identification.yaml": identification(decision("2026-11-20")),
    # 5: not included: not-selected (not in the median)
    "cases/OP-5EEEEE/case.yaml": case_yaml("OP-5EEEEE", officer="PC 3318 Bajwa"),
    "cases/OP-5EEEEE/identification.yaml": identification(decision("2026-05-10",
                                                                   "not-include")),
    # 6: included 2025-06-01, engaged 2025-06-21 (20 days); exited 2026-06-01
    "cases/OP-6FFFFF/case.yaml": case_yaml("OP-6FFFFF", area="Reading"),
    "cases/OP-6FFFFF/identification.yaml": identification(decision("2025-06-01")),
    "cases/OP-6FFFFF/contacts/2025-06-21-m2n3.yaml": contact("2025-06-21", "engaged"),
    "cases/OP-6FFFFF/assessments/2025-07-01.yaml": assessment("2025-07-01", {"finances": 2}),
    "cases/OP-6FFFFF/plan.yaml": PLAN.format(agreed="2025-07-10", m1="2025-08-01",
                                             m2="2025-09-01"),
    "cases/OP-6FFFFF/exit.yaml": """
        date: '2026-06-01'
        route: completed
        exit_plan: Keep going to college.
        signposting: [{to: housing-advice, for: Tenancy support.}]
        feedback: {date: '2026-06-10', text: It helped.}
        evaluation: {date: '2026-06-20', by: Insp 815 Castellano, summary: Went well.}
    """,
}

CASELOAD_BY_STAGE = {"support": 1, "disruption": 1, "engage": 1, "identified": 1,
                     "not-selected": 1, "exited": 1}
MEDIAN_DAYS_TO_FIRST_CONTACT = 15.0
"""Median of 8, 10, 35 and 20 days: (10 + 20) / 2."""
