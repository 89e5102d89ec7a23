"""Help reads well at 80 and 120 columns: no type metavars, choices listed once and never
broken, one-line summaries, commands in panels in the programme's order, text reflowed."""

from __future__ import annotations

import functools
import re

import pytest
import typer
from typer.testing import CliRunner

from prelude_cli.cli.main import COMMANDS, PANELS, app

ROOT = typer.main.get_command(app)


def _paths() -> list[str]:
    out: list[str] = []

    def walk(cmd: object, prefix: str) -> None:
        out.append(prefix)
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, f"{prefix} {name}".strip())

    walk(ROOT, "")
    return out


PATHS = _paths()


def _command(path: str) -> object:
    cmd: object = ROOT
    for name in path.split():
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    return cmd


@functools.cache
def _help(path: str, width: int) -> str:
    result = CliRunner().invoke(app, [*path.split(), "--help"],
                                env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


FAULTS = re.compile(r"<(bool|str|int|float|path|list\[|int range|float range)|\{case_id\}"
                    r"|\[x[<>]=")


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", PATHS)
def test_help_has_no_type_metavars(path: str, width: int) -> None:
    text = _help(path, width)
    found = FAULTS.findall(text)
    assert not found, f"prelude {path} --help shows {found}"
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", PATHS)
def test_choices_are_listed_once_and_unbroken(path: str, width: int) -> None:
    text = _help(path, width)
    assert "|" not in re.sub(r"[│╭╮╰╯]", "", text), f"prelude {path}: a|b choice list"
    for param in _command(path).params:  # type: ignore[attr-defined]
        desc = getattr(param, "type_descriptor", None)
        for choice in (desc.choices or ()) if desc is not None and desc.is_choice else ():
            value = str(getattr(choice, "value", choice))
            words = re.findall(r"[\w-]+", re.sub(r"[│╭╮╰╯]", " ", text))
            # every choice appears whole somewhere (never cut across lines)
            assert value in words, f"prelude {path}: {value} not shown whole"


def _panel_rows(text: str) -> dict[str, list[str]]:
    panels: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        title = re.match(r"╭─ (.+?) ─", line)
        if title:
            current = title.group(1)
            panels[current] = []
        elif line.startswith("╰"):
            current = None
        elif current is not None and line.startswith("│"):
            panels[current].append(line.strip("│").rstrip())
    return panels


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", [p for p in PATHS if getattr(_command(p), "commands", None)])
def test_summaries_are_one_line(path: str, width: int) -> None:
    cmd = _command(path)
    names = set(cmd.commands)  # type: ignore[attr-defined]
    for panel, rows in _panel_rows(_help(path, width)).items():
        if panel in {"Options", "Arguments", "Filter cases"}:
            continue
        for row in rows:
            first = row.split()[0]
            assert first in names, f"prelude {path} --help: {panel} row wraps: {row!r}"


def test_commands_are_grouped_in_the_programmes_order() -> None:
    text = _help("", 120)
    titles = [t for t in re.findall(r"╭─ (.+?) ─", text) if t != "Options"]
    assert titles == list(PANELS)
    listed = [row.split()[0] for title, rows in _panel_rows(text).items()
              if title in PANELS for row in rows]
    assert listed == list(COMMANDS)
    assert set(listed) == set(ROOT.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", PATHS)
def test_text_is_reflowed_to_the_terminal(path: str, width: int) -> None:
    """Outside the panels, a line that is not a paragraph's last is filled: the next line's
    first word would not have fitted on it."""
    text = _help(path, width)
    body = text.split("╭", 1)[0].splitlines()
    paragraphs: list[list[str]] = [[]]
    for line in body:
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        else:
            paragraphs.append([])
    for para in paragraphs:
        if para and para[0].strip().startswith(("Example", "Usage")):
            assert all(len(line) <= width for line in para)
            continue
        for line, after in zip(para, para[1:], strict=False):
            gap = width - 1 - len(line)
            assert len(after.split()[0]) + 1 > gap, \
                f"prelude {path} --help at {width} columns is ragged: {line!r}"


@pytest.mark.parametrize("path", PATHS)
def test_example_lines_fit_an_80_column_terminal(path: str) -> None:
    """An example keeps its lines (a command continued with a backslash): each must fit."""
    help_text = _command(path).help or ""  # type: ignore[attr-defined]
    for para in help_text.split("\n\n"):
        if para.startswith("Example"):
            for line in para.splitlines():
                assert len(line) <= 78, f"prelude {path}: {line}"
