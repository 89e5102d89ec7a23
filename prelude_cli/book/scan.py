"""What a case folder and the casebook's root hold: the documents to read, and what does not
belong (misnamed files, leftovers of interrupted writes, special files, copies of the
identity register)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..files.fsread import describe_mode
from .documents import special_file
from .layout import (
    ASSESSMENT_NAME,
    CASES_DIR,
    CONTACT_NAME,
    MULTI_DOCUMENTS,
    RECORD_FOLDERS,
    REGISTER_COPY_NAME,
    REQUIRED_DOCUMENTS,
    ROOT_TEMP_NAME,
    SINGLE_DOCUMENTS,
    SYSTEM_FILES,
    TEMP_NAME,
)
from .problems import Problem, error, warning


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
