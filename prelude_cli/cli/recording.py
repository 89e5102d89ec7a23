"""What every recording command shares: options, dates, and writing a draft (or not).

Exit codes of recording commands: 0 written (or a clean dry run); 1 the casebook refuses the
record (unknown case, provider or domain, a record that already exists, a change that would
leave an error in the case, a file changed meanwhile); 2 the command line is malformed (an
impossible date, a value of the wrong form, a missing or contradictory option).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ..book.casebook import Casebook, folder_name_problems, kind_of
from ..book.problems import sort_problems
from ..book.textsafe import terminal
from ..privacy import identities
from ..reporters import problem_line
from .options import UsageError, case_id_checked, complete_case_id, load_book, parse_date
from .output import err, out

if TYPE_CHECKING:
    from ..records import Draft
    from ..records.edits import Change

# The recording machinery (records, storage, locks, ruamel) is imported where a record is
# made: reading commands share this module's options, and start faster without it.

EXIT_REFUSED = 1
EXIT_USAGE = 2

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="The case id, like OP-7K3M9Q.",
                                        show_default=False, autocompletion=complete_case_id,
                                        callback=case_id_checked)]
DateOpt = Annotated[str | None, typer.Option(
    "--date", metavar="DATE", help="When it happened (YYYY-MM-DD). Default: the as-of date.",
    show_default=False)]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Print the document(s) as they would be written; write nothing.")]
EditOpt = Annotated[bool, typer.Option(
    "--edit", help="Open the document in $VISUAL or $EDITOR before it is checked and written.")]
ResumeOpt = Annotated[Path | None, typer.Option(
    "--resume", metavar="PATH", help="Continue a draft kept when an --edit could not be "
    "written (implies --edit).", show_default=False)]
ReviewedOpt = Annotated[bool, typer.Option(
    "--reviewed", help="Free text flagged as possible personal data has been checked and is "
    "right to keep: write it, marked '# prelude: reviewed'.")]
AllowDuplicateOpt = Annotated[bool, typer.Option(
    "--allow-duplicate", help="Write the record even if it looks like one already there "
    "(same day and details).")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Anything more (no names).",
                                              show_default=False)]


def choice_enum(name: str, values: list[str]) -> type[StrEnum]:
    """Option choices made from a schema's vocabulary, so the two can never drift apart."""
    return StrEnum(name, {v: v for v in values})  # type: ignore[return-value]


def fail(message: str, code: int = EXIT_REFUSED) -> NoReturn:
    """One line on stderr (made terminal-safe: it may quote an id read from a document)."""
    err(f"prelude: {terminal(message)}")
    raise typer.Exit(code)


def open_book(casebook: Path | None, as_of: str | None) -> tuple[Casebook, date]:
    """The casebook and the as-of date (today unless given); no casebook is exit 2. The
    identity register is read too, so a record naming its person is warned about at once."""
    today = date.today() if as_of is None else parse_date(as_of)
    try:
        book = load_book(casebook)
    except UsageError as exc:
        fail(str(exc), EXIT_USAGE)
    identities.read_into(book)
    return book, today


def day(text: str | None, option: str, default: date | None = None) -> date:
    """A date option, or its default; an impossible date is a usage error naming the option."""
    if text is None:
        if default is None:
            raise typer.BadParameter("a date is required", param_hint=option)
        return default
    return parse_date(text, option)


def maybe_day(text: str | None, option: str) -> date | None:
    return None if text is None else parse_date(text, option)


def split_spec(spec: str, option: str, parts: int) -> list[str | None]:
    """`A:B:C` option values, the later parts optional; empty parts count as absent."""
    pieces: list[str | None] = [p.strip() or None for p in spec.split(":", parts - 1)]
    if not pieces[0]:
        raise typer.BadParameter(f"{spec!r} has nothing before the ':'", param_hint=option)
    return pieces + [None] * (parts - len(pieces))


def one_of(value: str | None, allowed: list[str], option: str, spec: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(f"{value!r} in {spec!r} is not one of: {', '.join(allowed)}",
                                 param_hint=option)
    return value


@contextlib.contextmanager
def refusals() -> Iterator[None]:
    """A builder's one-line refusal becomes the command's error and exit code."""
    from ..records import RecordError

    try:
        yield
    except RecordError as exc:
        fail(str(exc), EXIT_USAGE if exc.usage else EXIT_REFUSED)


@contextlib.contextmanager
def recording(book: Casebook, case_id: str | None, *, dry_run: bool = False) -> Iterator[None]:
    """Around reading the case, building the record and writing it (`commit`).

    The case's lock is held throughout, so a second command on the same case waits, then reads
    what the first wrote, instead of being refused as stale. A dry run writes nothing and takes
    no lock (it works on a read-only casebook); nor does a case that does not exist yet. A
    builder's refusal becomes the command's error and exit code, as with `refusals`.
    """
    from ..files.locks import case_lock

    lock = (not dry_run and case_id is not None and not folder_name_problems(case_id)
            and (book.cases_dir / case_id).is_dir())
    with case_lock(book.root, case_id) if lock else contextlib.nullcontext(), refusals():
        yield


def commit(book: Casebook, draft: Draft, as_of: date, *, dry_run: bool = False,
           edit: bool = False, allow_duplicate: bool = False, reviewed: bool = False,
           resume: Path | None = None) -> None:
    """Check the case as it would be; write atomically, or print why not and exit 1.

    Refused too, unless asked: a record that duplicates one already there (`allow_duplicate`),
    and free text that may hold personal data (`reviewed`: then written with the fields marked
    `# prelude: reviewed`), since once committed it takes a history rewrite to remove. What an
    `--edit` made is kept as a draft when it is not written (`--resume` continues it).
    """
    from ..files.storage import StorageError

    built = draft.changes
    changes = _edit_all(book, built, resume) if edit or resume else built
    kept = {c.relpath: c.data for c, b in zip(changes, built, strict=True) if c.data != b.data}
    try:
        _commit(book, draft, changes, as_of, dry_run=dry_run, allow_duplicate=allow_duplicate,
                reviewed=reviewed)
    except typer.Exit as exc:
        if exc.exit_code and kept:
            _keep_drafts(book, kept)
        raise
    except StorageError:
        if kept:
            _keep_drafts(book, kept)
        raise


def _commit(book: Casebook, draft: Draft, changes: list[Change], as_of: date, *,
            dry_run: bool, allow_duplicate: bool, reviewed: bool) -> None:
    """`commit` once the documents are as they will be written (`records.commit.write`,
    the write path the browser shares)."""
    from ..files.storage import StaleWrite
    from ..records.commit import REFUSED_DUPLICATE, REFUSED_PII
    from ..records.commit import write as write_draft

    try:
        outcome = write_draft(book, draft, as_of, changes=changes, dry_run=dry_run,
                              allow_duplicate=allow_duplicate, reviewed=reviewed)
    except StaleWrite as exc:
        fail(str(exc))
    if dry_run:
        for change in outcome.changes:
            out(f"# {change.relpath}")
            out(change.data.decode("utf-8"))
        for change in draft.extra:  # the register: what would change, never its values
            out(f"# {change.relpath}: {draft.case_id}'s entry would be added (kept out of "
                "git; not shown)")
    for p in sort_problems(outcome.result.problems):
        err(problem_line(p))
    if outcome.refusal == REFUSED_PII:
        fail("nothing written: free text may hold personal data (the field and kind are named "
             "above). Rewrite it without; or, if it is right to keep (a worker's work number, "
             "a youth centre's postcode), repeat with --reviewed to write it marked "
             "'# prelude: reviewed'")
    if outcome.refusal == REFUSED_DUPLICATE:
        fail(f"nothing written: the record looks like one already in case {draft.case_id}; "
             "repeat with --allow-duplicate to write it anyway")
    if outcome.refusal:
        errors = outcome.errors
        fail(f"nothing written: the record would leave {errors} error"
             f"{'s' if errors != 1 else ''} in case {draft.case_id}")
    if dry_run:
        return
    if draft.made:
        out(draft.made)
    else:
        for change in outcome.changes:
            out(change.relpath)
    for change in draft.extra:
        err(f"prelude: added {draft.case_id}'s entry to {change.relpath}")


def _edit_all(book: Casebook, changes: list[Change], resume: Path | None) -> list[Change]:
    """Each document through the editor; with `resume`, the draft's document starts from it."""
    from ..records import drafts

    start: dict[str, bytes] = {}
    if resume is not None:
        try:
            relpath, data = drafts.load(resume)
        except OSError as exc:
            fail(f"cannot read the draft {resume}: {exc.strerror}", EXIT_USAGE)
        target = next((c for c in changes if c.relpath == relpath), None) or next(
            (c for c in changes if relpath and kind_of(c.relpath) == kind_of(relpath)), None)
        if target is None:
            fail(f"{resume} is not a draft of a document this command writes", EXIT_USAGE)
        start[target.relpath] = data
    return [_edited(book, c, start.get(c.relpath)) for c in changes]


def _keep_drafts(book: Casebook, edited: dict[str, bytes]) -> None:
    """Keep what the editor held, so a refused --edit loses no typing; say where."""
    from ..files.storage import StorageError
    from ..records import drafts

    for relpath, data in edited.items():
        try:
            path = drafts.save(book.root, relpath, data)
        except StorageError:
            path = None
        if path is None:
            err(f"prelude: your edits of {relpath} could not be kept as a draft")
        else:
            err(f"prelude: your edits are kept in {path}; fix and continue with "
                f"--resume {path}")


def _edited(book: Casebook, change: Change, start: bytes | None = None) -> Change:
    """Let the user change the document in their editor; it is checked like any other."""
    from ..records.edits import Change

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        fail("--edit needs $VISUAL or $EDITOR to name an editor", EXIT_USAGE)
    name = change.relpath.rsplit("/", 1)[-1]
    fd, tmp = tempfile.mkstemp(prefix="prelude-", suffix=f"-{name}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(change.data if start is None else start)
        # $EDITOR may carry arguments (`code --wait`); Windows parses a command line itself.
        command = f'{editor} "{tmp}"' if os.name == "nt" else [*shlex.split(editor), tmp]
        try:
            done = subprocess.run(command, check=False)
        except OSError as exc:
            fail(f"cannot run the editor ({exc.strerror}); nothing written")
        data = Path(tmp).read_bytes().replace(b"\r\n", b"\n")  # the casebook is LF-only
        if done.returncode != 0:
            if data != change.data:
                _keep_drafts(book, {change.relpath: data})
            fail(f"the editor exited with status {done.returncode}; nothing written")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return Change(change.relpath, data, change.expect)
