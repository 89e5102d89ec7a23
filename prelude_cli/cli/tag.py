"""`prelude plan tag`: the voluntary electronic tag, from consent to removal."""

from __future__ import annotations

from typing import Annotated

import typer

from ..book.schemas import choices
from ..records import tag as core
from .options import AsOfOpt, CasebookOpt
from .recording import (
    AllowDuplicateOpt,
    CaseArg,
    DateOpt,
    DryRunOpt,
    EditOpt,
    NotesOpt,
    ResumeOpt,
    ReviewedOpt,
    choice_enum,
    commit,
    day,
    open_book,
    recording,
)

tag_app = typer.Typer(no_args_is_help=True)

TagDecision = choice_enum("TagDecision", choices("plan", "tag", "reviews", "*", "decision"))
RemovalReason = choice_enum("RemovalReason", choices("plan", "tag", "removal_reason"))


@tag_app.callback()
def tag_group() -> None:
    """The electronic tag (Buddi Tag): consent first, then fitting, reviews and removal.

    Example: prelude plan tag consent OP-7FM7H9 --recorded-by "PC 4471 Hart" \\
      --present parent
    """


@tag_app.command("consent")
def consent_command(
    case_id: CaseArg,
    recorded_by: Annotated[str, typer.Option("--recorded-by", help="Who recorded the consent.",
                                             show_default=False)],
    present: Annotated[list[str] | None, typer.Option(
        "--present", metavar="ROLE", help="Who was present, by role (needed for under-18s). "
        "Repeatable.", show_default=False)] = None,
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record the person's consent to wear a tag.

    Example: prelude plan tag consent OP-7FM7H9 --date 2026-05-01 \\
      --recorded-by "PC 4471 Hart" --present parent --present "social worker"
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.consent(book, case_id, day=day(when, "--date", today),
                             recorded_by=recorded_by, present=present or [])
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)


@tag_app.command("withdraw")
def withdraw_command(
    case_id: CaseArg,
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record that the person withdrew their consent (then remove the tag).

    Example: prelude plan tag withdraw OP-7FM7H9 --date 2026-06-10
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.withdraw(book, case_id, day=day(when, "--date", today))
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)


@tag_app.command("fit")
def fit_command(
    case_id: CaseArg,
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record that the tag was fitted (after consent).

    Example: prelude plan tag fit OP-7FM7H9 --date 2026-05-04
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.fit(book, case_id, day=day(when, "--date", today))
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)


@tag_app.command("review")
def review_command(
    case_id: CaseArg,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who reviewed.",
                                          show_default=False)],
    decision: Annotated[TagDecision, typer.Option(  # type: ignore[valid-type]
        "--decision", help="Keep the tag or remove it.", show_default=False)],
    when: DateOpt = None,
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
    allow_duplicate: AllowDuplicateOpt = False,
) -> None:
    """Record a review of whether the tag still helps.

    Example: prelude plan tag review OP-7FM7H9 --date 2026-06-01 \\
      --reviewer "PC 4471 Hart" --decision continue
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.review(book, case_id, day=day(when, "--date", today), reviewer=reviewer,
                            decision=decision.value, notes=notes)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume,
               allow_duplicate=allow_duplicate)


@tag_app.command("remove")
def remove_command(
    case_id: CaseArg,
    reason: Annotated[RemovalReason, typer.Option(  # type: ignore[valid-type]
        "--reason", help="Why the tag was removed.", show_default=False)],
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record that the tag was removed, and why.

    Example: prelude plan tag remove OP-7FM7H9 --date 2026-07-01 \\
      --reason no-longer-needed
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.remove(book, case_id, day=day(when, "--date", today), reason=reason.value)
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)
