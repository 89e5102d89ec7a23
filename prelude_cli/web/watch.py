"""Knowing when the casebook changed on disk, so that `prelude serve` re-reads only then.

A background thread waits on the operating system's file events (watchfiles: inotify,
FSEvents, ReadDirectoryChangesW) and counts the changes to the casebook's documents and
settings; the prelude cache, locks and git's own folder are not the casebook's content and
are ignored. While nothing changed, a page answers from what was read last; when the
watcher cannot run (too many folders for the system's limit, say), `live` is false and
every page reads through the cache, as the command line does.
"""

from __future__ import annotations

import threading
from pathlib import Path

IGNORED = (".git", ".prelude-cache")


class Watcher:
    """`generation` grows with every batch of changes seen; `live` says whether it can be
    trusted (the thread is running)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.generation = 0
        self.live = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def relevant(self, _change: object, path: str) -> bool:
        """A change to a document or setting of the casebook (not the cache, not git)."""
        try:
            parts = Path(path).relative_to(self.root).parts
        except ValueError:
            return False
        return bool(parts) and parts[0] not in IGNORED

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="prelude-watch", daemon=True)
        self._thread.start()

    def bump(self) -> None:
        """A change made by this process (a form's write): seen at once, not when the event
        arrives."""
        self.generation += 1

    def _run(self) -> None:
        try:
            from watchfiles import watch

            # The first (empty) yield comes once the watches are in place: only then is a
            # page read earlier known to be current while no change is counted.
            for changes in watch(self.root, watch_filter=self.relevant, stop_event=self._stop,
                                 debounce=50, step=20, rust_timeout=1000,
                                 yield_on_timeout=True, raise_interrupt=False):
                if changes:
                    self.generation += 1
                self.live = True
        except Exception:  # no watching (limits, platform): every read goes through the cache
            pass
        finally:
            self.live = False
            self.generation += 1

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
