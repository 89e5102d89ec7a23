"""The holes the fail-safe due list closes, through the commands a person would use: a plan
closed as engaged, or an exit as completed, with no engagement; a deferral with a review date;
and `--as-of` a past date showing the case as it stood then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from recordkit import ok, run, tree

CID = "OP-7K3M9Q"
DECLINED = {
    f"cases/{CID}/contacts/2026-01-20-ab12.yaml": """
        date: '2026-01-20'
        by: Youth worker T. Mensah
        method: in-person
        purpose: engage-and-explain
        outcome: declined
        messages: [concern, consequences, police-priority, offer]
    """,
    f"cases/{CID}/disruption.yaml": """
        opened: '2026-01-22'
        lead: DS 1190 Okafor
        tactics:
          - {tactic: bail-checks, agency: police, from: '2026-01-22'}
    """,
}


@pytest.fixture
def declined(casebook) -> Path:
    return casebook(DECLINED)


def due_json(root: Path, as_of: str, *args: str) -> dict:
    return json.loads(ok("due-reviews", "-C", root, "--as-of", as_of, "--format", "json",
                         "--no-cache", *args))


def test_closing_as_engaged_without_an_engaged_contact_is_refused(declined: Path) -> None:
    before = tree(declined)
    result = run("disruption", "close", CID, "--reason", "engaged", "--date", "2026-03-01",
                 "-C", declined, "--as-of", "2026-03-01")
    assert result.exit_code == 1, result.output
    assert "closed-engaged-without-contact" in result.output
    assert tree(declined) == before


def test_exit_completed_without_engagement_is_refused(casebook) -> None:
    root = casebook()
    before = tree(root)
    result = run("exit", "record", CID, "--route", "completed", "--date", "2026-03-01",
                 "-C", root, "--as-of", "2026-03-01")
    assert result.exit_code == 1, result.output
    assert "completed-without-engagement" in result.output
    assert tree(root) == before


def test_closing_as_not_proportionate_brings_the_case_back_to_the_meeting(
        declined: Path) -> None:
    ok("disruption", "close", CID, "--reason", "not-proportionate", "--date", "2026-03-01",
       "-C", declined, "--as-of", "2026-03-01")
    items = due_json(declined, "2026-06-01")["items"]
    assert [(i["kind"], i["due"]) for i in items] == [("decision-review", "2026-03-29")]
    # the meeting defers it to a date: the deferral-review takes over
    ok("case", "decide", CID, "--decision", "defer", "--forum", "tasking", "--rationale",
       "No new intelligence", "--date", "2026-04-07", "--review-by", "2026-07-07",
       "-C", declined, "--as-of", "2026-04-07")
    items = due_json(declined, "2026-07-01")["items"]
    assert [(i["kind"], i["due"]) for i in items] == [("deferral-review", "2026-07-07")]
    # not included: closed, nothing but retention
    ok("case", "decide", CID, "--decision", "not-include", "--forum", "tasking",
       "--rationale", "Moved on", "--date", "2026-07-07", "-C", declined, "--as-of",
       "2026-07-07")
    assert due_json(declined, "2026-12-01", "--within", "10y")["items"][0]["kind"] == \
        "retention-review"


def test_review_by_is_only_for_a_deferral(declined: Path) -> None:
    result = run("case", "decide", CID, "--decision", "include", "--forum", "tasking",
                 "--rationale", "r", "--approach-role", "youth-worker",
                 "--review-by", "2026-07-07", "-C", declined,
                 "--as-of", "2026-04-07")
    assert result.exit_code == 2 and "--review-by is for a defer decision" in result.output


def test_case_show_and_list_as_of_a_past_date(casebook) -> None:
    root = casebook({**DECLINED, f"cases/{CID}/exit.yaml": "date: '2026-05-01'\nroute: other\n"})
    then = json.loads(ok("case", "show", CID, "-C", root, "--as-of", "2026-02-01", "-f",
                         "json"))
    assert then["stage"] == "disruption" and then["errors"] == 0
    assert all(e["date"] <= "2026-02-01" for e in then["timeline"])
    assert "exit" not in [e["event"] for e in then["timeline"]]
    now = json.loads(ok("case", "show", CID, "-C", root, "--as-of", "2026-06-01", "-f",
                        "json"))
    assert now["stage"] == "exited"
    rows = json.loads(ok("case", "list", "-C", root, "--as-of", "2026-02-01", "-f", "json"))
    assert [(r["case"], r["stage"]) for r in rows] == [(CID, "disruption")]
    # before the first decision (2026-01-15 in the minimal case) the case does not exist yet
    assert json.loads(ok("case", "list", "-C", root, "--as-of", "2026-01-01", "-f",
                         "json")) == []
    assert due_json(root, "2026-01-01")["items"] == []


def test_due_reviews_as_of_a_past_date_is_not_an_error(declined: Path) -> None:
    """Before, records dated after --as-of were errors, left out with a warning."""
    result = run("due-reviews", "-C", declined, "--as-of", "2026-01-21", "--format", "json",
                 "--within", "60d", "--fail-on-overdue")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["problems"] == 0
    # on 2026-01-21 the plan of 2026-01-22 did not exist: declined, no plan yet
    assert [i["kind"] for i in payload["items"]] == ["decision-review"]
