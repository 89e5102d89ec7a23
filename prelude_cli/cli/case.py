"""`prelude case`: open a case with its identification decision, record later decisions,
list cases and show one."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..book.casebook import Casebook
from ..book.schemas import choices
from ..book.textsafe import spreadsheet
from ..case.refs import no_case
from ..checks.validation import load_case
from ..privacy import identities
from ..read import caseview
from .casetext import render_show, render_table
from .filters import (
    AgeBandsOpt,
    AreasOpt,
    CaseIdsOpt,
    ConcernsOpt,
    OfficersOpt,
    SinceOpt,
    StagesOpt,
    case_filter,
    known_cases,
    warn_officers,
)
from .options import AsOfOpt, CasebookOpt, JobsOpt, NoCacheOpt, case_id_value
from .output import console, err, out, progress
from .recording import (
    CaseArg,
    DryRunOpt,
    EditOpt,
    ResumeOpt,
    ReviewedOpt,
    choice_enum,
    commit,
    day,
    fail,
    maybe_day,
    one_of,
    open_book,
    recording,
    split_spec,
)

if TYPE_CHECKING:
    from ..records.base import Draft
    from ..records.case import Decision, NewCase

# The record builders are imported by the commands that record: `case show` and `case list`
# start without them (and without ruamel, storage and locks).

case_app = typer.Typer(no_args_is_help=True)

Choice = choice_enum("Choice", choices("identification", "decisions", "*", "decision"))
Concern = choice_enum("Concern", choices("case", "concerns"))
AgeBand = choice_enum("AgeBand", choices("case", "age_band"))
Agency = choice_enum("Agency", choices("identification", "decisions", "*", "attendees"))
Role = choice_enum("Role", choices("identification", "decisions", "*", "approach", "role"))
AGENCIES = [a.value for a in Agency]

DecisionOpt = Annotated[Choice, typer.Option(  # type: ignore[valid-type]
    "--decision", help="The partnership's decision.")]
DecisionDateOpt = Annotated[str | None, typer.Option(
    "--date", metavar="DATE", help="Date of the meeting that decided. Default: the as-of date.",
    show_default=False)]
ForumOpt = Annotated[str, typer.Option("--forum", help="The partnership meeting that decided.",
                                       show_default=False)]
RationaleOpt = Annotated[str, typer.Option("--rationale", help="Why it was decided.",
                                           show_default=False)]
ScoreOpt = Annotated[float | None, typer.Option(
    "--dashboard-score", help="Serious Violence Dashboard score.", show_default=False)]
RankOpt = Annotated[int | None, typer.Option(
    "--dashboard-rank", min=1, help="Serious Violence Dashboard rank (1 is highest risk).",
    show_default=False)]
DashDateOpt = Annotated[str | None, typer.Option(
    "--dashboard-date", metavar="DATE", help="When the dashboard was read. Default: the "
    "decision date.", show_default=False)]
PartnerOpt = Annotated[list[str] | None, typer.Option(
    "--partner", metavar="AGENCY:SUMMARY", help="Information from a partner agency; the "
    "summary after ':' is optional. Repeatable.", show_default=False)]
AttendeeOpt = Annotated[list[Agency] | None, typer.Option(  # type: ignore[valid-type]
    "--attendee", help="An agency present at the decision. Repeatable.", show_default=False)]
RoleOpt = Annotated[Role | None, typer.Option(  # type: ignore[valid-type]
    "--approach-role", help="Who makes the approach (needed to include).", show_default=False)]
ByOpt = Annotated[str | None, typer.Option(
    "--approach-by", metavar="DATE", help="Approach by this date. Default: the decision date "
    "plus the first-contact interval.", show_default=False)]
ReviewByOpt = Annotated[str | None, typer.Option(
    "--review-by", metavar="DATE", help="For a defer decision: the meeting by which the case "
    "comes back (a deferral-review falls due then). Default: the decision date plus the "
    "deferral-review interval (3 months).", show_default=False)]
RelationshipOpt = Annotated[str | None, typer.Option(
    "--relationship", help="Why this person makes the approach.", show_default=False)]
RecordedByOpt = Annotated[str | None, typer.Option("--recorded-by",
                                                   help="Who recorded the decision.",
                                                   show_default=False)]


@case_app.callback()
def case_group() -> None:
    """Open cases, record identification decisions, list and show cases.

    Example: prelude case list --stage support
    """


def _decision(choice: StrEnum, when: str | None, today: date, forum: str, rationale: str,
              score: float | None, rank: int | None, dash_date: str | None,
              partners: list[str] | None, attendees: list[StrEnum] | None,
              role: StrEnum | None, by: str | None, relationship: str | None,
              recorded_by: str | None, review_by: str | None = None) -> Decision:
    from ..records.case import Decision

    parsed = []
    for spec in partners or []:
        agency, summary = split_spec(spec, "--partner", 2)
        parsed.append((one_of(agency, AGENCIES, "--partner", spec), summary))
    return Decision(
        date=day(when, "--date", today), decision=choice.value, forum=forum,
        rationale=rationale, attendees=[a.value for a in attendees or []],
        dashboard_score=score, dashboard_rank=rank,
        dashboard_date=maybe_day(dash_date, "--dashboard-date"), partners=parsed,
        approach_role=role.value if role else None, approach_by=maybe_day(by, "--approach-by"),
        relationship=relationship, recorded_by=recorded_by,
        review_by=maybe_day(review_by, "--review-by"))


@case_app.command("new")
def new_command(
    officer: Annotated[str, typer.Option("--officer", help="The Officer in the Case.",
                                         show_default=False)],
    concern: Annotated[list[Concern], typer.Option(  # type: ignore[valid-type]
        "--concern", help="Why the person is on the programme. Repeatable.",
        show_default=False)],
    age_band: Annotated[AgeBand, typer.Option(  # type: ignore[valid-type]
        "--age-band", help="Age band at identification.", show_default=False)],
    forum: ForumOpt,
    rationale: RationaleOpt,
    area: Annotated[str | None, typer.Option(
        "--area", help="The policing or local authority area (required, unless "
        "--from-intake's row gives it).", show_default=False)] = None,
    decision: DecisionOpt = Choice["include"],  # type: ignore[misc]
    when: DecisionDateOpt = None,
    from_intake: Annotated[Path | None, typer.Option(
        "--from-intake", metavar="FILE", help="A dashboard extract (as prelude intake reads "
        "it): the case takes --row's rank, score, date and area, and the person's key and "
        "name go into the identity register, in one step.", show_default=False)] = None,
    row: Annotated[str | None, typer.Option(
        "--row", metavar="KEY", help="With --from-intake: the row's person key (or its row "
        "number in the extract).", show_default=False)] = None,
    case_id: Annotated[str | None, typer.Option(
        "--id", help="Use this case id instead of a random one.", show_default=False,
        callback=case_id_value)] = None,
    dashboard_score: ScoreOpt = None,
    dashboard_rank: RankOpt = None,
    dashboard_date: DashDateOpt = None,
    partner: PartnerOpt = None,
    attendee: AttendeeOpt = None,
    approach_role: RoleOpt = None,
    approach_by: ByOpt = None,
    relationship: RelationshipOpt = None,
    recorded_by: RecordedByOpt = None,
    review_by: ReviewByOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Open a case: case.yaml and its first identification decision. Prints the new id.

    With --from-intake FILE --row KEY the case is opened from a row of a dashboard extract:
    its rank, score and date (and its area, unless --area is given) fill in the decision's
    dashboard source, and the person's key and name go into the identity register
    (identities.yaml, never a case document), in one step: both are written or neither. A
    row whose person already has a case is refused, naming the case.

    Example: prelude case new --officer "PC 4471 Hart" --area Slough \\
      --concern knife-crime --age-band under-18 --forum "Slough SV tasking" \\
      --rationale "Dashboard rank 4" --dashboard-rank 4 \\
      --approach-role youth-worker-lived-experience
    """
    book, today = open_book(casebook, as_of)
    d = _decision(decision, when, today, forum, rationale, dashboard_score, dashboard_rank,
                  dashboard_date, partner, attendee, approach_role, approach_by, relationship,
                  recorded_by, review_by)
    if (from_intake is None) != (row is None):
        fail("--from-intake and --row go together: the extract, and the row to open a case "
             "from", 2)
    if from_intake is None and not area:
        fail("--area is required (or --from-intake, whose row gives it)", 2)
    from ..records.case import NewCase, new_case

    spec = NewCase(officer, area or "", [c.value for c in concern], age_band.value, d, case_id)
    with recording(book, None, dry_run=dry_run):  # a new case: nothing to wait for
        if from_intake is not None and row is not None:
            draft = _from_intake(book, from_intake, row, spec, today)
        else:
            draft = new_case(book, spec)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


def _from_intake(book: Casebook, extract: Path, ref: str, spec: NewCase, today: date) -> Draft:
    """The new case for the extract's row, with the register's entry riding along."""
    from ..meetings.nominate import find_row, nominate, register_change, same_name
    from .intake import load_intake

    intake = load_intake(book, extract, today, option="--from-intake")
    found = find_row(intake, ref)
    nomination = nominate(book, intake, intake.key_kind, found, spec)
    for other in same_name(book, found):
        err(f"prelude: warning: the identity register gives {other} the same name as row "
            f"{found.row}: check they are not the same person (cases are matched by key, "
            "never by name)")
    draft = nomination.draft
    draft.extra = [register_change(book, [nomination])]
    return draft


@case_app.command("decide")
def decide_command(
    case_id: CaseArg,
    decision: DecisionOpt,
    forum: ForumOpt,
    rationale: RationaleOpt,
    when: DecisionDateOpt = None,
    dashboard_score: ScoreOpt = None,
    dashboard_rank: RankOpt = None,
    dashboard_date: DashDateOpt = None,
    partner: PartnerOpt = None,
    attendee: AttendeeOpt = None,
    approach_role: RoleOpt = None,
    approach_by: ByOpt = None,
    relationship: RelationshipOpt = None,
    recorded_by: RecordedByOpt = None,
    review_by: ReviewByOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record a later identification decision (after a deferral, say); the latest stands.

    A defer decision brings the case back on --review-by (a deferral-review); a not-include
    decision closes a case that declined and whose enforcement ended.

    Example: prelude case decide OP-7FM7H9 --decision include \\
      --forum "Slough SV tasking" --rationale "New partner information" \\
      --approach-role youth-worker
    """
    book, today = open_book(casebook, as_of)
    d = _decision(decision, when, today, forum, rationale, dashboard_score, dashboard_rank,
                  dashboard_date, partner, attendee, approach_role, approach_by, relationship,
                  recorded_by, review_by)
    from ..records.case import decide

    with recording(book, case_id, dry_run=dry_run):
        draft = decide(book, case_id, d)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)


ListFormat = choice_enum("ListFormat", ["table", "json", "csv"])
ShowFormat = choice_enum("ShowFormat", ["text", "json"])


@case_app.command("list")
def list_command(
    case: CaseIdsOpt = None,
    area: AreasOpt = None,
    officer: OfficersOpt = None,
    stage: StagesOpt = None,
    age_band: AgeBandsOpt = None,
    concern: ConcernsOpt = None,
    since: SinceOpt = None,
    format: Annotated[ListFormat, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="table for people; json or csv for tools.")
    ] = ListFormat["table"],  # type: ignore[misc]
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="Table format: show at most this many cases (0: all). The count "
        "covers every case; json and csv list every case.")] = 200,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """List cases with their stage and what falls due first.

    Example: prelude case list --stage disruption --officer "PC 4471 Hart" \\
      --format csv
    """
    book, today = open_book(casebook, as_of)
    select = case_filter(case, area, officer, stage, age_band, concern, since)
    known_cases(book, select)
    with progress("Reading cases") as bar:
        every = caseview.list_rows(book, today, use_cache=not no_cache, jobs=jobs,
                                   progress=bar)
    rows = [r for r in every if select.keep(r)]
    warn_officers(select, (r["officer"] for r in every))
    if format.value == "json":
        out(json.dumps(rows, indent=2, ensure_ascii=False))
    elif format.value == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(caseview.LIST_COLUMNS)
        for row in rows:
            writer.writerow([spreadsheet(_csv_cell(row[c])) for c in caseview.LIST_COLUMNS])
        out(buf.getvalue())
    else:
        console().print(render_table(rows, limit, console().width))


@case_app.command("reassign")
def reassign_command(
    case_id: CaseArg,
    officer: Annotated[str, typer.Option("--officer", help="The new Officer in the Case.",
                                         show_default=False)],
    start: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help="The day the new officer takes the case. Default: the "
        "as-of date.", show_default=False)] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why the case changes hands.",
                                        show_default=False)] = "",
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
) -> None:
    """Hand a case to another Officer in the Case. case.yaml keeps the earlier officers in
    `officer_history`; due items, `case list` and reports name the officer on the as-of date.

    Example: prelude case reassign OP-7FM7H9 --officer "PC 2210 Okoro" \\
      --from 2026-12-01 --reason "PC Hart moved to another team"
    """
    book, today = open_book(casebook, as_of)
    if not reason.strip():
        fail("--reason is required: say why the case changes hands", 2)
    from ..records.lifecycle import reassign

    with recording(book, case_id, dry_run=dry_run):
        draft = reassign(book, case_id, officer=officer, start=day(start, "--from", today),
                         reason=reason)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run)


@case_app.command("show")
def show_command(
    case_id: CaseArg,
    format: Annotated[ShowFormat, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="text for people; json for tools.")
    ] = ShowFormat["text"],  # type: ignore[misc]
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    reveal: Annotated[bool, typer.Option(
        "--reveal", help="Show the person's name from the identity register (identities.yaml), "
        "when it is present.")] = False,
) -> None:
    """Show a case: stage, timeline, scores, open milestones, what falls due.

    The timeline lists every event the documents record, in date order; scores are the latest
    assessment's, with the change since the first. The case reference only, unless --reveal.

    Example: prelude case show OP-7FM7H9 --as-of 2026-11-26
    """
    book, today = open_book(casebook, as_of)
    view = _show(book, case_id, today)
    view["person"] = _person(book, case_id) if reveal else None
    if format.value == "json":
        out(json.dumps(view, indent=2, ensure_ascii=False))
    else:
        console().print(render_show(view))


def _csv_cell(value: object) -> object:
    """true/false as the JSON output writes them, not Python's True/False; a list as its
    items joined with ';'."""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return ("true" if value else "false") if isinstance(value, bool) else value


def _person(book: Casebook, case_id: str) -> dict[str, str] | None:
    """The name from the identity register, or a warning saying why there is none."""
    register = identities.load_register(book.root)
    name = identities.display_name(register.entries.get(case_id)) if register.present else None
    if name is None:
        why = (f"the identity register has no name for {case_id}" if register.present else
               f"no readable identity register ({identities.IDENTITIES_FILE} is "
               f"{register.state})")
        err(f"prelude: warning: {why}; showing the case reference only")
        return None
    return {"name": name}


def _show(book: Casebook, case_id: str, today: date) -> dict[str, object]:
    if case_id not in book.case_ids():
        fail(no_case(book.case_ids(), case_id))
    result = load_case(book, case_id, as_of=today, view=True)
    errors = sum(1 for p in result.problems if p.is_error)
    return caseview.show(result.case, book.settings, today,
                         (errors, len(result.problems) - errors))
