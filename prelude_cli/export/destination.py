"""Where an export goes: the rules of `outputs` (never a device, FIFO or link, never over a
document or setting, --force to replace), plus what only an export knows: `--force` replaces
only what looks like a previous export, never an arbitrary folder or file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..files import outputs
from .errors import ExportError

MAGIC = {"sqlite": b"SQLite format 3\x00", "xlsx": b"PK\x03\x04"}
"""How a previous export of each file format starts."""


def _head(path: Path, size: int) -> bytes:
    """The first bytes of a regular file, read without following a link or blocking."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    finally:
        os.close(fd)


def replaceable(fmt: str, export_names: frozenset[str]):  # type: ignore[no-untyped-def]
    """Why the thing at a path is not a previous export of `fmt` (None when it is)."""

    def why(path: Path) -> str | None:
        if path.is_dir():
            for entry in os.scandir(path):
                if entry.name not in export_names or not entry.is_file(follow_symlinks=False):
                    return f"holds {entry.name!r}, which is not part of a {fmt} export"
            return None
        try:
            head = _head(path, 16)
        except OSError:
            head = b""
        return None if head.startswith(MAGIC[fmt]) else f"is not a {fmt} file"

    return why


def check_destination(out: Path, *, fmt: str, folder: bool, casebook_root: Path,
                      force: bool = False, force_inside: bool = False,
                      export_names: frozenset[str] = frozenset()) -> outputs.Target:
    """The checked target, or ExportError saying why not; nothing is written here."""
    try:
        return outputs.check_target(out, force=force, casebook_root=casebook_root,
                                    folder=folder, force_inside=force_inside,
                                    replaceable=replaceable(fmt, export_names))
    except outputs.OutputRefused as exc:
        message = str(exc)
        if folder and "is a file, not a folder" in message:
            message += f"; a {fmt} export is a folder"
        raise ExportError(message) from None
