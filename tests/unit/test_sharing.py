"""The partner allowlist: written in the schemas, conservative, and applied deny-by-default."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.schemawalk import fields, is_free_text
from prelude_cli.checks.validation import load_case
from prelude_cli.privacy import sharing

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)


@pytest.mark.parametrize("kind", sharing.CASE_KINDS)
def test_annotations_are_partner_and_never_on_free_text(kind: str) -> None:
    for path, node in fields(kind):
        if sharing.SHARE_KEY in node:
            assert node[sharing.SHARE_KEY] == sharing.PARTNER, (kind, path)
            assert not is_free_text(node), (kind, path)
            assert not any(is_free_text(sub) for p, sub in fields(kind)
                           if p[:len(path)] == path), (kind, path)


def test_enforcement_intelligence_and_reviews_are_withheld() -> None:
    assert sharing.allowlist("disruption") == ()
    assert all(p[0] != "retention_reviews" for p in sharing.allowlist("case"))
    assert not any("sources" in p or "rationale" in p or "approach" in p
                   for p in sharing.allowlist("identification"))
    assert not any(p[0] == "tag" for p in sharing.allowlist("plan"))
    assert not sharing.is_shared("case", ("officer",))
    assert sharing.is_shared("assessment", ("scores", "accommodation", "score"))
    assert not sharing.is_shared("assessment", ("scores", "accommodation", "facts"))


def test_share_keeps_only_the_allowlist() -> None:
    contact = {"date": "2026-01-20", "by": "T. Mensah", "role": "youth-worker",
               "method": "phone", "purpose": "follow-up", "outcome": "engaged",
               "messages": ["offer"], "notes": "Rang his mum."}
    assert sharing.share("contact", contact) == {
        "date": "2026-01-20", "method": "phone", "purpose": "follow-up", "outcome": "engaged"}
    assert sharing.share("disruption", {"opened": "2026-01-22", "lead": "DS Okafor",
                                        "tactics": []}) is None
    exit_doc = {"date": "2026-10-01", "route": "completed",
                "signposting": [{"to": "gp", "for": "sleep"}],
                "feedback": {"date": "2026-10-05", "text": "It helped."}}
    assert sharing.share("exit", exit_doc) == {
        "date": "2026-10-01", "route": "completed", "feedback": {"date": "2026-10-05"}}
    assert exit_doc["feedback"]["text"] == "It helped."  # the original is untouched


def test_derived_values_are_allowed_by_name_only() -> None:
    assert sharing.source_shared("derived.stage")
    assert not sharing.source_shared("derived.due")
    assert sharing.source_shared("contact.outcome")
    assert not sharing.source_shared("contact.notes")
    assert not sharing.source_shared("providers.name")


def test_partner_case_keeps_the_stage_of_the_whole_case() -> None:
    book = open_casebook(ROOT / "sample_casebook")
    for case_id in book.case_ids():
        case = load_case(book, case_id, as_of=AS_OF, checks=False).case
        shared = sharing.partner_case(case)
        assert shared.stage == case.stage
        assert shared.disruption is None
        assert shared.officer == ""
        assert [c.date for c in shared.contacts] == [c.date for c in case.contacts]
        assert shared.first_contact_date == case.first_contact_date
        assert shared.engaged_date == case.engaged_date
