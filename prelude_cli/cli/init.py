"""`prelude init`: a new casebook, documented and ready to commit."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..book.casebook import CASEBOOK_FILE
from ..tools.init import InitError, add_ci, create_casebook, create_sample
from ..tools.integrations import CI_SYSTEMS
from .output import out
from .recording import EXIT_USAGE, fail

CiChoice = StrEnum("CiChoice", {v: v for v in (*CI_SYSTEMS, "none")})  # type: ignore[misc]


def init_command(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", help="Where to create the casebook (created if missing).")] = Path("."),
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run git init.")] = False,
    ci: Annotated[CiChoice | None, typer.Option(  # type: ignore[valid-type]
        "--ci", help="CI workflow to write: github (default for a new casebook), gitlab or "
        "none. Given for an existing casebook, adds just the workflow.",
        show_default=False)] = None,
    sample: Annotated[bool, typer.Option(
        "--sample", help="Write the fictional sample casebook (cases at every stage) instead of an "
        "empty one, to try every command on.")] = False,
) -> None:
    """Create a new casebook, ready to validate and commit.

    Writes casebook.yaml with every setting explained, example providers, cases/, a README
    for the team, git ignore and attribute files, and runs git init (unless already inside a
    git work tree). A folder that already holds casebook.yaml is refused (exit 2); files
    already in the folder are kept.

    It also copies the JSON Schemas into schemas/ and maps them in .vscode/settings.json, so
    VS Code's YAML extension checks documents as they are typed, and writes a CI workflow
    that validates every push and lists overdue reviews on weekday mornings (docs/ci.md).

    With --sample, the casebook is the fictional sample that ships with prelude (no CI
    workflow unless --ci is given): prelude init --sample try-prelude, then
    prelude due-reviews -C try-prelude.

    Example: prelude init north-division-casebook --ci gitlab
    """
    system = ci.value if ci else None
    try:
        if sample:
            result = create_sample(folder, git=not no_git,
                                   ci=None if system in (None, "none") else system)
        elif system not in (None, "none") and (folder / CASEBOOK_FILE).exists():
            result = add_ci(folder, system)
        else:
            result = create_casebook(folder, git=not no_git,
                                     ci=None if system == "none" else (system or "github"))
    except InitError as exc:
        fail(str(exc), EXIT_USAGE)
    if sample:  # one line, not one per document of the sample
        out(f"created {len(result.created)} files: the sample casebook, its schemas/ and "
            "editor settings")
    else:
        for rel in result.created:
            out(f"created {rel}")
    for rel in result.updated:
        out(f"added missing lines to {rel}")
    for rel in result.kept:
        out(f"kept existing {rel}")
    out(result.git)
    if sample:
        out(f"sample casebook ready in {result.root}; try: prelude due-reviews -C {folder}")
    else:
        out(f"casebook ready in {result.root}; check it with: prelude validate -C {folder}")
