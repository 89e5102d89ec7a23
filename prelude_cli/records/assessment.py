"""Needs assessments: part 1 scores on the casebook's form, part 2 in the person's words.

A six-weekly review starts from the latest earlier assessment's scores and changes only what
moved; the first assessment must score every domain of the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from ..files.yamlio import load_bytes
from .base import (
    Draft,
    RecordError,
    case_model,
    case_relpath,
    drop_empty,
    iso,
    new_file,
    require_case,
)

PART2 = ("aspirations", "enjoys", "strengths")


@dataclass(slots=True)
class AssessmentInput:
    date: date
    assessor: str
    scores: dict[str, int] = field(default_factory=dict)
    part2: dict[str, str] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)  # from --from-file: scores and part2


def read_form_file(raw: bytes, name: str) -> dict[str, Any]:
    """An assessment drafted in a file: `scores` (a domain's score, or {score, facts, views})
    and `part2`, shaped like an assessment document; other fields are ignored."""
    loaded = load_bytes(raw, name)
    if not loaded.ok:
        first = next(p for p in loaded.problems if p.is_error)
        raise RecordError(f"{name}:{first.line}:{first.column}: {first.message}")
    data = loaded.data
    scores: dict[str, dict[str, Any]] = {}
    for domain, value in (data.get("scores") or {}).items():
        entry = value if isinstance(value, dict) else {"score": value}
        if not isinstance(entry.get("score"), int) or isinstance(entry.get("score"), bool):
            raise RecordError(f"{name}: the score for {domain} is not a whole number")
        scores[str(domain)] = entry
    part2 = data.get("part2") or {}
    if not isinstance(part2, dict):
        raise RecordError(f"{name}: part2 must be a mapping of {', '.join(PART2)}")
    return {"scores": scores, "part2": part2}


def add_assessment(book: Casebook, case_id: str, given: AssessmentInput, *,
                   as_of: date) -> Draft:
    require_case(book, case_id)
    settings = book.settings
    form = settings.domain_ids
    lo, hi = settings.scale_min, settings.scale_max
    entries: dict[str, dict[str, Any]] = {}
    case = case_model(book, case_id, as_of)
    earlier = [a for a in case.assessments if a.data["date"] <= iso(given.date)]
    if earlier:
        for domain, entry in earlier[-1].data["scores"].items():
            if domain in form:
                entries[domain] = {"score": entry["score"]}
    for domain, entry in given.base.get("scores", {}).items():
        entries[domain] = dict(entry)
    for domain, score in given.scores.items():
        entries.setdefault(domain, {})["score"] = score
    unknown = [d for d in entries if d not in form]
    if unknown:
        raise RecordError(f"unknown needs domain {unknown[0]!r}; this casebook's domains are: "
                          f"{', '.join(form)}")
    for domain in form:
        if domain in entries and not lo <= entries[domain]["score"] <= hi:
            raise RecordError(f"score {entries[domain]['score']} for {domain} is off the "
                              f"{lo}-{hi} scale")
    missing = [d for d in form if d not in entries]
    if missing and not earlier:
        raise RecordError(f"a first assessment scores every domain; no score for: "
                          f"{', '.join(missing)}")
    scores = {d: drop_empty({"score": entries[d]["score"], "facts": entries[d].get("facts"),
                             "views": entries[d].get("views")})
              for d in form if d in entries}
    part2 = {**given.base.get("part2", {}), **given.part2}
    data: dict[str, Any] = {"date": iso(given.date), "assessor": given.assessor,
                            "scores": scores}
    part2 = drop_empty({k: part2.get(k) for k in PART2})
    if part2:
        data["part2"] = part2
    relpath = case_relpath(case_id, "assessments", f"{iso(given.date)}.yaml")
    if (book.root / relpath).exists():
        raise RecordError(f"case {case_id} already has an assessment dated {iso(given.date)}")
    return Draft(case_id, [new_file(book, relpath, data)], made=relpath)
