"""Where output goes: plain text to stdout for machines, rich only for people."""

from __future__ import annotations

import os
import sys
from functools import cache

from rich.console import Console


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
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
