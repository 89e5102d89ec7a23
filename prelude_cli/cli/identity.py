"""`prelude identity set|show|remove`: the identity register, `identities.yaml`.

Names typed on a command line stay in the shell's history: `--from-file FILE` (or `-` for
stdin) reads the entry from YAML instead. `show` prints the entry only with --reveal.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..book.casebook import IDENTITIES_FILE, Casebook
from ..case.refs import no_case
from ..files.fsread import ReadRefused, read_regular, read_stream
from ..files.storage import StaleWrite
from ..files.yamlio import load_bytes
from ..privacy import identities
from ..privacy.identities import IdentityError
from .casetext import safe
from .options import CasebookOpt, case_id_value
from .output import console, err, out
from .recording import EXIT_USAGE, CaseArg, fail, open_book

identity_app = typer.Typer(no_args_is_help=True)
ShowFormat = StrEnum("ShowFormat", {"text": "text", "json": "json"})  # type: ignore[misc]
LABELS = {"name": "name", "other_names": "other names", "date_of_birth": "date of birth",
          "address": "address", "pnc_id": "PNC id", "police_references": "police references",
          "dashboard_id": "dashboard id", "notes": "notes"}


@identity_app.callback()
def identity_group() -> None:
    """The identity register (identities.yaml): names and identifiers, kept out of git.

    Example: prelude identity show OP-7FM7H9 --reveal
    """


def _book(casebook: Path | None, case_id: str) -> Casebook:
    book, _ = open_book(casebook, None)
    if case_id not in book.case_ids():
        fail(no_case(book.case_ids(), case_id))
    return book


@identity_app.command("set")
def set_command(
    case_id: CaseArg,
    name: Annotated[str | None, typer.Option("--name", help="The person's name.",
                                             show_default=False)] = None,
    other_names: Annotated[list[str] | None, typer.Option(
        "--other-name", help="Another name, nickname or alias. Repeatable.",
        show_default=False)] = None,
    dob: Annotated[str | None, typer.Option("--dob", metavar="DATE", help="Date of birth.",
                                            show_default=False)] = None,
    address: Annotated[str | None, typer.Option("--address", help="Address.",
                                                show_default=False)] = None,
    pnc: Annotated[str | None, typer.Option("--pnc", metavar="ID",
                                            help="PNC id, like 08/123456A.",
                                            show_default=False)] = None,
    police_refs: Annotated[list[str] | None, typer.Option(
        "--police-ref", help="Another police reference. Repeatable.", show_default=False)] = None,
    dashboard_id: Annotated[str | None, typer.Option(
        "--dashboard-id", metavar="ID", help="The person's id on the Serious Violence "
        "Dashboard (prelude intake matches extract rows by it).", show_default=False)] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anything else needed to "
                                              "identify the person.", show_default=False)] = None,
    from_file: Annotated[str | None, typer.Option(
        "--from-file", metavar="FILE", help="Read the entry's fields from a YAML mapping ('-' "
        "for stdin), so names stay out of the shell history.", show_default=False)] = None,
    casebook: CasebookOpt = None,
) -> None:
    """Add or update a case's entry: the fields given replace, the others are kept.

    Refused when git could commit the register (it must be ignored, or encrypted with
    git-crypt). Prints the register's path, never the entry.

    Example: prelude identity set OP-7FM7H9 --from-file - < person.yaml
    """
    book = _book(casebook, case_id)
    values: dict[str, Any] = (_from_file(from_file, book.settings.max_document_bytes)
                              if from_file else {})
    given = {"name": name, "other_names": other_names, "date_of_birth": dob,
             "address": address, "pnc_id": pnc, "police_references": police_refs,
             "dashboard_id": dashboard_id, "notes": notes}
    values.update({k: v for k, v in given.items() if v not in (None, [])})
    if not values:
        fail("give at least one field (--name, --dob, ...) or --from-file", EXIT_USAGE)
    problems = identities.git_problems(book.root, assume_present=True)
    if problems:
        fail(f"nothing written: {problems[0].message}")
    try:
        change = identities.set_entry(book.root, case_id, values)
        identities.write(book.root, change)
    except (IdentityError, StaleWrite) as exc:
        fail(str(exc))
    out(IDENTITIES_FILE)


def _from_file(source: str, max_bytes: int) -> dict[str, Any]:
    """The entry's fields from a file or stdin (`-`), read bounded and non-blocking."""
    try:
        raw = (read_stream(sys.stdin.buffer, max_bytes) if source == "-"
               else read_regular(Path(source), max_bytes))
    except ReadRefused as exc:
        fail(str(exc), EXIT_USAGE)
    except OSError as exc:
        fail(f"cannot read {source}: {exc.strerror}", EXIT_USAGE)
    loaded = load_bytes(raw, source)
    if not isinstance(loaded.data, dict):
        fail(f"{source} must hold one YAML mapping of the entry's fields", EXIT_USAGE)
    unknown = [k for k in loaded.data if k not in identities.FIELDS]
    if unknown:
        fail(f"{source}: unknown field(s) {', '.join(map(str, unknown))}; the fields are "
             f"{', '.join(identities.FIELDS)}", EXIT_USAGE)
    return loaded.data


@identity_app.command("show")
def show_command(
    case_id: CaseArg,
    reveal: Annotated[bool, typer.Option(
        "--reveal", help="Print the entry itself; without it, only whether there is one.")
    ] = False,
    format: Annotated[ShowFormat, typer.Option(  # type: ignore[valid-type] # noqa: A002
        "--format", "-f", help="text for people; json for tools.")
    ] = ShowFormat["text"],  # type: ignore[misc]
    casebook: CasebookOpt = None,
) -> None:
    """Whether a case has an entry in the register, and which fields it holds; the entry
    itself only with --reveal. Exit 1 when there is no entry (or no readable register).

    Example: prelude identity show OP-7FM7H9 --reveal
    """
    book = _book(casebook, case_id)
    register = identities.load_register(book.root)
    entry = register.entries.get(case_id) if register.present else None
    fields = [f for f in identities.FIELDS if entry and entry.get(f) not in (None, "", [])]
    if format.value == "json":
        out(json.dumps({"case": case_id, "register": register.state, "entry": entry is not None,
                        "fields": fields, **({"identity": entry} if reveal and entry else {})},
                       indent=2, ensure_ascii=False))
    elif entry is None:
        out(f"{case_id}: no entry" + ("" if register.present else
                                      f" ({IDENTITIES_FILE} is {register.state})"))
    elif not reveal:
        out(f"{case_id}: an entry holds {', '.join(LABELS[f] for f in fields)} "
            "(--reveal to show it)")
    else:
        grid = _grid(entry)
        console().print(grid)
    if entry is None:
        raise typer.Exit(1)


def _grid(entry: dict[str, Any]) -> Any:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    for f in identities.FIELDS:
        value = entry.get(f)
        if value not in (None, "", []):
            text = ", ".join(map(str, value)) if isinstance(value, list) else value
            grid.add_row(safe(LABELS[f]), safe(text))
    return grid


@identity_app.command("remove")
def remove_command(case_id: Annotated[str, typer.Argument(
        metavar="CASE", help="The case id, like OP-7K3M9Q (it need not exist any more).",
        show_default=False, callback=case_id_value)], casebook: CasebookOpt = None) -> None:
    """Delete a case's entry from the register, atomically. Exit 1 when there is none.

    Example: prelude identity remove OP-7FM7H9
    """
    book, _ = open_book(casebook, None)
    try:
        change = identities.remove_entry(book.root, case_id)
        if change is None:
            fail(f"the identity register has no entry for {case_id}")
        identities.write(book.root, change)
    except (IdentityError, StaleWrite) as exc:
        fail(str(exc))
    err(f"removed the entry for {case_id} from {IDENTITIES_FILE}")
