"""The disclosure log: one record per report or export made for someone outside the team.

Every partner output, and any other output on request, is recorded in
`disclosures/DATE-SUFFIX.yaml`: what was made, which cases it holds, to which agency, why,
under what lawful basis, by whom and when, and the command that made it (free text left
out). One file per record with a random suffix, so disclosures made on two clones merge
without conflict. A record holds case references only, never case content.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..book.casebook import RECORD_FOLDERS, Casebook, new_suffix, parse_document, read_document
from ..files import roundtrip
from ..files.storage import snapshot_of, write_atomic

FOLDER = next(f for f, kind in RECORD_FOLDERS.items() if kind == "disclosure")
KIND = "disclosure"
USER_ENV = "PRELUDE_USER"


class DisclosureError(Exception):
    """The disclosure cannot be recorded as given; nothing was made."""


@dataclass(slots=True)
class Disclosure:
    """One output as it is recorded; `id` is the file's stem, which a partner pack cites."""

    day: date
    by: str
    recipient: str
    purpose: str
    output: str  # report-case, report-programme or export
    format: str
    audience: str
    cases: list[str]
    command: str
    as_of: date | None = None
    lawful_basis: str | None = None
    include_text: bool | None = None
    period: dict[str, str] = field(default_factory=dict)
    agreement: dict[str, str] = field(default_factory=dict)  # reference and version
    filters: dict[str, Any] = field(default_factory=dict)  # selection.CaseFilter.as_dict()
    id: str = ""

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.day.isoformat(), "by": self.by, "recipient": self.recipient,
            "purpose": self.purpose, "lawful_basis": self.lawful_basis,
            "output": self.output, "format": self.format, "audience": self.audience,
            "include_text": self.include_text,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "period": self.period or None, "agreement": self.agreement or None,
            "filters": self.filters or None, "cases": sorted(set(self.cases)),
            "command": self.command,
        }
        return {k: v for k, v in out.items() if v is not None}

    @property
    def relpath(self) -> str:
        return f"{FOLDER}/{self.id}.yaml"


def default_user(root: Path, env: Mapping[str, str] | None = None) -> str | None:
    """Who is making the output: $PRELUDE_USER, else git's user.name for the casebook."""
    env = os.environ if env is None else env
    if env.get(USER_ENV, "").strip():
        return env[USER_ENV].strip()
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "config", "user.name"], cwd=root, capture_output=True,
                              text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() or None


def prepare(book: Casebook, disclosure: Disclosure) -> bytes:
    """Give the disclosure its id and check it against the schema; its bytes to write."""
    folder = book.root / FOLDER
    while True:
        disclosure.id = f"{disclosure.day.isoformat()}-{new_suffix()}"
        if not (folder / f"{disclosure.id}.yaml").exists():
            break
    data = roundtrip.new_document(disclosure.data(), KIND)
    errors = [p for p in parse_document(data, disclosure.relpath, KIND).problems if p.is_error]
    if errors:
        raise DisclosureError(f"the disclosure record would not be valid: {errors[0].message}")
    return data


def record(book: Casebook, disclosure: Disclosure, data: bytes) -> Path:
    """Write the prepared record; never over an existing one."""
    path = book.root / disclosure.relpath
    if (book.root / FOLDER).is_symlink():
        raise DisclosureError(f"{FOLDER}/ is a link; links are not allowed in a casebook")
    write_atomic(path, data, snapshot_of(path, None))
    return path


def withdraw(book: Casebook, disclosure: Disclosure) -> None:
    """Remove a record whose output could not be written after all."""
    with contextlib.suppress(OSError):
        (book.root / disclosure.relpath).unlink()


@dataclass(frozen=True, slots=True)
class Listed:
    path: str
    data: dict[str, Any]


def listing(book: Casebook, case_id: str | None = None,
            recipient: str | None = None) -> tuple[list[Listed], int]:
    """Valid disclosure records, newest first (optionally those holding `case_id`, or made
    for `recipient`), and how many records could not be read (`prelude validate` says
    why)."""
    folder = book.root / FOLDER
    try:
        names = sorted((e.name for e in os.scandir(folder)
                        if e.is_file(follow_symlinks=False) and e.name.endswith(".yaml")
                        and not e.name.startswith(".")), reverse=True)
    except OSError:
        return [], 0
    out: list[Listed] = []
    broken = 0
    for name in names:
        rel = f"{FOLDER}/{name}"
        doc = read_document(book.root, rel, KIND, max_bytes=book.settings.max_document_bytes)
        if not doc.valid:
            broken += 1
            continue
        data: dict[str, Any] = doc.data  # type: ignore[assignment]
        if ((case_id is None or case_id in data["cases"])
                and (recipient is None
                     or data["recipient"].casefold() == recipient.strip().casefold())):
            out.append(Listed(rel, data))
    out.sort(key=lambda x: (x.data["date"], x.path), reverse=True)
    return out, broken


COLUMNS = ("id", "date", "by", "recipient", "purpose", "output", "format", "audience",
           "agreement", "cases", "command")


def row(item: Listed) -> dict[str, Any]:
    """One record as a flat row for tables and CSV: its cases counted, not listed."""
    d = item.data
    return {"id": item.path.rsplit("/", 1)[-1].removesuffix(".yaml"), "date": d["date"],
            "by": d["by"], "recipient": d["recipient"], "purpose": d["purpose"],
            "output": d["output"], "format": d["format"], "audience": d["audience"],
            "agreement": (f"{d['agreement']['reference']} v{d['agreement']['version']}"
                          if d.get("agreement") else ""),
            "cases": len(d["cases"]), "command": d["command"]}
