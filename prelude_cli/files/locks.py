"""One writer per case at a time, across processes and platforms.

Two people (or two terminals, or a script) recording into the same case at once must not lose
either record. Each case has a lock file under `.prelude-cache/locks/` (ignored by git, never
part of the casebook); a recording command holds it from reading the documents it changes
until they are written, so a second command waits its turn instead of writing over the first.
The lock is an operating-system lock (fcntl on POSIX, msvcrt on Windows) through `filelock`,
so a command that is killed releases it: there are no stale locks to clear by hand.

The optimistic check in `storage.write_atomic` stays: a write by anything that does not take
the lock (an editor, git) is still refused as stale rather than overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..book.casebook import folder_name_problems
from ..read.cache import CACHE_DIR, cache_folder
from .storage import LockTimeout, WriteError

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another command to finish with the case."""
LOCKS_DIR = "locks"


def lock_path(root: Path, case_id: str) -> Path:
    """Where the lock of `case_id` lives; refuses ids that could name another path."""
    if folder_name_problems(case_id):
        raise ValueError("not a case id that can name a lock file")
    return root / CACHE_DIR / LOCKS_DIR / f"{case_id}.lock"


@contextmanager
def case_lock(root: Path, case_id: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the case's lock for the block; re-entrant within a process, so a command that
    holds it can call `edits.apply`, which takes it too."""
    path = lock_path(root, case_id)
    if cache_folder(root, create=True) is None:
        raise WriteError(path, PermissionError(13, f"cannot use {CACHE_DIR} for locks "
                                               "(missing, a link, or read-only)"))
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise WriteError(path, exc) from exc
    if path.parent.is_symlink() or path.is_symlink():  # older filelocks follow links
        raise WriteError(path, PermissionError(13, "a link stands where the lock belongs"))
    # One instance per path in this process: filelock counts re-entries on the instance.
    lock = FileLock(path, is_singleton=True)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise LockTimeout(f"case {case_id} is being changed by another prelude command "
                          f"(waited {timeout:g} s); nothing was written, try again") from None
    except OSError as exc:
        raise WriteError(path, exc) from exc
    try:
        yield
    finally:
        lock.release()
