"""`prelude plan`: the diversionary plan, its goals, milestones, interventions, mentor and
programme reviews. The tag commands live in `tag.py`."""

from __future__ import annotations

from typing import Annotated

import typer

from ..book.schemas import choices
from ..records import plan as core
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
    maybe_day,
    open_book,
    recording,
)
from .tag import tag_app

plan_app = typer.Typer(no_args_is_help=True)
goal_app = typer.Typer(no_args_is_help=True)
milestone_app = typer.Typer(no_args_is_help=True)
intervention_app = typer.Typer(no_args_is_help=True)
plan_app.add_typer(goal_app, name="goal")
plan_app.add_typer(milestone_app, name="milestone")
plan_app.add_typer(intervention_app, name="intervention")
plan_app.add_typer(tag_app, name="tag")

MilestoneStatus = choice_enum("MilestoneStatus", choices("plan", "milestones", "*", "status"))
InterventionStatus = choice_enum("InterventionStatus",
                                 choices("plan", "interventions", "*", "status"))
ReviewDecision = choice_enum("ProgrammeDecision", choices("plan", "reviews", "*", "decision"))
GoalOpt = Annotated[str | None, typer.Option("--goal", help="The goal id it serves (g-4k2p...).",
                                             show_default=False)]


@plan_app.callback()
def plan_group() -> None:
    """The diversionary plan: goals, milestones, interventions, mentor, tag, programme reviews.

    Example: prelude plan agree OP-7FM7H9 --agreed-by "PC 4471 Hart" \\
      --goal "Back to college"
    """


@goal_app.callback()
def goal_group() -> None:
    """Goals of the plan.

    Example: prelude plan goal add OP-7FM7H9 \\
      --text "Stay away from the estate" --domain safety-from-exploitation
    """


@milestone_app.callback()
def milestone_group() -> None:
    """Milestones: steps towards the goals, each with a due date and a status.

    Example: prelude plan milestone set OP-7FM7H9 m-e5hy --status met
    """


@intervention_app.callback()
def intervention_group() -> None:
    """Referrals to providers listed in providers.yaml.

    Example: prelude plan intervention add OP-7FM7H9 --provider riverside-boxing \\
      --goal g2
    """


@plan_app.command("agree")
def agree_command(
    case_id: CaseArg,
    agreed_by: Annotated[str, typer.Option("--agreed-by", help="Who agreed the plan with the "
                                           "person.", show_default=False)],
    goal: Annotated[list[str], typer.Option(
        "--goal", metavar="TEXT", help="A goal in words agreed with the person; each gets an "
        "id like g-4k2p, printed in order. Repeatable.", show_default=False)],
    when: DateOpt = None,
    target_end: Annotated[str | None, typer.Option(
        "--target-end", metavar="DATE", help="When the plan should be complete.",
        show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record the plan agreed with the person after the first needs assessment. Prints the
    goals' ids, one a line, in the order given.

    Example: prelude plan agree OP-7FM7H9 --date 2026-04-20 \\
      --agreed-by "PC 4471 Hart" --goal "Back into college" \\
      --goal "Keep away from the estate" --target-end 2027-04-20
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.agree(book, case_id, day=day(when, "--date", today), agreed_by=agreed_by,
                           goals=goal, target_end=maybe_day(target_end, "--target-end"))
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@goal_app.command("add")
def goal_add_command(
    case_id: CaseArg,
    text: Annotated[str, typer.Option("--text", help="The goal.", show_default=False)],
    domain: Annotated[list[str] | None, typer.Option(
        "--domain", help="A needs domain the goal addresses. Repeatable.",
        show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Add a goal to the plan. Prints its id.

    Example: prelude plan goal add OP-7FM7H9 \\
      --text "Find a stable place to live" --domain accommodation
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.add_goal(book, case_id, text=text, domains=domain or [])
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@milestone_app.command("add")
def milestone_add_command(
    case_id: CaseArg,
    text: Annotated[str, typer.Option("--text", help="What is to be done.", show_default=False)],
    due: Annotated[str, typer.Option("--due", metavar="DATE", help="When it is due.",
                                     show_default=False)],
    goal: GoalOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Add a milestone (status pending). Prints its id.

    Example: prelude plan milestone add OP-7FM7H9 --text "Enrol at college" \\
      --due 2026-06-01 --goal g1
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.add_milestone(book, case_id, text=text, due=day(due, "--due"), goal=goal)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@milestone_app.command("set")
def milestone_set_command(
    case_id: CaseArg,
    milestone: Annotated[str, typer.Argument(metavar="MILESTONE", help="The milestone id.",
                                             show_default=False)],
    status: Annotated[MilestoneStatus, typer.Option(  # type: ignore[valid-type]
        "--status", help="Where the milestone stands.", show_default=False)],
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Set a milestone's status (met, missed, dropped, or back to pending) and its date.

    Example: prelude plan milestone set OP-7FM7H9 m-e5hy --status met \\
      --date 2026-05-28
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.set_milestone(book, case_id, milestone, status=status.value,
                                   day=day(when, "--date", today))
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)


@intervention_app.command("add")
def intervention_add_command(
    case_id: CaseArg,
    provider: Annotated[str, typer.Option("--provider", help="A provider id from "
                                          "providers.yaml.", show_default=False)],
    referred: Annotated[str | None, typer.Option(
        "--referred", metavar="DATE", help="When the referral was made. Default: the as-of "
        "date.", show_default=False)] = None,
    goal: GoalOpt = None,
    status: Annotated[InterventionStatus, typer.Option(  # type: ignore[valid-type]
        "--status", help="Where the referral stands.")
    ] = InterventionStatus["referred"],  # type: ignore[misc]
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Refer the person to a provider in the directory. Prints the intervention's id.

    Example: prelude plan intervention add OP-7FM7H9 \\
      --provider east-berks-housing-options --referred 2026-04-22 --goal g1
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.add_intervention(book, case_id, provider=provider,
                                      referred=day(referred, "--referred", today), goal=goal,
                                      status=status.value, notes=notes)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


@intervention_app.command("set")
def intervention_set_command(
    case_id: CaseArg,
    intervention: Annotated[str, typer.Argument(metavar="INTERVENTION",
                                                help="The intervention id.",
                                                show_default=False)],
    status: Annotated[InterventionStatus, typer.Option(  # type: ignore[valid-type]
        "--status", help="Where the referral stands.", show_default=False)],
    when: DateOpt = None,
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Set a referral's status and its date.

    Example: prelude plan intervention set OP-7FM7H9 i-et8a --status started \\
      --date 2026-05-04
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.set_intervention(book, case_id, intervention, status=status.value,
                                      day=day(when, "--date", today), notes=notes)
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)


@plan_app.command("mentor")
def mentor_command(
    case_id: CaseArg,
    name: Annotated[str | None, typer.Option(
        "--name", help="Assign this mentor (a worker's name or reference), replacing any "
        "earlier one.", show_default=False)] = None,
    organisation: Annotated[str | None, typer.Option(
        "--organisation", help="Who provides the mentor.", show_default=False)] = None,
    assigned: Annotated[str | None, typer.Option(
        "--assigned", metavar="DATE", help="When the mentor was assigned. Default: the as-of "
        "date.", show_default=False)] = None,
    ended: Annotated[str | None, typer.Option(
        "--ended", metavar="DATE", help="When mentoring ended.", show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Assign the mentor, or (with only --ended) record that mentoring ended.

    Example: prelude plan mentor OP-7FM7H9 --name "M. Adeyemi" \\
      --organisation "Safe Steps" --assigned 2026-04-27
    """
    book, today = open_book(casebook, as_of)
    start = day(assigned, "--assigned", today) if name else maybe_day(assigned, "--assigned")
    with recording(book, case_id, dry_run=dry_run):
        draft = core.mentor(book, case_id, name=name, organisation=organisation,
                            assigned=start, ended=maybe_day(ended, "--ended"))
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume)


@plan_app.command("review")
def review_command(
    case_id: CaseArg,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who reviewed.",
                                          show_default=False)],
    decision: Annotated[ReviewDecision, typer.Option(  # type: ignore[valid-type]
        "--decision", help="Continue, amend the plan, or start planning exit.",
        show_default=False)],
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
    """Record a programme review of the person's time on the programme.

    Example: prelude plan review OP-7FM7H9 --date 2027-03-01 \\
      --reviewer "Insp 602 Rowe" --decision plan-exit
    """
    book, today = open_book(casebook, as_of)
    with recording(book, case_id, dry_run=dry_run):
        draft = core.programme_review(book, case_id, day=day(when, "--date", today),
                                      reviewer=reviewer, decision=decision.value, notes=notes)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume,
               allow_duplicate=allow_duplicate)
