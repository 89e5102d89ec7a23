"""Applying a command's changes to a case: check the case as it would be, then write or not.

Every recording command builds its new or updated documents as bytes (`Change`), then calls
`apply`. The case is checked with the changes laid over it; if they would add any error, nothing
is written and the problems are returned. Otherwise each file is written atomically, refusing
any file that changed on disk since it was read; several files are written as one
transaction (`transaction.py`), so a crash leaves all of them or none.

`apply` holds the case's lock (`locks.case_lock`) while it checks and writes, so two commands
never interleave their check and their write. Recording commands also hold it from reading the
documents they change (`cli.recording.recording`; the lock is re-entrant): a second command
then waits for the first and reads its result, instead of being refused as stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..book.casebook import Casebook, kind_of
from ..book.problems import Problem
from ..checks.validation import load_case
from ..files.locks import case_lock
from ..files.storage import Snapshot, write_atomic
from ..files.transaction import Transaction


@dataclass(frozen=True, slots=True)
class Change:
    """A document as a command would write it, and what the file held when it was read."""

    relpath: str
    data: bytes
    expect: Snapshot
    mode: int = 0o644

    @property
    def kind(self) -> str:
        kind = kind_of(self.relpath)
        if kind is None:
            raise ValueError(f"{self.relpath} is not a casebook document path")
        return kind


@dataclass(slots=True)
class EditResult:
    changes: list[Change]
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    refused: list[Problem] = field(default_factory=list)
    """New findings of the rules the caller asked to refuse (a record typed twice)."""

    @property
    def ok(self) -> bool:
        return not self.refused and not any(p.is_error for p in self.problems)


def _key(p: Problem) -> tuple[str, str, str]:
    return (p.path, p.rule, p.message)


def check(book: Casebook, case_id: str, changes: list[Change], as_of: date) -> list[Problem]:
    """Problems the changes would add to the case (existing ones are not the command's doing)."""
    before = load_case(book, case_id, as_of=as_of)
    after = load_case(book, case_id, as_of=as_of,
                      overlay={c.relpath: c.data for c in changes})
    known = {_key(p) for p in before.problems}
    changed = {c.relpath for c in changes}
    return [p for p in after.problems if _key(p) not in known or p.path in changed]


def _result(book: Casebook, case_id: str, changes: list[Change], as_of: date,
            refuse: frozenset[str]) -> EditResult:
    """The check's result, with the new findings of the `refuse` rules (a finding already in
    the case before, reported again because its file changed, is not the command's doing)."""
    problems = check(book, case_id, changes, as_of)
    refused = [p for p in problems if p.rule in refuse]
    if refused:  # rare: only then read the case as it is, to tell new findings from old
        known = {_key(p) for p in load_case(book, case_id, as_of=as_of).problems}
        refused = [p for p in refused if _key(p) not in known]
    return EditResult(changes, problems, refused=refused)


def apply(book: Casebook, case_id: str, changes: list[Change], as_of: date, *,
          dry_run: bool = False, refuse: frozenset[str] = frozenset(),
          extra: tuple[Change, ...] | list[Change] = ()) -> EditResult:
    """Check, then write every change atomically, or nothing when an error would result, or
    a new finding of one of the `refuse` rules (warnings the caller will not write).

    `extra` are files outside the case written in the same transaction (the identity
    register's entry for a new case): not checked as case documents, but never written
    without the case's changes, nor the case's changes without them.

    Raises StaleWrite when a file changed since it was read, LockTimeout when another command
    keeps the case busy, WriteError when the disk fails.
    """
    if dry_run:
        return _result(book, case_id, changes, as_of, refuse)
    with case_lock(book.root, case_id):
        result = _result(book, case_id, changes, as_of, refuse)
        if not result.ok:
            return result
        if len(changes) == 1 and not extra:
            change = changes[0]
            write_atomic(Path(book.root, change.relpath), change.data, change.expect)
        else:  # several files: all or nothing, even if the process dies half-way
            write_all(book.root, [*changes, *extra])
    result.written = True
    return result


def write_all(root: Path, changes: list[Change]) -> None:
    """Every change in one transaction (transaction.py): all of them or none."""
    tx = Transaction(root)
    for change in changes:
        tx.write(change.relpath, change.data, change.expect, mode=change.mode)
    tx.commit()
