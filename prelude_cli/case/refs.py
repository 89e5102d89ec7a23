"""Stable references to records: a document's path, or `PATH#ID` for an entry inside one.

`cases/OP-7K3M9Q/contacts/2026-01-20-k3m9.yaml` names a contact;
`cases/OP-7K3M9Q/plan.yaml#m-1nzr` a milestone of the plan. `case show` prints them and
`withdraw` and `amend` take them. Paths are casebook-relative with forward slashes; a path
typed with backslashes (Windows) or a leading `./` means the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..book.casebook import CASES_DIR, kind_of


class RefError(ValueError):
    """A reference that names no record; the message says why."""


@dataclass(frozen=True, slots=True)
class Ref:
    relpath: str
    entry: str | None = None

    @property
    def case_id(self) -> str:
        return self.relpath.split("/")[1]

    @property
    def kind(self) -> str:
        return kind_of(self.relpath) or ""

    def __str__(self) -> str:
        return f"{self.relpath}#{self.entry}" if self.entry else self.relpath


def ref_of(relpath: str, entry_id: str | None = None) -> str:
    return f"{relpath}#{entry_id}" if entry_id else relpath


def parse_ref(text: str, case_ids: list[str] | None = None) -> Ref:
    """The reference `text` names; `case_ids` (the casebook's) lets a case id typed in the
    wrong letter case name its folder."""
    path, _, entry = text.strip().partition("#")
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != CASES_DIR or ".." in parts:
        raise RefError(f"{text!r} is not a record reference: give a document's path, like "
                       f"{CASES_DIR}/OP-7K3M9Q/contacts/2026-01-20-k3m9.yaml, or PATH#ID for an "
                       "entry (case show lists them)")
    if case_ids is not None and parts[1] not in case_ids:
        folded = [c for c in case_ids if c.upper() == parts[1].upper()]
        if not folded:
            raise RefError(f"no case {parts[1]!r} in this casebook")
        parts[1] = folded[0]
    path = "/".join(parts)
    if kind_of(path) is None:
        raise RefError(f"{path} is not a case document")
    if _ and not entry:
        raise RefError(f"{text!r} has nothing after the '#'")
    return Ref(path, entry or None)


def no_case(case_ids: list[str], text: str) -> str:
    """Why `text` names no case, with the nearest case ids when it looks like a typo."""
    import difflib

    near = difflib.get_close_matches(text.strip().upper(), case_ids, n=3, cutoff=0.7)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    return f"no case {text!r} in this casebook{hint}"


def case_id_argument(text: str) -> str:
    """A case id as typed on a command line: case ids are upper case (the case schema's
    pattern), so `op-7k3m9q` names `OP-7K3M9Q`."""
    return text.strip().upper()
