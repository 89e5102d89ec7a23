"""Helpers for the recording tests: run the CLI, read a case's stage, fingerprint a casebook."""

from __future__ import annotations

import json
from pathlib import Path

import typer.testing
from typer.main import get_command
from typer.testing import CliRunner

from prelude_cli.cli.main import app

runner = CliRunner()

# Typer builds the click command from every command's signature on each invoke (~0.1 s);
# these tests invoke it hundreds of times, so build it once.
_BUILT = {}


def _built_once(typer_app):  # noqa: ANN001, ANN202
    # The app is kept with its command: were it freed, a new app could reuse its id and be
    # handed this one's command (the one-command app tests build many apps).
    if id(typer_app) not in _BUILT:
        _BUILT[id(typer_app)] = (typer_app, get_command(typer_app))
    return _BUILT[id(typer_app)][1]


if hasattr(typer.testing, "_get_command"):
    typer.testing._get_command = _built_once


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def ok(*args: str) -> str:
    """Run a command that must succeed; its stdout, stripped."""
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result.stdout.strip()


def stage(root: Path, case_id: str, as_of: str) -> str:
    view = json.loads(ok("case", "show", case_id, "-C", root, "--as-of", as_of, "-f", "json"))
    return view["stage"]


def assert_valid(root: Path, as_of: str) -> None:
    result = run("validate", "-C", root, "--as-of", as_of)
    assert result.exit_code == 0, result.output


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` and its bytes: git internals and prelude's cache (which holds
    the per-case locks) aside."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts and ".prelude-cache" not in p.parts}
