"""`stage_of`: the stage follows from the documents, one test per stage and transition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import CASE_DIR as C
from conftest import CASE_ID

from prelude_cli.book.casebook import open_casebook
from prelude_cli.case.model import STAGES, Case, stage_of
from prelude_cli.checks.validation import load_case


def decision(day: str, decided: str = "include") -> dict[str, Any]:
    return {"date": day, "decision": decided, "forum": "Tasking", "rationale": "r",
            "sources": {}}


def contact(day: str, outcome: str, purpose: str = "engage-and-explain") -> dict[str, Any]:
    return {"date": day, "by": "Youth worker", "method": "in-person", "purpose": purpose,
            "outcome": outcome}


def disruption(opened: str, closed: str | None = None, reason: str = "engaged") -> dict[str, Any]:
    data: dict[str, Any] = {"opened": opened, "lead": "DS Okafor",
                            "tactics": [{"tactic": "bail-checks", "agency": "police",
                                         "from": opened}]}
    if closed:
        data["closed"] = {"date": closed, "reason": reason}
    return data


PLAN = {"agreed": "2026-03-20", "agreed_by": "PC Hart", "goals": [{"id": "g1", "text": "t"}]}
ASSESSMENT = {"date": "2026-03-10", "assessor": "PC Hart", "scores": {"wellness": {"score": 5}}}
EXIT = {"date": "2026-10-01", "route": "completed"}


def make(*decisions: dict[str, Any], contacts: tuple[dict[str, Any], ...] = (),
         **documents: dict[str, Any]) -> Case:
    """A case from plain document data, as `load_case` builds it from valid files."""
    case = Case(CASE_ID)
    if decisions:
        case.add("identification", f"{C}/identification.yaml", {"decisions": list(decisions)})
    for i, c in enumerate(contacts):
        case.add("contact", f"{C}/contacts/{c['date']}-ab{i:02d}.yaml", c)
    for kind, data in documents.items():
        if kind == "assessment":
            case.add(kind, f"{C}/assessments/{data['date']}.yaml", data)
        else:
            case.add(kind, f"{C}/{kind}.yaml", data)
    return case.finish()


def test_identified_when_included_and_not_yet_approached() -> None:
    assert stage_of(make(decision("2026-01-12"))) == "identified"


def test_identified_with_no_identification_at_all() -> None:
    assert stage_of(make()) == "identified"


def test_deferred() -> None:
    assert stage_of(make(decision("2026-01-12", "defer"))) == "deferred"


def test_not_selected() -> None:
    assert stage_of(make(decision("2026-01-12", "not-include"))) == "not-selected"


def test_the_latest_decision_stands() -> None:
    deferred_then_included = make(decision("2026-01-05", "defer"), decision("2026-01-12"))
    assert stage_of(deferred_then_included) == "identified"
    included_then_deferred = make(decision("2026-01-12"), decision("2026-02-01", "defer"),
                                  contacts=(contact("2026-01-20", "no-contact"),))
    assert stage_of(included_then_deferred) == "deferred"


@pytest.mark.parametrize("outcome", ["no-contact", "undecided", "declined"])
def test_engage_once_approached_but_not_engaged(outcome: str) -> None:
    case = make(decision("2026-01-12"), contacts=(contact("2026-01-20", outcome),))
    assert stage_of(case) == "engage"


def test_disruption_when_declined_and_a_plan_is_open() -> None:
    case = make(decision("2026-01-12"), contacts=(contact("2026-01-20", "declined"),),
                disruption=disruption("2026-01-22"))
    assert stage_of(case) == "disruption"


def test_declined_then_disruption_closed_not_proportionate_is_back_to_engage() -> None:
    case = make(decision("2026-01-12"), contacts=(contact("2026-01-20", "declined"),),
                disruption=disruption("2026-01-22", "2026-04-01", "not-proportionate"))
    assert stage_of(case) == "engage"


def test_disruption_then_engaged_is_problem_solving() -> None:
    contacts = (contact("2026-01-20", "declined"), contact("2026-03-02", "engaged", "revisit"))
    still_open = make(decision("2026-01-12"), contacts=contacts,
                      disruption=disruption("2026-01-22"))
    assert stage_of(still_open) == "problem-solving"
    closed = make(decision("2026-01-12"), contacts=contacts,
                  disruption=disruption("2026-01-22", "2026-03-02"))
    assert stage_of(closed) == "problem-solving"


def test_problem_solving_once_engaged_with_or_without_an_assessment() -> None:
    engaged = (contact("2026-01-20", "engaged"),)
    assert stage_of(make(decision("2026-01-12"), contacts=engaged)) == "problem-solving"
    assessed = make(decision("2026-01-12"), contacts=engaged, assessment=ASSESSMENT)
    assert stage_of(assessed) == "problem-solving"


def test_support_once_a_plan_is_agreed() -> None:
    case = make(decision("2026-01-12"), contacts=(contact("2026-01-20", "engaged"),),
                assessment=ASSESSMENT, plan=PLAN)
    assert stage_of(case) == "support"


def test_exited_whatever_else_is_recorded() -> None:
    full = make(decision("2026-01-12"), contacts=(contact("2026-01-20", "engaged"),),
                assessment=ASSESSMENT, plan=PLAN, exit=EXIT)
    assert stage_of(full) == "exited"
    # Someone who never engaged can still leave the programme (custody, moved away).
    never_engaged = make(decision("2026-01-12"), contacts=(contact("2026-01-20", "declined"),),
                         disruption=disruption("2026-01-22"), exit=EXIT)
    assert stage_of(never_engaged) == "exited"


def test_every_stage_is_reachable() -> None:
    cases = [
        make(decision("2026-01-12")),
        make(decision("2026-01-12", "defer")),
        make(decision("2026-01-12", "not-include")),
        make(decision("2026-01-12"), contacts=(contact("2026-01-20", "declined"),)),
        make(decision("2026-01-12"), contacts=(contact("2026-01-20", "declined"),),
             disruption=disruption("2026-01-22")),
        make(decision("2026-01-12"), contacts=(contact("2026-01-20", "engaged"),)),
        make(decision("2026-01-12"), contacts=(contact("2026-01-20", "engaged"),), plan=PLAN),
        make(decision("2026-01-12"), exit=EXIT),
    ]
    assert [stage_of(c) for c in cases] == list(STAGES)


def test_stage_is_cached_on_the_case() -> None:
    case = make(decision("2026-01-12"))
    assert case.stage == "identified"


def test_contacts_are_taken_in_date_order() -> None:
    # Files can arrive in any order; the first engagement is the earliest by date.
    case = Case(CASE_ID)
    case.add("contact", f"{C}/contacts/2026-03-02-zz99.yaml", contact("2026-03-02", "engaged"))
    case.add("contact", f"{C}/contacts/2026-01-20-aa01.yaml", contact("2026-01-20", "engaged"))
    case.finish()
    assert case.engaged_date == date(2026, 1, 20)
    assert case.first_contact_date == date(2026, 1, 20)


def test_stage_from_files_through_load_case(casebook: Callable[..., Path]) -> None:
    """The model built by the validator from files gives the same stage."""
    root = casebook({
        f"{C}/contacts/2026-01-20-ab12.yaml": """
            date: '2026-01-20'
            by: Youth worker T. Mensah
            method: in-person
            purpose: engage-and-explain
            outcome: declined
            messages: [concern, consequences, police-priority, offer]
        """,
        f"{C}/disruption.yaml": """
            opened: '2026-01-22'
            lead: DS 1190 Okafor
            tactics:
              - {tactic: bail-checks, agency: police, from: '2026-01-22'}
        """,
    })
    result = load_case(open_casebook(root), CASE_ID, as_of=date(2026, 11, 26))
    assert result.problems == []
    assert result.case.stage == "disruption"
    assert result.case.disruption_open
    assert result.case.declined_date == date(2026, 1, 20)
