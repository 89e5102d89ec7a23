"""`prelude fmt`'s core: documents in canonical key order and style, comments kept.

Formatting never changes what a document says (`roundtrip.canonical` refuses), never touches a
document it cannot parse, and removes the temporary files an interrupted write left behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import FORMAT_VERSION
from ..book.casebook import (
    CASEBOOK_FILE,
    CASES_DIR,
    MULTI_DOCUMENTS,
    PROVIDERS_FILE,
    TEMP_NAME,
    Casebook,
    scan_case,
    scan_records,
)
from ..case.entries import ENTRY_LISTS, add_missing_ids
from ..files import roundtrip
from ..files.fsread import ReadRefused, read_regular
from ..files.roundtrip import FormatChangedData, canonical
from ..files.storage import StaleWrite, snapshot_of, write_atomic
from ..files.yamlio import load_bytes


@dataclass(slots=True)
class FmtResult:
    changed: list[str] = field(default_factory=list)  # reformatted, or would be with check
    temps: list[str] = field(default_factory=list)  # leftover temp files removed (or found)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why) left alone
    checked: int = 0

    def clean(self, check: bool) -> bool:
        """Exit 0? Nothing was left unparsed, and under --check nothing would change."""
        return not self.failed and not (check and (self.changed or self.temps))


def within(relpath: str, only: list[str] | None) -> bool:
    if only is None:
        return True
    for rel in only:
        rel = rel.strip("/")
        if rel in ("", ".") or relpath == rel or relpath.startswith(rel + "/"):
            return True
    return False


def documents(book: Casebook) -> Iterator[tuple[str, str]]:
    """Every document of the casebook as (relpath, kind)."""
    yield CASEBOOK_FILE, "casebook"
    if (book.root / PROVIDERS_FILE).is_file():
        yield PROVIDERS_FILE, "providers"
    for case_id in book.case_ids():
        yield from scan_case(book.root, case_id).documents
    yield from scan_records(book.root)[0]


def temp_files(book: Casebook) -> Iterator[str]:
    """Leftovers of interrupted writes: in the root, case folders and their record folders."""
    folders = [""]
    for case_id in book.case_ids():
        base = f"{CASES_DIR}/{case_id}"
        folders.append(base)
        folders += [f"{base}/{name}" for name in MULTI_DOCUMENTS]
    for rel in folders:
        try:
            entries = sorted(os.scandir(book.root / rel), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if TEMP_NAME.match(entry.name) and entry.is_file(follow_symlinks=False):
                yield f"{rel}/{entry.name}" if rel else entry.name


def format_one(root: Path, relpath: str, kind: str, max_bytes: int,
               check: bool) -> tuple[bool, str | None]:
    """(changed, why it was left alone)."""
    path = root / relpath
    if path.is_symlink():
        return False, "links are not allowed in a casebook"
    try:
        raw = read_regular(path, max_bytes, name=relpath)
    except ReadRefused as exc:
        return False, str(exc).removeprefix(f"{relpath} ")
    except OSError as exc:
        return False, f"cannot read file: {exc.strerror}"
    loaded = load_bytes(raw, relpath)
    if loaded.data is None:
        first = next((p for p in loaded.problems if p.is_error), None)
        return False, (f"cannot be parsed ({first.rule} at {first.line}:{first.column})"
                       if first else "cannot be parsed")
    try:
        out = canonical(_fixed(raw, kind), kind)
    except FormatChangedData as exc:
        return False, str(exc)
    except Exception as exc:  # ruamel may refuse what the strict reader let through
        return False, f"cannot be formatted ({type(exc).__name__})"
    left = [p for p in load_bytes(out, relpath).problems if p.rule == "unquoted-date"]
    if left:  # a date-time: quoting it by hand is the user's call
        return False, (f"an unquoted date-time at line {left[0].line} cannot be safely "
                       "quoted; quote it by hand")
    if out == raw:
        return False, None
    if not check:
        try:
            write_atomic(path, out, snapshot_of(path, raw))
        except StaleWrite as exc:
            return False, str(exc)
    return True, None


def _fixed(raw: bytes, kind: str) -> bytes:
    """The document with what `fmt` can safely fix: unquoted dates quoted (YAML would read
    them as dates, not text), an id given to every entry that lacks one (older documents), so
    that each can be referred to as PATH#ID, and casebook.yaml's `format` raised to match.
    A BOM and CRLF line ends go with the canonical dump. `canonical` then checks that the
    data, as the strict reader sees it, is unchanged but for the ids and format."""
    doc = roundtrip.load(raw)
    changed = _quote_dates(doc)
    if kind == "casebook":
        fmt = doc.get("format")
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt < FORMAT_VERSION:
            doc["format"] = FORMAT_VERSION
            changed = True
    elif kind in ENTRY_LISTS:
        changed = bool(add_missing_ids(kind, doc)) or changed
    return roundtrip.dump(doc) if changed else raw


def _quote_dates(node: Any) -> bool:
    """Unquoted dates (`2026-05-01`) become the text they were, in place; True if any did.
    Date-times are left as they are: their text cannot be rebuilt exactly."""
    changed = False
    items = (node.items() if isinstance(node, dict) else
             enumerate(node) if isinstance(node, list) else ())
    for key, value in list(items):
        if type(value) is date:
            node[key] = value.isoformat()
            changed = True
        else:
            changed = _quote_dates(value) or changed
    return changed


def format_casebook(book: Casebook, only: list[str] | None = None, *,
                    check: bool = False) -> FmtResult:
    """Format every document (or those under `only`'s paths); `check` writes nothing."""
    result = FmtResult()
    limit = book.settings.max_document_bytes
    for relpath, kind in documents(book):
        if not within(relpath, only):
            continue
        result.checked += 1
        changed, why = format_one(book.root, relpath, kind, limit, check)
        if why is not None:
            result.failed.append((relpath, why))
        elif changed:
            result.changed.append(relpath)
    for relpath in temp_files(book):
        if not within(relpath, only):
            continue
        if not check:
            try:
                os.unlink(book.root / relpath)
            except OSError as exc:
                result.failed.append((relpath, f"cannot remove: {exc.strerror}"))
                continue
        result.temps.append(relpath)
    return result
