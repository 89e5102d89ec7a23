"""Writing a builder's draft: the one write path of the command line and the browser.

`write` checks the case as it would be and writes through `edits.apply`, refusing (unless
asked) a record that duplicates one already there and free text that may hold personal data.
With `reviewed`, the fields the personal-data check flags are written marked
`# prelude: reviewed`. Callers say why nothing was written from the outcome; nothing here
prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..book.casebook import Casebook
from ..checks import pii
from ..checks.duplicates import DUPLICATE_RULES
from .base import Draft
from .edits import Change, EditResult, apply

PII_RULE = "pii-in-text"

WRITTEN = ""
REFUSED_PII = "pii"
REFUSED_DUPLICATE = "duplicate"
REFUSED_ERRORS = "errors"


@dataclass(slots=True)
class Outcome:
    """What became of a draft: the changes as checked (marked, when `reviewed`), the check's
    result, and why nothing was written (`refusal`, empty when written or a clean dry run)."""

    changes: list[Change]
    result: EditResult
    refusal: str = WRITTEN

    @property
    def errors(self) -> int:
        return sum(1 for p in self.result.problems if p.is_error)


def write(book: Casebook, draft: Draft, as_of: date, *, changes: list[Change] | None = None,
          dry_run: bool = False, allow_duplicate: bool = False,
          reviewed: bool = False) -> Outcome:
    """Check and write `changes` (default: the draft's). Raises what `edits.apply` raises
    (StaleWrite, LockTimeout, WriteError)."""
    changes = list(draft.changes if changes is None else changes)
    refuse = set() if allow_duplicate else set(DUPLICATE_RULES)
    if reviewed:
        changes = _marked(book, draft.case_id, changes, as_of)
    else:
        refuse.add(PII_RULE)
    result = apply(book, draft.case_id, changes, as_of, dry_run=dry_run,
                   refuse=frozenset(refuse), extra=draft.extra)
    if any(p.rule == PII_RULE for p in result.refused):
        refusal = REFUSED_PII
    elif result.refused:
        refusal = REFUSED_DUPLICATE
    elif not result.ok:
        refusal = REFUSED_ERRORS
    else:
        refusal = WRITTEN
    return Outcome(changes, result, refusal)


def _marked(book: Casebook, case_id: str, changes: list[Change], as_of: date) -> list[Change]:
    """The changes with each field the personal-data check would newly flag marked reviewed."""
    probe = apply(book, case_id, changes, as_of, dry_run=True, refuse=frozenset({PII_RULE}))
    lines: dict[str, list[int]] = {}
    for p in probe.refused:
        lines.setdefault(p.path, []).append(p.line)
    return [Change(c.relpath, pii.mark_reviewed(c.data, lines[c.relpath]), c.expect)
            if c.relpath in lines else c for c in changes]
