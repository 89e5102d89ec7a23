"""`prelude exit`: leaving the programme, the person's feedback, and the evaluation."""

from __future__ import annotations

from typing import Annotated

import typer

from ..book.schemas import choices
from ..records import exit as core
from .options import AsOfOpt, CasebookOpt
from .recording import (
    CaseArg,
    DateOpt,
    DryRunOpt,
    EditOpt,
    ResumeOpt,
    ReviewedOpt,
    choice_enum,
    commit,
    day,
    open_book,
    recording,
    split_spec,
)

exit_app = typer.Typer(no_args_is_help=True)

Route = choice_enum("Route", choices("exit", "route"))


@exit_app.callback()
def exit_group() -> None:
    """Exit: the exit and signposting, the person's feedback, the evaluation.

    Example: prelude exit record OP-7FM7H9 --route completed \\
      --signpost east-berks-housing-options
    """


@exit_app.command("record")
def record_command(
    case_id: CaseArg,
    route: Annotated[Route, typer.Option(  # type: ignore[valid-type]
        "--route", help="How the person left.", show_default=False)],
    when: DateOpt = None,
    exit_plan: Annotated[str | None, typer.Option(
        "--exit-plan", help="How the person will sustain their progress.",
        show_default=False)] = None,
    signpost: Annotated[list[str] | None, typer.Option(
        "--signpost", metavar="TO:FOR", help="A provider id or organisation the person was "
        "signposted to; what for, after ':', is optional. Repeatable.",
        show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record the person's exit from the programme.

    Writes exit.yaml. Nothing may be recorded after it except the feedback and evaluation.

    Example: prelude exit record OP-7FM7H9 --date 2027-04-20 --route completed \\
      --exit-plan "College and boxing club" \\
      --signpost east-berks-housing-options:"tenancy support"
    """
    book, today = open_book(casebook, as_of)
    signposts = [tuple(split_spec(s, "--signpost", 2)) for s in signpost or []]
    with recording(book, case_id, dry_run=dry_run):
        draft = core.record(book, case_id, day=day(when, "--date", today), route=route.value,
                            exit_plan=exit_plan, signposts=signposts)  # type: ignore[arg-type]
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@exit_app.command("feedback")
def feedback_command(
    case_id: CaseArg,
    when: DateOpt = None,
    text: Annotated[str | None, typer.Option("--text", help="Their feedback, in their words.",
                                             show_default=False)] = None,
    declined: Annotated[bool, typer.Option(
        "--declined", help="They were asked and declined to give feedback.")] = False,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record the person's feedback on the programme, or that they declined to give it.

    Example: prelude exit feedback OP-7FM7H9 --date 2027-04-27 \\
      --text "The mentor helped"
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.feedback(book, case_id, day=day(when, "--date", today), text=text,
                              declined=declined)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@exit_app.command("evaluate")
def evaluate_command(
    case_id: CaseArg,
    by: Annotated[str, typer.Option("--by", help="Who evaluated.", show_default=False)],
    when: DateOpt = None,
    summary: Annotated[str | None, typer.Option(
        "--summary", help="What worked, what did not, and the outcome.",
        show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record the team's review and evaluation of the person's time on the programme.

    Example: prelude exit evaluate OP-7FM7H9 --date 2027-05-04 \\
      --by "Insp 602 Rowe" --summary "Completed; no further offending"
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.evaluate(book, case_id, day=day(when, "--date", today), by=by,
                              summary=summary)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)
