"""`prelude withdraw` and `prelude amend`: correct a record, saying who, when and why."""

from __future__ import annotations

from typing import Annotated

import typer

from ..book.casebook import Casebook
from ..case.refs import Ref, RefError, parse_ref
from ..records.lifecycle import Signed, amend, reinstate, withdraw
from .options import AsOfOpt, CasebookOpt
from .recording import (
    EXIT_USAGE,
    AllowDuplicateOpt,
    DateOpt,
    DryRunOpt,
    ReviewedOpt,
    commit,
    day,
    fail,
    open_book,
    recording,
)

RefArg = Annotated[str, typer.Argument(
    metavar="REF", help="The record: a document's path, or PATH#ID for an entry inside one "
    "(`case show` lists them).", show_default=False)]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (no names).",
                                        show_default=False)]
ByOpt = Annotated[str, typer.Option("--by", help="Who is making the change.",
                                    show_default=False)]


def _ref(book: Casebook, text: str) -> Ref:
    try:
        return parse_ref(text, book.case_ids())
    except RefError as exc:
        fail(str(exc), 1 if str(exc).startswith("no case") else EXIT_USAGE)


def withdraw_command(
    ref: RefArg,
    reason: ReasonOpt,
    by: ByOpt,
    when: DateOpt = None,
    reinstate_: Annotated[bool, typer.Option(
        "--reinstate", help="Withdraw the withdrawal instead: the record counts again.")
    ] = False,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
) -> None:
    """Withdraw a record entered in error: it stays in its file, marked withdrawn with the
    date, who and why, and no longer counts for stages, due reviews, reports or exports.

    A withdrawn record cannot be withdrawn again; --reinstate withdraws the withdrawal, with
    its own reason. Prints the record's reference.

    Example: prelude withdraw cases/OP-7FM7H9/contacts/2026-02-19-swgk.yaml \\
      --reason "Recorded on the wrong case" --by "PC 4471 Hart"
    """
    book, today = open_book(casebook, as_of)
    target = _ref(book, ref)
    signed = Signed(day(when, "--date", today), by, reason)
    with recording(book, target.case_id, dry_run=dry_run):
        draft = (reinstate if reinstate_ else withdraw)(book, target, signed)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run)


def _pair(text: str) -> tuple[str, str]:
    name, eq, value = text.partition("=")
    if not eq or not name.strip():
        raise typer.BadParameter(f"{text!r} is not FIELD=VALUE", param_hint="--set")
    return name.strip(), value.strip()


def amend_command(
    ref: RefArg,
    set_: Annotated[list[str], typer.Option(
        "--set", metavar="FIELD=VALUE", help="A field and its new value (lists comma-separated; "
        "nested fields with dots; empty to remove). Repeatable.", show_default=False)],
    reason: ReasonOpt,
    by: ByOpt,
    when: DateOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    allow_duplicate: AllowDuplicateOpt = False,
) -> None:
    """Change fields of one record, checked like any recording, and note on the record who
    changed which fields, when and why (its `amendments`). The old values stay in git
    history, not in the document; `prelude history` shows them. Prints the reference.

    Example: prelude amend cases/OP-7FM7H9/contacts/2026-02-19-swgk.yaml \\
      --set outcome=undecided --reason "Outcome mistyped" --by "T. Mensah"
    """
    book, today = open_book(casebook, as_of)
    target = _ref(book, ref)
    sets = [_pair(s) for s in set_]
    signed = Signed(day(when, "--date", today), by, reason)
    with recording(book, target.case_id, dry_run=dry_run):
        draft = amend(book, target, sets, signed)
        commit(book, draft, today, reviewed=reviewed, dry_run=dry_run,
               allow_duplicate=allow_duplicate)
