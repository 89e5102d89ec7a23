"""What every recording builder shares: finding the case, reading a document to update it,
placing new keys in the schema's order, and the `Draft` a builder hands back.

Builders never write. They return a `Draft` (the documents as they would be written, each with
a snapshot of what the file held when read); `edits.apply` checks the case as it would be and
writes atomically, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..book import schemas
from ..book.casebook import CASES_DIR, Casebook, kind_of
from ..book.problems import Pointer
from ..case import entries
from ..case.model import Case
from ..case.refs import no_case
from ..checks.validation import load_case
from ..files import roundtrip
from ..files.fsread import ReadRefused, read_regular
from ..files.storage import snapshot_of
from ..files.yamlio import load_bytes
from .edits import Change


class RecordError(Exception):
    """The command cannot be carried out as asked; a one-line reason, nothing written.

    `usage` marks a malformed request (a missing or contradictory option) rather than one the
    casebook refuses (an unknown case, provider or domain; a plan that already exists).
    """

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(slots=True)
class Draft:
    """The documents one command would write, and the id it minted, if any."""

    case_id: str
    changes: list[Change] = field(default_factory=list)
    made: str = ""
    extra: list[Change] = field(default_factory=list)
    """Files outside the case written in the same transaction (the identity register's
    entry for a new case): never checked as case documents, never printed."""


def iso(day: date) -> str:
    return day.isoformat()


def case_relpath(case_id: str, *parts: str) -> str:
    return "/".join((CASES_DIR, case_id, *parts))


def require_case(book: Casebook, case_id: str) -> None:
    """Only an existing case folder, named exactly (never a path), can be recorded on."""
    if case_id not in book.case_ids():
        raise RecordError(no_case(book.case_ids(), case_id))


def case_model(book: Casebook, case_id: str, as_of: date) -> Case:
    """The case's valid documents, as the validator sees them, to decide what a command may do."""
    return load_case(book, case_id, as_of=as_of, checks=False).case


def read_current(book: Casebook, relpath: str) -> bytes | None:
    path = Path(book.root, relpath)
    if path.is_symlink():
        raise RecordError(f"{relpath} is a link; links are not allowed in a casebook")
    try:
        return read_regular(path, book.settings.max_document_bytes, name=relpath)
    except FileNotFoundError:
        return None
    except ReadRefused as exc:
        raise RecordError(str(exc)) from None


def new_file(book: Casebook, relpath: str, data: dict[str, Any]) -> Change:
    """A new document in canonical form; refused if the file already exists."""
    full = Path(book.root, relpath)
    if full.exists() or full.is_symlink():
        raise RecordError(f"{relpath} already exists")
    kind = _kind(relpath)
    entries.add_missing_ids(kind, data)  # every entry is a record with a reference
    return Change(relpath, roundtrip.new_document(data, kind), snapshot_of(full, None))


def edit_file(book: Casebook, relpath: str, edit: Callable[[CommentedMap], None],
              missing: str) -> Change:
    """Round-trip `relpath` through `edit`: comments, key order and layout elsewhere survive.

    `missing` is the reason given when the document does not exist yet.
    """
    raw = read_current(book, relpath)
    if raw is None:
        raise RecordError(missing)
    loaded = load_bytes(raw, relpath)
    if loaded.data is None:
        first = next((p for p in loaded.problems if p.is_error), None)
        where = f" ({first.rule} at line {first.line})" if first else ""
        raise RecordError(f"{relpath} cannot be read{where}; fix it first (prelude validate)")
    doc = roundtrip.load(raw)
    edit(doc)
    return Change(relpath, roundtrip.dump(doc), snapshot_of(Path(book.root, relpath), raw))


def _kind(relpath: str) -> str:
    kind = kind_of(relpath)
    if kind is None:  # pragma: no cover - builders only make document paths
        raise ValueError(f"{relpath} is not a document path")
    return kind


# --- placing values in the schema's order -------------------------------------------------

def set_key(cm: CommentedMap, key: str, value: Any, kind: str, pointer: Pointer = ()) -> None:
    """Set `key`, keeping its place (and comment) if present, else inserting it where the
    schema puts it among the keys already there."""
    value = roundtrip.styled(value)
    if key in cm:
        cm[key] = value
        return
    order = list(schemas.schema_node(kind, pointer).get("properties", {}))
    rank = order.index(key) if key in order else len(order)
    position = len(cm)
    for i, existing in enumerate(cm):
        if existing in order and order.index(existing) > rank:
            position = i
            break
    cm.insert(position, key, value)


def append_item(cm: CommentedMap, key: str, item: dict[str, Any], kind: str,
                pointer: Pointer = ()) -> None:
    """Append to the list at `key`, creating the list in its schema place if needed. An
    entry of a list of records gets its id here, so every builder's entries have one."""
    seq = cm.get(key)
    item = entries.with_id(kind, (*(str(p) for p in pointer), key),
                           list(seq) if isinstance(seq, CommentedSeq) else [], item)
    if isinstance(seq, CommentedSeq):
        seq.append(roundtrip.styled(item))
    else:
        set_key(cm, key, [item], kind, pointer)


def find_item(seq: Any, item_id: str, what: str) -> CommentedMap:
    """The list item with id `item_id`, or a one-line reason naming the ids there are."""
    items = [i for i in (seq or []) if isinstance(i, CommentedMap)]
    for item in items:
        if item.get("id") == item_id:
            return item
    known = ", ".join(str(i.get("id")) for i in items) or "none"
    raise RecordError(f"no {what} {item_id!r} in the plan (ids: {known})")


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out options that were not given, so documents hold only what was recorded."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {}, ())}
