"""Dashboard intake: a Serious Violence Dashboard extract matched to the casebook's cases.

Each row's person key (casebook.yaml `intake.key`, of the kind `intake.key_kind`) is looked up
in the identity register (a `dashboard_id`, the `pnc_id`, or any of the `police_references`;
never free text or a name) and the row sorted into: `new` (no case), `on-programme`,
`deferred`, `not-included` (with the date it may be presented again) or `exited`. Rows that
cannot be read (no key, a malformed date, rank or score, a key seen on an earlier row, a key
that matches several cases) are problems naming their row. Nothing from the extract is written
anywhere; names are read only when asked (`reveal`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..book.casebook import Casebook
from ..book.problems import Problem, error
from ..checks.validation import load_case

RULE = "intake-row"
KEY_FIELDS = {"dashboard_id": "dashboard_id", "pnc_id": "pnc_id",
              "police_reference": "police_references"}
CATEGORIES = ("new", "on-programme", "deferred", "not-included", "exited")


class IntakeError(Exception):
    """The extract or the settings cannot be used at all; one line."""


@dataclass(slots=True)
class Row:
    row: int
    key: str
    category: str = "new"
    case: str | None = None
    rank: int | None = None
    score: float | None = None
    area: str | None = None
    extract_date: date | None = None
    name: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, reveal: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "row": self.row, "key": self.key, "category": self.category, "case": self.case,
            "rank": self.rank, "score": self.score, "area": self.area,
            "date": self.extract_date.isoformat() if self.extract_date else None,
            **self.facts}
        if reveal:
            out["name"] = self.name
        return out


@dataclass(slots=True)
class Intake:
    source: str
    as_of: date
    key_kind: str = "dashboard_id"
    """What the person key is (casebook.yaml `intake.key_kind`)."""
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad: dict[int, tuple[str, str]] = field(default_factory=dict)
    """The rows left out as problems: row number -> (key, the problem in words)."""

    def counts(self) -> dict[str, int]:
        return {c: sum(1 for r in self.rows if r.category == c) for c in CATEGORIES}


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD, or DD/MM/YYYY as UK spreadsheets write it."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_table(path: Path, raw: bytes) -> list[dict[str, str]]:
    """The extract's rows as text by column name: CSV (UTF-8, a BOM allowed) or XLSX (its
    first sheet, the first row naming the columns)."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise IntakeError(f"{path.name} is not a readable XLSX file ({exc})") from None
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        if not rows:
            return []
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        return [{h: _cell(v) for h, v in zip(header, r, strict=False)} for r in rows[1:]]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeError(f"{path.name} is not UTF-8 text; save the extract as CSV UTF-8 "
                          "or XLSX") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [{(k or "").strip(): (v or "") for k, v in r.items()} for r in reader]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def key_index(register: dict[str, dict[str, Any]], kind: str) -> dict[str, set[str]]:
    """Each key of `kind` in the register: the cases it belongs to (keys compared without
    case and spaces, as people type them)."""
    index: dict[str, set[str]] = {}
    for case_id, entry in register.items():
        value = (entry or {}).get(KEY_FIELDS[kind])
        for v in value if isinstance(value, list) else [value]:
            if v:
                index.setdefault(norm_key(str(v)), set()).add(case_id)
    return index


def norm_key(key: str) -> str:
    return "".join(key.split()).casefold()


def _categorise(book: Casebook, row: Row, as_of: date) -> None:
    case = load_case(book, row.case or "", as_of=as_of, view=True, checks=False).case
    latest = case.latest_decision or {}
    if case.exit:
        row.category = "exited"
        row.facts = {"exited": case.exit.data.get("date"), "route": case.exit.data.get("route")}
    elif latest.get("decision") == "defer":
        row.category = "deferred"
        row.facts = {"decided": latest.get("date"), "forum": latest.get("forum"),
                     "review_by": latest.get("review_by")}
    elif latest.get("decision") == "not-include":
        row.category = "not-included"
        decided = date.fromisoformat(latest["date"])
        row.facts = {"decided": latest.get("date"), "forum": latest.get("forum"),
                     "eligible": (decided + book.settings.interval("re-presentation"))
                     .isoformat()}
    else:
        row.category = "on-programme"
        row.facts = {"stage": case.stage, "officer": case.officer}


def intake_settings(book: Casebook) -> dict[str, Any] | None:
    """casebook.yaml's `intake` mapping, or None when the casebook sets none."""
    doc = next((d for d in book.documents if d.kind == "casebook"), None)
    settings = (doc.data or {}).get("intake") if doc is not None else None
    return settings if isinstance(settings, dict) and settings else None


def match_extract(book: Casebook, settings: dict[str, Any], path: Path, raw: bytes,
                  as_of: date, *, top: int | None = None) -> Intake:
    """Sort the extract's rows; `settings` is casebook.yaml's `intake` mapping."""
    name = path.name
    key_col, kind = settings["key"], settings.get("key_kind", "dashboard_id")
    table = read_table(path, raw)
    if table and key_col not in table[0]:
        raise IntakeError(f"{name} has no column {key_col!r} (casebook.yaml intake.key)")
    index = key_index(book.identities, kind)
    result = Intake(name, as_of, kind)
    seen: dict[str, int] = {}
    for n, values in enumerate(table, 2):  # row 1 names the columns
        key = (values.get(key_col) or "").strip()

        def problem(message: str, n: int = n, key: str = key) -> None:
            result.problems.append(error(name, RULE, f"row {n}: {message}", n, 1))
            result.bad[n] = (key, message)

        if not key:
            problem(f"no person key in column {key_col!r}")
            continue
        if norm_key(key) in seen:
            problem(f"the same person as row {seen[norm_key(key)]} (a duplicated row)")
            continue
        seen[norm_key(key)] = n
        row = Row(n, key, area=(values.get(settings.get("area", "")) or "").strip() or None)
        bad = False
        for column, attr, convert in (("rank", "rank", int), ("score", "score", float)):
            text = (values.get(settings.get(column, "")) or "").strip()
            if text:
                try:
                    setattr(row, attr, convert(text))
                except ValueError:
                    problem(f"the {column} is not a number")
                    bad = True
        text = (values.get(settings.get("date", "")) or "").strip()
        if text:
            row.extract_date = parse_day(text)
            if row.extract_date is None:
                problem("the date is not a date (YYYY-MM-DD or DD/MM/YYYY)")
                bad = True
        if bad:
            continue
        row.name = (values.get(settings.get("name", "")) or "").strip() or None
        cases = index.get(norm_key(key), set())
        if len(cases) > 1:
            problem(f"the key matches several cases ({', '.join(sorted(cases))}): fix the "
                    "identity register")
            continue
        if cases:
            row.case = next(iter(cases))
            _categorise(book, row, as_of)
        result.rows.append(row)
    result.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.row))
    if top is not None:
        result.rows = result.rows[:top]
    return result
