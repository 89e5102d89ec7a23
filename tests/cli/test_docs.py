"""Docs stay true to the code: every command has an example in its help and is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from prelude_cli.checks import RULES
from prelude_cli.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[tuple[str, object]]:
    """Every command and command group as ('case new', command); the root is left out."""
    out: list[tuple[str, object]] = []

    def walk(cmd: object, prefix: str) -> None:
        if prefix:
            out.append((prefix, cmd))
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, f"{prefix} {name}".strip())

    walk(typer.main.get_command(app), "")
    return sorted(out, key=lambda x: x[0])


def _docs_text() -> str:
    parts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(parts)


COMMANDS = _commands()


def test_there_are_commands() -> None:
    assert {"validate", "due-reviews"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_command_help_has_an_example(name: str) -> None:
    cmd = dict(COMMANDS)[name]
    assert "Example:" in (cmd.help or ""), f"prelude {name} --help has no example"  # type: ignore[attr-defined]
    assert f"prelude {name}" in cmd.help  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_command_is_documented(name: str) -> None:
    assert f"prelude {name}" in _docs_text(), f"prelude {name} is not in README.md or docs/"


def test_every_rule_id_is_documented() -> None:
    text = (ROOT / "docs" / "validate.md").read_text(encoding="utf-8")
    for rule_id in RULES:
        assert f"`{rule_id}`" in text, rule_id


def test_command_reference_is_current() -> None:
    """docs/commands.md lists every command and option; regenerate it when they change:
    python -m prelude_cli.cli.reference > docs/commands.md"""
    from prelude_cli.cli.reference import reference_markdown

    current = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert current == reference_markdown(), "docs/commands.md is out of date"


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_option_is_documented(name: str) -> None:
    cmd = dict(COMMANDS)[name]
    text = _docs_text()
    for param in cmd.params:  # type: ignore[attr-defined]
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in text, f"prelude {name} {opt} is not documented"
