"""The case filters every reading command takes: one set of options, one `CaseFilter`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer

from ..book.casebook import Casebook
from ..book.schemas import choices
from ..case.model import STAGES
from ..case.officers import officer_matches, officer_warning
from ..read.selection import CaseFilter
from .options import case_id_value, parse_date
from .output import err

FILTER_HELP = "Filter cases"

def _case_ids(values: list[str] | None) -> list[str] | None:
    """Each id's length checked before it reaches the file system."""
    return [case_id_value(v) or "" for v in values] if values else values


CaseIdsOpt = Annotated[list[str] | None, typer.Option(
    "--case", metavar="ID", help="Only this case; repeat for several.", show_default=False,
    rich_help_panel=FILTER_HELP, callback=_case_ids)]
AreasOpt = Annotated[list[str] | None, typer.Option(
    "--area", help="Only cases in this area (case-insensitive); repeat for several.",
    show_default=False, rich_help_panel=FILTER_HELP)]
OfficersOpt = Annotated[list[str] | None, typer.Option(
    "--officer", help="Only cases of this Officer in the Case: the whole name, the collar "
    "number or the surname (case-insensitive); repeat for several.", show_default=False,
    rich_help_panel=FILTER_HELP)]
StagesOpt = Annotated[list[str] | None, typer.Option(
    "--stage", metavar="STAGE", help=f"Only cases at this stage ({', '.join(STAGES)}) on the "
    "as-of date; repeat for several.", show_default=False, rich_help_panel=FILTER_HELP)]
AgeBandsOpt = Annotated[list[str] | None, typer.Option(
    "--age-band", metavar="BAND", help="Only cases in this age band "
    f"({', '.join(choices('case', 'age_band'))}); repeat for several.", show_default=False,
    rich_help_panel=FILTER_HELP)]
ConcernsOpt = Annotated[list[str] | None, typer.Option(
    "--concern", metavar="CONCERN", help="Only cases with this concern "
    f"({', '.join(choices('case', 'concerns'))}); repeat for several.", show_default=False,
    rich_help_panel=FILTER_HELP)]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", metavar="DATE", help="Only cases with activity on or after this date.",
    show_default=False, rich_help_panel=FILTER_HELP)]


def _checked(values: list[str] | None, allowed: tuple[str, ...], option: str
             ) -> tuple[str, ...]:
    out = []
    for v in values or ():
        match = next((a for a in allowed if a.casefold() == v.strip().casefold()), None)
        if match is None:
            raise typer.BadParameter(f"{v!r} is not one of: {', '.join(allowed)}",
                                     param_hint=option)
        out.append(match)
    return tuple(dict.fromkeys(out))


def case_filter(cases: list[str] | None = None, areas: list[str] | None = None,
                officers: list[str] | None = None, stages: list[str] | None = None,
                age_bands: list[str] | None = None, concerns: list[str] | None = None,
                since: str | None = None) -> CaseFilter:
    """The filter the options give; a stage, age band or concern that does not exist is a
    usage error (exit 2), never an empty list."""
    return CaseFilter(
        cases=tuple(dict.fromkeys(c.strip() for c in cases or ())),
        areas=tuple(dict.fromkeys(a.strip() for a in areas or ())),
        officers=tuple(dict.fromkeys(o.strip() for o in officers or ())),
        stages=_checked(stages, STAGES, "--stage"),
        age_bands=_checked(age_bands, tuple(choices("case", "age_band")), "--age-band"),
        concerns=_checked(concerns, tuple(choices("case", "concerns")), "--concern"),
        since=parse_date(since, "--since") if since else None)


def known_cases(book: Casebook, where: CaseFilter) -> None:
    """A `--case` that names no case is a usage error: never "nothing due" for a typo."""
    existing = {c.casefold(): c for c in book.case_ids()}
    for case_id in where.cases:
        if case_id.casefold() not in existing:
            raise typer.BadParameter(f"no case {case_id} in the casebook", param_hint="--case")


def warn_officers(where: CaseFilter, officers: Iterable[str]) -> None:
    """On stderr, each `--officer` that names nobody among `officers`, or several people."""
    known = {o for o in officers if o}
    for query in where.officers:
        warning = officer_warning(query, {o for o in known if officer_matches(query, o)})
        if warning:
            err(f"prelude: warning: {warning}")
