"""Records of several files, all or nothing: staged, journalled, then moved into place.

A command that writes more than one file (`case new`, a retention disposal, any record that
touches two documents) must never leave the casebook between its before and its after: a
full disk, a failing disk or a killed process may stop it at any step. So every file is first
written whole to a staging folder on the same file system (`.prelude-cache/journal/TX.tmp/`),
fsynced, and listed in `journal.json`; renaming the folder to `TX/` is the commit point. Then
each step moves something into place (one rename each, so each step is atomic and can be
repeated), and the folder is deleted.

Whoever finds a journal afterwards (the next command, `prelude validate`) finishes it: a
`.tmp` folder was never committed and is deleted (the casebook stays as it was before), a
committed one is applied to the end (the casebook is as it is after). A journal whose command
is still running is left alone: each holds an operating-system lock on `TX.lock` while it
works, released by the system if it dies.

A brand-new folder (a new case) is staged whole and moved into place in one rename, so it
appears complete or not at all even before any recovery runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..read.cache import CACHE_DIR, cache_folder
from .fsread import ReadRefused, read_regular
from .storage import Snapshot, StorageError, WriteError, check_unchanged, sync_folder

JOURNAL_DIR = "journal"
JOURNAL_FILE = "journal.json"


def journal_folder(root: Path) -> Path:
    return root / CACHE_DIR / JOURNAL_DIR


@dataclass(slots=True)
class Transaction:
    """The files to write and the paths to remove, as one change to the casebook.

    `write(relpath, data, expect)` and `remove(relpath)` collect; `commit()` does it all or
    nothing. Steps run in the order given.
    """

    root: Path
    steps: list[dict[str, Any]] = field(default_factory=list)
    _data: list[bytes] = field(default_factory=list)
    _expect: list[Snapshot] = field(default_factory=list)

    def write(self, relpath: str, data: bytes, expect: Snapshot | None = None,
              mode: int = 0o644) -> None:
        self.steps.append({"op": "write", "path": relpath, "mode": mode})
        self._data.append(data)
        if expect is not None:
            self._expect.append(expect)

    def remove(self, relpath: str) -> None:
        """Take a file or folder out of the casebook (moved into the journal, then deleted)."""
        self.steps.append({"op": "remove", "path": relpath})
        self._data.append(b"")

    def commit(self) -> None:
        """Stage, journal, then apply; raises WriteError (nothing changed) or StorageError."""
        journal = journal_folder(self.root)
        if cache_folder(self.root, create=True) is None:
            raise StorageError(f"cannot stage the record: {CACHE_DIR} is missing, a link or "
                               "read-only; nothing was written")
        try:
            journal.mkdir(exist_ok=True)
        except OSError as exc:
            raise WriteError(journal, exc) from exc
        from filelock import FileLock, Timeout

        name = secrets.token_hex(6)
        lock = FileLock(journal / f"{name}.lock", is_singleton=True)
        try:
            lock.acquire(timeout=0)
        except (OSError, Timeout) as exc:
            raise StorageError(f"cannot stage the record ({exc}); nothing was written") from None
        try:
            staging = journal / f"{name}.tmp"
            try:
                self._stage(staging)
                for snap in self._expect:
                    check_unchanged(snap)
                os.rename(staging, journal / name)  # the commit point
                _fsync_dir(journal)
            except BaseException as exc:
                _rmtree(staging)
                if isinstance(exc, OSError):
                    raise WriteError(Path(self.root, self.steps[0]["path"]), exc) from exc
                raise
            try:
                apply(self.root, journal / name)
            except OSError as exc:
                raise StorageError(
                    f"the record was committed but not all of it is in place yet ({exc.strerror}"
                    "); the next prelude command completes it") from None
        finally:
            lock.release()
            with contextlib.suppress(OSError):
                os.unlink(journal / f"{name}.lock")

    def _stage(self, staging: Path) -> None:
        staging.mkdir()
        new_folders: dict[str, str] = {}
        for i, (step, data) in enumerate(zip(self.steps, self._data, strict=True)):
            if step["op"] != "write":
                continue
            fresh = _new_top(self.root, step["path"])
            if fresh is not None:  # under a folder that does not exist yet: stage it whole
                staged_folder = new_folders.setdefault(fresh, f"new{len(new_folders)}")
                step["folder"], step["staged"] = fresh, staged_folder
                target = staging / staged_folder / Path(step["path"]).relative_to(fresh)
            else:
                step["staged"] = f"file{i}"
                target = staging / step["staged"]
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_synced(target, data, step["mode"])
        for folder in set(new_folders.values()):
            for dirpath, _, _ in os.walk(staging / folder):
                _fsync_dir(Path(dirpath) / "x")
        _write_synced(staging / JOURNAL_FILE, json.dumps({"steps": self.steps}).encode(),
                      0o600)
        _fsync_dir(staging / JOURNAL_FILE)


def _new_top(root: Path, relpath: str) -> str | None:
    """The highest folder on the way to `relpath` that does not exist yet, if any."""
    parts = Path(relpath).parts[:-1]
    for i in range(1, len(parts) + 1):
        if not os.path.lexists(Path(root, *parts[:i])):
            return Path(*parts[:i]).as_posix()
    return None


_STAGED = re.compile(r"^(?:file|new)[0-9]{1,6}$")


class BadJournal(Exception):
    """A journal prelude did not write (planted or damaged): never carried out."""


def _checked_steps(tx: Path) -> list[dict[str, Any]]:
    """The journal's steps, refused unless each names a path inside the casebook that a
    prelude record may write (never `.git/`, never outside) and a staged file of its own:
    recovery runs on every command, so a planted journal must not move anything."""
    try:
        steps = json.loads(read_regular(tx / JOURNAL_FILE, 1024 * 1024))["steps"]
    except (ReadRefused, ValueError, KeyError, TypeError) as exc:
        raise BadJournal(str(exc)) from None
    for step in steps:
        path = step.get("path") if isinstance(step, dict) else None
        if not isinstance(path, str) or not _safe_rel(path):
            raise BadJournal(f"step {step!r} names no path inside the casebook")
        if step.get("op") == "remove":
            if not re.fullmatch(r"cases/[^/]+", path):
                raise BadJournal("only a case folder may be removed")
        elif step.get("op") == "write":
            folder = step.get("folder")
            if not _STAGED.match(str(step.get("staged"))) or (
                    folder is not None and not (isinstance(folder, str) and _safe_rel(folder)
                                                and path.startswith(folder + "/"))):
                raise BadJournal("a write step names no staged file of its own")
        else:
            raise BadJournal(f"unknown step {step.get('op')!r}")
    return steps


def _safe_rel(path: str) -> bool:
    parts = path.split("/")
    return (bool(path) and not path.startswith("/") and "\\" not in path and ":" not in path
            and all(p not in ("", ".", "..") for p in parts)
            and parts[0] not in (".git", CACHE_DIR))


def apply(root: Path, tx: Path) -> None:
    """Carry out a committed journal's steps; each is one rename and may be repeated."""
    steps = _checked_steps(tx)
    for i, step in enumerate(steps):
        target = Path(root, step["path"])
        if step["op"] == "remove":
            if os.path.lexists(target):
                (tx / "removed").mkdir(exist_ok=True)
                os.replace(target, tx / "removed" / str(i))
                _fsync_dir(target)
        elif "folder" in step:
            staged = tx / step["staged"]
            if staged.exists():  # once per folder: the first of its files moves it all
                folder = Path(root, step["folder"])
                folder.parent.mkdir(parents=True, exist_ok=True)
                os.rename(staged, folder)
                _fsync_dir(folder)
        else:
            staged = tx / step["staged"]
            if staged.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                _fsync_dir(target)
    _rmtree(tx)


def recover(root: Path) -> list[str]:
    """Finish every journal its command left behind: roll back what was not committed, roll
    forward what was. Returns what was done, one phrase each; a journal that cannot be
    finished (a read-only disk) is left for later and reported by `pending`."""
    journal = journal_folder(root)
    if (root / CACHE_DIR).is_symlink() or journal.is_symlink():
        return []  # never act on a journal that could lie outside the casebook
    try:
        names = sorted(e.name for e in os.scandir(journal)
                       if e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    if not names:
        return []  # every command comes here first: most find nothing to finish
    from filelock import FileLock, Timeout  # only when there is something to finish

    done: list[str] = []
    for name in names:
        tx_name = name.removesuffix(".tmp")
        lock = FileLock(journal / f"{tx_name}.lock", is_singleton=True)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # its command is still at work
        except OSError:
            return done  # cannot even lock: a read-only casebook; validate reports it
        try:
            if name.endswith(".tmp"):
                _rmtree(journal / name)
                done.append("rolled back an interrupted record (never committed)")
            else:
                apply(root, journal / name)
                done.append("completed an interrupted record")
        except (OSError, BadJournal):
            pass  # left for later; validate reports it as interrupted-record
        finally:
            lock.release()
            with contextlib.suppress(OSError):
                os.unlink(journal / f"{tx_name}.lock")
    return done


def pending(root: Path) -> list[str]:
    """Journals still waiting to be finished (relative paths), for `validate` to report."""
    journal = journal_folder(root)
    try:
        return sorted(f"{CACHE_DIR}/{JOURNAL_DIR}/{e.name}" for e in os.scandir(journal)
                      if e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(child: Path) -> None:
    """A journal's folder that will not open is a failure, not something to skip."""
    sync_folder(child, unopenable_ok=False)


def _rmtree(path: Path) -> None:
    def retry(func: Any, target: str, _exc: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(target, 0o700)
            func(target)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:  # pragma: no cover - Python 3.11
        shutil.rmtree(path, onerror=retry)
