"""Cutting the casebook down to some cases: by id, area, officer, stage, age band, concern,
or activity since a date. One filter for every reading command (`due-reviews`, `case list`,
`report programme`, `export`), applied before anything is counted.

A case whose documents are broken may have lost the very field a filter looks at. For an
analyst's cut, such a case stays in (flagged incomplete) rather than silently out: the list
must never lose a case. For a partner's scope (`strict`), it stays out: nothing is shared that
cannot be shown to be within the agreement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from ..case.officers import officer_matches
from .engine import Progress, summaries


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Each field empty: no restriction; several values: any of them (case-insensitive)."""

    cases: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    officers: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    since: date | None = None
    """Cases with activity on or after this date."""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def keep(self, case: Mapping[str, Any], *, strict: bool = False) -> bool:
        """Whether a case (a mapping with `case`, `area`, `officer`, `stage`, `age_band`,
        `concerns`, `last_activity` and `incomplete`) is within the filter."""
        lenient = bool(case.get("incomplete")) and not strict

        def one(wanted: tuple[str, ...], value: str) -> bool:
            if not wanted:
                return True
            if not value:
                return lenient
            return value.casefold() in {w.casefold() for w in wanted}

        concerns = [c.casefold() for c in case.get("concerns") or ()]
        officer = case.get("officer", "")
        return (one(self.cases, case["case"])
                and one(self.areas, case.get("area", ""))
                and (not self.officers or (not officer and lenient)
                     or any(officer_matches(o, officer) for o in self.officers))
                and one(self.stages, case.get("stage", ""))
                and one(self.age_bands, case.get("age_band", ""))
                and (not self.concerns or (not concerns and lenient)
                     or bool({c.casefold() for c in self.concerns} & set(concerns)))
                and (self.since is None
                     or (case.get("last_activity") or "") >= self.since.isoformat()
                     or (not case.get("last_activity") and lenient)))

    def describe(self) -> list[str]:
        """The filters applied, one phrase each, for a report's heading and a disclosure."""
        out = []
        for name, label in (("cases", "case"), ("areas", "area"), ("officers", "officer"),
                            ("stages", "stage"), ("age_bands", "age band"),
                            ("concerns", "concern")):
            values = getattr(self, name)
            if values:
                out.append(f"{label}: {', '.join(values)}")
        if self.since:
            out.append(f"activity since {self.since.isoformat()}")
        return out

    def as_dict(self) -> dict[str, Any]:
        """The filters as JSON (for reports and disclosure records): only those applied."""
        out: dict[str, Any] = {f.name: list(getattr(self, f.name)) for f in fields(self)
                               if f.name != "since" and getattr(self, f.name)}
        if self.since:
            out["since"] = self.since.isoformat()
        return out


def selected(cases: Iterable[Mapping[str, Any]], where: CaseFilter, *,
             strict: bool = False) -> list[str]:
    """The ids of the cases within the filter, in the order given."""
    return [c["case"] for c in cases if where.keep(c, strict=strict)]


def select_cases(book: Casebook, as_of: date, where: CaseFilter, *, strict: bool = False,
                 use_cache: bool = True, jobs: int | None = None,
                 progress: Progress | None = None) -> list[str]:
    """The ids of the cases within the filter as they stood on `as_of`, through the same
    cached read as `due-reviews` (a case not yet identified then is never selected)."""
    if where.empty:
        return [s.case_id for s in summaries(book, as_of=as_of, use_cache=use_cache, jobs=jobs,
                                             progress=progress, view=True) if not s.not_yet]
    return selected((s.filterable() for s in summaries(
        book, as_of=as_of, use_cache=use_cache, jobs=jobs, progress=progress, view=True)
        if not s.not_yet), where, strict=strict)
