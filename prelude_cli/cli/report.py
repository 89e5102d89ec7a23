"""`prelude report case|programme`: reports as Markdown, self-contained HTML or JSON.

Without --out a report goes to stdout. With --out it is written through `outputs`: atomically,
never over a device, FIFO, link or an existing file without --force, never over a casebook
document or setting, and never elsewhere inside the casebook (where it could be committed by
accident) unless under a folder the casebook's .gitignore ignores, such as `reports/`, or
with --force-inside (the same option as an export's).

A partner report (`--audience partner`) holds only the allowlisted fields and is recorded in
the disclosure log before it is released; a name from the identity register appears only
with --reveal, never in a partner report.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..book.casebook import Casebook
from ..files import outputs
from ..privacy import disclosures, identities
from ..privacy.disclosures import Disclosure
from ..privacy.markings import marking_of
from ..read.engine import default_jobs
from ..read.selection import CaseFilter, select_cases
from ..reports import FORMATS
from ..reports.case import CaseNotFound, build_case_report
from ..reports.figures import Period
from ..reports.programme import build_programme_report
from ..reports.render import Report, render
from . import disclose
from .disclose import (
    Audience,
    AudienceOpt,
    ByOpt,
    LawfulBasisOpt,
    PurposeOpt,
    RecipientOpt,
    RecordOpt,
)
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
)
from .options import (
    AsOfOpt,
    CasebookOpt,
    ForceInsideOpt,
    NoCacheOpt,
    ReadJobsOpt,
    UsageError,
    as_of_date,
    case_id_checked,
    load_book,
    parse_date,
)
from .output import err, out, progress

ReportFormat = StrEnum("ReportFormat", {f: f for f in FORMATS})  # type: ignore[misc]
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                  ".json": "json"}

report_app = typer.Typer(no_args_is_help=True)

FormatOpt = Annotated[ReportFormat | None, typer.Option(  # type: ignore[valid-type]
    "--format", "-f", help="md (GitHub/GitLab Markdown), html (one self-contained page) or "
    "json. Default: from the --out file's extension, else md.", show_default=False)]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Write the report to this file (atomically) instead of stdout. A "
    "Markdown report's charts are written beside it as NAME-CHART.svg.", show_default=False,
    metavar="FILE")]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Replace an existing --out file (never a document or setting).")]


@report_app.callback()
def report_callback() -> None:
    """Case and programme reports as Markdown, self-contained HTML or JSON.

    Example: prelude report case OP-7FM7H9 --format html --out case.html
    """


RevealOpt = Annotated[bool, typer.Option(
    "--reveal", help="Show the person's name from the identity register (identities.yaml), "
    "when it is present. Never with --audience partner.")]


@report_app.command("case")
def case_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(help="The case id, e.g. OP-7K3M9Q.",
                                           show_default=False, callback=case_id_checked)],
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    format: FormatOpt = None,  # noqa: A002
    out_file: OutOpt = None,
    force: ForceOpt = False,
    force_inside: ForceInsideOpt = False,
    audience: AudienceOpt = Audience["internal"],  # type: ignore[misc]
    recipient: RecipientOpt = None,
    purpose: PurposeOpt = None,
    lawful_basis: LawfulBasisOpt = None,
    by: ByOpt = None,
    record: RecordOpt = False,
    reveal: RevealOpt = False,
) -> None:
    """One case on one page, as Markdown, HTML or JSON.

    Stage and timeline, decisions, contacts, the disruption plan and its
    proportionality reviews, needs assessments with a star chart of
    distance travelled, the plan, exit, and what is due (docs/reports.md).
    With --audience partner: only what a partner may see, recorded as a
    disclosure (docs/data-protection.md).

    Example: prelude report case OP-7FM7H9 -C sample_casebook --out case.html
    """
    book = load_book(casebook, settings_for="report")
    today = as_of_date(as_of)
    if reveal and audience.value == "partner":
        raise UsageError("--reveal is refused for --audience partner: a partner pack carries "
                         "the case reference only")
    req = disclose.request(book, audience, recipient, purpose, lawful_basis, by, record,
                           on=today)
    select, strict, fields = req.scope(CaseFilter(cases=(case_id,)))
    if fields is not None:
        raise UsageError(
            f"the agreement with {req.partner.id} ({req.partner.agreement}) narrows the "  # type: ignore[union-attr]
            "fields it receives, and a case report cannot be narrowed field by field; make "
            "the partner's pack with `prelude export --audience partner` or `prelude report "
            "programme --audience partner`, which follow the agreement's fields; nothing was "
            "made")
    if req.partner is not None and case_id in book.case_ids() and not select_cases(
            book, today, select, strict=True):
        raise UsageError(f"{case_id} is outside the agreement with {req.partner.id} "
                         f"({req.partner.agreement}); nothing was made")
    target = _target(book, out_file, force, force_inside)
    try:
        report = build_case_report(book, case_id, today, req.audience)
    except CaseNotFound as exc:
        raise UsageError(str(exc)) from None
    if reveal:
        report.person = _person(book, case_id)
    _warn(report.problems)
    fmt = _format(format, out_file)
    made = disclose.prepare(ctx, book, req, output="report-case", fmt=fmt, cases=[case_id],
                            as_of=today, filters=select if req.partner else None
                            ) if req.record else None
    if made:
        report.disclosure = disclose.summary(made[0])
    _emit(report, fmt, target, book, made)


def _person(book: Casebook, case_id: str) -> dict[str, str] | None:
    """The name to reveal, or a warning on stderr saying why there is none."""
    register = identities.load_register(book.root)
    if not register.present:
        err(f"prelude: warning: no readable identity register ({identities.IDENTITIES_FILE} is "
            f"{register.state}); showing the case reference only")
        return None
    name = identities.display_name(register.entries.get(case_id))
    if name is None:
        err(f"prelude: warning: the identity register has no name for {case_id}")
        return None
    return {"name": name}


@report_app.command("programme")
def programme_command(
    ctx: typer.Context,
    casebook: CasebookOpt = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="First day of the period (YYYY-MM-DD): cases whose first "
        "identification decision is on or after it.", show_default=False, metavar="DATE")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day of the period (YYYY-MM-DD), inclusive.", show_default=False,
        metavar="DATE")] = None,
    as_of: AsOfOpt = None,
    format: FormatOpt = None,  # noqa: A002
    out_file: OutOpt = None,
    force: ForceOpt = False,
    force_inside: ForceInsideOpt = False,
    audience: AudienceOpt = Audience["internal"],  # type: ignore[misc]
    recipient: RecipientOpt = None,
    purpose: PurposeOpt = None,
    lawful_basis: LawfulBasisOpt = None,
    by: ByOpt = None,
    record: RecordOpt = False,
    jobs: ReadJobsOpt = None,
    no_cache: NoCacheOpt = False,
    case: CaseIdsOpt = None,
    area: AreasOpt = None,
    officer: OfficersOpt = None,
    stage: StagesOpt = None,
    age_band: AgeBandsOpt = None,
    concern: ConcernsOpt = None,
    since: SinceOpt = None,
) -> None:
    """Programme figures for the evaluation and the board, each with its definition.

    Caseload by stage, identified to engaged, days to contact, reviews on
    time, distance travelled, milestones, interventions, exits, feedback;
    over the cases whose first decision falls in the period (docs/reports.md).
    With --audience partner, figures that count withheld fields are left out.

    Example: prelude report programme --from 2026-01-01 --to 2026-03-31 \\
      --out q1.html
    """
    if end and not _is_date(end):
        raise typer.BadParameter(
            f"not a date like 2026-05-01: {end!r}; --to is the period's last day (name the "
            "receiving agency with --recipient)", param_hint="--to")
    period = Period(parse_date(start, "--from") if start else None,
                    parse_date(end, "--to") if end else None)
    if period.start and period.end and period.start > period.end:
        raise typer.BadParameter("--from is after --to", param_hint="--from")
    book = load_book(casebook, settings_for="report")
    select = case_filter(case, area, officer, stage, age_band, concern, since)
    known_cases(book, select)
    today = as_of_date(as_of)
    req = disclose.request(book, audience, recipient, purpose, lawful_basis, by, record,
                           on=today)
    select, strict, fields = req.scope(select)
    target = _target(book, out_file, force, force_inside)
    with progress("Reading cases") as bar:
        report = build_programme_report(book, today, period, req.audience,
                                        jobs=jobs or default_jobs(), progress=bar,
                                        use_cache=not no_cache, select=select,
                                        strict=strict, fields=fields)
    _warn(report.problems)
    fmt = _format(format, out_file)
    made = disclose.prepare(
        ctx, book, req, output="report-programme", fmt=fmt, cases=report.case_ids,
        as_of=today, period={k: v.isoformat() for k, v in
                             (("from", period.start), ("to", period.end)) if v},
        filters=select) if req.record else None
    if made:
        report.disclosure = disclose.summary(made[0])
    _emit(report, fmt, target, book, made)


def _is_date(text: str) -> bool:
    try:
        parse_date(text, "--to")
    except typer.BadParameter:
        return False
    return True


def _format(chosen: ReportFormat | None, out_file: Path | None) -> str:  # type: ignore[valid-type]
    if chosen is not None:
        return chosen.value  # type: ignore[attr-defined]
    if out_file is not None:
        return SUFFIX_FORMATS.get(out_file.suffix.lower(), "md")
    return "md"


def _target(book: Casebook, out_file: Path | None, force: bool,
            force_inside: bool) -> outputs.Target | None:
    """Where --out points, checked before any work (outputs.py holds the rules)."""
    if out_file is None:
        return None
    try:
        return outputs.check_target(out_file, force=force, casebook_root=book.root,
                                    force_inside=force_inside)
    except outputs.OutputRefused as exc:
        raise UsageError(f"--out {exc}") from None


def _warn(problems: int) -> None:
    if problems:
        err(f"prelude: warning: {problems} problem(s) in documents: their invalid parts were "
            "left out of this report, so it may be incomplete; run `prelude validate`")


def _emit(report: Report, fmt: str, target: outputs.Target | None, book: Casebook,
          made: tuple[Disclosure, bytes] | None) -> None:
    """Print the report, or write it (charts first, so Markdown never links to a missing
    file). A disclosure is recorded before anything is released, and withdrawn if writing
    fails."""
    rendered = render(report, fmt, target.path.name if target else None,
                      marking_of(book.settings))
    if target is None:
        if made:
            disclose.write(book, *made)
        out(rendered.text)
        return
    try:
        charts = [(outputs.check_target(target.path.with_name(name), force=target.force,
                                        casebook_root=book.root,
                                        force_inside=target.force_inside),
                   text) for name, text in rendered.beside.items()]
    except outputs.OutputRefused as exc:
        raise UsageError(f"--out {exc}") from None

    def writer(text: str):  # type: ignore[no-untyped-def]
        def write(tmp: Path) -> None:
            with open(tmp, "xb") as fh:
                fh.write(text.encode("utf-8"))
        return write

    try:
        for chart, text in charts:
            chart.write(writer(text))
            err(f"wrote {chart.path}")
        target.write(writer(rendered.text),
                     before_publish=(lambda: disclose.write(book, *made)) if made else None,
                     on_failure=(lambda: disclosures.withdraw(book, made[0])) if made else None)
    except outputs.OutputRefused as exc:
        raise UsageError(f"--out {exc}") from None
    err(f"wrote {target.path}")
