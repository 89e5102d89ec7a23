"""The case report's content: every section from the documents, due items within the window."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import CaseNotFound, CaseReport, build_case_report

from .conftest import FULL_ID, HOSTILE

AS_OF = date(2026, 11, 26)


@pytest.fixture
def full(full_book: Path) -> CaseReport:
    return build_case_report(open_casebook(full_book), FULL_ID, AS_OF)


def test_summary_and_key_dates(full: CaseReport) -> None:
    assert full.case["stage"] == "support"
    assert full.case["key_dates"] == {
        "first_decision": "2026-01-12", "first_contact": "2026-01-20",
        "declined": "2026-01-20", "engaged": "2026-03-02", "first_assessment": "2026-03-10",
        "plan_agreed": "2026-03-20", "exited": None}
    assert full.problems == 0


def test_due_items_are_overdue_or_within_the_window(full: CaseReport) -> None:
    # The window is the casebook's due_soon (14 days): up to 2026-12-10. The programme
    # review (12 months after engaging, 2027-03-02) falls outside it.
    assert full.due_window_days == 14
    assert [(i["kind"], i["due"], i["status"]) for i in full.due] == [
        ("milestone", "2026-05-01", "overdue"),
        ("tag-review", "2026-05-26", "overdue"),
        ("needs-review", "2026-11-01", "overdue"),
        ("milestone", "2026-11-01", "overdue"),
        ("milestone", "2026-12-05", "due-soon"),
    ]


def test_timeline_is_in_date_order(full: CaseReport) -> None:
    dates = [e["date"] for e in full.timeline]
    assert dates == sorted(dates)
    assert full.timeline[0] == {"date": "2026-01-12", "kind": "decision",
                                "text": "Identification decision: include", "withdrawn": None}
    assert {"date": "2026-03-03", "kind": "disruption",
            "text": "Disruption plan closed: engaged", "withdrawn": None} in full.timeline


def test_decision_with_sources_and_approach(full: CaseReport) -> None:
    (d,) = full.decisions
    assert d["dashboard"] == {"score": 71.5, "rank": 4, "date": "2026-01-05"}
    assert d["partners"] == [{"agency": "youth-justice",
                              "summary": "Known to YOS | missed appointments"}]
    assert d["approach"] == {"role": "former-yos-worker", "relationship": "Former YOS worker",
                             "by": "2026-01-26"}
    assert d["rationale"] == f"# not a heading\n{HOSTILE}"


def test_disruption_with_its_review_log(full: CaseReport) -> None:
    p = full.disruption
    assert p is not None and p["open"] is False
    assert p["closed"] == {"date": "2026-03-03", "reason": "engaged", "notes": None}
    # Opened 01-25: the first review was due 28 days later, 02-22; done 02-20.
    assert p["reviews"] == [{"date": "2026-02-20", "reviewer": "Insp 3 Lee",
                             "decision": "continue", "rationale": "Offer repeated",
                             "due": "2026-02-22", "on_time": True}]


def test_assessments_table_and_distance(full: CaseReport) -> None:
    a, dist = full.assessments, full.distance
    assert a is not None and dist is not None
    assert a["dates"] == ["2026-03-10", "2026-09-20"]
    rows = {r["domain"]: r for r in a["rows"]}
    assert len(rows) == 12
    assert rows["accommodation"] == {"domain": "accommodation", "label": "Accommodation",
                                     "scores": [3, 6]}
    assert rows["wellness"]["scores"] == [None, None]
    change = {r["domain"]: r["change"] for r in dist["rows"]}
    assert (change["accommodation"], change["substance-use"], change["wellness"]) == (3, 0, None)
    assert a["own_words"] == [{"date": "2026-09-20", "aspirations": HOSTILE, "enjoys": "Boxing",
                               "strengths": "Loyal"}]


def test_plan_milestones_interventions_mentor_tag(full: CaseReport) -> None:
    p = full.plan
    assert p is not None
    assert [m["state"] for m in p["milestones"]] == ["met", "missed", "overdue", "due-soon"]
    assert p["milestone_counts"] == {"met": 1, "missed": 1, "dropped": 0, "overdue": 1,
                                     "due-soon": 1, "pending": 0}
    first = p["interventions"][0]
    assert (first["provider_name"], first["category"], first["statutory"]) == (
        "Housing Advice Service", "housing", True)
    assert p["mentor"]["name"] == "Sam Mentor"
    assert p["tag"]["fitted"] == "2026-04-02" and p["tag"]["consent"]["present"] == ["parent"]
    assert p["goals"][0]["domains"] == ["Accommodation"]


def test_exit_feedback_and_evaluation(programme_book: Path) -> None:
    r = build_case_report(open_casebook(programme_book), "OP-FFFFFF", AS_OF)
    assert r.exit == {"date": "2026-03-01", "route": "completed", "exit_plan": None,
                      "signposting": [],
                      "feedback": {"date": "2026-03-05", "text": "It helped.", "declined": False},
                      "evaluation": {"date": "2026-03-20", "by": "Insp 3 Lee",
                                     "summary": "Goals met."}}
    assert r.case["stage"] == "exited"


def test_a_case_with_only_a_decision(casebook) -> None:
    r = build_case_report(open_casebook(casebook()), FULL_ID, AS_OF)
    assert (r.disruption, r.assessments, r.distance, r.plan, r.exit) == (None,) * 5
    assert [i["kind"] for i in r.due] == ["first-contact"]


def test_an_invalid_document_is_left_out_and_counted(casebook) -> None:
    root = casebook({f"cases/{FULL_ID}/contacts/2026-01-20-ab12.yaml":
                     "date: '2026-01-20'\nby: YW\nmethod: pigeon\npurpose: other\n"
                     "outcome: declined\n"})
    r = build_case_report(open_casebook(root), FULL_ID, AS_OF)
    assert r.contacts == [] and r.problems == 1


def test_unknown_case(full_book: Path) -> None:
    with pytest.raises(CaseNotFound):
        build_case_report(open_casebook(full_book), "OP-0000000", AS_OF)
