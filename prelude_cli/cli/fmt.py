"""`prelude fmt`: canonical key order and style, comments kept; `--check` for CI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..book.textsafe import one_line
from ..tools.fmt import format_casebook
from .options import CasebookOpt, UsageError, load_book
from .output import err, out
from .recording import EXIT_USAGE, fail
from .validate import _relative


def fmt_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders to format (default: the whole casebook).",
        show_default=False)] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Change nothing; exit 1 listing the files that would change.")] = False,
    casebook: CasebookOpt = None,
) -> None:
    """Rewrite documents in canonical key order and style, fixing what it safely can.

    Comments and data are kept. Fixed: unquoted dates are quoted, a byte order mark is
    dropped, line ends become LF, entries without an id get one and casebook.yaml's format
    is brought up to date. Anything else (an unquoted date-time, a document that does not
    parse) is listed and left alone. Temporary files left by interrupted writes are removed.

    Exit 0 when done (or, with --check, when nothing would change); 1 when a document could
    not be parsed or formatted (it is left alone), or --check found work to do.

    Example: prelude fmt --check cases/OP-7FM7H9
    """
    try:
        book = load_book(casebook)
        only = [_relative(book.root, p) for p in paths] if paths else None
    except UsageError as exc:
        fail(str(exc), EXIT_USAGE)
    result = format_casebook(book, only, check=check)
    verb = "would reformat" if check else "reformatted"
    for relpath in result.changed:
        out(one_line(f"{verb} {relpath}"))
    for relpath in result.temps:
        out(one_line(f"{'would remove' if check else 'removed'} leftover temp file {relpath}"))
    for relpath, why in result.failed:
        err(f"prelude: left alone {relpath}: {why}")
    n = len(result.changed)
    done = "would be reformatted" if check else "reformatted"
    err(f"{n} file{'s' if n != 1 else ''} {done}, {result.checked - n - len(result.failed)} "
        f"already canonical, {len(result.failed)} left alone")
    raise typer.Exit(0 if result.clean(check) else 1)
