"""Row builders, one case at a time: every key is a column, and the derived columns say what the
data dictionary says."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prelude_cli.book.casebook import MULTI_DOCUMENTS, SINGLE_DOCUMENTS
from prelude_cli.book.settings import Settings, settings_from_data
from prelude_cli.case.model import Case
from prelude_cli.due.reviews import case_due_items, due_items
from prelude_cli.export.tables import (
    ASSESSMENTS,
    CASE_TABLES,
    CASES,
    DECISIONS,
    DUE_ITEMS,
    INTERVENTIONS,
    TABLES,
    TYPES,
    Context,
    tables_for,
)
from prelude_cli.reporters.due import COLUMNS as DUE_CSV_COLUMNS

CID = "OP-7K3M9Q"
AS_OF = date(2026, 11, 26)
ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = {"housing-advice": {"id": "housing-advice", "name": "Housing Advice Service",
                                "category": "housing", "statutory": True}}


def decision(when: str, what: str = "include") -> dict[str, Any]:
    d: dict[str, Any] = {"date": when, "decision": what, "forum": "tasking", "rationale": "r",
                         "sources": {"dashboard": {"score": 12.5, "rank": 3, "date": when},
                                     "partners": [{"agency": "housing", "summary": "s"},
                                                  {"agency": "health"}]},
                         "attendees": ["police", "housing"], "recorded_by": "HB"}
    if what == "include":
        d["approach"] = {"role": "youth-worker", "by": when, "relationship": "knows him"}
    return d


def full_case() -> Case:
    """A case with every document and every optional field the export reads."""
    c = Case(CID)
    c.add("case", f"cases/{CID}/case.yaml", {"id": CID, "officer": "PC 1 Hart", "area": "Slough",
                                               "concerns": ["violence", "weapons"],
                                               "age_band": "18-24"})
    c.add("identification", f"cases/{CID}/identification.yaml", {"decisions": [
        decision("2026-01-01", "defer"), decision("2026-01-10"), decision("2026-02-01")]})
    for name, when, outcome in (("2026-02-05-aaaa", "2026-02-05", "declined"),
                                ("2026-03-01-bbbb", "2026-03-01", "engaged")):
        c.add("contact", f"cases/{CID}/contacts/{name}.yaml", {
            "date": when, "by": "YW", "role": "youth-worker", "method": "in-person",
            "purpose": "engage-and-explain", "outcome": outcome, "notes": "n",
            "messages": ["concern", "offer"]})
    c.add("disruption", f"cases/{CID}/disruption.yaml", {
        "opened": "2026-02-06", "lead": "DS", "reason": "why",
        "tactics": [{"tactic": "bail-checks", "agency": "police", "lead": "PC", "from":
                     "2026-02-06", "to": "2026-03-01", "notes": "n"}],
        "reviews": [{"date": "2026-02-20", "reviewer": "I", "decision": "continue",
                     "rationale": "r"}],
        "closed": {"date": "2026-03-01", "reason": "engaged", "notes": "n"}})
    for when, first in (("2026-03-20", 3), ("2026-03-05", 1)):  # out of order: sorted by date
        c.add("assessment", f"cases/{CID}/assessments/{when}.yaml", {
            "date": when, "assessor": "A",
            "scores": {"finances": {"score": first + 1}, "zebra": {"score": 5},
                       "accommodation": {"score": first, "facts": "f", "views": "v"}},
            "part2": {"aspirations": "a", "enjoys": "e", "strengths": "s"}})
    c.add("plan", f"cases/{CID}/plan.yaml", {
        "agreed": "2026-03-10", "agreed_by": "x", "target_end": "2027-03-10",
        "goals": [{"id": "g1", "text": "t"}],
        "milestones": [{"id": "m-1", "goal": "g1", "text": "t", "due": "2026-04-01",
                        "status": "met", "status_date": "2026-03-30"}],
        "interventions": [{"id": "i-1", "provider": "housing-advice", "goal": "g1",
                           "referred": "2026-03-11", "status": "started",
                           "status_date": "2026-03-20", "notes": "n"},
                          {"id": "i-2", "provider": "gone-away", "referred": "2026-03-11",
                           "status": "referred"}]})
    c.add("exit", f"cases/{CID}/exit.yaml", {
        "date": "2026-10-01", "route": "completed", "exit_plan": "p",
        "signposting": [{"to": "housing-advice", "for": "f"}, {"to": "GP"}],
        "feedback": {"date": "2026-10-02", "declined": False, "text": "t"},
        "evaluation": {"date": "2026-10-03", "by": "I", "summary": "s"}})
    return c.finish()


CTX = Context(Settings(), PROVIDERS, AS_OF, 14)


def rows(table, case: Case | None = None, ctx: Context = CTX) -> list[dict[str, Any]]:
    return list(table.build(case or full_case(), ctx))


@pytest.mark.parametrize("table", CASE_TABLES, ids=lambda t: t.name)
def test_every_key_is_a_column(table) -> None:
    got = rows(table, ctx=Context(Settings(), PROVIDERS, date(2027, 12, 1), 3650))
    assert got, f"{table.name}: the full case should give rows"
    for row in got:
        assert set(row) == {c.name for c in table.columns}, table.name


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_columns_are_typed_unique_and_free_text_comes_last(table) -> None:
    names = [c.name for c in table.columns]
    assert len(names) == len(set(names))
    assert all(c.type in TYPES for c in table.columns)
    flags = [c.free_text for c in table.columns]
    assert flags == sorted(flags), f"{table.name}: free text must come after the other columns"
    assert set(table.key) <= set(names)
    if table.text_only:
        assert all(c.free_text for c in table.columns if c.name not in (*table.key, "date"))


def test_tables_without_text() -> None:
    assert "assessment_part2" not in {t.name for t in tables_for(False)}
    assert not any(c.free_text for t in tables_for(False) for c in t.selected(False))


def test_case_row_dates_and_first_include() -> None:
    (row,) = rows(CASES)
    assert row["include_date"] == "2026-01-10"  # the first include, not the latest
    assert (row["latest_decision"], row["latest_decision_date"]) == ("include", "2026-02-01")
    assert row["first_decision_date"] == "2026-01-01"
    assert (row["first_contact_date"], row["declined_date"], row["engaged_date"]) == (
        "2026-02-05", "2026-02-05", "2026-03-01")
    assert (row["first_assessment_date"], row["latest_assessment_date"]) == (
        "2026-03-05", "2026-03-20")
    assert row["concerns"] == "violence;weapons"
    assert (row["stage"], row["exit_route"], row["disruption_closed_reason"]) == (
        "exited", "completed", "engaged")


def test_a_case_without_valid_documents_still_has_a_row() -> None:
    (row,) = rows(CASES, Case("OP-BROKEN").finish())
    assert row["id"] == "OP-BROKEN" and row["area"] is None and row["stage"] == "identified"
    assert all(rows(t, Case("OP-BROKEN").finish()) == [] for t in CASE_TABLES
               if t.name not in ("cases", "due_items"))


def test_decisions_in_order_with_sources_joined() -> None:
    got = rows(DECISIONS)
    assert [r["decision_seq"] for r in got] == [1, 2, 3]
    assert [r["is_latest"] for r in got] == [False, False, True]
    assert got[0]["approach_role"] is None and got[1]["approach_role"] == "youth-worker"
    assert got[1]["partner_agencies"] == "housing;health"
    assert got[1]["partner_summaries"] == "housing: s"
    assert (got[1]["dashboard_score"], got[1]["dashboard_rank"]) == (12.5, 3)


def test_assessments_long_in_form_order_with_flags() -> None:
    got = rows(ASSESSMENTS)
    assert [(r["assessment_seq"], r["date"], r["domain"], r["score"]) for r in got] == [
        (1, "2026-03-05", "accommodation", 1), (1, "2026-03-05", "finances", 2),
        (1, "2026-03-05", "zebra", 5),
        (2, "2026-03-20", "accommodation", 3), (2, "2026-03-20", "finances", 4),
        (2, "2026-03-20", "zebra", 5)]
    assert [(r["is_first"], r["is_latest"]) for r in got[::3]] == [(True, False), (False, True)]
    assert got[0]["domain_label"] == "Accommodation" and got[2]["domain_label"] is None


def test_assessment_flags_follow_the_casebook_form() -> None:
    settings = settings_from_data({"format": 1, "needs": {"domains": [
        {"id": "zebra", "label": "Zebra"}, {"id": "finances", "label": "Money"}]}})
    got = rows(ASSESSMENTS, ctx=Context(settings, PROVIDERS, AS_OF, 14))
    assert [r["domain"] for r in got[:3]] == ["zebra", "finances", "accommodation"]
    assert got[1]["domain_label"] == "Money"


def test_interventions_join_the_provider_directory() -> None:
    known, unknown = rows(INTERVENTIONS)
    assert (known["provider_name"], known["provider_category"], known["provider_statutory"]) == (
        "Housing Advice Service", "housing", True)
    assert unknown["provider"] == "gone-away" and unknown["provider_name"] is None


def test_due_items_are_the_due_reviews_json_items() -> None:
    case = full_case()
    case.exit = None
    expected = due_items([case_due_items(case, Settings(), AS_OF)], AS_OF, 14).as_dict()["items"]
    got = rows(DUE_ITEMS, case)
    assert got and len(got) == len(expected)
    for row, item in zip(got, expected, strict=True):
        assert {("case" if k == "case_id" else k): v for k, v in row.items()} == item
    assert [c.name for c in DUE_ITEMS.columns] == ["case_id", *list(expected[0])[1:]]
    assert [c.name for c in DUE_ITEMS.columns][1:] == list(DUE_CSV_COLUMNS)[1:]


def test_free_text_columns_are_the_schemas_free_text() -> None:
    """Every case-document field marked free text reaches the export only as a free-text
    column (records about the casebook itself, such as disclosures, are not exported)."""
    marked = set()
    kinds = [*SINGLE_DOCUMENTS.values(), *MULTI_DOCUMENTS.values()]
    for schema in (ROOT / "schemas" / f"{kind}.schema.json" for kind in kinds):
        text = json.loads(schema.read_text(encoding="utf-8"))

        def walk(node: Any, name: str = "") -> None:
            if isinstance(node, dict):
                if node.get("x-free-text"):
                    marked.add(name)  # noqa: B023
                for key, value in node.items():
                    walk(value, key)
            elif isinstance(node, list):
                for value in node:
                    walk(value, name)

        walk(text)
    plain = {c.name for t in TABLES for c in t.columns if not c.free_text}
    assert {"notes", "rationale", "facts", "views", "aspirations", "exit_plan"} <= marked
    assert not marked & plain
