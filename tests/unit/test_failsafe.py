"""A broken document never hides a case, and never makes the due list say something false.

Each test is one of the holes found by trying the tool: a hand-broken plan that made a `plan`
item fall due for a plan that exists, a case.yaml error that dropped the officer, a broken
identification that left a case with nothing due, an id with a trailing newline taken as valid.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import AS_OF, CASE_ID
from conftest import CASE_DIR as C
from test_rules import EXIT, FULL, PLAN_HEAD, TAG
from typer.testing import CliRunner

from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.schemas import check
from prelude_cli.cli.main import app
from prelude_cli.due.duelist import due_list
from prelude_cli.due.reviews import DueFilter, DueReport
from prelude_cli.read.engine import summaries

runner = CliRunner()

# In support: exit removed; the tag still fitted; a second milestone pending.
OPEN_TAG = TAG.replace("  removed: '2026-06-01'\n  removal_reason: no-longer-needed\n", "")
MILESTONE_2 = ("  - id: m2\n    goal: g1\n    text: College visit.\n"
               "    due: '2026-12-01'\n    status: pending\n")
SUPPORT: dict[str, str | bytes | None] = {**FULL, f"{C}/exit.yaml": None}


def support_plan(milestone_2: str = MILESTONE_2) -> str:
    """PLAN_HEAD with a second milestone, and a tag still fitted."""
    assert PLAN_HEAD.count("\ninterventions:\n") == 1
    head = PLAN_HEAD.replace("\ninterventions:\n", "\n" + milestone_2 + "interventions:\n")
    return head + OPEN_TAG


def report(root: Path, as_of: date = AS_OF, where: DueFilter | None = None,
           within: int = 30) -> DueReport:
    book = open_casebook(root)
    cases = summaries(book, as_of=as_of, use_cache=False, jobs=1, view=True)
    return due_list(cases, as_of, within, where)


def kinds(rep: DueReport) -> list[str]:
    return sorted(i.kind for i in rep.items)


def test_the_support_fixture_is_valid_and_complete(casebook: Callable[..., Path]) -> None:
    root = casebook({f"{C}/plan.yaml": support_plan()}, base=SUPPORT)
    rep = report(root, within=400)
    assert rep.problems == 0 and rep.incomplete == {}
    assert {"milestone", "tag-review", "programme-review", "needs-review"} <= set(kinds(rep))
    assert not any(i.incomplete for i in rep.items)


def test_a_bad_milestone_leaves_the_plan_and_everything_else_in_the_list(
        casebook: Callable[..., Path]) -> None:
    broken = support_plan(MILESTONE_2.replace("status: pending", "status: done-ish"))
    root = casebook({f"{C}/plan.yaml": broken}, base=SUPPORT)
    rep = report(root, within=400)
    found = kinds(rep)
    assert "plan" not in found  # the plan exists: never "plan overdue"
    assert "tag-review" in found and "programme-review" in found
    assert [i.ref for i in rep.items if i.kind == "milestone"] == []  # m1 met; m2 broken
    assert all(i.incomplete for i in rep.items)
    assert rep.incomplete == {CASE_ID: [f"{C}/plan.yaml: milestones[1]"]}
    assert rep.problems == 1


def test_a_plan_that_cannot_be_read_never_makes_a_plan_item_due(
        casebook: Callable[..., Path]) -> None:
    root = casebook({f"{C}/plan.yaml": "agreed: '2026-03-20\ngoals: [\n"}, base=SUPPORT)
    rep = report(root, within=400)
    assert "plan" not in kinds(rep)
    assert "programme-review" in kinds(rep)  # engaged, not exited: still in sight
    assert rep.incomplete == {CASE_ID: [f"{C}/plan.yaml: the whole document"]}


def test_a_case_yaml_error_keeps_the_officer_or_keeps_the_case_in_every_officers_list(
        casebook: Callable[..., Path]) -> None:
    case_yaml = (f"id: {CASE_ID}\nofficer: PC 4471 Hart\narea: Slough\n"
                 "concerns: [knife-crime]\nage_band: 18-24\n")
    # a bad optional field: the officer survives
    root = casebook({f"{C}/case.yaml": case_yaml + "retention_reviews: nope\n"}, base=SUPPORT)
    rep = report(root, within=400, where=DueFilter(officer="pc 4471 hart"))
    assert rep.items and all(i.officer == "PC 4471 Hart" and i.incomplete for i in rep.items)
    # the officer itself is broken: the case is in any officer's list, flagged
    root = casebook({f"{C}/case.yaml": case_yaml.replace("officer: PC 4471 Hart",
                                                         "officer: [PC 4471 Hart]")},
                    base=SUPPORT)
    rep = report(root, within=400, where=DueFilter(officer="Someone Else"))
    assert rep.items and all(i.incomplete and i.officer == "" for i in rep.items)
    assert rep.incomplete_cases == [CASE_ID]


def test_a_case_with_nothing_left_to_say_gets_fix_documents(
        casebook: Callable[..., Path]) -> None:
    root = casebook({f"{C}/identification.yaml": "decisions: [\n"})
    rep = report(root)
    [item] = rep.items
    assert item.kind == "fix-documents" and item.due == AS_OF and item.incomplete
    assert item.source == f"{C}/identification.yaml"
    assert rep.as_dict()["incomplete_cases"] == [CASE_ID]


def test_missing_identification_is_a_fix_documents_item(casebook: Callable[..., Path]) -> None:
    root = casebook({f"{C}/identification.yaml": None})
    [item] = report(root).items
    assert item.kind == "fix-documents"


def test_exit_evaluation_and_retention_do_not_hide_a_broken_exited_case(
        casebook: Callable[..., Path]) -> None:
    """An exited case, fully evaluated, with a broken contact: flagged, and fix-documents."""
    root = casebook({f"{C}/contacts/2026-03-02-cd34.yaml": "date: '2026-03-02'\n"},
                    base={**FULL, f"{C}/exit.yaml": EXIT})
    rep = report(root)
    assert [i.kind for i in rep.items] == ["fix-documents"]


# --- every format and the exit code -------------------------------------------------------
@pytest.fixture
def broken_root(casebook: Callable[..., Path]) -> Path:
    broken = support_plan(MILESTONE_2.replace("status: pending", "status: done-ish"))
    return casebook({f"{C}/plan.yaml": broken}, base=SUPPORT)


def due(root: Path, *args: str):
    return runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", AS_OF.isoformat(),
                               "--within", "400d", "--no-cache", *args])


def test_every_format_says_the_list_is_incomplete(broken_root: Path) -> None:
    payload = json.loads(due(broken_root, "--format", "json").stdout)
    assert payload["problems"] == 1 and payload["incomplete_cases"] == [CASE_ID]
    assert payload["items"] and all(i["incomplete"] is True for i in payload["items"])
    csv_text = due(broken_root, "--format", "csv").stdout
    assert csv_text.splitlines()[0].endswith(",incomplete")
    assert all(line.endswith(",true") for line in csv_text.splitlines()[1:])
    from icalendar import Calendar

    events = list(Calendar.from_ical(due(broken_root, "--format", "ics").stdout).walk("VEVENT"))
    assert events and all(str(e["summary"]).endswith("(incomplete)") for e in events)
    assert all("Incomplete: this case's documents have errors" in str(e["description"])
               for e in events)
    md = due(broken_root, "--format", "md").stdout
    assert md.count("documents have errors") == 3 and CASE_ID in md.splitlines()[-1]
    table = due(broken_root)
    assert f"Incomplete: 1 problem in the documents of 1 case ({CASE_ID})" in table.stdout
    assert f"{C}/plan.yaml: milestones[1]" in table.stderr  # exactly what was left out


def test_fail_on_overdue_fails_when_documents_are_broken(broken_root: Path,
                                                         casebook: Callable[..., Path]) -> None:
    result = due(broken_root, "--fail-on-overdue", "--format", "json", "--overdue-only",
                 "--kind", "milestone")
    assert json.loads(result.stdout)["items"] == []  # nothing overdue is shown...
    assert result.exit_code == 1  # ...but nobody can vouch for that


# --- schema verdicts ------------------------------------------------------------------------
ID_FIELDS = [
    ("case", {"id": "OP-7K3M9Q", "officer": "x", "area": "a", "concerns": ["knife-crime"],
              "age_band": "18-24"}, ("id",)),
    ("plan", {"agreed": "2026-03-20", "agreed_by": "x",
              "goals": [{"id": "g1", "text": "t", "domains": ["accommodation"]}],
              "milestones": [{"id": "m1", "goal": "g1", "text": "t", "due": "2026-04-01",
                              "status": "pending"}]}, ("milestones", 0, "id")),
    ("plan", {"agreed": "2026-03-20", "agreed_by": "x",
              "goals": [{"id": "g1", "text": "t", "domains": ["accommodation"]}]},
     ("goals", 0, "id")),
    ("contact", {"date": "2026-01-20", "by": "x", "method": "phone", "purpose": "other",
                 "outcome": "engaged"}, ("date",)),
]


@pytest.mark.parametrize(("kind", "data", "pointer"), ID_FIELDS)
@pytest.mark.parametrize("fast", [True, False])
def test_a_trailing_newline_never_passes_a_pattern(kind: str, data: dict, pointer: tuple,
                                                   fast: bool) -> None:
    data = copy.deepcopy(data)
    assert check(kind, data, "x.yaml", fast=fast) == []
    node = data
    for part in pointer[:-1]:
        node = node[part]
    node[pointer[-1]] += "\n"
    problems = check(kind, data, "x.yaml", fast=fast)
    assert problems and all(p.is_error for p in problems)
    assert problems[0].rule in ("schema-pattern", "schema-format")
    assert not any("\n" in p.message for p in problems)  # never quoted into a message


def test_an_invalid_verdict_without_a_message_is_still_an_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """If the reference validator ever finds nothing where the compiled one says invalid,
    the document is still reported, never taken as valid."""
    import prelude_cli.book.schemas as schemas

    class Silent:
        def iter_errors(self, data: object) -> list[object]:
            return []

    monkeypatch.setattr(schemas, "validator", lambda kind: Silent())
    problems = schemas.check("case", {"id": 1}, "x.yaml", fast=True)
    assert [p.rule for p in problems] == ["schema"]


def test_a_special_file_where_the_plan_belongs_never_makes_a_plan_item_due(
        casebook: Callable[..., Path]) -> None:
    """A FIFO as plan.yaml: the plan is there but unreadable. No `plan` item, the case is
    flagged, and it shows in the list being read even when its other items fall later."""
    import os

    root = casebook({f"{C}/plan.yaml": None}, base=SUPPORT)
    os.mkfifo(root / C / "plan.yaml")
    rep = report(root, within=400)
    assert "plan" not in kinds(rep) and "needs-review" in kinds(rep)
    assert all(i.incomplete for i in rep.items)
    assert rep.incomplete == {CASE_ID: [f"{C}/plan.yaml: the whole document"]}
    # a window in which nothing of the case falls due: fix-documents keeps it in the list
    later = report(root, as_of=date(2026, 3, 15), within=3)
    assert [i.kind for i in later.items] == ["fix-documents"]
