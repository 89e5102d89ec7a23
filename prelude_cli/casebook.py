"""Finding a casebook, its paths and case ids, and reading a case's documents.

A casebook is a folder holding `casebook.yaml`; cases live in `cases/<ID>/`. Everything here
returns values: documents with their problems, never printed output.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import FORMAT_VERSION, schemas
from .fsread import describe_mode
from .problems import Problem, error, warning
from .settings import ID_ALPHABET, Settings, settings_from_data
from .yamlio import Loaded, load_bytes

CASEBOOK_FILE = "casebook.yaml"
PROVIDERS_FILE = "providers.yaml"
CASES_DIR = "cases"
IDENTITIES_FILE = "identities.yaml"
"""The identity register: names and identifiers, kept out of git (see identities.py)."""
ENV_VAR = "PRELUDE_CASEBOOK"

SINGLE_DOCUMENTS = {
    "case.yaml": "case",
    "identification.yaml": "identification",
    "disruption.yaml": "disruption",
    "plan.yaml": "plan",
    "exit.yaml": "exit",
}
MULTI_DOCUMENTS = {"contacts": "contact", "assessments": "assessment"}
REQUIRED_DOCUMENTS = ("case.yaml", "identification.yaml")
RECORD_FOLDERS = {"disclosures": "disclosure", "disposals": "disposal"}
"""Folders at the root holding one file per record about the casebook itself."""

CONTACT_NAME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-([0-9a-z]{4,8})\.yaml$")
ASSESSMENT_NAME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})\.yaml$")
RECORD_NAME = CONTACT_NAME  # DATE-SUFFIX.yaml, like a contact
TEMP_NAME = re.compile(r"^\..+\.tmp$")
ROOT_TEMP_NAME = re.compile(r"^\.(?:casebook|providers)\.yaml\.[0-9a-f]+\.tmp$")
"""Temporary files an interrupted write of casebook.yaml or providers.yaml leaves behind."""
REGISTER_COPY_NAME = re.compile(r"^(?:\.identities\.yaml\..+\.tmp|\.?identities\.yaml\..+)$")
"""Copies of the identity register: an interrupted write's temporary file, a backup
(`identities.yaml.bak`), an editor's swap file. Each holds names."""
SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
SUFFIX_ALPHABET = ID_ALPHABET.lower()

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


if TYPE_CHECKING:
    from .agreements import Partner


class CasebookError(Exception):
    """The casebook cannot be used at all (not found, or too new for this prelude)."""


def find_root(explicit: str | os.PathLike[str] | None = None,
              env: Mapping[str, str] | None = None,
              cwd: Path | None = None) -> Path:
    """`--casebook`, else `$PRELUDE_CASEBOOK`, else the nearest folder upward with casebook.yaml."""
    env = os.environ if env is None else env
    given = explicit or env.get(ENV_VAR) or None
    if given:
        root = Path(given).expanduser()
        if root.name == CASEBOOK_FILE and (root.is_file() or _special(root)):
            root = root.parent
        if not (root / CASEBOOK_FILE).is_file():
            _refuse_special(root)
            source = "--casebook" if explicit else ENV_VAR
            raise CasebookError(f"no {CASEBOOK_FILE} in {root} (from {source})")
        return root.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CASEBOOK_FILE).is_file():
            return folder
        _refuse_special(folder)
    raise CasebookError(
        f"no casebook found: no {CASEBOOK_FILE} here or in any folder above; "
        f"use --casebook PATH or set {ENV_VAR}"
    )


def _special(path: Path) -> str | None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISLNK(mode) else describe_mode(mode)


def _refuse_special(folder: Path) -> None:
    """A casebook.yaml that is a FIFO, device or folder: say so, not "no casebook.yaml"."""
    what = _special(folder / CASEBOOK_FILE)
    if what:
        raise CasebookError(f"{folder / CASEBOOK_FILE} is {what}, not a regular file; "
                            "put the casebook's settings back as a regular file")


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


def kind_of(relpath: str) -> str | None:
    """The document kind a casebook-relative path holds, from where it sits."""
    parts = relpath.split("/")
    if len(parts) == 3 and parts[0] == CASES_DIR:
        return SINGLE_DOCUMENTS.get(parts[2])
    if len(parts) == 4 and parts[0] == CASES_DIR and parts[3].endswith(".yaml"):
        return MULTI_DOCUMENTS.get(parts[2])
    if len(parts) == 2 and parts[1].endswith(".yaml"):
        return RECORD_FOLDERS.get(parts[0])
    return {CASEBOOK_FILE: "casebook", PROVIDERS_FILE: "providers",
            IDENTITIES_FILE: "identities"}.get(relpath)


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


@dataclass(slots=True)
class Casebook:
    """An opened casebook: where it is, its settings and providers, and their problems."""

    root: Path
    settings: Settings
    providers: dict[str, dict[str, Any]]
    documents: list[Document] = field(default_factory=list)
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Entries of the identity register, only once a command that needs them has read it."""

    @property
    def problems(self) -> list[Problem]:
        return [p for d in self.documents for p in d.problems]

    @property
    def partners(self) -> tuple[Partner, ...]:
        """The partner agencies casebook.yaml configures (none when it has errors)."""
        from .agreements import partners_from_data  # agreements builds on the model

        doc = next((d for d in self.documents if d.kind == "casebook"), None)
        return partners_from_data(doc.data if doc is not None and doc.valid else None)

    @property
    def cases_dir(self) -> Path:
        return self.root / CASES_DIR

    def case_dir(self, case_id: str) -> Path:
        return self.cases_dir / case_id

    def case_ids(self) -> list[str]:
        """Case folders, sorted; links and files in `cases/` are left to the validator, and
        a `cases` that is itself a link holds no cases (it could lead anywhere)."""
        if self.cases_dir.is_symlink():
            return []
        try:
            entries = list(os.scandir(self.cases_dir))
        except OSError:
            return []
        return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))


def open_casebook(root: Path, *, fast: bool = True) -> Casebook:
    """Read settings and providers; refuse a casebook written for a newer prelude."""
    book_doc = read_document(root, CASEBOOK_FILE, "casebook", max_bytes=1024 * 1024, fast=fast)
    data = book_doc.data or {}
    fmt = data.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT_VERSION:
        raise CasebookError(
            f"{CASEBOOK_FILE} is format {fmt}, newer than this prelude reads "
            f"(format {FORMAT_VERSION}); upgrade prelude"
        )
    settings = settings_from_data(data if book_doc.valid else None)
    settings_problems = _settings_problems(data if book_doc.valid else None)
    book_doc.problems.extend(settings_problems)
    documents = [book_doc]
    providers: dict[str, dict[str, Any]] = {}
    if (root / PROVIDERS_FILE).exists() or (root / PROVIDERS_FILE).is_symlink():
        prov_doc = read_document(root, PROVIDERS_FILE, "providers",
                                 max_bytes=settings.max_document_bytes, fast=fast)
        documents.append(prov_doc)
        if prov_doc.valid:
            for i, p in enumerate(prov_doc.data["providers"]):  # type: ignore[index]
                if p["id"] in providers:
                    prov_doc.problems.append(error(
                        PROVIDERS_FILE, "duplicate-id", f"provider id '{p['id']}' is listed twice",
                        pointer=("providers", i, "id")))
                providers[p["id"]] = p
    return Casebook(root, settings, providers, documents)


def _settings_problems(data: dict[str, Any] | None) -> list[Problem]:
    """What the schema cannot say about settings: a sane scale, unique domains."""
    if not data:
        return []
    out: list[Problem] = []
    scale = (data.get("needs") or {}).get("scale")
    if scale and scale["min"] >= scale["max"]:
        out.append(error(CASEBOOK_FILE, "settings", "needs.scale.min must be below max",
                         pointer=("needs", "scale")))
    seen: set[str] = set()
    for i, d in enumerate((data.get("needs") or {}).get("domains") or []):
        if d["id"] in seen:
            out.append(error(CASEBOOK_FILE, "duplicate-id",
                             f"domain id '{d['id']}' is listed twice",
                             pointer=("needs", "domains", i, "id")))
        seen.add(d["id"])
    from .agreements import partner_problems  # agreements builds on the model and sharing

    return out + partner_problems(data)


def new_case_id(settings: Settings, existing: set[str]) -> str:
    """A random id from the casebook's pattern: two clones never mint the same one."""
    while True:
        suffix = "".join(secrets.choice(ID_ALPHABET) for _ in range(settings.id_random_length))
        case_id = settings.id_prefix + suffix
        if case_id.upper() not in {e.upper() for e in existing}:
            return case_id


def new_suffix(length: int = 4) -> str:
    """The random part of a contact file name or a plan item id."""
    return "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(length))


_WINDOWS_FORBIDDEN = re.compile(r'[<>"|?*\x00-\x1f]')


def folder_name_problems(name: str) -> list[str]:
    """Why `name` cannot name a folder safely on every platform the casebook is used on."""
    reasons: list[str] = []
    if not name or "/" in name or "\\" in name or ".." in name or ":" in name:
        reasons.append("a case id may not hold path separators, ':' or '..'")
    elif Path(name).is_absolute():
        reasons.append("a case id may not be an absolute path")
    if _WINDOWS_FORBIDDEN.search(name):
        reasons.append("a case id may not hold control characters or any of <>\"|?*")
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        reasons.append("that name is reserved on Windows")
    return reasons


def case_id_problems(case_id: str, settings: Settings,
                     existing: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Why `case_id` cannot name a case folder, if it cannot: portable, safe and on-pattern."""
    reasons = folder_name_problems(case_id)
    if not settings.id_pattern.match(case_id):
        reasons.append(
            f"does not match the casebook's id pattern ({settings.id_prefix} followed by "
            f"{settings.id_random_length} of {ID_ALPHABET}): "
            f"{settings.id_pattern_reason(case_id)}"
        )
    clash = [e for e in existing if e.upper() == case_id.upper()]
    if case_id in existing:
        reasons.append("a case with this id already exists")
    elif clash:
        reasons.append("differs only in letter case from an existing case")
    return reasons


@dataclass(slots=True)
class CaseFiles:
    """The files of one case folder, classified, plus folder-level problems."""

    case_id: str
    relroot: str
    documents: list[tuple[str, str]]  # (relpath, kind)
    problems: list[Problem]


def scan_case(root: Path, case_id: str) -> CaseFiles:
    """Classify a case folder's files without reading them; report what does not belong."""
    relroot = f"{CASES_DIR}/{case_id}"
    folder = root / CASES_DIR / case_id
    docs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        entries = []  # a case about to be created: only its missing documents are reported
    except OSError as exc:
        return CaseFiles(case_id, relroot, [], [error(relroot, "unreadable",
                                                       f"cannot read folder: {exc.strerror}")])
    for entry in entries:
        rel = f"{relroot}/{entry.name}"
        if entry.is_symlink():
            problems.append(error(rel, "symlink", "links are not allowed in a casebook"))
        elif entry.is_dir(follow_symlinks=False) and entry.name in MULTI_DOCUMENTS:
            _scan_multi(entry.path, rel, MULTI_DOCUMENTS[entry.name], docs, problems)
        elif entry.is_file(follow_symlinks=False) and entry.name in SINGLE_DOCUMENTS:
            docs.append((rel, SINGLE_DOCUMENTS[entry.name]))
        elif entry.name in SINGLE_DOCUMENTS or entry.name in MULTI_DOCUMENTS:
            problems.append(_misplaced(entry, rel, folder=entry.name in MULTI_DOCUMENTS))
        elif entry.name != ".gitkeep":
            problems.append(_stray(entry.name, rel))
    # Relative to the case folder, so `contacts/case.yaml` does not pass for `case.yaml`.
    present = {rel[len(relroot) + 1:] for rel, _ in docs}
    for required in REQUIRED_DOCUMENTS:
        if required not in present:
            problems.append(error(f"{relroot}/{required}", "missing-document",
                                  f"every case needs {required}"))
    return CaseFiles(case_id, relroot, docs, problems)


def scan_records(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The record files of `disclosures/` and `disposals/`, and what does not belong there."""
    docs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for folder, kind in RECORD_FOLDERS.items():
        path = root / folder
        if path.is_symlink():
            problems.append(error(folder, "symlink", "links are not allowed in a casebook"))
        elif path.is_dir():
            _scan_multi(str(path), folder, kind, docs, problems)
    return docs, problems


def _scan_multi(path: str, relroot: str, kind: str, docs: list[tuple[str, str]],
                problems: list[Problem]) -> None:
    pattern = ASSESSMENT_NAME if kind == "assessment" else CONTACT_NAME
    example = "2026-05-01.yaml" if kind == "assessment" else "2026-05-01-k3m9.yaml"
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        problems.append(error(relroot, "unreadable", f"cannot read folder: {exc.strerror}"))
        return
    for entry in entries:
        rel = f"{relroot}/{entry.name}"
        if entry.is_symlink():
            problems.append(error(rel, "symlink", "links are not allowed in a casebook"))
        elif entry.is_file(follow_symlinks=False) and entry.name.endswith(".yaml") \
                and not entry.name.startswith("."):
            docs.append((rel, kind))
            if not pattern.match(entry.name):
                problems.append(error(rel, "file-name",
                                      f"a {kind} file is named like {example}"))
        elif entry.name.endswith(".yaml") and not entry.name.startswith("."):
            problems.append(_misplaced(entry, rel, folder=False))
        elif entry.name != ".gitkeep":
            problems.append(_stray(entry.name, rel))


def _interrupted(root: Path) -> list[Problem]:
    """`interrupted-record`: a record of several files still staged (transaction.py), which
    the next command able to write completes or rolls back."""
    rel = ".prelude-cache/journal"
    try:
        names = sorted(e.name for e in os.scandir(root / rel) if e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [warning(f"{rel}/{name}", "interrupted-record",
                    "a record of several files was interrupted (or is being written right "
                    "now); the next prelude command that can write to the casebook "
                    + ("rolls it back" if name.endswith(".tmp") else "completes it"))
            for name in names]


def _misplaced(entry: os.DirEntry[str], rel: str, *, folder: bool) -> Problem:
    """Something other than a regular file (or a folder, for `contacts/`) under a document's
    name: the document is missing, so this is an error at that path."""
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return error(rel, "unreadable", f"cannot read: {exc.strerror}")
    if folder:
        what = describe_mode(mode) if not stat.S_ISDIR(mode) else "a folder"
        if stat.S_ISREG(mode):
            what = "a file"
        return error(rel, "special-file", f"{what} where a folder of documents belongs; "
                     "what it should hold is not read")
    return special_file(rel, mode)


def root_temp_files(root: Path) -> list[Problem]:
    """Leftovers of interrupted writes to the casebook's own files, at its root."""
    try:
        names = sorted(e.name for e in os.scandir(root))
    except OSError:
        return []
    return [_stray(name, name) for name in names if ROOT_TEMP_NAME.match(name)] + \
        _interrupted(root) + [
        warning(name, "identity-register-copy",
                "a copy of the identity register, which holds names and identifiers: delete "
                "it once it is not needed, and never commit it (prelude init's .gitignore "
                "ignores such copies)")
        for name in names if REGISTER_COPY_NAME.match(name)]


def _stray(name: str, rel: str) -> Problem:
    if TEMP_NAME.match(name):
        return warning(rel, "leftover-temp-file",
                       "temporary file left by an interrupted write; `prelude fmt` removes it")
    if name in SYSTEM_FILES:
        return warning(rel, "unexpected-file", "system file in a case folder")
    return warning(rel, "unexpected-file", "this file is not part of the casebook format")


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
