"""What the browser's pages read: the same read path as the command line, remembered while
the casebook is unchanged.

Every page opens the casebook afresh (its settings are two small files) and reads cases
through `engine` and its cache, exactly as `due-reviews`, `case list` and `report programme`
do. While the watcher (`watch`) sees no change on disk, the last result of each read is kept
in memory, so a warm page does not stat every file of a large casebook again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ..book.casebook import Casebook, open_casebook
from ..due.duelist import due_list
from ..due.reviews import DueFilter, DueReport
from ..files.transaction import recover
from ..privacy import identities
from ..read import caseview
from ..read.engine import default_jobs, summaries
from ..read.selection import CaseFilter
from ..reports.figures import Period
from ..reports.programme import ProgrammeReport, build_programme_report
from .watch import Watcher

T = TypeVar("T")


class Reader:
    """One served casebook: its root, the as-of date (fixed, or today), and a memo of reads
    keyed by what they were read for and the watcher's generation."""

    def __init__(self, root: Path, *, as_of: date | None = None, jobs: int | None = None,
                 watch: bool = True) -> None:
        self.root = root
        self.fixed_as_of = as_of
        self.jobs = jobs or default_jobs()
        self.watcher = Watcher(root)
        if watch:
            self.watcher.start()
        self._memo: dict[tuple[Any, ...], tuple[int, Any]] = {}
        self._lock = threading.Lock()

    def as_of(self) -> date:
        return self.fixed_as_of or date.today()

    def book(self, *, for_writing: bool = False) -> Casebook:
        """The casebook as it is now. For writing, an interrupted record is completed or
        rolled back first, and the identity register is read so that a record naming its
        person is refused, as on the command line (its names are never shown)."""
        if for_writing:
            recover(self.root)
        book = open_casebook(self.root)
        if for_writing:
            identities.read_into(book)
        return book

    def changed(self) -> None:
        """This process wrote to the casebook: forget what was read."""
        self.watcher.bump()

    def remembered(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """`make()`, or its last result while the watcher has seen no change since."""
        generation = self.watcher.generation
        if not self.watcher.live:  # changes could go unseen: read every time
            return make()
        with self._lock:
            hit = self._memo.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            self._memo = {k: v for k, v in self._memo.items() if v[0] == generation}
            self._memo[key] = (generation, value)
        return value

    def summaries(self, book: Casebook, as_of: date) -> list[Any]:
        return self.remembered(("summaries", as_of), lambda: summaries(
            book, as_of=as_of, jobs=self.jobs, view=True))

    def due(self, book: Casebook, as_of: date, within_days: int, where: DueFilter,
            select: CaseFilter) -> tuple[DueReport, list[Any]]:
        """The due list, as `due-reviews` makes it, and the cases it was made from."""
        cases = self.summaries(book, as_of)
        return due_list(cases, as_of, within_days, where, select), cases

    def case_rows(self, book: Casebook, as_of: date) -> list[dict[str, Any]]:
        return self.remembered(("case-list", as_of), lambda: caseview.list_rows(
            book, as_of, jobs=self.jobs))

    def programme(self, book: Casebook, as_of: date, period: Period | None = None
                  ) -> ProgrammeReport:
        period = period or Period()
        return self.remembered(("programme", as_of, period.start, period.end),
                               lambda: build_programme_report(book, as_of, period,
                                                              jobs=self.jobs))

    def close(self) -> None:
        self.watcher.stop()
