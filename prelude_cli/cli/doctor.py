"""`prelude doctor` and `prelude schemas export`: is this installation and casebook in order?"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ..book.casebook import CasebookError, find_root, open_casebook
from ..book.textsafe import terminal
from ..tools import doctor
from ..tools.init import InitResult, add_editor_support
from .options import CasebookOpt, load_book
from .output import out

MARK = {doctor.OK: "ok  ", doctor.WARN: "warn", doctor.FAIL: "FAIL", doctor.INFO: "    "}


def doctor_command(
    casebook: CasebookOpt = None,
    format: Annotated[str, typer.Option(  # noqa: A002
        "--format", "-f", help="text or json.")] = "text",
) -> None:
    """Report Python, prelude and dependency versions, the distribution's name and where it was
    installed from, whether the fast parsers are active, whether git is present, and whether
    the casebook's settings and editor schemas are current.

    Exit 1 when something is broken (a warning alone exits 0).

    Example: prelude doctor -C sample_casebook
    """
    checks = doctor.environment()
    try:
        checks += doctor.casebook_checks(open_casebook(find_root(casebook)))
    except CasebookError as exc:
        checks.append(doctor.Check("casebook", doctor.INFO, str(exc)))
    if format == "json":
        out(json.dumps([asdict(c) for c in checks], indent=2))  # ASCII: escapes everything
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            out(terminal(f"{MARK[c.status]}  {c.name.ljust(width)}  {c.detail}"))
    raise typer.Exit(1 if any(c.status == doctor.FAIL for c in checks) else 0)


schemas_app = typer.Typer(no_args_is_help=True)


@schemas_app.callback()
def schemas_callback() -> None:
    """The JSON Schemas of the casebook format, for editors and other tools.

    Example: prelude schemas export -C sample_casebook
    """


@schemas_app.command("export")
def schemas_export(
    casebook: CasebookOpt = None,
    to: Annotated[Path | None, typer.Option(
        "--to", help="Folder to write to. Default: schemas/ in the casebook.",
        show_default=False)] = None,
) -> None:
    """Copy the installed schemas into the casebook's schemas/ folder (or --to) and map them to
    the casebook's files in .vscode/settings.json, so editors such as VS Code's YAML extension
    check documents as you type. Run it again after upgrading prelude (prelude doctor says
    when the copies are out of step).

    Example: prelude schemas export -C sample_casebook
    """
    if to is not None:
        written = doctor.export_schemas(to)
        out(terminal(f"{len(written)} schema(s) written to {to}" if written else
                     f"schemas in {to} already match this prelude"))
        return
    result = InitResult(load_book(casebook).root)
    add_editor_support(result)
    for rel in result.created + result.updated:
        out(terminal(f"wrote {rel}"))
    if not result.created and not result.updated:
        out("schemas and editor settings already match this prelude")
