"""Rows and programme facts built by worker processes are those built in one process, in order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import write_casebook
from export_books import FIGURES_BOOK

from prelude_cli.book.casebook import open_casebook
from prelude_cli.export import export_casebook
from prelude_cli.read import engine


def test_workers_give_the_same_export_as_one_process(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    book = open_casebook(write_casebook(tmp_path / "book", FIGURES_BOOK))
    as_of = date(2026, 11, 26)
    export_casebook(book, tmp_path / "one", fmt="jsonl", as_of=as_of, include_text=True)
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(engine, "CHUNK", 2)
    seen: list[tuple[int, int]] = []
    export_casebook(book, tmp_path / "two", fmt="jsonl", as_of=as_of, include_text=True,
                    jobs=2, progress=lambda done, total: seen.append((done, total)))
    for one in sorted((tmp_path / "one").iterdir()):
        assert one.read_bytes() == (tmp_path / "two" / one.name).read_bytes(), one.name
    assert seen[-1] == (6, 6) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_workers_give_the_same_programme_report_as_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prelude_cli.privacy.sharing import PARTNER
    from prelude_cli.reports.figures import Period
    from prelude_cli.reports.programme import build_programme_report

    book = open_casebook(write_casebook(tmp_path / "book", FIGURES_BOOK))
    as_of = date(2026, 11, 26)
    for period, audience in ((Period(), "internal"), (Period(date(2026, 2, 1)), PARTNER)):
        one = build_programme_report(book, as_of, period, audience)
        monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 1)
        monkeypatch.setattr(engine, "CHUNK", 2)
        two = build_programme_report(book, as_of, period, audience, jobs=2)
        monkeypatch.undo()
        assert two == one
        assert one.cases_read == 6 and one.figures
