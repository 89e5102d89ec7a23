"""Where output goes: plain text to stdout for machines, rich only for people."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from rich.console import Console

from ..book.textsafe import one_line


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


@cache
def console() -> Console:
    """Rich console on stdout, created on first use (never at import)."""
    return Console(no_color=_no_color(), highlight=False, emoji=False, markup=False)


@cache
def err_console() -> Console:
    return Console(stderr=True, no_color=_no_color(), highlight=False, emoji=False,
                   markup=False)


def out(text: str = "") -> None:
    """Plain text to stdout, as written: for machine formats and simple lines."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def err(text: str) -> None:
    """A message for people on stderr, one line; paths in it may hold anything (a line
    break too), so made safe to print and impossible to split into lines that look like ours."""
    sys.stderr.write(one_line(text.removesuffix("\n")) + "\n")


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long runs at a terminal; nothing when piped or in CI."""
    if not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    # The console reads no markup (document text must never become markup), so the label is
    # styled by the column, not by a markup tag in its template.
    label_column = TextColumn("{task.description}", style="progress.description", markup=False)
    bar = Progress(label_column, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err_console(), transient=True)
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update
