"""A record's life: references, withdraw (and reinstate), amend, case reassign."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from recordkit import assert_valid, ok, run, stage, tree
from test_bad_input import SUPPORT

CID = "OP-7K3M9Q"
C = f"cases/{CID}"
AS_OF = ("--as-of", "2026-06-01")
DECLINED = f"{C}/contacts/2026-01-20-ab12.yaml"
ENGAGED = f"{C}/contacts/2026-03-01-cd34.yaml"
WHO = ("--by", "PC 4471 Hart")


@pytest.fixture
def book(casebook) -> Path:
    return casebook(SUPPORT)


def show(root: Path, as_of: str = "2026-06-01") -> dict:
    return json.loads(ok("case", "show", CID, "-C", root, "--as-of", as_of, "-f", "json"))


def load(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text())


def due_kinds(root: Path, as_of: str = "2026-06-01") -> list[str]:
    out = ok("due-reviews", "-C", root, "--as-of", as_of, "--no-cache", "--within", "5y",
             "--case", CID, "--format", "json")
    return [i["kind"] for i in json.loads(out)["items"]]


# --- references ----------------------------------------------------------------------------

def test_case_show_gives_every_record_a_reference(book: Path) -> None:
    ok("fmt", "-C", book)  # the inline documents predate ids: fmt gives their entries one
    refs = {e["event"]: e["ref"] for e in show(book)["timeline"]}
    assert refs["contact"].startswith(f"{C}/contacts/")
    decision = load(book, f"{C}/identification.yaml")["decisions"][0]["id"]
    assert refs["decision"] == f"{C}/identification.yaml#{decision}"
    assert refs["tactic-started"].startswith(f"{C}/disruption.yaml#a-")
    assert f"{C}/plan.yaml#i-abcd" in {e["ref"] for e in show(book)["timeline"]}
    text = ok("case", "show", CID, "-C", book, *AS_OF)
    assert f"{C}/identification.yaml#{decision}" in text


def test_new_entries_get_ids(book: Path) -> None:
    ok("disruption", "review", CID, "-C", book, "--reviewer", "Insp 602 Rowe", "--decision",
       "continue", "--rationale", "Still proportionate", "--date", "2026-02-10", *AS_OF)
    review = load(book, f"{C}/disruption.yaml")["reviews"][-1]
    assert review["id"].startswith("r-") and len(review["id"]) == 6


# --- withdraw ------------------------------------------------------------------------------

@pytest.mark.parametrize(("ref", "rule"), [
    (DECLINED, "disruption-without-decline"),  # the disruption plan rests on the decline
    (ENGAGED, "date-order"),  # the assessment rests on the engagement
])
def test_withdrawal_that_would_leave_an_error_is_refused(book: Path, ref: str,
                                                         rule: str) -> None:
    before = tree(book)
    result = run("withdraw", ref, "-C", book, "--reason", "Wrong case", *WHO, *AS_OF)
    assert result.exit_code == 1
    assert rule in result.output
    assert "nothing written" in result.output
    assert tree(book) == before


def test_withdraw_twice_is_refused_and_reinstate_restores(casebook) -> None:
    root = casebook({f"{C}/contacts/2026-02-01-ef56.yaml": """
        date: '2026-02-01'
        by: T. Mensah
        method: phone
        purpose: engage-and-explain
        outcome: no-contact
    """})
    rel = f"{C}/contacts/2026-02-01-ef56.yaml"
    assert stage(root, CID, "2026-06-01") == "engage"
    ok("withdraw", rel, "-C", root, "--reason", "Typed twice", *WHO, *AS_OF)
    assert stage(root, CID, "2026-06-01") == "identified"
    assert "first-contact" in due_kinds(root)
    view = show(root)
    withdrawn = [e for e in view["timeline"] if e["event"] == "withdrawn"]
    assert [(e["date"], e["ref"]) for e in withdrawn] == [("2026-02-01", rel)]
    assert "Typed twice" in withdrawn[0]["detail"]
    again = run("withdraw", rel, "-C", root, "--reason", "again", *WHO, *AS_OF)
    assert again.exit_code == 1 and "already withdrawn" in again.output
    ok("withdraw", rel, "-C", root, "--reinstate", "--reason", "Was a real attempt", *WHO,
       *AS_OF)
    assert load(root, rel)["withdrawn"]["reinstated"]["reason"] == "Was a real attempt"
    assert stage(root, CID, "2026-06-01") == "engage"
    assert_valid(root, "2026-06-01")
    not_withdrawn = run("withdraw", rel, "-C", root, "--reinstate", "--reason", "x", *WHO,
                        *AS_OF)
    assert not_withdrawn.exit_code == 1 and "not withdrawn" in not_withdrawn.output


def test_withdraw_an_entry_by_id(book: Path) -> None:
    ok("disruption", "review", CID, "-C", book, "--reviewer", "Insp 602 Rowe", "--decision",
       "continue", "--rationale", "Still proportionate", "--date", "2026-02-10", *AS_OF)
    review = load(book, f"{C}/disruption.yaml")["reviews"][-1]["id"]
    ref = f"{C}/disruption.yaml#{review}"
    ok("withdraw", ref, "-C", book, "--reason", "Entered twice", *WHO, *AS_OF)
    assert load(book, f"{C}/disruption.yaml")["reviews"][-1]["withdrawn"]["by"] == "PC 4471 Hart"
    assert_valid(book, "2026-06-01")
    events = {e["ref"]: e["event"] for e in show(book)["timeline"]}
    assert events[ref] == "withdrawn"
    report = ok("report", "case", CID, "-C", book, *AS_OF, "--format", "json")
    rows = [e for e in json.loads(report)["timeline"] if e["withdrawn"]]
    assert rows[0]["withdrawn"]["reason"] == "Entered twice"


@pytest.mark.parametrize(("ref", "code", "words"), [
    (f"{C}/case.yaml", 1, "cannot be withdrawn"),
    (f"{C}/plan.yaml#m-zzzz", 1, "no entry 'm-zzzz'"),
    ("OP-7K3M9Q", 2, "not a record reference"),
    ("cases/OP-NNNNNN/exit.yaml", 1, "no case"),
    (f"{C}/plan.yaml#", 2, "nothing after"),
])
def test_bad_references_are_refused(book: Path, ref: str, code: int, words: str) -> None:
    before = tree(book)
    result = run("withdraw", ref, "-C", book, "--reason", "r", *WHO, *AS_OF)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert tree(book) == before


def test_reference_case_id_and_windows_separators_are_forgiven(book: Path) -> None:
    typed = ENGAGED.replace("/", "\\").replace(CID, CID.lower())
    result = run("amend", typed, "-C", book, "--set", "method=phone", "--reason", "Was a call",
                 *WHO, *AS_OF)
    assert result.exit_code == 0, result.output
    assert load(book, ENGAGED)["method"] == "phone"


# --- amend ---------------------------------------------------------------------------------

def test_amend_changes_fields_and_notes_which(book: Path) -> None:
    ok("amend", f"{C}/plan.yaml#m-abcd", "-C", book, "--set", "due=2026-05-15", "--set",
       "text=Enrol at college", "--reason", "College start moved", *WHO, *AS_OF)
    milestone = load(book, f"{C}/plan.yaml")["milestones"][0]
    assert milestone["due"] == "2026-05-15" and milestone["text"] == "Enrol at college"
    assert milestone["amendments"] == [{"date": "2026-06-01", "by": "PC 4471 Hart",
                                        "reason": "College start moved",
                                        "fields": ["due", "text"]}]
    assert "Enrol" not in str(milestone["amendments"])  # old values stay in git, not here
    assert_valid(book, "2026-06-01")


def test_amend_nested_field_and_list(book: Path) -> None:
    ok("fmt", "-C", book)
    decision = load(book, f"{C}/identification.yaml")["decisions"][0]["id"]
    ref = f"{C}/identification.yaml#{decision}"
    ok("amend", ref, "-C", book, "--set", "sources.dashboard.rank=6", "--set",
       "attendees=police,housing", "--reason", "Rank misread", *WHO, *AS_OF)
    d = load(book, f"{C}/identification.yaml")["decisions"][0]
    assert d["sources"]["dashboard"]["rank"] == 6
    assert d["attendees"] == ["police", "housing"]


@pytest.mark.parametrize(("sets", "code", "words"), [
    (["outcome=maybe"], 1, "outcome"),  # outside the vocabulary: the schema refuses
    (["amendments=x"], 2, "cannot be amended"),
    (["withdrawn=x"], 2, "cannot be amended"),
    (["colour=blue"], 2, "no field 'colour'"),
    (["method=in-person"], 1, "nothing to amend"),
    (["method=phone", "method=video"], 2, "more than once"),
    (["method"], 2, "FIELD=VALUE"),
])
def test_bad_amendments_are_refused(book: Path, sets: list[str], code: int,
                                    words: str) -> None:
    before = tree(book)
    args = [a for s in sets for a in ("--set", s)]
    result = run("amend", ENGAGED, "-C", book, *args, "--reason", "r", *WHO, *AS_OF)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert tree(book) == before


def test_officer_is_changed_by_reassign_not_amend(book: Path) -> None:
    result = run("amend", f"{C}/case.yaml", "-C", book, "--set", "officer=PC 1 X",
                 "--reason", "r", *WHO, *AS_OF)
    assert result.exit_code == 2 and "case reassign" in result.output


# --- case reassign -------------------------------------------------------------------------

def test_reassign_keeps_history_and_the_officer_follows_the_as_of_date(book: Path) -> None:
    ok("case", "reassign", CID, "-C", book, "--officer", "PC 2210 Okoro", "--from",
       "2026-05-01", "--reason", "Moved to another team", *AS_OF)
    data = load(book, f"{C}/case.yaml")
    assert data["officer"] == "PC 2210 Okoro"
    assert data["officer_history"] == [{"officer": "PC 4471 Hart", "to": "2026-05-01",
                                        "reason": "Moved to another team"}]
    assert show(book, "2026-06-01")["officer"] == "PC 2210 Okoro"
    assert show(book, "2026-04-30")["officer"] == "PC 4471 Hart"
    rows = json.loads(ok("case", "list", "-C", book, "--as-of", "2026-04-30", "-f", "json"))
    assert rows[0]["officer"] == "PC 4471 Hart"
    due = json.loads(ok("due-reviews", "-C", book, "--as-of", "2026-06-01", "--no-cache",
                        "--within", "5y", "--format", "json"))["items"]
    assert {i["officer"] for i in due} == {"PC 2210 Okoro"}
    ok("case", "reassign", CID, "-C", book, "--officer", "PC 4471 Hart", "--from",
       "2026-05-20", "--reason", "Back from the other team", *AS_OF)
    history = load(book, f"{C}/case.yaml")["officer_history"]
    assert history[1] == {"officer": "PC 2210 Okoro", "from": "2026-05-01",
                          "to": "2026-05-20", "reason": "Back from the other team"}
    assert show(book, "2026-05-10")["officer"] == "PC 2210 Okoro"
    assert_valid(book, "2026-06-01")


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--officer", "pc 4471 hart", "--reason", "r"], 1, "already the Officer"),
    (["--officer", "PC 1 X"], 2, "--reason"),
])
def test_bad_reassignments_are_refused(book: Path, args: list[str], code: int,
                                       words: str) -> None:
    before = tree(book)
    result = run("case", "reassign", CID, "-C", book, *args, *AS_OF)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert tree(book) == before


def test_reassign_before_the_last_handover_is_refused(book: Path) -> None:
    ok("case", "reassign", CID, "-C", book, "--officer", "PC 2210 Okoro", "--from",
       "2026-05-01", "--reason", "Moved", *AS_OF)
    result = run("case", "reassign", CID, "-C", book, "--officer", "PC 9 Y", "--from",
                 "2026-04-01", "--reason", "r", *AS_OF)
    assert result.exit_code == 1 and "must come after" in result.output


# --- exports keep withdrawn records, marked ---------------------------------------------------

def test_export_keeps_withdrawn_records_with_a_withdrawn_column(book: Path,
                                                               tmp_path: Path) -> None:
    ok("plan", "milestone", "add", CID, "-C", book, "--text", "Second step", "--due",
       "2026-05-30", *AS_OF)
    milestones = load(book, f"{C}/plan.yaml")["milestones"]
    second = milestones[-1]["id"]
    ok("withdraw", f"{C}/plan.yaml#m-abcd", "-C", book, "--reason", "Duplicate", *WHO, *AS_OF)
    ok("amend", f"{C}/plan.yaml#{second}", "-C", book, "--set", "status=met", "--set",
       "status_date=2026-05-29", "--reason", "Met, recorded late", *WHO, *AS_OF)
    out = tmp_path / "prelude.sqlite"
    ok("export", "-C", book, "--format", "sqlite", "--out", out, *AS_OF)
    db = sqlite3.connect(out)
    rows = db.execute("SELECT milestone_seq, milestone_id, withdrawn FROM milestones "
                      "ORDER BY milestone_seq").fetchall()
    assert rows == [(1, second, None), (2, "m-abcd", "2026-06-01")]
    assert db.execute("SELECT milestones_met FROM case_summary").fetchone() == (1,)
    partner = tmp_path / "partner.sqlite"
    with open(book / "casebook.yaml", "a", encoding="utf-8") as fh:
        fh.write("partners:\n  - id: youth-justice\n    name: Youth Justice Service\n"
                 "    agreement: {reference: ISA-1, version: '1'}\n"
                 "    purposes: [Partnership meeting]\n    lawful_basis: DPA 2018 s.35\n"
                 "    valid_from: '2026-01-01'\n    valid_to: '2026-12-31'\n    scope: {}\n")
    ok("export", "-C", book, "--format", "sqlite", "--out", partner, "--audience", "partner",
       "--purpose", "Partnership meeting", "--recipient", "youth-justice", *AS_OF)
    pdb = sqlite3.connect(partner)
    assert pdb.execute("SELECT milestone_id FROM milestones").fetchall() == [(second,)]


def test_case_report_lists_the_officer_history(book: Path, tmp_path: Path) -> None:
    ok("case", "reassign", CID, "-C", book, "--officer", "PC 2210 Okoro", "--from",
       "2026-05-01", "--reason", "Moved to another team", *AS_OF)
    view = json.loads(ok("report", "case", CID, "-C", book, *AS_OF, "--format", "json"))
    assert view["case"]["officer"] == "PC 2210 Okoro"
    assert view["case"]["officer_history"] == [{"officer": "PC 4471 Hart", "from": None,
                                                "to": "2026-05-01",
                                                "reason": "Moved to another team"}]
    earlier = json.loads(ok("report", "case", CID, "-C", book, "--as-of", "2026-04-01",
                            "--format", "json"))
    assert earlier["case"]["officer"] == "PC 4471 Hart"
    assert earlier["case"]["officer_history"] == []
    md = tmp_path / "case.md"
    ok("report", "case", CID, "-C", book, *AS_OF, "--format", "md", "--out", md)
    assert "PC 4471 Hart to 2026-05-01: Moved to another team" in md.read_text()
    html = tmp_path / "case.html"
    ok("report", "case", CID, "-C", book, *AS_OF, "--out", html)
    assert "Earlier Officers in the Case" in html.read_text()


# --- duplicates ------------------------------------------------------------------------------

CONTACT = ("contact", "add", CID, "--by", "T. Mensah", "--method", "phone", "--purpose",
           "follow-up", "--outcome", "engaged", "--date", "2026-04-02")


def test_a_contact_recorded_twice_is_refused_unless_allowed(book: Path) -> None:
    first = ok(*CONTACT, "-C", book, *AS_OF)
    before = tree(book)
    again = run(*CONTACT, "-C", book, *AS_OF)
    assert again.exit_code == 1
    assert "duplicate-contact" in again.output and "--allow-duplicate" in again.output
    assert first in again.output
    assert tree(book) == before
    second = ok(*CONTACT, "-C", book, *AS_OF, "--allow-duplicate")
    result = run("validate", "-C", book, *AS_OF)
    assert result.exit_code == 0  # a warning, not an error
    assert "duplicate-contact" in result.output
    ok("withdraw", second, "-C", book, "--reason", "Typed twice", *WHO, *AS_OF)
    assert "duplicate-contact" not in run("validate", "-C", book, *AS_OF).output


def test_two_reviews_on_one_day_are_refused_and_a_contradiction_named(book: Path) -> None:
    review = ("disruption", "review", CID, "-C", book, "--reviewer", "Insp 602 Rowe",
              "--date", "2026-02-10", *AS_OF)
    ok(*review, "--decision", "continue", "--rationale", "Still proportionate")
    refused = run(*review, "--decision", "stop", "--rationale", "No longer proportionate")
    assert refused.exit_code == 1
    assert "decide differently (continue and stop)" in refused.output
    ok(*review, "--decision", "stop", "--rationale", "No longer proportionate",
       "--allow-duplicate")
    problems = json.loads(run("validate", "-C", book, *AS_OF, "--format", "json").stdout)
    rules = [p["rule"] for p in problems["problems"]]
    assert "duplicate-review" in rules


# --- personal data caught before it is written ------------------------------------------------

def test_amend_refuses_personal_data_unless_reviewed(book: Path) -> None:
    before = tree(book)
    args = ("amend", ENGAGED, "-C", book, "--set", "notes=Call him on 07700 900123",
            "--reason", "Add a note", *WHO, *AS_OF)
    refused = run(*args)
    assert refused.exit_code == 1
    assert "notes may hold personal data (a phone number)" in refused.output
    assert "07700" not in refused.output
    assert tree(book) == before
    ok(*args, "--reviewed")
    text = (book / ENGAGED).read_text()
    assert "# prelude: reviewed\nnotes: Call him on 07700 900123" in text
    assert_valid(book, "2026-06-01")
    assert "pii-in-text" not in run("validate", "-C", book, *AS_OF).output
