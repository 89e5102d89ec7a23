"""The Officer in the Case on a given date.

`case.yaml` holds the current officer in `officer` and the earlier ones, oldest first, in
`officer_history` (each with the day the next officer took over, `to`), as `prelude case
reassign` writes them. Due items, `case list` and reports name the officer on the as-of date:
the case is loaded with `officer` set to that officer (`validation.load_case`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


def officer_on(case_data: Mapping[str, Any], as_of: date) -> str:
    """Who had the case on `as_of`: the first earlier officer whose time ended after it,
    else the current one."""
    day = as_of.isoformat()
    for entry in case_data.get("officer_history") or []:
        if day < entry["to"]:
            return str(entry["officer"])
    return str(case_data.get("officer", ""))


def as_of_view(case_data: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The case record with `officer` set to the officer on `as_of` (unchanged if the same)."""
    if not case_data.get("officer_history"):
        return case_data
    officer = officer_on(case_data, as_of)
    return case_data if officer == case_data.get("officer") else {**case_data, "officer": officer}


def officer_matches(query: str, officer: str) -> bool:
    """Whether `--officer QUERY` names `officer`: the whole name, its collar number or its
    surname (the last word), letter case aside. `PC 4471 Hart` answers to `pc 4471 hart`,
    `4471` and `hart`."""
    q = " ".join(query.split()).casefold()
    name = " ".join(officer.split()).casefold()
    if not q or not name:
        return False
    words = name.split(" ")
    return q == name or (q in words and (q.isdigit() or q == words[-1]))


def officer_warning(query: str, officers: set[str]) -> str | None:
    """What to say on stderr about `--officer QUERY` given the officers it matched among
    those listed: nobody, or several people (a shared surname)."""
    if not officers:
        return f"--officer {query!r} matches no Officer in the Case"
    if len(officers) > 1:
        return (f"--officer {query!r} matches {len(officers)} officers: "
                f"{', '.join(sorted(officers))}; give the collar number or the whole name")
    return None
