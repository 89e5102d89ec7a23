"""Withdrawn records leave the model in one place; the officer on a date; references."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import AS_OF, CASE_DIR, CASE_ID

from prelude_cli.book.casebook import open_casebook
from prelude_cli.case.entries import add_missing_ids, find_entry
from prelude_cli.case.officers import officer_on
from prelude_cli.case.refs import RefError, parse_ref
from prelude_cli.case.withdrawn import split
from prelude_cli.checks.validation import load_case

GONE = {"date": "2026-02-01", "by": "PC Hart", "reason": "typed twice"}


def test_split_leaves_withdrawn_entries_out_without_changing_the_input() -> None:
    data = {"agreed": "2026-01-01", "goals": [{"id": "g1", "text": "a"}],
            "tag": {"reviews": [{"id": "t-1", "date": "2026-01-02"},
                                {"id": "t-2", "date": "2026-01-03", "withdrawn": GONE}]}}
    kept, gone = split("plan", "cases/X/plan.yaml", data)
    assert kept is not None
    assert [r["id"] for r in kept["tag"]["reviews"]] == ["t-1"]
    assert [(w.ref, w.list_path) for w in gone] == [("cases/X/plan.yaml#t-2", ("tag", "reviews"))]
    assert len(data["tag"]["reviews"]) == 2  # the document as read is untouched


def test_split_a_withdrawn_document_and_a_reinstated_one() -> None:
    contact = {"date": "2026-02-01", "withdrawn": GONE}
    assert split("contact", "c.yaml", contact)[0] is None
    back = {"date": "2026-02-01", "withdrawn": {**GONE, "reinstated": GONE}}
    assert split("contact", "c.yaml", back) == (back, [])
    plain = {"decisions": [{"date": "2026-01-01"}]}
    assert split("identification", "i.yaml", plain)[0] is plain  # nothing copied


def test_load_case_never_gives_the_model_a_withdrawn_record(casebook) -> None:
    root = casebook({f"{CASE_DIR}/contacts/2026-02-01-ab12.yaml": """
        withdrawn: {date: '2026-02-02', by: PC Hart, reason: wrong case}
        date: '2026-02-01'
        by: T. Mensah
        method: phone
        purpose: engage-and-explain
        outcome: declined
    """})
    result = load_case(open_casebook(root), CASE_ID, as_of=AS_OF)
    assert result.case.contacts == [] and result.case.stage == "identified"
    assert [w.kind for w in result.case.withdrawn] == ["contact"]
    assert not [p for p in result.problems if p.is_error]


def test_officer_on_a_date() -> None:
    data = {"officer": "C", "officer_history": [
        {"officer": "A", "to": "2026-03-01", "reason": "r"},
        {"officer": "B", "from": "2026-03-01", "to": "2026-06-01", "reason": "r"}]}
    assert officer_on(data, date(2026, 2, 28)) == "A"
    assert officer_on(data, date(2026, 3, 1)) == "B"
    assert officer_on(data, date(2026, 6, 1)) == "C"
    assert officer_on({"officer": "C"}, date(2020, 1, 1)) == "C"


def test_missing_ids_are_minted_unique_and_found() -> None:
    data = {"tactics": [{"tactic": "x"}, {"id": "a-abcd", "tactic": "y"}, {"tactic": "z"}],
            "reviews": [{"date": "2026-01-01"}]}
    added = add_missing_ids("disruption", data)
    ids = [t["id"] for t in data["tactics"]]
    assert len(added) == 3 and len(set(ids)) == 3 and ids[1] == "a-abcd"
    assert data["reviews"][0]["id"].startswith("r-")
    assert find_entry("disruption", data, "a-abcd") == (("tactics",), 1, data["tactics"][1])
    assert add_missing_ids("disruption", data) == []


@pytest.mark.parametrize("text", ["cases/OP-1/x.yaml", "../cases/OP-1/case.yaml",
                                  "cases/OP-1", "OP-1"])
def test_refs_that_name_no_document(text: str) -> None:
    with pytest.raises(RefError):
        parse_ref(text)


def test_ref_parts() -> None:
    ref = parse_ref(".\\cases\\op-1\\plan.yaml#m-1", ["OP-1"])
    assert (ref.relpath, ref.entry, ref.case_id, ref.kind) == (
        "cases/OP-1/plan.yaml", "m-1", "OP-1", "plan")
    assert str(ref) == "cases/OP-1/plan.yaml#m-1"


def test_a_problem_after_a_withdrawn_entry_is_placed_on_its_own_line(casebook) -> None:
    root = casebook({f"{CASE_DIR}/identification.yaml": """
        decisions:
          - date: '2026-01-05'
            decision: defer
            forum: Slough Serious Violence tasking
            rationale: Wait for the assessment.
            sources: {}
            withdrawn: {date: '2026-01-20', by: PC Hart, reason: wrong case}
          - date: '2026-01-12'
            decision: include
            forum: Slough Serious Violence tasking
            rationale: Dashboard rank and partner concerns.
            sources:
              dashboard: {score: 71.5, rank: 4, date: '2026-12-05'}
            approach: {role: youth-worker-lived-experience, by: '2026-01-26'}
    """})
    result = load_case(open_casebook(root), CASE_ID, as_of=AS_OF)
    future = [p for p in result.problems if p.rule == "future-date"]
    assert [(p.pointer, p.line) for p in future] == [
        (("decisions", 1, "sources", "dashboard", "date"), 13)]


def test_personal_data_in_a_withdrawn_record_is_still_found(casebook) -> None:
    root = casebook({f"{CASE_DIR}/identification.yaml": """
        decisions:
          - date: '2026-01-05'
            decision: defer
            forum: Slough Serious Violence tasking
            rationale: Call his mum on 07700 900123.
            sources: {}
            withdrawn: {date: '2026-01-20', by: PC Hart, reason: wrong case}
          - date: '2026-01-12'
            decision: include
            forum: Slough Serious Violence tasking
            rationale: Dashboard rank and partner concerns.
            sources: {}
            approach: {role: youth-worker-lived-experience, by: '2026-01-26'}
    """, f"{CASE_DIR}/contacts/2026-02-01-ab12.yaml": """
        withdrawn: {date: '2026-02-02', by: PC Hart, reason: wrong case}
        date: '2026-02-01'
        by: T. Mensah
        method: phone
        purpose: engage-and-explain
        outcome: no-contact
        notes: Email him at someone@example.com
    """})
    result = load_case(open_casebook(root), CASE_ID, as_of=AS_OF)
    found = sorted((p.path.rsplit("/", 1)[-1], p.line) for p in result.problems
                   if p.rule == "pii-in-text")
    assert found == [("2026-02-01-ab12.yaml", 7), ("identification.yaml", 5)]
