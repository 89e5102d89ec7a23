"""The recording core without the CLI: builders return drafts, decide defaults, refuse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.schemas import choices
from prelude_cli.checks.validation import load_case
from prelude_cli.files import roundtrip
from prelude_cli.read.caseview import timeline
from prelude_cli.records import RecordError
from prelude_cli.records.assessment import AssessmentInput, add_assessment, read_form_file
from prelude_cli.records.base import set_key
from prelude_cli.records.case import Decision, NewCase, new_case
from prelude_cli.records.contact import Contact, contact_data
from prelude_cli.records.edits import apply

CID = "OP-7K3M9Q"
AS_OF = date(2026, 6, 1)
DOMAINS = ("accommodation", "education-training-employment", "finances", "mental-health",
           "wellness", "substance-use", "managing-strong-feelings", "thinking-and-behaviour",
           "family-and-relationships", "positive-influences", "positive-use-of-time",
           "safety-from-exploitation")
ENGAGED = {f"cases/{CID}/contacts/2026-01-20-ab12.yaml": """
    date: '2026-01-20'
    by: T. Mensah
    method: in-person
    purpose: engage-and-explain
    outcome: engaged
    messages: [concern, consequences, police-priority, offer]
"""}


def _assessment(day: str, score: int) -> str:
    return f"date: '{day}'\nassessor: A\nscores:\n" + "".join(
        f"  {d}: {{score: {score}}}\n" for d in DOMAINS)


def test_set_key_inserts_new_keys_in_schema_order() -> None:
    doc = roundtrip.load(b"opened: '2026-01-22'\nlead: L  # lead\ntactics: []\n"
                         b"closed: {date: '2026-03-01', reason: other}\n")
    set_key(doc, "reviews", [], "disruption")
    set_key(doc, "reason", "Because", "disruption")
    assert list(doc) == ["opened", "lead", "reason", "tactics", "reviews", "closed"]
    assert b"lead: L  # lead\n" in roundtrip.dump(doc)


def test_choices_come_from_the_schemas() -> None:
    assert choices("contact", "messages") == ["concern", "consequences", "police-priority",
                                              "offer"]
    assert "achilles-heel" in choices("disruption", "tactics", "*", "tactic")


def test_messages_are_kept_in_programme_order() -> None:
    data = contact_data(Contact(date(2026, 1, 20), "b", "phone", "revisit", "declined",
                                messages=["offer", "concern", "offer"]))
    assert data["messages"] == ["concern", "offer"]
    with pytest.raises(RecordError):
        contact_data(Contact(date(2026, 1, 20), "b", "phone", "revisit", "no-contact",
                             messages=["offer"]))


def test_new_case_mints_an_id_and_defaults_the_approach_date(casebook) -> None:
    book = open_casebook(casebook())
    decision = Decision(date(2026, 2, 2), "include", "Forum", "Why",
                        approach_role="youth-worker")
    draft = new_case(book, NewCase("PC 1", "Slough", ["violence"], "18-24", decision))
    assert book.settings.id_pattern.match(draft.made) and draft.made != CID
    ident = draft.changes[1].data.decode()
    assert "by: '2026-02-16'" in ident  # decision date + the first-contact interval
    assert "sources" not in ident  # drew on neither the dashboard nor a partner
    result = apply(book, draft.made, draft.changes, AS_OF)
    assert result.written and result.ok


def test_a_review_starts_from_the_latest_earlier_assessment(casebook) -> None:
    root = casebook({**ENGAGED,
                     f"cases/{CID}/assessments/2026-02-01.yaml": _assessment("2026-02-01", 3),
                     f"cases/{CID}/assessments/2026-04-01.yaml": _assessment("2026-04-01", 7)})
    book = open_casebook(root)
    draft = add_assessment(book, CID, AssessmentInput(date(2026, 3, 1), "A", {"finances": 4}),
                           as_of=AS_OF)
    text = draft.changes[0].data.decode()
    assert "  finances:\n    score: 4\n" in text
    assert "  wellness:\n    score: 3\n" in text  # from 2026-02-01, not the later one


def test_a_first_assessment_needs_every_domain(casebook) -> None:
    book = open_casebook(casebook(ENGAGED))
    with pytest.raises(RecordError, match="no score for: accommodation"):
        add_assessment(book, CID, AssessmentInput(date(2026, 3, 1), "A", {"finances": 4}),
                       as_of=AS_OF)


def test_form_files_take_scores_or_entries(tmp_path: Path) -> None:
    data = read_form_file(b"scores:\n  finances: 4\n  wellness: {score: 6, views: Fine}\n"
                          b"part2: {enjoys: Music}\n", "f.yaml")
    assert data == {"scores": {"finances": {"score": 4},
                               "wellness": {"score": 6, "views": "Fine"}},
                    "part2": {"enjoys": "Music"}}
    with pytest.raises(RecordError, match="f.yaml:2:"):
        read_form_file(b"scores:\n  finances: 2026-01-01\n  x: [\n", "f.yaml")


def test_timeline_is_in_date_then_programme_order(casebook) -> None:
    root = casebook({**ENGAGED,
                     f"cases/{CID}/assessments/2026-01-20.yaml": _assessment("2026-01-20", 5)})
    case = load_case(open_casebook(root), CID, as_of=AS_OF).case
    assert [(e.date, e.event) for e in timeline(case)] == [
        ("2026-01-12", "decision"), ("2026-01-20", "contact"), ("2026-01-20", "assessment")]
