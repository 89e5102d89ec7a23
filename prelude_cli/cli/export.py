"""`prelude export`: the casebook as tidy tables for Excel, Power BI and SQL."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..export import FORMATS, ExportError, ExportResult, export_casebook
from ..files.outputs import OutputRefused
from ..privacy import disclosures
from ..privacy.disclosures import Disclosure
from ..read.engine import default_jobs
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
from .interrupts import FinishingUp
from .options import (
    AsOfOpt,
    CasebookOpt,
    ForceInsideOpt,
    NoCacheOpt,
    ReadJobsOpt,
    UsageError,
    as_of_date,
    load_book,
)
from .output import err, out, progress

ExportFormat = StrEnum("ExportFormat", {f: f for f in FORMATS})  # type: ignore[misc]
SUFFIXES = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".xlsx": "xlsx"}


def export_command(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Option(
        "--out", "-o", help="Where to write: a file for sqlite and xlsx, a folder for csv and "
        "jsonl. Must not exist, or be an empty folder. Keep exports outside the casebook, "
        "for example in an exports/ folder next to it.", show_default=False, metavar="PATH")],
    format: Annotated[ExportFormat | None, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="csv (a folder of .csv), xlsx (one sheet per table), sqlite, "
        "or jsonl (a folder of .jsonl). Default: from the --out suffix (.sqlite, .sqlite3, "
        ".db, .xlsx).",
        show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    include_text: Annotated[bool, typer.Option(
        "--include-text", help="Also export free text (notes, rationales, facts and views, "
        "part 2, feedback, evaluation, exit plan); it may hold personal data.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a previous export at --out.")] = False,
    force_inside: ForceInsideOpt = False,
    jobs: ReadJobsOpt = None,
    audience: AudienceOpt = Audience["internal"],  # type: ignore[misc]
    recipient: RecipientOpt = None,
    purpose: PurposeOpt = None,
    lawful_basis: LawfulBasisOpt = None,
    by: ByOpt = None,
    record: RecordOpt = False,
    no_cache: NoCacheOpt = False,
    case: CaseIdsOpt = None,
    area: AreasOpt = None,
    officer: OfficersOpt = None,
    stage: StagesOpt = None,
    age_band: AgeBandsOpt = None,
    concern: ConcernsOpt = None,
    since: SinceOpt = None,
) -> None:
    """Export the casebook as tables: cases, decisions, contacts, disruption actions,
    proportionality reviews, assessments, milestones, interventions, exits and due items.

    Free text is left out unless --include-text. Text that would start a spreadsheet formula is
    neutralised in csv and xlsx. The export is written under a temporary name and moved into
    place when complete. Tables and columns: docs/export.md. With --audience partner, only
    the shared columns, recorded as a disclosure (docs/data-protection.md).

    Example: prelude export --format sqlite --out ../exports/prelude.sqlite
    """
    fmt = format.value if format else SUFFIXES.get(out_path.suffix.lower())
    if fmt is None:
        raise typer.BadParameter("give --format (csv, xlsx, sqlite or jsonl)",
                                 param_hint="--format")
    book = load_book(casebook, settings_for="export")
    select = case_filter(case, area, officer, stage, age_band, concern, since)
    known_cases(book, select)
    today = as_of_date(as_of)
    req = disclose.request(book, audience, recipient, purpose, lawful_basis, by, record,
                           on=today)
    select, strict, fields = req.scope(select)

    recorded: list[Disclosure] = []

    def record_disclosure(done: ExportResult) -> None:
        made = disclose.prepare(ctx, book, req, output="export", fmt=fmt, cases=done.case_ids,
                                as_of=today, include_text=include_text,
                                filters=select if not select.empty else None)
        disclose.write(book, *made)
        recorded.append(made[0])

    def withdraw() -> None:
        for disclosure in recorded:
            disclosures.withdraw(book, disclosure)

    finishing = FinishingUp()

    def publish(done: ExportResult) -> None:
        finishing.start()  # from here the export is kept and reported, whatever Ctrl-C does
        if req.record:
            record_disclosure(done)

    try:
        try:
            with progress("Exporting cases") as bar:
                result = export_casebook(book, out_path, fmt=fmt, as_of=today,
                                         include_text=include_text, force=force,
                                         force_inside=force_inside, jobs=jobs or default_jobs(),
                                         progress=bar, audience=req.audience,
                                         before_publish=publish,
                                         on_failure=withdraw, use_cache=not no_cache,
                                         select=select, strict=strict, fields=fields)
        except (ExportError, OutputRefused) as exc:
            raise UsageError(f"{exc}; nothing was exported") from None
        if result.skipped_problems:
            err(f"prelude: warning: {result.skipped_problems} problem(s) in documents: their "
                "invalid parts were left out of this export and their cases' rows say "
                "incomplete; run `prelude validate`")
        width = max(len(name) for name in result.counts)
        lines = [f"exported {result.counts['cases']} cases as of {today} to {out_path} ({fmt})"]
        lines += [f"  {name:<{width}}  {n:>7}" for name, n in result.counts.items()]
        out("\n".join(lines))
    finally:
        finishing.stop()
    if finishing.pressed:
        err(f"prelude: interrupted after the export was complete; it is kept at {out_path}")
