"""The validation pipeline: read each case's files, check schemas and rules, place problems.

Cases are read one at a time, so memory stays flat however large the casebook. The same
`load_case` feeds due reviews, reports and exports: they all see a case exactly as `validate`
does, with invalid documents left out of the model.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from ..book.casebook import (
    CASEBOOK_FILE,
    CASES_DIR,
    IDENTITIES_FILE,
    PROVIDERS_FILE,
    Casebook,
    folder_name_problems,
    iter_case_documents,
    kind_of,
    read_document,
    root_temp_files,
    scan_case,
    scan_records,
)
from ..book.problems import Problem, error, sort_problems, warning
from ..case.asat import case_at
from ..case.model import Case
from ..case.officers import as_of_view
from ..case.salvage import describe, salvage
from ..case.withdrawn import original_pointer
from ..case.withdrawn import split as split_withdrawn
from ..files.yamlio import locate, positions_of
from ..privacy.identities import git_problems, name_tokens, read_into, unknown_entries
from . import CheckContext, run_rules
from .privacy import pii_in_withdrawn


@dataclass(slots=True)
class CaseResult:
    """One case as read: its model (valid documents and the valid parts of invalid ones) and
    every problem found."""

    case: Case
    problems: list[Problem]
    documents: int
    paths: list[str] = field(default_factory=list)  # every document read, casebook-relative
    omitted: list[str] = field(default_factory=list)
    """What the model leaves out because it is invalid: `PATH: the whole document` or
    `PATH: milestones[2]`."""
    latest_recorded: str = ""
    """The latest date recorded in the whole case, whatever the view (see cache.usable_for)."""


def load_case(book: Casebook, case_id: str, *, as_of: date, fast: bool = True,
              checks: bool = True, overlay: Mapping[str, bytes] | None = None,
              view: bool = False) -> CaseResult:
    """Read and check one case; `overlay` maps paths to the bytes a command is about to write,
    so the case can be checked as it would be before anything touches the disk.

    `view` is for reading commands: the model is the case as it stood on `as_of` (records
    dated later do not exist yet, see `asat`), and a later date is no problem. Without it
    (validate, recording commands) the model is the whole case and a date after `as_of` is a
    `future-date` error.
    """
    files = scan_case(book.root, case_id)
    problems = [p for p in files.problems
                if not (overlay and p.rule == "missing-document" and p.path in overlay)]
    case = Case(case_id)
    omitted: list[str] = []
    for p in problems:
        # A document missing, or something that is not a file where it belongs (a FIFO, a
        # device, a folder): no rule may act as if the record did not exist.
        kind = kind_of(p.path) if p.is_error else None
        if kind:
            case.mark_broken(kind, p.path)
            if p.rule != "missing-document":
                omitted.append(f"{p.path}: the whole document")
    raws: dict[str, bytes | None] = {}
    originals: dict[str, object] = {}  # documents some of whose entries are withdrawn
    for doc in iter_case_documents(book, files, fast=fast, overlay=overlay):
        problems.extend(doc.problems)
        raws[doc.relpath] = doc.raw
        data = doc.data
        if not doc.valid:
            data, cuts = salvage(doc.kind, doc.data, doc.problems, doc.relpath)
            omitted.extend(f"{doc.relpath}: {describe(c)}" for c in cuts)
            if data is None:
                case.mark_broken(doc.kind, doc.relpath)
                continue
        # Withdrawn records stop counting here, for everything built on the model; the
        # case record names the officer on the as-of date.
        kept, gone = split_withdrawn(doc.kind, doc.relpath, data)  # type: ignore[arg-type]
        case.withdrawn.extend(gone)
        if gone and kept is not None:
            originals[doc.relpath] = data
        if kept is not None:
            case.add(doc.kind, doc.relpath,
                     as_of_view(kept, as_of) if doc.kind == "case" else kept)
    case.finish()
    if checks:
        ctx = CheckContext(case, case_id, book.settings, book.providers, as_of,
                           name_tokens(book.identities.get(case_id)), raws)
        found = run_rules(ctx)
        problems.extend(repoint(p, originals[p.path]) if p.path in originals else p
                        for p in found if not (view and p.rule == "future-date"))
        problems.extend(pii_in_withdrawn(ctx))
    errors = [p.path for p in problems if p.is_error]
    case.errors, case.first_error = len(errors), min(errors, default="")
    latest = case.latest_recorded
    if view:
        case = case_at(case, as_of.isoformat())
    return CaseResult(case, place_problems(problems, raws), len(raws), list(raws), omitted,
                      latest)


def repoint(p: Problem, original: object) -> Problem:
    """A rule's problem in a document with withdrawn entries, pointed into the document as
    written (the rule saw it without them)."""
    pointer = original_pointer(p.pointer, original)
    return p if pointer == p.pointer else Problem(p.path, p.line, p.column, p.severity, p.rule,
                                                  p.message, pointer)


def place_problems(problems: Iterable[Problem], raws: dict[str, bytes | None]) -> list[Problem]:
    """Give each problem that has only a pointer its line and column, parsing each file once."""
    out: list[Problem] = []
    cache: dict[str, dict] = {}
    for p in problems:
        if p.line == 0 and p.path in raws:
            raw = raws[p.path]
            if raw is None:
                out.append(p)
                continue
            if p.path not in cache:
                cache[p.path] = positions_of(raw, p.path)
            line, col = locate(cache[p.path], p.pointer)
            out.append(Problem(p.path, line, col, p.severity, p.rule, p.message, p.pointer))
        else:
            out.append(p)
    return out


def settings_problems(book: Casebook) -> list[Problem]:
    """The problems of casebook.yaml and providers.yaml, with their lines."""
    return place_problems(book.problems, {d.relpath: d.raw for d in book.documents})


def casebook_level_problems(book: Casebook) -> list[Problem]:
    """Settings and providers problems, placed; and what does not belong in `cases/`."""
    problems = settings_problems(book) + root_temp_files(book.root)
    if book.cases_dir.is_symlink():
        problems.append(error(CASES_DIR, "symlink", "links are not allowed in a casebook"))
        return problems
    if book.cases_dir.exists() and not book.cases_dir.is_dir():  # else "ok: 0 cases"
        problems.append(error(CASES_DIR, "unreadable",
                              "not a folder: cases must hold one folder per case"))
        return problems
    try:
        entries = sorted(os.scandir(book.cases_dir), key=lambda e: e.name)
    except OSError:
        return problems
    seen: dict[str, str] = {}
    for entry in entries:
        rel = f"{CASES_DIR}/{entry.name}"
        if entry.is_symlink():
            problems.append(error(rel, "symlink", "links are not allowed in a casebook"))
        elif not entry.is_dir(follow_symlinks=False):
            if entry.name != ".gitkeep":
                problems.append(warning(rel, "unexpected-file",
                                        "only case folders belong in cases/"))
        elif folder_name_problems(entry.name):
            problems.extend(error(rel, "case-id", f"folder name: {reason}")
                            for reason in folder_name_problems(entry.name))
        elif entry.name.upper() in seen:
            problems.append(error(rel, "case-id",
                                  f"differs only in letter case from {seen[entry.name.upper()]}; "
                                  "the two collide on Windows and macOS"))
        else:
            seen[entry.name.upper()] = entry.name
    return problems


def register_problems(book: Casebook) -> tuple[list[Problem], list[str]]:
    """The identity register, when there is one: its schema, whether git could commit it,
    entries for unknown cases. Reading it also gives the rules the names to look for."""
    register = read_into(book)
    problems = git_problems(book.root)
    if not register.present or register.document is None:
        return problems, []
    doc = register.document
    problems += place_problems(doc.problems, {doc.relpath: doc.raw})
    problems += place_problems(unknown_entries(register, set(book.case_ids())),
                               {doc.relpath: doc.raw})
    return problems, [IDENTITIES_FILE]


def record_problems(book: Casebook) -> tuple[list[Problem], list[str]]:
    """The disclosure and disposal records at the root, each checked against its schema."""
    docs, problems = scan_records(book.root)
    for rel, kind in docs:
        doc = read_document(book.root, rel, kind, max_bytes=book.settings.max_document_bytes)
        problems += place_problems(doc.problems, {rel: doc.raw})
        if doc.valid and not rel.rsplit("/", 1)[-1].startswith(doc.data["date"] + "-"):  # type: ignore[index]
            problems += place_problems([error(rel, "file-name-date", "the record's date differs "
                                              "from its file name", pointer=("date",))],
                                       {rel: doc.raw})
    return problems, [rel for rel, _ in docs]


def iter_cases(book: Casebook, *, as_of: date, fast: bool = True,
               case_ids: Iterable[str] | None = None, checks: bool = True,
               view: bool = False) -> Iterator[CaseResult]:
    for case_id in (book.case_ids() if case_ids is None else case_ids):
        yield load_case(book, case_id, as_of=as_of, fast=fast, checks=checks, view=view)


@dataclass(slots=True)
class ValidationResult:
    problems: list[Problem]
    cases: int = 0
    paths: list[str] = field(default_factory=list)  # every document checked

    @property
    def documents(self) -> int:
        return len(self.paths)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if not p.is_error)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def summary(self) -> dict[str, int]:
        return {
            "cases": self.cases,
            "documents": self.documents,
            "errors": self.errors,
            "warnings": self.warnings,
            "files_with_problems": len({p.path for p in self.problems}),
        }


def validate(book: Casebook, *, as_of: date, only: list[str] | None = None,
             fast: bool = True, use_cache: bool = False, jobs: int | None = 1,
             progress: Callable[[int, int], None] | None = None) -> ValidationResult:
    """Check the whole casebook, or the cases holding `only`'s paths, reporting within them.

    Library callers get a plain, uncached, single-process run by default; the CLI turns on
    the cache and worker processes.
    """
    from ..read.engine import summaries  # engine builds on load_case above

    problems = casebook_level_problems(book)
    identity_problems, identity_paths = register_problems(book)
    records, record_paths = record_problems(book)
    problems += identity_problems + records
    case_ids = None if only is None else _cases_for(book, only)
    cases = 0
    paths = [d.relpath for d in book.documents] + identity_paths + record_paths
    # Without the cache, nothing is kept for due-reviews: the due items are not worked out.
    for summary in summaries(book, as_of=as_of, case_ids=case_ids, use_cache=use_cache,
                             fast=fast, jobs=jobs, progress=progress,
                             problems_only=not use_cache):
        cases += 1
        paths.extend(summary.paths)
        problems.extend(summary.problems)
    if only is not None:
        problems = [p for p in problems if _within(p.path, only) or
                    (p.path in (CASEBOOK_FILE, PROVIDERS_FILE, IDENTITIES_FILE) and p.is_error)]
    if only is not None:
        paths = [p for p in paths if _within(p, only)]
    return ValidationResult(sort_problems(problems), cases, paths)


def _cases_for(book: Casebook, only: list[str]) -> list[str] | None:
    """The case folders the given paths fall in; None (all) if a path covers every case."""
    ids: set[str] = set()
    existing = set(book.case_ids())
    for rel in only:
        parts = rel.strip("/").split("/")
        if rel in ("", ".") or parts == [CASES_DIR]:
            return None
        if parts[0] == CASES_DIR and len(parts) > 1 and parts[1] in existing:
            ids.add(parts[1])
    return sorted(ids)


def _within(path: str, only: list[str]) -> bool:
    for rel in only:
        rel = rel.strip("/")
        if rel in ("", ".") or path == rel or path.startswith(rel + "/"):
            return True
    return False
