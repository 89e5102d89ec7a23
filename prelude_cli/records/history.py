"""A case's audit timeline: who changed what, when and why.

Two sources, merged by date: git (each commit touching the case folder: commit, author,
date, message, files changed and, for a changed document, the fields that changed with their old and
new values), and what the documents themselves record (withdrawals, reinstatements,
amendments and reassignments, each with who, when and why). git is asked once for the whole
case (`git log` over the case folder, renames followed) and once more for every document
version it names (one `git cat-file --batch`), never once per file. Outside a git repository
the recorded events are still shown.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.casebook import CASES_DIR, Casebook, kind_of
from ..case.entries import ENTRY_LISTS, ENTRY_NAMES, entry_lists
from ..checks.validation import load_case
from ..files.yamlio import load_bytes

_RS, _US = "\x1e", "\x1f"
_COMPARED = ("modified", "renamed")  # the changes whose fields are listed
_NULL_SHA = "0" * 40
MAX_VALUE = 200  # longer values are shown cut short, with their length


@dataclass(slots=True)
class Change:
    """One field of one document, as a commit changed it (None: absent on that side)."""

    field: str
    old: Any = None
    new: Any = None


@dataclass(slots=True)
class FileChange:
    path: str
    status: str  # added, modified, deleted, renamed
    fields: list[Change] = field(default_factory=list)
    old_path: str | None = None


@dataclass(slots=True)
class Event:
    """One line of the history: a commit, or a change a document records."""

    date: str
    kind: str  # commit, withdrawn, reinstated, amended, reassigned
    by: str
    text: str
    ref: str = ""
    commit: str = ""
    files: list[FileChange] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date, "kind": self.kind, "by": self.by, "text": self.text,
                "ref": self.ref, "commit": self.commit,
                "files": [{"path": f.path, "status": f.status, "old_path": f.old_path,
                           "fields": [{"field": c.field, "old": c.old, "new": c.new}
                                      for c in f.fields]} for f in self.files]}


@dataclass(slots=True)
class History:
    case_id: str
    git: bool
    note: str
    events: list[Event]

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case_id, "git": self.git, "note": self.note,
                "events": [e.as_dict() for e in self.events]}


def case_history(book: Casebook, case_id: str, as_of: date) -> History:
    """The case's history, oldest first (on one day: commits before what they recorded)."""
    recorded = list(recorded_events(book, case_id, as_of))
    commits, note = git_events(book, case_id)
    events = sorted([*(commits or []), *recorded], key=lambda e: (e.date[:10], e.kind != "commit"))
    return History(case_id, commits is not None and note == "", note, events)


# --- what the documents record ---------------------------------------------------------------

def recorded_events(book: Casebook, case_id: str, as_of: date) -> Iterator[Event]:
    """Withdrawals, reinstatements, amendments and reassignments, from the documents now."""
    case = load_case(book, case_id, as_of=as_of, checks=False).case
    for record_ref, what, data in _records(case):
        mark = data.get("withdrawn")
        if isinstance(mark, Mapping):
            yield Event(mark["date"], "withdrawn", mark["by"],
                        f"{what} withdrawn: {mark['reason']}", record_ref)
            back = mark.get("reinstated")
            if isinstance(back, Mapping):
                yield Event(back["date"], "reinstated", back["by"],
                            f"{what} reinstated: {back['reason']}", record_ref)
        for amendment in data.get("amendments") or []:
            yield Event(amendment["date"], "amended", amendment["by"],
                        f"{what} amended ({', '.join(amendment['fields'])}): "
                        f"{amendment['reason']}", record_ref)
    if case.case:
        history = case.case.data.get("officer_history") or []
        current = _raw_officer(book, case_id) or case.officer
        for i, handover in enumerate(history):
            successor = history[i + 1]["officer"] if i + 1 < len(history) else current
            yield Event(handover["to"], "reassigned", "",
                        f"case handed from {handover['officer']} to {successor}: "
                        f"{handover['reason']}", case.case.path)


def _raw_officer(book: Casebook, case_id: str) -> str | None:
    """The current officer as written (the model holds the officer on the as-of date)."""
    try:
        raw = (book.root / CASES_DIR / case_id / "case.yaml").read_bytes()
    except OSError:
        return None
    data = load_bytes(raw, "case.yaml").data
    return str(data.get("officer")) if isinstance(data, dict) and data.get("officer") else None


def _records(case: Any) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """Every record of the case, counted or withdrawn, as (reference, what it is, data)."""
    for kind, record in case.records():
        yield record.path, kind, record.data
        for path, items in entry_lists(kind, record.data):
            for item in items:
                yield (f"{record.path}#{item.get('id', '')}",
                       ENTRY_NAMES.get((kind, path), "entry"), item)
    for w in case.withdrawn:
        what = ENTRY_NAMES.get((w.kind, w.list_path), w.kind) if w.list_path else w.kind
        yield w.ref, what, w.data
        if not w.list_path:  # a withdrawn document's own entries
            for path, items in entry_lists(w.kind, w.data):
                for item in items:
                    yield (f"{w.ref}#{item.get('id', '')}",
                           ENTRY_NAMES.get((w.kind, path), "entry"), item)


# --- what git knows --------------------------------------------------------------------------

def git_events(book: Casebook, case_id: str) -> tuple[list[Event] | None, str]:
    """Each commit touching the case folder, newest changes' fields included; or None and
    why not (no git, not a repository)."""
    git = shutil.which("git")
    if git is None:
        return None, "git is not installed: showing what the documents record only"
    folder = f"{CASES_DIR}/{case_id}"
    log = _run([git, "log", "-M", "--raw", "--no-abbrev", "--relative", "-z",
                f"--format={_RS}%H{_US}%an{_US}%aI{_US}%s", "--", folder], book)
    if log is None:
        return None, ("the casebook is not a git repository: showing what the documents "
                      "record only")
    commits = list(_parse_log(log))[::-1]  # oldest first
    blobs = _blobs(git, book, {sha for c in commits for f in c[4] if f[4] in _COMPARED
                               for sha in f[2:4]})
    events = []
    for sha, author, when, subject, raw_files in commits:
        files = [_file_change(f, blobs) for f in raw_files]
        events.append(Event(when, "commit", author, subject, "", sha, files))
    return events, ""


def _run(args: list[str], book: Casebook, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(args, cwd=book.root, input=stdin, capture_output=True,
                              check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


RawFile = tuple[str, str | None, str, str, str]  # (path, old path, old sha, new sha, status)


def _parse_log(out: bytes) -> Iterator[tuple[str, str, str, str, list[RawFile]]]:
    """Commits from `git log --raw -z`: header fields, then NUL-separated raw entries."""
    for chunk in out.decode("utf-8", "replace").split(_RS)[1:]:
        header, _, rest = chunk.partition("\n")
        sha, author, when, subject = (header.rstrip("\0").split(_US) + ["", "", "", ""])[:4]
        parts = rest.lstrip("\n").split("\0")
        files: list[RawFile] = []
        i = 0
        while i < len(parts):
            meta = parts[i].strip()
            if not meta.startswith(":"):
                i += 1
                continue
            fields = meta[1:].split()
            old_sha, new_sha, status = fields[2], fields[3], fields[4]
            if status[0] in "RC":
                files.append((parts[i + 2], parts[i + 1], old_sha, new_sha, "renamed"))
                i += 3
            else:
                word = {"A": "added", "D": "deleted", "M": "modified"}.get(status[0], status)
                files.append((parts[i + 1], None, old_sha, new_sha, word))
                i += 2
        yield sha, author, when, subject, files


def _blobs(git: str, book: Casebook, shas: set[str]) -> dict[str, bytes]:
    """The content of each blob, read with one `git cat-file --batch`."""
    wanted = sorted(s for s in shas if s and s != _NULL_SHA)
    if not wanted:
        return {}
    out = _run([git, "cat-file", "--batch"], book, ("\n".join(wanted) + "\n").encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    while out and pos < len(out):
        end = out.index(b"\n", pos)
        head = out[pos:end].split()
        pos = end + 1
        if len(head) < 3 or head[1] != b"blob":
            continue
        size = int(head[2])
        blobs[head[0].decode()] = out[pos:pos + size]
        pos += size + 1
    return blobs


def _file_change(raw: RawFile, blobs: dict[str, bytes]) -> FileChange:
    path, old_path, old_sha, new_sha, status = raw
    change = FileChange(path, status, old_path=old_path)
    kind = kind_of(path)
    if kind is None or status not in _COMPARED:
        return change  # a whole document came or went: its fields are the record itself
    old = _data(blobs.get(old_sha))
    new = _data(blobs.get(new_sha))
    change.fields = diff_fields(kind, old, new)
    return change


def _data(raw: bytes | None) -> dict[str, Any]:
    if raw is None:
        return {}
    data = load_bytes(raw, "").data
    return data if isinstance(data, dict) else {}


# --- which fields changed --------------------------------------------------------------------

def diff_fields(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The fields that differ between two versions of a document; entries of the record
    lists named by id (`decisions[d-7k3m].rationale`), so a new entry is not a shift."""
    a, b = _flatten(kind, old), _flatten(kind, new)
    return [Change(name, _shown(a.get(name)), _shown(b.get(name)))
            for name in sorted(set(a) | set(b), key=lambda n: (_order(n, a, b), n))
            if a.get(name) != b.get(name)]


def _order(name: str, a: dict[str, Any], b: dict[str, Any]) -> int:
    keys = list(a) + [k for k in b if k not in a]
    return keys.index(name)


def _flatten(kind: str, data: Any, prefix: str = "", path: tuple[str, ...] = ()
             ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(_flatten(kind, value, f"{prefix}.{key}" if prefix else str(key),
                                (*path, str(key))))
    elif isinstance(data, list) and path in ENTRY_LISTS.get(kind, {}):
        for i, item in enumerate(data):
            name = item.get("id") if isinstance(item, dict) and item.get("id") else i
            out.update(_flatten(kind, item, f"{prefix}[{name}]", ()))
    else:
        out[prefix] = data
    return out


def _shown(value: Any) -> Any:
    """A value as the history shows it: long text cut short, with its length."""
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return f"{value[:MAX_VALUE]}... ({len(value)} characters)"
    return value
