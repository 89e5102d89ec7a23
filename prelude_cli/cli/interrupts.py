"""Ctrl-C once a write is committed (otherwise it is one line and exit 130: cli/main.py).

From the moment an export is about to be moved into place until the command has said what
it did, an interrupt is held: the command finishes, reports the file it wrote, and exits 0,
rather than printing "exported" and then returning 130 as if nothing had been done.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any


class FinishingUp:
    """Holds Ctrl-C between `start()` and `stop()`; `pressed` says whether it came."""

    def __init__(self) -> None:
        self.pressed = False
        self._previous: Any = None
        self._started = False

    def start(self) -> None:
        if self._started or threading.current_thread() is not threading.main_thread():
            return
        self._previous = signal.signal(signal.SIGINT, self._hold)
        self._started = True

    def stop(self) -> None:
        if self._started:
            signal.signal(signal.SIGINT, self._previous)
            self._started = False

    def _hold(self, signum: int, frame: FrameType | None) -> None:
        self.pressed = True
