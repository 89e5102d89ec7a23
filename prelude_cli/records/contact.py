"""Engage and Explain: one file per contact, so contacts recorded on two clones never clash."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..book.casebook import Casebook, new_suffix
from ..case.model import EXPLAIN_MESSAGES
from .base import Draft, RecordError, case_relpath, drop_empty, iso, new_file, require_case


@dataclass(slots=True)
class Contact:
    date: date
    by: str
    method: str
    purpose: str
    outcome: str
    role: str | None = None
    messages: list[str] = field(default_factory=list)
    notes: str | None = None


def contact_data(c: Contact) -> dict[str, object]:
    messages = list(dict.fromkeys(c.messages))
    if messages and c.outcome == "no-contact":
        raise RecordError("no messages can be delivered when no contact was made", usage=True)
    return drop_empty({
        "date": iso(c.date),
        "by": c.by,
        "role": c.role,
        "method": c.method,
        "purpose": c.purpose,
        "outcome": c.outcome,
        # the four messages in the programme's order, however they were given
        "messages": [m for m in EXPLAIN_MESSAGES if m in messages],
        "notes": c.notes,
    })


def contact_relpath(book: Casebook, case_id: str, day: date) -> str:
    """`contacts/DATE-SUFFIX.yaml`, with a suffix no file in the folder has (in any case)."""
    folder = Path(book.root, case_relpath(case_id, "contacts"))
    taken = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set()
    while True:
        name = f"{iso(day)}-{new_suffix()}.yaml"
        if name not in taken:
            return case_relpath(case_id, "contacts", name)


def add_contact(book: Casebook, case_id: str, contact: Contact) -> Draft:
    require_case(book, case_id)
    relpath = contact_relpath(book, case_id, contact.date)
    return Draft(case_id, [new_file(book, relpath, contact_data(contact))], made=relpath)
