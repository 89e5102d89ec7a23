"""`prelude disruption`: the plan after a decline, its revisits, reviews, tactics and closure."""

from __future__ import annotations

from typing import Annotated

import typer

from ..book.schemas import choices
from ..records import disruption as core
from .contact import (
    AllMessagesOpt,
    ByOpt,
    MessageOpt,
    MethodOpt,
    OutcomeOpt,
    RoleOpt,
    record_contact,
)
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
    one_of,
    open_book,
    recording,
    split_spec,
)

disruption_app = typer.Typer(no_args_is_help=True)
tactic_app = typer.Typer(no_args_is_help=True)
disruption_app.add_typer(tactic_app, name="tactic")

TACTICS = choices("disruption", "tactics", "*", "tactic")
AGENCIES = choices("disruption", "tactics", "*", "agency")
Decision = choice_enum("ReviewDecision", choices("disruption", "reviews", "*", "decision"))
Reason = choice_enum("CloseReason", choices("disruption", "closed", "reason"))

TacticSpecHelp = (f"TACTIC:AGENCY, then optionally :LEAD. Tactics: {', '.join(TACTICS)}. "
                  f"Agencies: {', '.join(AGENCIES)}.")


def parse_tactic(spec: str, option: str = "--tactic") -> core.Tactic:
    tactic, agency, lead = split_spec(spec, option, 3)
    if agency is None:
        raise typer.BadParameter(f"{spec!r} needs an agency: TACTIC:AGENCY", param_hint=option)
    return core.Tactic(one_of(tactic, TACTICS, option, spec), one_of(agency, AGENCIES, option,
                                                                      spec), lead)


@disruption_app.callback()
def disruption_group() -> None:
    """The disruption plan after a decline: open, revisit, review, close.

    Example: prelude disruption open OP-7FM7H9 --lead "DS 1190 Okafor" \\
      --tactic bail-checks:police
    """


@disruption_app.command("open")
def open_command(
    case_id: CaseArg,
    lead: Annotated[str, typer.Option("--lead", help="Who leads the plan.", show_default=False)],
    tactic: Annotated[list[str], typer.Option(
        "--tactic", metavar="TACTIC:AGENCY", help=f"A tactic, from the plan's date. Repeatable. "
        f"{TacticSpecHelp}", show_default=False)],
    when: DateOpt = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why enforcement is proportionate now.", show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Open the disruption plan after the person declined.

    Example: prelude disruption open OP-7FM7H9 --date 2026-01-22 \\
      --lead "DS 1190 Okafor" --tactic bail-checks:police \\
      --tactic achilles-heel:housing:"Tenancy team"
    """
    book, today = open_book(casebook, as_of)
    tactics = [parse_tactic(t) for t in tactic]
    with recording(book, case_id, dry_run=dry_run):
        draft = core.open_plan(book, case_id, opened=day(when, "--date", today), lead=lead,
                               tactics=tactics, reason=reason)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@disruption_app.command("revisit")
def revisit_command(
    case_id: CaseArg,
    by: ByOpt,
    method: MethodOpt,
    outcome: OutcomeOpt,
    when: DateOpt = None,
    role: RoleOpt = None,
    message: MessageOpt = None,
    all_messages: AllMessagesOpt = False,
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
    allow_duplicate: AllowDuplicateOpt = False,
) -> None:
    """Record an engage-and-explain revisit made during the plan (a contact, purpose revisit).

    Example: prelude disruption revisit OP-7FM7H9 --by "T. Mensah" \\
      --method home-visit --outcome declined --all-messages
    """
    book, today = open_book(casebook, as_of)
    record_contact(book, today, case_id, when=when, by=by, method=method, purpose="revisit",
                   outcome=outcome, role=role, messages=message, all_messages=all_messages,
                   notes=notes, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume,
                   allow_duplicate=allow_duplicate)


@disruption_app.command("review")
def review_command(
    case_id: CaseArg,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who reviewed.",
                                          show_default=False)],
    decision: Annotated[Decision, typer.Option(  # type: ignore[valid-type]
        "--decision", help="Continue, amend or stop enforcement.", show_default=False)],
    rationale: Annotated[str, typer.Option(
        "--rationale", help="Why enforcement is, or is no longer, proportionate.",
        show_default=False)],
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
    allow_duplicate: AllowDuplicateOpt = False,
) -> None:
    """Record a proportionality review of the open plan.

    Example: prelude disruption review OP-7FM7H9 --reviewer "Insp 602 Rowe" \\
      --decision continue --rationale "Still carrying a knife; offer repeated"
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.review(book, case_id, day=day(when, "--date", today), reviewer=reviewer,
                            decision=decision.value, rationale=rationale)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume,
               allow_duplicate=allow_duplicate)


@disruption_app.command("close")
def close_command(
    case_id: CaseArg,
    reason: Annotated[Reason, typer.Option(  # type: ignore[valid-type]
        "--reason", help="Why the plan closed.", show_default=False)],
    when: DateOpt = None,
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Close the plan: the person engaged, or enforcement is no longer proportionate.

    Tactics still running end on the same day.

    Example: prelude disruption close OP-7FM7H9 --date 2026-03-02 \\
      --reason engaged
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.close(book, case_id, day=day(when, "--date", today), reason=reason.value,
                           notes=notes)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@tactic_app.callback()
def tactic_group() -> None:
    """Add or end a tactic of an open plan.

    Example: prelude disruption tactic add OP-7FM7H9 vehicle-compliance:police
    """


@tactic_app.command("add")
def tactic_add_command(
    case_id: CaseArg,
    spec: Annotated[str, typer.Argument(metavar="TACTIC:AGENCY", help=TacticSpecHelp,
                                        show_default=False)],
    when: DateOpt = None,
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Add a tactic to the open plan, starting on the date given.

    Example: prelude disruption tactic add OP-7FM7H9 vehicle-compliance:police \\
      --date 2026-02-01
    """
    book, today = open_book(casebook, as_of)
    tactic = parse_tactic(spec, "TACTIC:AGENCY")
    with recording(book, case_id, dry_run=dry_run):
        draft = core.add_tactic(book, case_id, tactic, start=day(when, "--date", today),
                                notes=notes)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@tactic_app.command("end")
def tactic_end_command(
    case_id: CaseArg,
    spec: Annotated[str, typer.Argument(
        metavar="TACTIC", help="The running tactic to end; TACTIC:AGENCY when several agencies "
        "run it.", show_default=False)],
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """End a running tactic of the open plan.

    Example: prelude disruption tactic end OP-7FM7H9 bail-checks \\
      --date 2026-02-20
    """
    book, today = open_book(casebook, as_of)
    tactic, agency, _ = split_spec(spec, "TACTIC", 3)
    one_of(tactic, TACTICS, "TACTIC", spec)
    if agency is not None:
        one_of(agency, AGENCIES, "TACTIC", spec)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.end_tactic(book, case_id, tactic, agency,  # type: ignore[arg-type]
                                day=day(when, "--date", today))
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)
