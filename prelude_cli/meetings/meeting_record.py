"""Recording a filled decision sheet: every decision of the meeting, all or nothing.

The sheet (written by `prelude meeting pack --sheet`) is read, each entry checked (a known
case, a kind of the agenda, a decision from the kind's closed vocabulary, a rationale) and
built through the same builders as the single commands (`case decide`, `disruption review`,
`exit evaluate`). Every case is then checked as it would be with its changes laid over it;
if any entry is wrong or would leave an error, nothing is written. Otherwise every file of
every case is written in one transaction (transaction.py), under the locks of all the cases.
An entry whose decision is left empty is carried over: nothing is recorded for it.

A nomination (a row of the dashboard extract the pack was made from, named by the sheet's
`intake`) is recorded as `case new --from-intake` records it: a new case, and the person's key
and name in the identity register, in the same transaction as everything else. A case
proposed for exit either exits (`exit record`, the rationale as its exit plan) or continues
(a programme review, `plan review`, the rationale as its notes).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..book.casebook import Casebook
from ..book.problems import Problem, error, sort_problems
from ..book.schemas import choices
from ..checks.duplicates import DUPLICATE_RULES
from ..checks.validation import load_case
from ..files.locks import case_lock
from ..files.yamlio import load_bytes, locate
from ..records import RecordError, edits
from ..records import disruption as disruption_records
from ..records import exit as exit_records
from ..records import plan as plan_records
from ..records.case import Decision, NewCase, decide
from ..records.edits import Change
from .intake import Intake
from .meeting import ALLOWED
from .nominate import Nomination, find_row, nominate, register_change

ROUTES = choices("exit", "route")

PII_RULE = "pii-in-text"
RULE = "meeting-sheet"


@dataclass(slots=True)
class Entry:
    """One decided item of the sheet, as it will be recorded."""

    item: Any
    case: str
    kind: str
    decision: str
    changes: list[Change]
    row: int | None = None
    """For a nomination: the extract's row the new case was opened from."""


@dataclass(slots=True)
class SheetResult:
    forum: str = ""
    date: date | None = None
    entries: list[Entry] = field(default_factory=list)
    carried_over: list[tuple[Any, str, str]] = field(default_factory=list)
    """(item, case, kind) of the entries left undecided."""
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    nominations: list[Nomination] = field(default_factory=list)
    register: Change | None = None
    """The identity register with every new case's entry, written with the rest."""

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def changes(self) -> list[Change]:
        return [c for e in self.entries for c in e.changes]

    def as_dict(self) -> dict[str, Any]:
        return {"forum": self.forum, "date": self.date.isoformat() if self.date else None,
                "written": self.written,
                "recorded": [{"item": e.item, "case": e.case, "kind": e.kind,
                              "decision": e.decision,
                              **({"row": e.row} if e.row is not None else {}),
                              "files": [c.relpath for c in e.changes]} for e in self.entries],
                "register": self.register.relpath if self.register else None,
                "carried_over": [{"item": i, "case": c, "kind": k}
                                 for i, c, k in self.carried_over],
                "problems": [p.as_dict() for p in sort_problems(self.problems)]}


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


class _Sheet:
    """Problems about the sheet, each placed at its line."""

    def __init__(self, name: str, positions: dict[Any, tuple[int, int]]) -> None:
        self.name, self.positions, self.problems = name, positions, []

    def error(self, pointer: tuple[Any, ...], message: str) -> None:
        line, col = locate(self.positions, pointer)
        self.problems.append(error(self.name, RULE, message, line, col))


def _nominate(book: Casebook, intake: Intake, entry: dict[str, Any], decision: Decision,
              err: Callable[[tuple[Any, ...], str], None]) -> Nomination | None:
    """The new case for a nomination's row (its `key`), from the sheet's own fields."""
    concerns = entry.get("concerns") or []
    missing = [k for k, v in (("officer", _text(entry.get("officer"))),
                              ("age_band", _text(entry.get("age_band"))),
                              ("concerns", concerns)) if not v]
    for k in missing:
        err((k,), f"{k} is required to open a case for a nomination")
    if not isinstance(concerns, list) or not all(isinstance(c, str) for c in concerns):
        err(("concerns",), "concerns must be a list, for example [knife-crime]")
        return None
    if missing:
        return None
    row = find_row(intake, str(entry.get("key") or ""))
    spec = NewCase(str(_text(entry.get("officer"))), _text(entry.get("area")) or "", concerns,
                   str(_text(entry.get("age_band"))), decision)
    return nominate(book, intake, intake.key_kind, row, spec)


def _build(book: Casebook, kind: str, case_id: str, decision: str, entry: dict[str, Any],
           day: date, forum: str, by: str, attendees: list[str],
           err: Callable[[tuple[Any, ...], str], None]) -> list[Change] | None:
    rationale = _text(entry.get("rationale"))
    if rationale is None:
        err(("rationale",), "a rationale is required for every decision")
        return None
    if kind == "exit-proposal":
        route = _text(entry.get("route")) or "completed"
        if decision == "exit":
            if route not in ROUTES:
                err(("route",), f"{route!r} is not an exit route; one of: {', '.join(ROUTES)}")
                return None
            draft = exit_records.record(book, case_id, day=day, route=route,
                                        exit_plan=rationale)
        else:
            draft = plan_records.programme_review(book, case_id, day=day, reviewer=by,
                                                  decision="continue", notes=rationale)
    elif kind == "proportionality-review":
        draft = disruption_records.review(book, case_id, day=day, reviewer=by,
                                          decision=decision, rationale=rationale)
    elif kind == "exit-evaluation":
        draft = exit_records.evaluate(book, case_id, day=day, by=by, summary=rationale)
    else:
        bad = [k for k in ("approach_by", "review_by")
               if entry.get(k) not in (None, "") and _date(entry.get(k)) is None]
        for k in bad:
            err((k,), f"{k} must be a date (YYYY-MM-DD)")
        if bad:
            return None
        draft = decide(book, case_id, _decision(entry, day, decision, forum, rationale,
                                                attendees, by))
    return draft.changes


def _decision(entry: dict[str, Any], day: date, decision: str, forum: str, rationale: str,
              attendees: list[str], by: str) -> Decision:
    return Decision(
        date=day, decision=decision, forum=forum, rationale=rationale,
        attendees=attendees, approach_role=_text(entry.get("approach_role")),
        relationship=_text(entry.get("relationship")),
        approach_by=_date(entry.get("approach_by")), recorded_by=by,
        review_by=_date(entry.get("review_by")))


def read_sheet(book: Casebook, raw: bytes, name: str,
               intake_of: Callable[[str | None], Intake] | None = None) -> SheetResult:
    """Check the sheet and build every entry's changes; nothing is written.

    `intake_of(path)` reads the dashboard extract the sheet names (`intake:`), for its
    nominations; it raises RecordError when it cannot."""
    result = SheetResult()
    loaded = load_bytes(raw, name, positions=True, fast=False)
    if loaded.data is None or not loaded.ok:
        result.problems = loaded.problems or [error(name, RULE, "the sheet cannot be read")]
        return result
    sheet = _Sheet(name, loaded.positions or {})
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        sheet.error((), "not a decision sheet: it needs `items:` (made by prelude meeting "
                        "pack --sheet)")
        result.problems = sheet.problems
        return result
    if data.get("sheet") != 1:
        sheet.error(("sheet",), "not a decision sheet of this prelude: it needs `sheet: 1`")
    result.forum = _text(data.get("forum")) or ""
    result.date = _date(data.get("date"))
    by = _text(data.get("recorded_by"))
    attendees = data.get("attendees") or []
    if not result.forum:
        sheet.error(("forum",), "the forum is required")
    if result.date is None:
        sheet.error(("date",), "the meeting's date is required (YYYY-MM-DD)")
    if by is None:
        sheet.error(("recorded_by",), "recorded_by is required: who records the decisions")
    if not isinstance(attendees, list) or not all(isinstance(a, str) for a in attendees):
        sheet.error(("attendees",), "attendees must be a list of agencies")
        attendees = []
    known = set(book.case_ids())
    seen: dict[str, Any] = {}
    intake: list[Intake] = []  # read once, at the first nomination decided
    for n, entry in enumerate(data["items"]):
        def err(pointer: tuple[Any, ...], message: str, n: int = n) -> None:
            sheet.error(("items", n, *pointer), message)

        if not isinstance(entry, dict):
            err((), "each item is a mapping (item, case, kind, decision, rationale)")
            continue
        case_id, kind = str(entry.get("case") or ""), str(entry.get("kind") or "")
        decision = _text(entry.get("decision"))
        if kind == "nomination":
            if decision is None:
                result.carried_over.append((entry.get("item"), f"row {entry.get('row')}",
                                            kind))
                continue
            if decision not in ALLOWED[kind]:
                err(("decision",), f"{decision!r} is not a decision for {kind}; one of: "
                                   f"{', '.join(ALLOWED[kind])}")
                continue
            rationale = _text(entry.get("rationale"))
            if rationale is None:
                err(("rationale",), "a rationale is required for every decision")
                continue
            if result.date is None or by is None or not result.forum:
                continue
            try:
                if not intake:
                    if intake_of is None:
                        raise RecordError("the sheet has nominations: record it with the "
                                          "dashboard extract (--intake FILE)")
                    intake.append(intake_of(_text(data.get("intake"))))
                drawn = {x.draft.case_id for x in result.nominations}
                for _ in range(10):  # a new id is random: never the one an earlier row drew
                    nomination = _nominate(book, intake[0], entry, _decision(
                        entry, result.date, decision, result.forum, rationale, attendees, by),
                        err)
                    if nomination is None or nomination.draft.case_id not in drawn:
                        break
                else:
                    raise RecordError("could not draw a case id unlike this sheet's others")
            except RecordError as exc:
                err(("key",), str(exc))
                continue
            if nomination is not None:
                result.nominations.append(nomination)
                result.entries.append(Entry(entry.get("item", n + 1), nomination.draft.case_id,
                                            kind, decision, nomination.draft.changes,
                                            nomination.row.row))
            continue
        if case_id not in known:
            err(("case",), f"no case {case_id!r} in this casebook")
            continue
        if kind not in ALLOWED:
            err(("kind",), f"unknown kind {kind!r}; one of: {', '.join(ALLOWED)}")
            continue
        if decision is None:
            result.carried_over.append((entry.get("item"), case_id, kind))
            continue
        if decision not in ALLOWED[kind]:
            err(("decision",), f"{decision!r} is not a decision for {kind}; one of: "
                               f"{', '.join(ALLOWED[kind])}")
            continue
        if result.date is None or by is None or not result.forum:
            continue
        try:
            changes = _build(book, kind, case_id, decision, entry, result.date,
                             result.forum, by, attendees, err)
        except RecordError as exc:
            err(("decision",), str(exc))
            continue
        if changes is None:
            continue
        clash = next((c.relpath for c in changes if c.relpath in seen), None)
        if clash:
            err(("case",), f"item {seen[clash]} already records into {clash}: one decision "
                           "per document in a sheet")
            continue
        for c in changes:
            seen[c.relpath] = entry.get("item", n + 1)
        result.entries.append(Entry(entry.get("item", n + 1), case_id, kind, decision,
                                    changes))
    result.problems = sheet.problems
    return result


def _case_problems(book: Casebook, case_id: str, changes: list[Change], as_of: date,
                   refuse: frozenset[str]) -> list[Problem]:
    problems = edits.check(book, case_id, changes, as_of)
    known = None
    out = []
    for p in problems:
        if p.rule in refuse:
            if known is None:  # rare: only then read the case as it is
                known = {(q.path, q.rule, q.message)
                         for q in load_case(book, case_id, as_of=as_of).problems}
            if (p.path, p.rule, p.message) not in known:
                out.append(error(p.path, p.rule, p.message, p.line, p.column))
        elif p.is_error:
            out.append(p)
    return out


def record_sheet(book: Casebook, path: Path, raw: bytes, as_of: date, *,
                 dry_run: bool = False,
                 intake_of: Callable[[str | None], Intake] | None = None) -> SheetResult:
    """Check every entry and every case as it would be; then write all of it, or nothing."""
    result = read_sheet(book, raw, str(path), intake_of)
    if result.ok and result.nominations:
        try:
            result.register = register_change(book, result.nominations)
        except RecordError as exc:
            result.problems.append(error(str(path), RULE, str(exc)))
    if not result.ok:
        return result
    by_case: dict[str, list[Change]] = {}
    for e in result.entries:
        by_case.setdefault(e.case, []).extend(e.changes)
    # Free text that may be personal data, and a record already there, refuse the sheet as
    # they refuse a single command: once committed they take a history rewrite to remove.
    refuse = frozenset({PII_RULE, *DUPLICATE_RULES})
    with contextlib.ExitStack() as stack:
        if not dry_run:
            for case_id in sorted(by_case):  # one order, so two sheets never deadlock
                stack.enter_context(case_lock(book.root, case_id))
        for case_id, changes in by_case.items():
            result.problems += _case_problems(book, case_id, changes, as_of, refuse)
        if not result.ok or dry_run or not by_case:
            return result
        edits.write_all(book.root, [*result.changes,
                                    *([result.register] if result.register else [])])
        result.written = True
    return result
