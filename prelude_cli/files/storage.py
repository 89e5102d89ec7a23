"""Writing documents so that a record is never lost, half-written or silently overwritten.

A write goes to a temporary file in the same folder (`.NAME.RANDOM.tmp`), is flushed and
fsynced, and then replaces the document in one step. Before replacing, the document on disk
is compared with what the command read: if someone changed it meanwhile, the write is refused.
Whatever fails, the document holds either what it held before or the whole new content, and
the failure is raised as a `StorageError` that the CLI prints in one line (exit 1).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .fsread import ReadRefused, read_regular


class StorageError(Exception):
    """A write that was refused or failed; the message says what and is safe to show."""


class StaleWrite(StorageError):
    """The file changed on disk after the command read it."""


class LockTimeout(StorageError):
    """Another prelude held the case's lock for longer than we would wait."""


class WriteError(StorageError):
    """The disk refused a write (full, failing, read-only...). `written` is True when the new
    content is in place but the disk failed to confirm it would survive a crash."""

    def __init__(self, path: Path, exc: OSError, *, written: bool = False) -> None:
        self.path = path
        self.errno = exc.errno
        self.strerror = exc.strerror or os.strerror(exc.errno or 0) or type(exc).__name__
        self.written = written
        if written:
            super().__init__(f"wrote {path}, but the disk reported an error making it "
                             f"durable: {self.strerror}")
        else:
            super().__init__(f"could not write {path}: {self.strerror}")


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


SNAPSHOT_LIMIT = 256 * 1024 * 1024
"""More than any document or register prelude writes; a bound for what is read to compare."""


def snapshot(path: Path) -> Snapshot:
    """What `path` holds now. A path that cannot exist (a parent is a file) holds nothing:
    the write that follows fails with a clear WriteError rather than here. A FIFO, device or
    folder in the file's place is refused (StorageError): it is never read, never replaced."""
    try:
        return Snapshot(path, _digest(read_regular(path, SNAPSHOT_LIMIT, name=path.name)))
    except (FileNotFoundError, NotADirectoryError):
        return Snapshot(path, None)
    except ReadRefused as exc:
        raise StorageError(f"{exc}; nothing was written") from None


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
    Raises StaleWrite when the file changed, WriteError when the disk fails; either way `path`
    is untouched (except for a failed directory fsync, after the replace: `written`).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     mode)
    except OSError as exc:
        raise WriteError(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        check_unchanged(expect)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # where the disk allows; validate reports any leftover
        if isinstance(exc, OSError):
            raise WriteError(path, exc) from exc
        raise
    _fsync_dir(path)


# A directory fsync some file systems do not support: not an error of the write.
_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES, errno.EPERM,
                      errno.EISDIR}


def sync_folder(child: Path, *, unopenable_ok: bool = True) -> None:
    """Make a rename or a new entry in `child`'s folder durable where the platform allows it
    (POSIX; not Windows). A file system that cannot sync a folder is no error; any other
    failure (EIO, ENOSPC: the rename may be lost) is raised, as is a folder that will not open
    unless `unopenable_ok`. The one folder sync of every write path (storage, transaction,
    outputs)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(child.parent, os.O_RDONLY)
    except OSError:
        if unopenable_ok:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """`sync_folder`, its failure a WriteError of the file just written."""
    try:
        sync_folder(path)
    except OSError as exc:
        raise WriteError(path, exc, written=True) from exc
