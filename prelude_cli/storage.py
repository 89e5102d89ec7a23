"""Writing documents so that a record is never lost, half-written or silently overwritten.

A write goes to a temporary file in the same folder (`.NAME.RANDOM.tmp`), is flushed and
fsynced, and then replaces the document in one step. Before replacing, the document on disk
is compared with what the command read: if someone changed it meanwhile, the write is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


class StaleWrite(Exception):
    """The file changed on disk after the command read it."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file held when a command read it (None: it did not exist)."""

    path: Path
    digest: str | None

    @property
    def existed(self) -> bool:
        return self.digest is not None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(path: Path) -> Snapshot:
    try:
        return Snapshot(path, _digest(path.read_bytes()))
    except FileNotFoundError:
        return Snapshot(path, None)


def snapshot_of(path: Path, data: bytes | None) -> Snapshot:
    """A snapshot from bytes already read, so a file is not read twice."""
    return Snapshot(path, None if data is None else _digest(data))


def check_unchanged(snap: Snapshot) -> None:
    now = snapshot(snap.path)
    if now.digest != snap.digest:
        if snap.existed and now.existed:
            raise StaleWrite(f"{snap.path.name} changed on disk since it was read; "
                             "nothing was written, run the command again")
        if snap.existed:
            raise StaleWrite(f"{snap.path.name} was removed since it was read; nothing written")
        raise StaleWrite(f"{snap.path.name} was created by someone else meanwhile; "
                         "nothing was written, run the command again")


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def write_atomic(path: Path, data: bytes, expect: Snapshot, *, mode: int = 0o644) -> None:
    """Replace `path` with `data` in one step, if it still holds what `expect` saw.

    `mode` is the new file's permissions (before the umask): 0o600 for the identity register.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        check_unchanged(expect)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
