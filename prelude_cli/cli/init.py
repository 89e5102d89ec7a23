"""`prelude init`: a new casebook, documented and ready to commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..init import InitError, create_casebook
from .output import out
from .recording import EXIT_USAGE, fail


def init_command(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", help="Where to create the casebook (created if missing).")] = Path("."),
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run git init.")] = False,
) -> None:
    """Create a new casebook, ready to validate and commit.

    Writes casebook.yaml with every setting explained, example providers, cases/, a README
    for the team, git ignore and attribute files, and runs git init (unless already inside a
    git work tree). A folder that already holds casebook.yaml is refused (exit 2); files
    already in the folder are kept.

    Example: prelude init north-division-casebook
    """
    try:
        result = create_casebook(folder, git=not no_git)
    except InitError as exc:
        fail(str(exc), EXIT_USAGE)
    for rel in result.created:
        out(f"created {rel}")
    for rel in result.updated:
        out(f"added missing lines to {rel}")
    for rel in result.kept:
        out(f"kept existing {rel}")
    out(result.git)
    out(f"casebook ready in {result.root}; check it with: prelude validate -C {folder}")
