"""`prelude validate`: the whole casebook, or some of its files, in the context of their case."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..checks.validation import validate
from ..reporters import REPORTERS, GithubReporter
from .options import AsOfOpt, CasebookOpt, JobsOpt, NoCacheOpt, UsageError, as_of_date, load_book
from .output import out, progress

ValidateFormat = StrEnum("ValidateFormat", {name: name for name in REPORTERS})  # type: ignore[misc]


def validate_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders to check (default: the whole casebook). Each is checked in the "
             "context of its case.", show_default=False)] = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[ValidateFormat | None, typer.Option(  # noqa: A002
        "--format", "-f", help="Output format: text (default), json, github (workflow "
        "annotations; the default under GitHub Actions) or junit (XML for GitLab and Azure "
        "DevOps test reports).", show_default=False)] = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Check every document: YAML, schema and cross-document rules.

    Prints `path:line:col: severity rule message` for each problem, then a summary.
    Exit 0 when there are no errors (warnings allowed), 1 when there are errors.

    Example: prelude validate -C sample_casebook --as-of 2026-11-26
    """
    book = load_book(casebook)
    only = None
    if paths:
        only = [_relative(book.root, p) for p in paths]
    with progress("Validating") as bar:
        result = validate(book, as_of=as_of_date(as_of), only=only, use_cache=not no_cache,
                          jobs=jobs, progress=bar)
    name = format.value if format else ("github" if os.environ.get("GITHUB_ACTIONS") == "true"
                                        else "text")
    reporter = GithubReporter(_repo_prefix(book.root)) if name == "github" else REPORTERS[name]()
    out(reporter.render(result))
    raise typer.Exit(0 if result.valid else 1)


def _relative(root: Path, path: Path) -> str:
    """A user's path as a casebook-relative posix path, refusing paths outside the casebook."""
    full = (Path.cwd() / path).resolve() if not path.is_absolute() else path.resolve()
    try:
        rel = full.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the casebook at {root} (paths are taken from "
                         "the current folder)") from None
    if not os.path.lexists(full):  # a mistyped path must never pass as "ok"
        raise UsageError(f"{path}: no such file or folder in the casebook")
    return rel


def _repo_prefix(root: Path) -> str:
    """The casebook's folder relative to the checkout, for annotation paths."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        return root.resolve().relative_to(Path(workspace).resolve()).as_posix().strip(".")
    except ValueError:
        return ""
