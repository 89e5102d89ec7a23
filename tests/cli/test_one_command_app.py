"""A run builds only the command it runs; it must behave exactly as the full application."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from prelude_cli.cli.main import COMMANDS, build_app, command_named

runner = CliRunner()


def words(output: str) -> str:
    """Help text without its layout: the same words in the same order, however wide the
    console that drew the boxes."""
    return re.sub(r"[\s│╭╮╰╯─]+", " ", output).strip()


def _subcommands(name: str) -> list[list[str]]:
    """The command line of every command under `name`, `name` itself included."""
    group = typer.main.get_command(build_app(name)).commands[name]  # type: ignore[attr-defined]
    lines = [[name]]
    for sub, cmd in getattr(group, "commands", {}).items():
        lines.append([name, sub])
        lines += [[name, sub, leaf] for leaf in getattr(cmd, "commands", {})]
    return lines


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_is_the_same_from_the_one_command_app(name: str) -> None:
    full = build_app()
    for line in _subcommands(name):
        alone = runner.invoke(build_app(name), [*line, "--help"], prog_name="prelude")
        whole = runner.invoke(full, [*line, "--help"], prog_name="prelude")
        assert alone.exit_code == whole.exit_code == 0, (line, alone.exception,
                                                         whole.exception)
        assert words(alone.output) == words(whole.output), line


def test_a_usage_error_is_the_same_from_the_one_command_app() -> None:
    args = ["due-reviews", "--format", "nope"]
    alone = runner.invoke(build_app("due-reviews"), args, prog_name="prelude")
    whole = runner.invoke(build_app(), args, prog_name="prelude")
    assert alone.exit_code == whole.exit_code == 2
    assert words(alone.output) == words(whole.output)


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", "-C", "x"], "validate"),
    (["--debug", "case", "show", "OP-1"], "case"),
    (["--help"], None),  # the full list of commands
    (["--version"], None),
    (["--debug", "--help", "validate"], None),
    (["validat"], None),  # unknown: the full app says so, with the usual message
    ([], None),
])
def test_the_command_run_is_found_only_when_unambiguous(args: list[str],
                                                        expected: str | None) -> None:
    assert command_named(args) == expected
