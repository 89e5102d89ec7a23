"""docs/commands.md, the command reference, made from the commands themselves.

Regenerate it after changing a command or option (a test fails until you do):

    python -m prelude_cli.cli.reference > docs/commands.md
"""

from __future__ import annotations

import inspect
from typing import Any

import typer

HEADER = """\
# Command reference

Every command and option, generated from the commands themselves
(`python -m prelude_cli.cli.reference > docs/commands.md`; a test checks it is current).
The guides are in [README.md](../README.md), [validate](validate.md),
[due-reviews](due-reviews.md), [stages](stages.md), [format](format.md) and [CI](ci.md).
"""


def _walk(cmd: Any, path: str) -> list[tuple[str, Any]]:
    out = [(path, cmd)] if path else []
    for name in sorted(getattr(cmd, "commands", {}) or {}):
        out += _walk(cmd.commands[name], f"{path} {name}".strip())
    return out


def _cell(text: str) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _param_row(param: Any, ctx: typer.Context) -> str | None:
    if getattr(param, "hidden", False) or param.name == "help":
        return None
    if param.param_type_name == "argument":
        name = f"`{(param.metavar or param.name).upper()}`"
        kind = "argument" + ("" if param.required else ", optional")
        return f"| {name} | {kind} | {_cell(getattr(param, 'help', '') or '')} |"
    record = param.get_help_record(ctx)
    if record is None:
        return None
    names, help_text = record
    kind = "flag" if getattr(param, "is_flag", False) else "option"
    if getattr(param, "multiple", False):
        kind += ", repeatable"
    return f"| `{_cell(names)}` | {kind} | {_cell(help_text)} |"


def reference_markdown() -> str:
    from .main import app

    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, cmd in _walk(root, ""):
        parts.append(f"\n## `prelude {path}`\n\n")
        parts.append(inspect.cleandoc(cmd.help or "") + "\n")
        ctx = typer.Context(cmd, info_name=f"prelude {path}")
        rows = [r for r in (_param_row(p, ctx) for p in cmd.params) if r]
        if rows and not getattr(cmd, "commands", None):
            parts.append("\n| name | kind | meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n")
        elif getattr(cmd, "commands", None):
            subs = ", ".join(f"`{n}`" for n in sorted(cmd.commands))
            parts.append(f"\nCommands: {subs}.\n")
    root_ctx = typer.Context(root, info_name="prelude")
    globals_ = [r for r in (_param_row(p, root_ctx) for p in root.params) if r]
    parts.append("\n## Global options\n\nGiven before the command, as in "
                 "`prelude --debug validate`.\n\n| name | kind | meaning |\n|---|---|---|\n"
                 + "\n".join(globals_) + "\n")
    return "".join(parts)


if __name__ == "__main__":
    print(reference_markdown(), end="")
