"""A record's later life: withdrawn (and reinstated), amended, a case handed to another officer.

Records are never deleted or silently overwritten. A withdrawal marks the record
`withdrawn: {date, by, reason}` where it is (`withdrawn.py` then leaves it out of everything
that counts); an amendment changes fields and appends `{date, by, reason, fields}` to the
record's `amendments`, never copying the old values into the document (git keeps them, and
`prelude history` shows them); a reassignment moves the outgoing officer to `officer_history`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..book.casebook import Casebook
from ..book.problems import Pointer
from ..book.schemas import schema_node
from ..case.entries import DOCUMENT_RECORDS, ENTRY_NAMES, all_ids, find_entry
from ..case.refs import Ref
from ..case.withdrawn import is_withdrawn
from .base import (
    Draft,
    RecordError,
    append_item,
    case_relpath,
    edit_file,
    iso,
    require_case,
    set_key,
)

PROTECTED = frozenset({"id", "withdrawn", "amendments", "officer_history"})
"""Fields `amend` never sets: the record's identity and its own audit trail."""


@dataclass(frozen=True, slots=True)
class Signed:
    """Who did it, when, and why: every change of a record's life carries these."""

    day: date
    by: str
    reason: str

    def data(self) -> dict[str, Any]:
        return {"date": iso(self.day), "by": self.by, "reason": self.reason}


def _target(doc: Any, ref: Ref) -> tuple[Any, Pointer, str]:
    """The record `ref` names in `doc`: (its mapping, schema pointer, what it is called)."""
    kind = ref.kind
    if ref.entry is None:
        return doc, (), kind
    found = find_entry(kind, doc, ref.entry)
    if found is None:
        ids = all_ids(kind, doc)
        hint = (f"ids: {', '.join(ids)}" if ids else
                "its entries have no ids yet: run `prelude fmt` to give them ids")
        raise RecordError(f"no entry {ref.entry!r} in {ref.relpath} ({hint})")
    path, _, item = found
    return item, (*path, "*"), ENTRY_NAMES.get((kind, path), "entry")


def _edit(book: Casebook, ref: Ref, edit: Any) -> Draft:
    require_case(book, ref.case_id)
    draft = Draft(ref.case_id, [edit_file(book, ref.relpath, edit,
                                          f"{ref.relpath} does not exist")])
    draft.made = str(ref)
    return draft


def withdraw(book: Casebook, ref: Ref, signed: Signed) -> Draft:
    """Mark the record withdrawn; it stays in its file and stops counting."""
    if ref.entry is None and ref.kind not in DOCUMENT_RECORDS:
        raise RecordError(f"{ref.relpath} holds the case itself and cannot be withdrawn; "
                          "withdraw one of its entries (PATH#ID, listed by `case show`)")

    def edit(doc: Any) -> None:
        record, pointer, what = _target(doc, ref)
        mark = record.get("withdrawn")
        if isinstance(mark, Mapping):
            if "reinstated" in mark:
                raise RecordError(f"{ref} was withdrawn and reinstated; amend it rather than "
                                  "withdraw it again")
            raise RecordError(f"{ref} is already withdrawn (on {mark.get('date')}); "
                              "a record is withdrawn once")
        set_key(record, "withdrawn", signed.data(), ref.kind, pointer)

    return _edit(book, ref, edit)


def reinstate(book: Casebook, ref: Ref, signed: Signed) -> Draft:
    """Withdraw a withdrawal: the record counts again, and both stay on it."""

    def edit(doc: Any) -> None:
        record, pointer, _ = _target(doc, ref)
        if not is_withdrawn(record):
            raise RecordError(f"{ref} is not withdrawn")
        set_key(record["withdrawn"], "reinstated", signed.data(), ref.kind,
                (*pointer, "withdrawn"))

    return _edit(book, ref, edit)


def parse_value(kind: str, pointer: Pointer, field: str, text: str) -> Any:
    """The value `--set FIELD=TEXT` means, from the schema's type for the field; the schema
    check that follows catches a value outside the field's vocabulary or form."""
    node = schema_node(kind, pointer)
    if node.get("type") == "integer":
        try:
            return int(text)
        except ValueError:
            raise RecordError(f"{field} must be a whole number", usage=True) from None
    if node.get("type") == "number":
        try:
            number = float(text)
        except ValueError:
            raise RecordError(f"{field} must be a number", usage=True) from None
        return int(number) if number.is_integer() else number
    if node.get("type") == "boolean":
        if text.lower() not in ("true", "false"):
            raise RecordError(f"{field} must be true or false", usage=True)
        return text.lower() == "true"
    if node.get("type") == "array":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def amend(book: Casebook, ref: Ref, sets: list[tuple[str, str]], signed: Signed) -> Draft:
    """Change fields of one record and note which on it (`amendments`).

    A field is named as in docs/format.md, nested fields with dots (`sources.dashboard.rank`);
    an empty value removes an optional field. The case as it would be is checked like any
    recording (`edits.apply`), so a value outside the field's vocabulary is refused.
    """
    if not sets:
        raise RecordError("name at least one --set FIELD=VALUE", usage=True)
    names = [name for name, _ in sets]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RecordError(f"{', '.join(twice)} set more than once", usage=True)

    def edit(doc: Any) -> None:
        record, pointer, _ = _target(doc, ref)
        if is_withdrawn(record):
            raise RecordError(f"{ref} is withdrawn; reinstate it before amending it")
        changed: list[str] = []
        for field, text in sets:
            parts = field.split(".")
            if parts[0] in PROTECTED or (ref.kind == "case" and field == "officer"):
                how = ("use `prelude case reassign`" if field == "officer" else
                       "it is kept by prelude itself")
                raise RecordError(f"{field} cannot be amended: {how}", usage=True)
            if _set_path(record, parts, text, ref.kind, pointer):
                changed.append(field)
        if not changed:
            raise RecordError(f"nothing to amend: {ref} already holds those values")
        item = {**signed.data(), "fields": changed}
        append_item(record, "amendments", item, ref.kind, pointer)

    return _edit(book, ref, edit)


def _set_path(record: Any, parts: list[str], text: str, kind: str, pointer: Pointer) -> bool:
    """Set (or, for an empty value, remove) the field at `parts`; True if it changed."""
    node = record
    for i, key in enumerate(parts[:-1]):
        child = node.get(key)
        if child is None:
            set_key(node, key, {}, kind, (*pointer, *parts[:i]))
            child = node[key]
        if not isinstance(child, Mapping):
            raise RecordError(f"{'.'.join(parts[:i + 1])} is not a group of fields", usage=True)
        node = child
    key = parts[-1]
    where = (*pointer, *parts[:-1])
    props = schema_node(kind, where).get("properties", {})
    if key not in props:
        known = ", ".join(k for k in props if k not in PROTECTED)
        raise RecordError(f"no field {'.'.join(parts)!r} here (fields: {known})", usage=True)
    if text == "":
        if key not in node:
            return False
        del node[key]
        return True
    value = parse_value(kind, (*where, key), ".".join(parts), text)
    if node.get(key) == value:
        return False
    set_key(node, key, value, kind, where)
    return True


def reassign(book: Casebook, case_id: str, *, officer: str, start: date, reason: str) -> Draft:
    """Hand the case to `officer` from `start`; the outgoing officer joins `officer_history`."""
    require_case(book, case_id)
    relpath = case_relpath(case_id, "case.yaml")

    def edit(doc: Any) -> None:
        current = str(doc.get("officer", ""))
        if current.casefold() == officer.casefold():
            raise RecordError(f"{officer} is already the Officer in the Case of {case_id}")
        history = doc.get("officer_history") or []
        last = history[-1].get("to") if history else None
        if last is not None and iso(start) <= str(last):
            raise RecordError(f"the case was last handed over on {last}; a reassignment "
                              "must come after it")
        entry = {"officer": current, "to": iso(start), "reason": reason}
        if last is not None:
            entry = {"officer": current, "from": str(last), "to": iso(start), "reason": reason}
        append_item(doc, "officer_history", entry, "case")
        set_key(doc, "officer", officer, "case")

    draft = Draft(case_id, [edit_file(book, relpath, edit, f"{relpath} is missing")])
    draft.made = relpath
    return draft
