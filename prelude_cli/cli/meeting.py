"""`prelude meeting pack` and `prelude meeting record`: prepare a partnership meeting from the
casebook, then record its decisions in one go."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..book.problems import sort_problems
from ..book.textsafe import terminal
from ..files import outputs
from ..meetings.intake import Intake
from ..meetings.meeting import build_pack
from ..meetings.meeting_record import record_sheet
from ..meetings.meeting_render import FORMATS, render_pack, sheet_yaml
from ..privacy import identities
from ..privacy.markings import marking_of
from ..records import RecordError
from ..reporters import problem_line
from .filters import AreasOpt, case_filter
from .intake import load_intake
from .options import (
    AsOfOpt,
    CasebookOpt,
    JobsOpt,
    NoCacheOpt,
    UsageError,
    as_of_date,
    load_book,
    parse_date,
    read_given,
)
from .output import err, out

meeting_app = typer.Typer(no_args_is_help=True)
PackFormat = StrEnum("PackFormat", {f: f for f in FORMATS})  # type: ignore[misc]
SHEET_MAX_BYTES = 1_048_576


@meeting_app.callback()
def meeting_group() -> None:
    """Partnership meetings: the agenda from the casebook, and its decisions recorded.

    Example: prelude meeting pack --forum "Slough Serious Violence tasking" \\
      --date 2026-12-03
    """


def _write(path: Path, text: str, book_root: Path, force: bool, what: str) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "xb") as fh:
            fh.write(text.encode("utf-8"))

    try:
        written = outputs.write_output(path, write, force=force, casebook_root=book_root)
    except outputs.OutputRefused as exc:
        raise UsageError(f"{what} {exc}") from None
    err(f"wrote {written}")


@meeting_app.command("pack")
def pack_command(
    forum: Annotated[str, typer.Option(
        "--forum", metavar="NAME", help="The partnership meeting, as decisions name it "
        "(case and spacing ignored).", show_default=False)],
    when: Annotated[str, typer.Option(
        "--date", metavar="DATE", help="The meeting's date (YYYY-MM-DD).",
        show_default=False)],
    next_meeting: Annotated[str | None, typer.Option(
        "--next", metavar="DATE", help="The next meeting's date: reviews falling due before "
        "it come to this one. Default: only what is due by this meeting's date.",
        show_default=False)] = None,
    areas: AreasOpt = None,
    format: Annotated[PackFormat, typer.Option(  # noqa: A002  # type: ignore[valid-type]
        "--format", "-f", help="md (Markdown), html (one self-contained page) or json.")
    ] = PackFormat.md,  # type: ignore[attr-defined]
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="PATH", help="Write the pack to this file instead of stdout "
        "(outside the casebook, or under a folder its .gitignore lists).",
        show_default=False)] = None,
    sheet: Annotated[Path | None, typer.Option(
        "--sheet", metavar="PATH", help="Also write the decision sheet (YAML), one entry per "
        "agenda item, to fill in during the meeting.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out or "
                                        "--sheet file.")] = False,
    intake: Annotated[Path | None, typer.Option(
        "--intake", metavar="FILE", help="A dashboard extract (as prelude intake reads it): "
        "its new rows become nominations, and not-included people on it whose "
        "re-presentation date has passed come back.", show_default=False)] = None,
    include_text: Annotated[bool, typer.Option(
        "--include-text", help="Add the free text each decision may draw on (the latest "
        "rationale, review or plan notes); left out by default.")] = False,
    as_of: AsOfOpt = None,
    casebook: CasebookOpt = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """The agenda of one partnership meeting, built from the casebook.

    Lists the cases this forum decided last that need its decision now: disruption plans
    whose proportionality review falls due before the next meeting, deferred cases returning,
    people who declined with no disruption plan open, nominations not included that may be
    presented again, cases proposed for exit, and exits awaiting evaluation; with --intake,
    the dashboard's new rows as nominations. Facts only: no names, and no free text unless
    --include-text. Every format carries the casebook's protective marking.

    Example: prelude meeting pack --forum "Slough tasking" --date 2026-12-03 \\
      --sheet s.yaml
    """
    meeting = parse_date(when, "--date")
    following = parse_date(next_meeting, "--next") if next_meeting else None
    if following is not None and following <= meeting:
        raise UsageError("--next must be after --date")
    today = as_of_date(as_of)
    book = load_book(casebook, settings_for="meeting pack")
    select = case_filter(areas=areas)
    rows = None
    if intake is not None:
        identities.read_into(book)
        rows = load_intake(book, intake, today, option="--intake")
        for p in sort_problems(rows.problems):
            err(problem_line(p))
    pack = build_pack(book, forum=forum, meeting=meeting, next_meeting=following,
                      as_of=today, select=select, intake=rows, include_text=include_text,
                      use_cache=not no_cache, jobs=jobs)
    marking = marking_of(book.settings)
    if not pack.forum_cases:
        err(f"prelude: warning: no case's latest decision was taken by {terminal(forum)!r}: "
            "check the forum's name as the decisions give it")
    text = render_pack(pack, str(format.value), marking)
    if sheet is not None:
        _write(sheet, sheet_yaml(pack, marking, str(intake.resolve()) if intake else None),
               book.root, force, "--sheet")
    if out_file is None:
        out(text.rstrip("\n"))
    else:
        _write(out_file, text, book.root, force, "--out")


@meeting_app.command("record")
def record_command(
    sheet: Annotated[Path, typer.Argument(metavar="SHEET.yaml", help="The filled decision "
                                          "sheet.", show_default=False)],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check every entry and say what would be written; write nothing.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="The summary as JSON.")] = False,
    intake: Annotated[Path | None, typer.Option(
        "--intake", metavar="FILE", help="The dashboard extract of the sheet's nominations, "
        "if not where the sheet's `intake:` says.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    casebook: CasebookOpt = None,
) -> None:
    """Record every decision of a filled decision sheet, all or nothing.

    Each entry must name a case of the casebook (or, for a nomination, a row of the
    dashboard extract the sheet names), a decision from its item's list and a rationale;
    each is recorded as `case decide`, `case new --from-intake`, `disruption review`,
    `exit record`, `plan review` or `exit evaluate` would record it. If any entry is wrong or
    would leave an error in its case, nothing is written (exit 1). An entry whose decision is
    left empty is carried over.

    Example: prelude meeting record ../meetings/2026-12-03.yaml
    """
    today = as_of_date(as_of)
    book = load_book(casebook)
    identities.read_into(book)
    raw = read_given(sheet, SHEET_MAX_BYTES, "sheet")

    def intake_of(named: str | None) -> Intake:
        # A relative `intake:` is read from the sheet's folder, as people write it.
        path = intake or (sheet.parent / named if named else None)
        if path is None:
            raise RecordError("the sheet has nominations but names no dashboard extract "
                              "(`intake:`): give it with --intake FILE")
        rows = load_intake(book, path, today, option="--intake")
        for p in sort_problems(rows.problems):
            err(problem_line(p))
        return rows

    try:
        result = record_sheet(book, sheet, raw, today, dry_run=dry_run, intake_of=intake_of)
    except RecordError as exc:
        err(f"prelude: {terminal(str(exc))}")
        raise typer.Exit(1) from None
    for p in sort_problems(result.problems):
        err(problem_line(p))
    if json_out:
        out(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    if not result.ok:
        errors = sum(1 for p in result.problems if p.is_error)
        err(f"prelude: nothing written: {errors} error{'s' if errors != 1 else ''} in the "
            "sheet or in the records it would make")
        raise typer.Exit(1)
    if not json_out:
        verb = "would record" if dry_run else "recorded"
        for e in result.entries:
            row = f" (row {e.row})" if e.row is not None else ""
            out(f"{verb} item {e.item}: {e.case}{row} {e.kind}: {e.decision} "
                f"({', '.join(c.relpath for c in e.changes)})")
        if result.register is not None:
            out(f"{verb} {len(result.nominations)} new "
                f"entr{'ies' if len(result.nominations) != 1 else 'y'} in "
                f"{result.register.relpath} (kept out of git)")
        for item, case_id, kind in result.carried_over:
            out(f"carried over item {item}: {case_id} {kind} (no decision)")
    cases = len({e.case for e in result.entries})
    err(f"{'would record' if dry_run else 'recorded'} {len(result.entries)} decision"
        f"{'s' if len(result.entries) != 1 else ''} in {cases} case{'s' if cases != 1 else ''}"
        f"; {len(result.carried_over)} carried over")
