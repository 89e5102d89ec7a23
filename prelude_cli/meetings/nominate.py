"""A new case from a row of a dashboard extract: the case's documents and the person's
identifiers, written together or not at all.

The case documents get what the dashboard says (rank, score, the extract's date, and the
row's area unless another is given); the person's key from the row (a dashboard id, PNC id
or police reference, as casebook.yaml's `intake.key_kind` says) and their name go into the
identity register, never into a case document. The register's change rides in the same
transaction as the case folder (`Draft.extra`), so a crash leaves both or neither.

A row is refused when it cannot be trusted (a problem of its own, or its key listed twice in
the extract) and when its person already has a case: a later decision about them is
`prelude case decide`, never a second case.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..book.casebook import IDENTITIES_FILE, Casebook
from ..privacy import identities
from ..records import Draft, RecordError
from ..records.case import NewCase, new_case
from ..records.edits import Change
from .intake import KEY_FIELDS, Intake, Row, norm_key

CATEGORY_WORDS = {"on-programme": "is on the programme", "deferred": "was deferred",
                  "not-included": "was not included", "exited": "has exited"}


@dataclass(slots=True)
class Nomination:
    """The case a row would open, and the register entry of its person."""

    row: Row
    draft: Draft
    entry: dict[str, Any]


def find_row(intake: Intake, ref: str) -> Row:
    """The extract's row for `ref`: a person key (compared without letter case or spaces), or
    else the row's number in the extract (2 is the first row under the headings)."""
    want = norm_key(ref)
    if not want:
        raise RecordError("--row needs a person key or a row number", usage=True)
    twice = sorted(n for n, (key, _) in intake.bad.items() if norm_key(key) == want)
    for row in intake.rows:
        if norm_key(row.key) == want:
            if twice:
                raise RecordError(f"the key {ref!r} is on rows {row.row} and "
                                  f"{', '.join(map(str, twice))} of {intake.source}: fix the "
                                  "extract so each person is listed once")
            return row
    if twice:
        n = twice[0]
        raise RecordError(f"row {n} of {intake.source} cannot be used: {intake.bad[n][1]}")
    if ref.strip().isdigit():
        n = int(ref)
        for row in intake.rows:
            if row.row == n:
                return row
        if n in intake.bad:
            raise RecordError(f"row {n} of {intake.source} cannot be used: {intake.bad[n][1]}")
    raise RecordError(f"no row with the key or number {ref!r} in {intake.source} (prelude "
                      "intake lists its rows)")


def refuse_known(row: Row) -> None:
    """A row whose person already has a case is never a second case."""
    if row.category != "new":
        raise RecordError(
            f"row {row.row} ({row.key}) is case {row.case}: the person "
            f"{CATEGORY_WORDS.get(row.category, row.category)}; record a later decision with "
            f"prelude case decide {row.case}")


def register_values(row: Row, key_kind: str) -> dict[str, Any]:
    """The identity register's fields for the row's person: their key, and their name."""
    field = KEY_FIELDS[key_kind]
    return {field: [row.key] if field == "police_references" else row.key, "name": row.name}


def nominate(book: Casebook, intake: Intake, key_kind: str, row: Row,
             spec: NewCase) -> Nomination:
    """The new case for `row`: `spec` with the dashboard's rank, score and date (and the
    row's area when `spec.area` is empty). Raises RecordError when the row is refused or
    the dashboard's figures are also given by hand."""
    refuse_known(row)
    d = spec.decision
    given = [name for name, value in (("--dashboard-rank", d.dashboard_rank),
                                      ("--dashboard-score", d.dashboard_score),
                                      ("--dashboard-date", d.dashboard_date)) if value]
    if given:
        raise RecordError(f"{', '.join(given)}: the extract gives the dashboard's figures "
                          "with --from-intake", usage=True)
    area = spec.area or row.area
    if not area:
        raise RecordError(f"--area is required: row {row.row} of {intake.source} gives no "
                          "area", usage=True)
    decision = dataclasses.replace(d, dashboard_rank=row.rank, dashboard_score=row.score,
                                   dashboard_date=row.extract_date)
    draft = new_case(book, dataclasses.replace(spec, area=area, decision=decision))
    return Nomination(row, draft, register_values(row, key_kind))


def register_change(book: Casebook, nominations: list[Nomination]) -> Change:
    """The identity register with every nomination's entry added, as one change (refused
    when git could commit the register, or it cannot be read). The entries are also handed
    to `book.identities`, so the check of each new case looks for the person's name in its
    free text."""
    problems = identities.git_problems(book.root, assume_present=True)
    if problems:
        raise RecordError(f"nothing written: {problems[0].message}")
    entries = {n.draft.case_id: n.entry for n in nominations}
    try:
        change = identities.set_entries(book.root, entries)
    except identities.IdentityError as exc:
        raise RecordError(str(exc)) from None
    for case_id, entry in entries.items():
        book.identities[case_id] = {k: v for k, v in entry.items() if v}
    return Change(IDENTITIES_FILE, change.data, change.expect, mode=0o600)


def same_name(book: Casebook, row: Row) -> list[str]:
    """Cases whose register entry bears the row's name: perhaps the same person with no key
    in the register yet (names are never used to match; this only asks the user to look)."""
    if not row.name:
        return []
    want = " ".join(row.name.split()).casefold()
    found = []
    for case_id, entry in book.identities.items():
        names = [entry.get("name"), *(entry.get("other_names") or [])]
        if any(isinstance(n, str) and " ".join(n.split()).casefold() == want for n in names):
            found.append(case_id)
    return sorted(found)
