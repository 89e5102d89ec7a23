"""`prelude retention review`: the MoPI retention review's decision, recorded.

`retain` is written into the case's case.yaml, checked like any recording command. `dispose`
writes a disposal record, removes the case folder and its identity entry, and prints what
removing the case from the git history would take; it asks for --yes first.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..files.locks import case_lock
from ..files.storage import StorageError
from ..privacy import disclosures, retention
from ..records import RecordError
from .options import AsOfOpt, CasebookOpt
from .output import err, out
from .recording import (
    EXIT_USAGE,
    CaseArg,
    DateOpt,
    DryRunOpt,
    ReviewedOpt,
    commit,
    day,
    fail,
    open_book,
    recording,
    refusals,
)

retention_app = typer.Typer(no_args_is_help=True)
Decision = StrEnum("Decision", {"retain": "retain", "dispose": "dispose"})  # type: ignore[misc]


@retention_app.callback()
def retention_group() -> None:
    """Retention reviews (MoPI): keep a case's record, or dispose of it.

    Example: prelude retention review OP-7FM7H9 --decision retain \\
      --rationale "Still needed"
    """


@retention_app.command("review")
def review_command(
    case_id: CaseArg,
    decision: Annotated[Decision, typer.Option(  # type: ignore[valid-type]
        "--decision", help="retain: keep the record (written into case.yaml); dispose: remove "
        "the case, keeping only a disposal record.", show_default=False)],
    rationale: Annotated[str | None, typer.Option(
        "--rationale", metavar="TEXT", help="Why the record is kept (required to retain). Not "
        "taken with dispose: a disposal record holds no free text.", show_default=False)] = None,
    reviewer: Annotated[str | None, typer.Option(
        "--reviewer", metavar="NAME", help="Who decided. Default: $PRELUDE_USER, else git's "
        "user.name.", show_default=False)] = None,
    when: DateOpt = None,
    yes: Annotated[bool, typer.Option(
        "--yes", help="Confirm a disposal: the case folder is deleted from the working tree.")
    ] = False,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record a retention review: retain (into case.yaml, restarting the clock) or dispose.

    Dispose writes disposals/DATE-SUFFIX.yaml (case, date, reviewer, decision), removes the
    person's entry from the identity register and the case folder from the working tree, and
    prints what removing the case from the git history takes: it does not rewrite history.

    Example: prelude retention review OP-7FM7H9 --decision dispose \\
      --reviewer "Insp 602 Rowe" --yes
    """
    book, today = open_book(casebook, as_of)
    when_day = day(when, "--date", today)
    who = (reviewer or "").strip() or disclosures.default_user(book.root)
    if not who:
        fail("give --reviewer NAME (or set $PRELUDE_USER)", EXIT_USAGE)
    if decision.value == "retain":
        if not (rationale or "").strip():
            fail("a decision to retain needs --rationale", EXIT_USAGE)
        with recording(book, case_id, dry_run=dry_run):
            draft = retention.retain(book, case_id, day=when_day, reviewer=who,
                                     rationale=rationale)  # type: ignore[arg-type]
            commit(book, draft, today, reviewed=reviewed, dry_run=dry_run)
        return
    if rationale:
        fail("--rationale is not taken with dispose: the disposal record keeps no free text "
             "(keep the reasoning in your force's MoPI review log)", EXIT_USAGE)
    with refusals():
        plan = retention.plan_disposal(book, case_id, day=when_day, reviewer=who)
    what = [f"write {plan.record} (case, date, reviewer, decision)",
            *(["remove its entry from identities.yaml"] if plan.register_entry else []),
            f"delete cases/{case_id} from the working tree"]
    if dry_run or not yes:
        for line in what:
            err(f"would {line}")
        if not dry_run:
            fail("disposal deletes the case folder: add --yes to go ahead", EXIT_USAGE)
        out(plan.data.decode("utf-8"))
        return
    try:
        with case_lock(book.root, case_id):  # no recording command writes into it meanwhile
            cleared = retention.dispose(book, plan)
    except (OSError, StorageError, RecordError) as exc:
        fail(f"disposal stopped: {exc}")
    if not cleared:
        err("warning: another export is using the export cache: the case's cached rows are removed "
             "by the next export")
    out(plan.record)
    for line in retention.history_steps(case_id, plan.record,
                                        register_tracked=retention.register_tracked(book.root)):
        out(line)
