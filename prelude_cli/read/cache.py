"""A cache of per-case results under the casebook (`.prelude-cache/`, ignored by git).

A case's entry is reused only when every file in its folder has the same name, size,
modification time, change time and inode as when the entry was made, and the whole cache is
thrown away when the schemas, the settings, the providers or prelude itself change. It can
never serve a stale answer: the worst a damaged cache does is cost a cold run. JSON, not
pickle: a casebook is shared, and a cache file from someone else's clone must never be able to
run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import FORMAT_VERSION, __version__
from ..book.casebook import (
    CASEBOOK_FILE,
    CASES_DIR,
    IDENTITIES_FILE,
    MULTI_DOCUMENTS,
    PROVIDERS_FILE,
    open_no_follow,
)
from ..book.problems import Problem
from ..book.schemas import KINDS, schema_dir
from ..due.reviews import DueItem
from ..files.fsread import ReadRefused, read_regular
from ..files.storage import temp_path

CACHE_DIR = ".prelude-cache"
CACHE_FILE = "cases.json"
CACHE_VERSION = 5


@dataclass(slots=True)
class CaseSummary:
    """What validate and due-reviews need of one case, cheap to store and to send between
    processes. Paths and due items stay in their stored form until asked for: a warm run over
    10,000 cases would otherwise build objects it never looks at."""

    case_id: str
    signature: str
    as_of: str  # the as-of date the problems were computed for
    latest_recorded: str  # model.Case.latest_recorded: no future-date problem before it
    docs: str  # the case's documents, relative to its folder, NUL-separated (see `paths`)
    problems: list[Problem]
    due_rows: list[list[Any]]  # [kind, due ISO date, officer, stage, detail, source, ref]
    view: bool = False  # read as at the as-of date (reading commands), not as validate reads
    officer: str = ""
    stage: str = ""
    omitted: list[str] = field(default_factory=list)  # what invalid documents left out
    not_yet: bool = False  # as at the as-of date, the case did not exist yet
    area: str = ""
    age_band: str = ""
    concerns: list[str] = field(default_factory=list)
    last_activity: str = ""  # ISO date, or "" for none

    @classmethod
    def fresh(cls, case_id: str, signature: str, as_of: str, latest: str, paths: list[str],
              problems: list[Problem], due: list[DueItem], *, view: bool = False,
              officer: str = "", stage: str = "", omitted: list[str] | None = None,
              not_yet: bool = False, area: str = "", age_band: str = "",
              concerns: list[str] | None = None, last_activity: str = "") -> CaseSummary:
        return cls(case_id, signature, as_of, latest, "\0".join(p.split("/", 2)[2] for p in paths),
                   problems, [[d.kind, d.due.isoformat(), d.officer, d.stage, d.detail,
                               d.source, d.ref] for d in due], view, officer, stage,
                   list(omitted or ()), not_yet, area, age_band, list(concerns or ()),
                   last_activity)

    @property
    def documents(self) -> int:
        return self.docs.count("\0") + 1 if self.docs else 0

    @property
    def paths(self) -> list[str]:
        """One string, not a list: a file name never holds a NUL, and 150,000 names decode
        far faster from 10,000 strings than as 150,000 of them."""
        prefix = f"{CASES_DIR}/{self.case_id}/"
        return [prefix + d for d in self.docs.split("\0")] if self.docs else []

    def filterable(self) -> dict[str, Any]:
        """What `selection.CaseFilter` looks at."""
        return {"case": self.case_id, "area": self.area, "officer": self.officer,
                "stage": self.stage, "age_band": self.age_band, "concerns": self.concerns,
                "last_activity": self.last_activity, "incomplete": self.incomplete}

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def incomplete(self) -> bool:
        """The case's documents have errors: what is due may be missing or wrong."""
        return any(p.is_error for p in self.problems)

    @property
    def first_broken(self) -> str:
        """The first file with an error, for the `fix-documents` item."""
        return min((p.path for p in self.problems if p.is_error),
                   default=f"{CASES_DIR}/{self.case_id}")

    @property
    def due(self) -> list[DueItem]:
        return self.due_until("9999-12-31")

    def due_until(self, horizon: str) -> list[DueItem]:
        """The case's due items falling on or before `horizon` (an ISO date), flagged when
        the case is incomplete."""
        flag = self.incomplete
        return [DueItem(self.case_id, k, date.fromisoformat(d), o, s, det, src, ref, flag)
                for k, d, o, s, det, src, ref in self.due_rows if d <= horizon]

    def usable_for(self, as_of: date, view: bool = False) -> bool:
        """Problems depend on the as-of date only through future dates, and a view only
        through records dated after it: reusable when no recorded date is after either
        as-of date, or when read the same way on the same date."""
        iso = as_of.isoformat()
        return (iso == self.as_of and view == self.view) or (
            self.latest_recorded <= iso and self.latest_recorded <= self.as_of)

    def to_json(self) -> dict[str, Any]:
        return {
            "sig": self.signature,
            "as_of": self.as_of,
            "latest": self.latest_recorded,
            "docs": self.docs,  # relative to the case folder: the cache stays small
            "problems": [[p.path, p.line, p.column, p.severity, p.rule, p.message]
                         for p in self.problems],
            "due": self.due_rows,
            "view": self.view,
            "officer": self.officer,
            "stage": self.stage,
            "omitted": self.omitted,
            "not_yet": self.not_yet,
            "area": self.area,
            "age_band": self.age_band,
            "concerns": self.concerns,
            "last_activity": self.last_activity,
        }

    @classmethod
    def from_json(cls, case_id: str, raw: dict[str, Any]) -> CaseSummary:
        due = raw["due"]
        if not all(isinstance(r, list) and len(r) == 7 and isinstance(r[1], str) for r in due):
            raise ValueError("damaged due items")
        docs = raw["docs"]
        if not isinstance(docs, str):
            raise ValueError("damaged document list")
        omitted = raw["omitted"]
        if not isinstance(omitted, list) or not all(isinstance(o, str) for o in omitted):
            raise ValueError("damaged omissions")
        return cls(case_id, raw["sig"], raw["as_of"], raw["latest"], docs,
                   [Problem(*p) for p in raw["problems"]], due, bool(raw["view"]),
                   str(raw["officer"]), str(raw["stage"]), omitted, bool(raw["not_yet"]),
                   str(raw["area"]), str(raw["age_band"]), [str(c) for c in raw["concerns"]],
                   str(raw["last_activity"]))


def case_signature(root: Path, case_id: str) -> str:
    """Name, type, size, times and inode of every file in the case folder, and the name and
    type of every folder in it (a folder's own times change only as names come and go,
    which the names already show).

    A warm run computes this for every case, so it does one stat per file and nothing more,
    each relative to an open folder (where the system allows) rather than the whole path.
    """
    parts: list[str] = []
    folder = os.path.join(root, CASES_DIR, case_id)
    if _BY_FD:
        try:
            fd = os.open(folder, _DIR_FLAGS)
        except OSError as exc:
            parts.append(f"!:{exc.errno}")
        else:
            try:
                _sign(fd, "", parts)
            finally:
                os.close(fd)
    else:  # pragma: no cover - Windows
        _sign(folder, "", parts)
    parts.sort()
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"),
                           digest_size=16).hexdigest()


_BY_FD = os.scandir in os.supports_fd and os.open in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def _sign(where: int | str, prefix: str, parts: list[str]) -> None:
    append = parts.append
    try:
        with os.scandir(where) as it:
            entries = list(it)
    except OSError as exc:
        append(f"!{prefix}:{exc.errno}")
        return
    for e in entries:
        name = e.name
        try:
            if e.is_dir(follow_symlinks=False):
                append(f"{prefix}{name}\td")
                if not prefix and name in MULTI_DOCUMENTS:
                    if isinstance(where, str):  # pragma: no cover - Windows
                        _sign(e.path, name + "/", parts)
                    else:
                        sub = os.open(name, _DIR_FLAGS, dir_fd=where)
                        try:
                            _sign(sub, name + "/", parts)
                        finally:
                            os.close(sub)
                continue
            st = e.stat(follow_symlinks=False)
        except OSError as exc:
            append(f"?{prefix}{name}:{exc.errno}")
            continue
        # The change time and inode too: `touch -r`, `cp -p` and `rsync -a` can give an edited
        # file its old size and modification time, but never its old change time.
        append(f"{prefix}{name}\t{st.st_mode}\t{st.st_size}\t{st.st_mtime_ns}\t"
               f"{st.st_ctime_ns}\t{st.st_ino}")


def global_key(root: Path) -> str:
    """Everything outside a case folder that can change a case's results (the identity
    register too: only a digest of it is kept)."""
    h = hashlib.sha256()
    h.update(f"{CACHE_VERSION}:{__version__}:{FORMAT_VERSION}".encode())
    package = Path(__file__).resolve().parents[1]
    for py in sorted(package.rglob("*.py")):  # a changed prelude, even without a new version
        st = py.stat()
        h.update(f"{py.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}".encode())
    for kind in KINDS:
        h.update((schema_dir() / f"{kind}.schema.json").read_bytes())
    # the register's names are looked for in free text (pii-in-text)
    for name in (CASEBOOK_FILE, PROVIDERS_FILE, IDENTITIES_FILE):
        h.update(name.encode() + _settings_bytes(root / name))
    return h.hexdigest()


_KEY_READ_LIMIT = 64 * 1024 * 1024
CACHE_READ_LIMIT = 1024 * 1024 * 1024
"""Far more than the cache of 10,000 cases holds; only a bound against a device."""


def _settings_bytes(path: Path) -> bytes:
    """What a casebook file holds, for the key: never through a link, never from a FIFO
    (which would block) and never without bound (a link to /dev/zero)."""
    try:
        with open(path, "rb", opener=open_no_follow) as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return f":not-a-file:{st.st_mode}".encode()
            # read what is there, not a 64 MiB buffer up front
            return fh.read(min(st.st_size, _KEY_READ_LIMIT)) + f":{st.st_size}".encode()
    except OSError as exc:
        return f":unreadable:{exc.errno}".encode()


def cache_folder(root: Path, *, create: bool = False) -> Path | None:
    """`.prelude-cache/` if it is a real folder (made, with its `.gitignore`, when asked).

    None when it is a link: a clone could carry one pointing anywhere, and prelude must never
    read its cache from, or write it to, outside the casebook.
    """
    folder = root / CACHE_DIR
    if folder.is_symlink():
        return None
    if create:
        try:
            folder.mkdir(exist_ok=True)
            # Never committed, even in a casebook without prelude's ignores. "x" refuses to
            # write through a link planted in its place.
            with open(folder / ".gitignore", "x", encoding="utf-8") as fh:
                fh.write("*\n")
        except FileExistsError:
            pass
        except OSError:
            return None
    return folder if folder.is_dir() and not folder.is_symlink() else None


def load(root: Path, key: str, name: str = CACHE_FILE) -> dict[str, dict[str, Any]]:
    """The cached entries, or nothing when the cache is missing, damaged or out of date.

    `name` is the cache file: `cases.json` for validate and due-reviews, one file per product
    of the other reading commands (`engine.per_case`), so each loads only what it needs."""
    folder = cache_folder(root)
    if folder is None:
        return {}
    try:  # bounded and non-blocking: a device or FIFO here is no cache, not a hang
        raw = json.loads(read_regular(folder / name, CACHE_READ_LIMIT))
    except (OSError, ValueError, ReadRefused):
        return {}
    if not isinstance(raw, dict) or raw.get("key") != key or not isinstance(raw.get("cases"),
                                                                            dict):
        return {}
    return raw["cases"]


def save(root: Path, key: str, entries: dict[str, dict[str, Any]],
         name: str = CACHE_FILE) -> None:
    """Write the cache atomically; a casebook on a read-only disk simply goes uncached."""
    folder = cache_folder(root, create=True)
    if folder is None:
        return
    try:
        target = folder / name
        tmp = temp_path(target)
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "cases": entries}, fh, separators=(",", ":"))
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


def drop_derived(root: Path) -> None:
    """Remove every cached per-case result (`cases.json` and each product's file): after a
    case is disposed of, no copy of what it held may stay behind. The next run is cold."""
    folder = cache_folder(root)
    if folder is None:
        return
    for path in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            os.unlink(path)
