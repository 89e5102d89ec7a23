"""Properties of the due list over thousands of generated case histories (tests/histories.py).

1. Every open case has a next action: at any as-of date, a case identified, deferred, being
   engaged, under disruption, in problem solving or in support has an item other than a
   retention review; an exited case has exit-evaluation until feedback and evaluation are in;
   every case has a retention review.
2. "As at" is a point in time: the due list of a case seen as at D equals the due list of the
   same case built only from what happened on or before D.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import write_casebook
from histories import CID, History, build, history

from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.schemas import check
from prelude_cli.book.settings import Settings
from prelude_cli.case.asat import case_at
from prelude_cli.case.model import Case
from prelude_cli.checks import CheckContext, run_rules
from prelude_cli.due.reviews import case_due_items, with_fail_safe
from prelude_cli.read.engine import summaries

S = Settings()
HISTORIES = 2500
OPEN_STAGES = {"identified", "deferred", "engage", "disruption", "problem-solving", "support"}
DOC_KIND = {"contacts": "contact", "assessments": "assessment"}


def problems_of(case: Case) -> list[str]:
    """Schema and cross-document errors of a built case (as validate would find them)."""
    out = [f"{r.path}: {p.rule} {p.message}" for kind, r in case.records()
           for p in check(kind, r.data, r.path) if p.is_error]
    ctx = CheckContext(case, CID, S, {}, date(2100, 1, 1))
    out += [f"{p.path}: {p.rule} {p.message}" for p in run_rules(ctx) if p.is_error]
    return out


def as_of_dates(rng: random.Random, h: History) -> list[date]:
    first, last = h[0][0], h[-1][0]
    span = (last - first).days + 400
    picks = [first + timedelta(days=rng.randrange(-20, span)) for _ in range(4)]
    return [*picks, *(day for day, _ in h[:: max(1, len(h) // 3)])]


def check_invariant(case: Case, as_of: date) -> str | None:
    """What is wrong with the case's due items at `as_of`, or None."""
    if case.not_yet:
        return None
    kinds = [i.kind for i in case_due_items(case, S, as_of)]
    stage = case.stage
    if "retention-review" not in kinds:
        return f"no retention review at stage {stage}"
    if stage in OPEN_STAGES and set(kinds) <= {"retention-review"}:
        return f"nothing due but retention at stage {stage}"
    if stage == "exited":
        missing = {"feedback", "evaluation"} - set(case.exit.data)  # type: ignore[union-attr]
        if bool(missing) != ("exit-evaluation" in kinds):
            return f"exit-evaluation {'missing' if missing else 'present'} ({missing})"
    return None


def test_every_generated_history_is_valid_and_always_has_a_next_action() -> None:
    rng = random.Random(20261207)
    checked = stages = 0
    seen: set[str] = set()
    failures: list[str] = []
    for n in range(HISTORIES):
        h = history(rng)
        full = build(h)
        errors = problems_of(full)
        assert errors == [], (n, errors)
        for day in as_of_dates(rng, h):
            case = case_at(full, day.isoformat())
            checked += 1
            if not case.not_yet:
                seen.add(case.stage)
                stages += 1
            wrong = check_invariant(case, day)
            if wrong:
                failures.append(f"history {n} as of {day}: {wrong}")
    print(f"next-action invariant: {HISTORIES} histories, {checked} as-of dates "
          f"({stages} with the case in existence), stages seen: {sorted(seen)}")
    assert failures == []
    assert seen >= OPEN_STAGES | {"not-selected", "exited"}  # the generator covers them all


def damaged(case: Case, rng: random.Random) -> Case:
    """The case with one document unreadable, as `load_case` leaves it: gone from the model,
    marked broken, and the case counted as having an error."""
    records = list(case.records())
    kind, lost = rng.choice(records)
    out = Case(case.id)
    for k, r in records:
        if r is not lost:
            out.add(k, r.path, r.data)
    out.mark_broken(kind, lost.path)
    out.errors, out.first_error = 1, lost.path
    return out.finish()


def test_a_broken_document_never_leaves_a_case_with_nothing_to_do() -> None:
    """Whatever document is lost, a case with errors always has an item other than a
    retention review (`fix-documents` when nothing else can be worked out), all flagged."""
    rng = random.Random(99)
    checked = fixes = 0
    for n in range(HISTORIES // 2):
        h = history(rng)
        case = damaged(build(h), rng)
        for day in as_of_dates(rng, h):
            seen = case_at(case, day.isoformat())
            if seen.not_yet:
                continue
            items = with_fail_safe(seen, case_due_items(seen, S, day), day)
            assert items and all(i.incomplete for i in items), (n, day)
            assert {i.kind for i in items} - {"retention-review"}, (n, day, seen.stage)
            fixes += any(i.kind == "fix-documents" for i in items)
            checked += 1
    print(f"fail-safe invariant: {checked} damaged (history, date) pairs, {fixes} needing "
          "fix-documents")
    assert fixes > 0


def test_as_at_a_date_equals_the_history_up_to_that_date() -> None:
    rng = random.Random(7)
    compared = 0
    for n in range(HISTORIES):
        h = history(rng)
        full = build(h)
        for day in as_of_dates(rng, h):
            seen = case_at(full, day.isoformat())
            then = build(h, until=day)
            if then.identification is None:
                assert seen.not_yet, (n, day)
                continue
            assert not seen.not_yet
            assert seen.stage == then.stage, (n, day)
            assert case_due_items(seen, S, day) == case_due_items(then, S, day), (n, day)
            compared += 1
    print(f"as-at property: {compared} (history, date) pairs compared")
    assert compared > HISTORIES


def write_case(root: Path, case: Case) -> None:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    for _, record in case.records():
        path = root / record.path
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            yaml.dump(_quoted(record.data), fh)


def _quoted(node: object) -> object:
    """Dates as quoted strings, as the casebook requires."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(node, dict):
        return {k: _quoted(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_quoted(v) for v in node]
    if isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-":
        return SingleQuotedScalarString(node)
    return node


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reading_from_files_as_at_a_date_equals_the_files_of_that_date(
        tmp_path: Path, seed: int) -> None:
    """The same property end to end: the casebook's files read with `--as-of D` give the due
    items of a casebook holding only what was recorded by D (a case not yet identified has no
    files there)."""
    rng = random.Random(seed)
    for n in range(15):
        h = history(rng)
        day = rng.choice(as_of_dates(rng, h))
        full_root = write_casebook(tmp_path / f"full{n}", {"casebook.yaml": "format: 1\n"})
        then_root = write_casebook(tmp_path / f"then{n}", {"casebook.yaml": "format: 1\n"})
        write_case(full_root, build(h))
        then = build(h, until=day)
        if then.identification is not None:
            write_case(then_root, then)
        [full] = summaries(open_casebook(full_root), as_of=day, use_cache=False, jobs=1,
                           view=True)
        assert full.errors == 0, full.problems
        expected = []
        if then.identification is not None:
            [past] = summaries(open_casebook(then_root), as_of=day, use_cache=False, jobs=1,
                               view=True)
            assert past.errors == 0, past.problems
            expected = past.due
        assert ([] if full.not_yet else full.due) == expected, (seed, n, day)
