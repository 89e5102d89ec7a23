"""Retention reviews (MoPI): keep a case, or dispose of it and keep only the decision.

`retain` records the review in the case's `case.yaml` (`retention_reviews`), which restarts
the retention-review clock. `dispose` writes a disposal record at the root
(`disposals/DATE-SUFFIX.yaml`: case reference, date, reviewer, decision; nothing else), takes
the person's entry out of the identity register, and removes the case folder from the working
tree: renamed out of `cases/` in one step, then deleted. Removing it from the git history is
the repository owners' decision: `history_steps` says what that takes; nothing here runs it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..book.casebook import CASES_DIR, RECORD_FOLDERS, Casebook, new_suffix, parse_document
from ..export import store as row_store
from ..files import roundtrip
from ..files.storage import snapshot_of
from ..files.transaction import Transaction
from ..read import cache
from ..records import drafts
from ..records.base import (
    Draft,
    RecordError,
    append_item,
    case_relpath,
    edit_file,
    iso,
    require_case,
)
from . import identities

DISPOSALS = next(f for f, kind in RECORD_FOLDERS.items() if kind == "disposal")


def retain(book: Casebook, case_id: str, *, day: date, reviewer: str, rationale: str) -> Draft:
    """The review recorded in case.yaml, checked and written like any recording command."""
    require_case(book, case_id)
    item: dict[str, Any] = {"date": iso(day), "reviewer": reviewer, "decision": "retain",
                            "rationale": rationale}

    def edit(doc: Any) -> None:
        append_item(doc, "retention_reviews", item, "case")

    path = case_relpath(case_id, "case.yaml")
    return Draft(case_id, [edit_file(book, path, edit, f"case {case_id} has no case.yaml")])


@dataclass(slots=True)
class Disposal:
    case_id: str
    record: str  # the disposal record, casebook-relative
    data: bytes
    register_entry: bool  # the register held an entry for the case (now removed)


def plan_disposal(book: Casebook, case_id: str, *, day: date, reviewer: str) -> Disposal:
    """Everything a disposal will write, checked, before anything is touched."""
    require_case(book, case_id)
    data = {"case": case_id, "date": iso(day), "reviewer": reviewer, "decision": "dispose"}
    while True:
        rel = f"{DISPOSALS}/{iso(day)}-{new_suffix()}.yaml"
        if not (book.root / rel).exists():
            break
    raw = roundtrip.new_document(data, "disposal")
    errors = [p for p in parse_document(raw, rel, "disposal").problems if p.is_error]
    if errors:
        raise RecordError(f"the disposal record would not be valid: {errors[0].message}",
                          usage=True)
    register = identities.load_register(book.root)
    if register.state == identities.LOCKED:
        raise RecordError(f"{identities.IDENTITIES_FILE} is still encrypted: unlock it "
                          "(git-crypt unlock) so the person's entry can be removed too")
    return Disposal(case_id, rel, raw, case_id in register.entries)


def dispose(book: Casebook, plan: Disposal) -> bool:
    """Write the disposal record, take the case out of `cases/` and remove its register entry
    as one transaction (transaction.py): a crash or a full disk at any step leaves the case
    whole and no record, or the record and no case, never one without the other.

    Then every cached copy of what the case held goes too (`drop_cached_copies`); False if
    the export's row store was in use and keeps the case's rows until the next export."""
    tx = Transaction(book.root)
    tx.write(plan.record, plan.data, snapshot_of(book.root / plan.record, None))
    tx.remove(f"{CASES_DIR}/{plan.case_id}")
    if plan.register_entry:
        change = identities.remove_entry(book.root, plan.case_id)
        if change is not None:
            tx.write(identities.IDENTITIES_FILE, change.data, change.expect, mode=0o600)
    tx.commit()
    return drop_cached_copies(book.root, plan.case_id)


def drop_cached_copies(root: Path, case_id: str) -> bool:
    """The reading commands' caches, the export's row store and the case's drafts: copies
    under `.prelude-cache/` that would otherwise outlive the disposal."""
    cache.drop_derived(root)
    drafts.drop_case(root, case_id)
    return row_store.drop(root)


def history_steps(case_id: str, record: str, *, register_tracked: bool) -> list[str]:
    """What removing the case from the git history takes: the owners' decision, not ours."""
    path = f"{CASES_DIR}/{case_id}"
    steps = [
        f"Commit the disposal: git add -A {path} {record} && git commit -m "
        f"\"Dispose of {case_id} after its retention review\"",
        f"{path} is still in the git history of every clone, fork and backup. Removing it "
        "is for the repository's owners to decide and coordinate:",
        "  1. agree a time with everyone who has a clone; they push their work and stop",
        f"  2. in a fresh mirror clone: git filter-repo --path {path} --invert-paths",
        "  3. force-push every branch and tag: git push --force --all && "
        "git push --force --tags",
        "  4. everyone deletes their old clone and clones again (an old clone still holds "
        "the case, and pushing from it brings it back)",
        "  5. ask the hosting service to purge cached views and pull-request refs; clear CI "
        "caches and artefacts that hold the casebook",
        "  6. backups keep the case until they expire: note the disposal against the backup "
        "schedule",
    ]
    if register_tracked:
        steps.append(f"  7. {identities.IDENTITIES_FILE} is tracked (encrypted) in git: its "
                     "history still holds the entry, and needs the same rewrite")
    steps.append(f"Outputs already shared hold the case too: prelude disclosures --case "
                 f"{case_id} lists them.")
    return steps


def register_tracked(root: Path) -> bool:
    """Whether the register is in git at all (encrypted with git-crypt, as validate allows)."""
    git = shutil.which("git")
    if git is None:
        return False
    try:
        done = subprocess.run([git, "ls-files", "--error-unmatch", "--",
                               identities.IDENTITIES_FILE], cwd=root, capture_output=True,
                              check=False)
    except OSError:
        return False
    return done.returncode == 0
