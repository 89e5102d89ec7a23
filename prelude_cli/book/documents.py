"""Reading one document: never through a link, never blocking on a FIFO, never more than
the size limit; parsed strictly and checked against its schema."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files.fsread import describe_mode
from ..files.yamlio import Loaded, load_bytes
from . import schemas
from .layout import kind_of
from .problems import Problem, error

if TYPE_CHECKING:
    from .casebook import Casebook
    from .scan import CaseFiles


@dataclass(slots=True)
class Document:
    """One YAML file of the casebook, read and schema-checked."""

    relpath: str
    kind: str
    data: dict[str, Any] | None
    problems: list[Problem]
    raw: bytes | None = None

    @property
    def valid(self) -> bool:
        return self.data is not None and not any(p.is_error for p in self.problems)


def parse_document(raw: bytes, relpath: str, kind: str, *, fast: bool = True) -> Document:
    """Parse and schema-check bytes as a document of `kind` (also for documents not yet written)."""
    loaded: Loaded = load_bytes(raw, relpath, fast=fast)
    problems = list(loaded.problems)
    if loaded.data is not None:
        problems.extend(schemas.check(kind, loaded.data, relpath, fast=fast))
    return Document(relpath, kind, loaded.data, problems, raw)


def read_document(root: Path, relpath: str, kind: str, *, max_bytes: int,
                  fast: bool = True, keep_raw: bool = True) -> Document:
    """Read, parse and schema-check one file, without ever following a link or reading a giant."""
    raw = read_bytes(root, relpath, max_bytes)
    if isinstance(raw, Problem):
        return Document(relpath, kind, None, [raw])
    doc = parse_document(raw, relpath, kind, fast=fast)
    if not keep_raw:
        doc.raw = None
    return doc


def read_bytes(root: Path, relpath: str, max_bytes: int) -> bytes | Problem:
    """A regular file's bytes, or the problem that stopped the read.

    Opened without following a link and without blocking on a FIFO; the type and size come
    from the open file itself, so nothing can be swapped in between a check and the read.
    This runs for every document of a cold run: one open, one fstat, one read, one close.
    """
    full = os.path.join(root, relpath)
    try:
        fd = open_no_follow(full, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        with contextlib.suppress(OSError):
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                return error(relpath, "symlink", "links are not allowed in a casebook")
            if not stat.S_ISREG(mode):
                return special_file(relpath, mode)
        return error(relpath, "unreadable", f"cannot read file: {exc.strerror}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return special_file(relpath, st.st_mode)
        if st.st_size > max_bytes:
            return _too_large(relpath, st.st_size, max_bytes)
        # A regular file gives less than asked for only at its end; more than its size means
        # it grew since the fstat, so read on, never past the limit.
        raw = os.read(fd, st.st_size + 1)
        if len(raw) > st.st_size:
            parts, total = [raw], len(raw)
            while total <= max_bytes and (more := os.read(fd, max_bytes + 1 - total)):
                parts.append(more)
                total += len(more)
            raw = b"".join(parts)
            if len(raw) > max_bytes:  # never parse a truncated read
                return _too_large(relpath, None, max_bytes)
        return raw
    except OSError as exc:
        return error(relpath, "unreadable", f"cannot read file: {exc.strerror}")
    finally:
        os.close(fd)


def special_file(relpath: str, mode: int) -> Problem:
    """`special-file`: a FIFO, device, socket or folder where a document or setting belongs.
    An error, never a warning: the document it stands for is missing, and the case must stay
    flagged on the due list rather than drop what that document would have said."""
    what = describe_mode(mode) or "not a regular file"
    return error(relpath, "special-file",
                 f"{what} where a document belongs; it is not read: put the document back as "
                 "a regular file")


def open_no_follow(path: str, flags: int) -> int:
    """An `opener` for open(): fails on a link, never blocks on a FIFO."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def _too_large(relpath: str, size: int | None, max_bytes: int) -> Problem:
    said = f"file is {size} bytes, over" if size is not None else "file is over"
    return error(relpath, "file-too-large", f"{said} the {max_bytes}-byte limit")


def iter_case_documents(book: Casebook, files: CaseFiles, *, fast: bool = True,
                        keep_raw: bool = True,
                        overlay: Mapping[str, bytes] | None = None) -> Iterator[Document]:
    """Each document of the case; `overlay` stands in for files as a command would write them."""
    overlay = overlay or {}
    listed = {rel for rel, _ in files.documents}
    for rel, kind in files.documents:
        if rel in overlay:
            yield parse_document(overlay[rel], rel, kind, fast=fast)
        else:
            yield read_document(book.root, rel, kind,
                                max_bytes=book.settings.max_document_bytes,
                                fast=fast, keep_raw=keep_raw)
    for rel in sorted(set(overlay) - listed):
        kind = kind_of(rel)
        if kind is not None:
            yield parse_document(overlay[rel], rel, kind, fast=fast)
