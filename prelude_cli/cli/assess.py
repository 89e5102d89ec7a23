"""`prelude assess`: a needs assessment, or its six-weekly review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..files.fsread import ReadRefused, read_regular
from ..records import RecordError
from ..records.assessment import AssessmentInput, add_assessment, read_form_file
from .options import AsOfOpt, CasebookOpt
from .recording import (
    CaseArg,
    DateOpt,
    DryRunOpt,
    EditOpt,
    ResumeOpt,
    ReviewedOpt,
    commit,
    day,
    open_book,
    recording,
    refusals,
)


def parse_score(spec: str) -> tuple[str, int]:
    domain, sep, value = spec.partition("=")
    domain, value = domain.strip(), value.strip()
    if not sep or not domain:
        raise typer.BadParameter(f"{spec!r} is not DOMAIN=SCORE", param_hint="--score")
    try:
        return domain, int(value)
    except ValueError:
        raise typer.BadParameter(f"the score in {spec!r} is not a whole number",
                                 param_hint="--score") from None


def assess_command(
    case_id: CaseArg,
    assessor: Annotated[str, typer.Option("--assessor", help="Who completed the assessment.",
                                          show_default=False)],
    when: DateOpt = None,
    score: Annotated[list[str] | None, typer.Option(
        "--score", metavar="DOMAIN=N", help="A domain's score on the casebook's scale. "
        "Repeatable; overrides the file and the previous assessment.", show_default=False)] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from-file", metavar="FILE", help="Scores (and part2) drafted in a YAML file shaped "
        "like an assessment.", show_default=False, dir_okay=False)] = None,
    aspirations: Annotated[str | None, typer.Option(
        "--aspirations", help="Part 2: what they want, in their words.",
        show_default=False)] = None,
    enjoys: Annotated[str | None, typer.Option(
        "--enjoys", help="Part 2: what they enjoy.", show_default=False)] = None,
    strengths: Annotated[str | None, typer.Option(
        "--strengths", help="Part 2: what they are good at.", show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
) -> None:
    """Record a needs assessment, or its six-weekly review.

    Writes assessments/DATE.yaml and prints its path. A review starts from the latest earlier
    assessment's scores and changes what --score and --from-file give; a first assessment
    must score every domain of the casebook's form.

    Example: prelude assess OP-7FM7H9 --date 2026-04-13 \\
      --assessor "PC 4471 Hart" --score accommodation=5 --score finances=4
    """
    book, today = open_book(casebook, as_of)
    scores = dict(parse_score(s) for s in score or [])
    base = {}
    if from_file is not None:
        try:
            raw = read_regular(from_file, book.settings.max_document_bytes)
        except ReadRefused as exc:
            raise typer.BadParameter(str(exc), param_hint="--from-file") from None
        except OSError as exc:
            raise typer.BadParameter(f"cannot read {from_file}: {exc.strerror}",
                                     param_hint="--from-file") from None
        with refusals():
            try:
                base = read_form_file(raw, from_file.name)
            except RecordError as exc:
                raise RecordError(str(exc), usage=True) from None
    part2 = {k: v for k, v in (("aspirations", aspirations), ("enjoys", enjoys),
                               ("strengths", strengths)) if v}
    given = AssessmentInput(day(when, "--date", today), assessor, scores, part2, base)
    with recording(book, case_id, dry_run=dry_run):
        draft = add_assessment(book, case_id, given, as_of=today)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run, edit=edit, resume=resume)
