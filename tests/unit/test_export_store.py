"""The export's row store: a warm export equals a cold one, an edit or a removed case is seen,
and a store that is damaged, planted, linked, busy or failing costs time, never a wrong row."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import write_casebook
from export_books import FIGURES_BOOK
from filelock import FileLock

from prelude_cli.book.casebook import open_casebook
from prelude_cli.export import export_casebook
from prelude_cli.export import store as store_module
from prelude_cli.export.store import LOCK_FILE, STORE_FILE, RowStore
from prelude_cli.read.selection import CaseFilter

AS_OF = date(2026, 11, 26)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "book", FIGURES_BOOK)


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def export(root: Path, out: Path, fmt: str = "sqlite", **kw: object) -> object:
    """What the export holds, in a form to compare (an XLSX is a zip with times in it)."""
    out = out.with_name(out.name + ".xlsx") if fmt == "xlsx" else out
    export_casebook(open_casebook(root), out, fmt=fmt, as_of=AS_OF, force=True, **kw)
    if fmt == "sqlite":
        return dump(out)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out, read_only=True)
        return [[list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book]
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def store_path(root: Path) -> Path:
    return root / ".prelude-cache" / STORE_FILE


def kept_cases(root: Path) -> list[str]:
    db = sqlite3.connect(store_path(root))
    try:
        return [c for (c,) in db.execute("SELECT case_id FROM entries ORDER BY case_id")]
    finally:
        db.close()


@pytest.mark.parametrize("fmt", ["sqlite", "csv", "jsonl", "xlsx"])
def test_warm_equals_cold_in_every_format(root: Path, tmp_path: Path, fmt: str) -> None:
    cold = export(root, tmp_path / "cold", fmt, use_cache=False)
    assert not store_path(root).exists()
    first = export(root, tmp_path / "first", fmt)
    assert store_path(root).is_file() and len(kept_cases(root)) == 6
    warm = export(root, tmp_path / "warm", fmt)
    assert first == cold and warm == cold


def test_only_changed_cases_are_read_again(root: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    export(root, tmp_path / "a")
    contact = root / "cases/OP-3CCCCC/contacts/2026-04-05-j9k1.yaml"
    contact.write_text(contact.read_text().replace("2026-04-05", "2026-04-06"))
    read: list[str] = []
    real = store_module.RowStore.put

    def counting(self: RowStore, case_id: str, *args: object) -> None:
        read.append(case_id)
        real(self, case_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.RowStore, "put", counting)
    warm = export(root, tmp_path / "b")
    assert read == ["OP-3CCCCC"]
    assert warm == export(root, tmp_path / "c", use_cache=False)
    assert any("2026-04-06" in line for line in warm)


def test_a_removed_case_is_forgotten(root: Path, tmp_path: Path) -> None:
    export(root, tmp_path / "a")
    shutil.rmtree(root / "cases" / "OP-4DDDDD")
    warm = export(root, tmp_path / "b")
    assert "OP-4DDDDD" not in kept_cases(root)
    assert not any("OP-4DDDDD" in line for line in warm)
    assert warm == export(root, tmp_path / "c", use_cache=False)


def test_a_selection_keeps_export_order_and_the_store_keeps_the_rest(root: Path,
                                                                     tmp_path: Path) -> None:
    export(root, tmp_path / "all")
    select = CaseFilter(cases=("OP-5EEEEE", "OP-1AAAAA"))
    warm = export(root, tmp_path / "some", select=select)
    assert warm == export(root, tmp_path / "cold", select=select, use_cache=False)
    assert len(kept_cases(root)) == 6


def test_a_different_export_starts_the_store_again(root: Path, tmp_path: Path) -> None:
    export(root, tmp_path / "a")
    with_text = export(root, tmp_path / "b", include_text=True)
    assert with_text == export(root, tmp_path / "c", include_text=True, use_cache=False)
    assert export(root, tmp_path / "d") == export(root, tmp_path / "e", use_cache=False)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "view", "trigger", "other-key"])
def test_a_damaged_or_planted_store_is_started_again(root: Path, tmp_path: Path,
                                                     damage: str) -> None:
    cold = export(root, tmp_path / "cold", use_cache=False)
    export(root, tmp_path / "a")
    path = store_path(root)
    if damage == "garbage":
        path.write_bytes(b"not a database at all\n" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:3000])
    else:
        db = sqlite3.connect(path)
        if damage == "view":  # a view answering for a table would change every row
            db.execute('CREATE VIEW v_cases AS SELECT 1')
        elif damage == "trigger":
            db.execute('CREATE TRIGGER t AFTER DELETE ON entries BEGIN SELECT 1; END')
        else:
            db.execute("UPDATE meta SET key = 'another'")
        db.commit()
        db.close()
    assert export(root, tmp_path / "b") == cold
    assert export(root, tmp_path / "c") == cold
    db = sqlite3.connect(path)
    kinds = {t for (t,) in db.execute("SELECT type FROM sqlite_master")}
    db.close()
    assert kinds == {"table"}


def test_a_link_in_place_of_the_store_is_never_followed(root: Path, tmp_path: Path) -> None:
    cold = export(root, tmp_path / "cold", use_cache=False)
    (root / ".prelude-cache").mkdir(exist_ok=True)
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"precious")
    store_path(root).symlink_to(target)
    assert export(root, tmp_path / "a") == cold
    assert target.read_bytes() == b"precious"
    assert not store_path(root).is_symlink()


def test_a_fifo_or_folder_in_place_of_the_store_is_no_hang(root: Path, tmp_path: Path) -> None:
    cold = export(root, tmp_path / "cold", use_cache=False)
    (root / ".prelude-cache").mkdir(exist_ok=True)
    os.mkfifo(str(store_path(root)) + "-journal")
    assert export(root, tmp_path / "a") == cold
    shutil.rmtree(root / ".prelude-cache")
    store_path(root).mkdir(parents=True)
    assert export(root, tmp_path / "b") == cold
    assert store_path(root).is_dir()


def test_a_busy_store_means_reading_afresh(root: Path, tmp_path: Path) -> None:
    """A second export meanwhile neither waits nor touches the store the first is using."""
    cold = export(root, tmp_path / "cold", use_cache=False)
    (root / ".prelude-cache").mkdir(exist_ok=True)
    lock = FileLock(root / ".prelude-cache" / LOCK_FILE)
    with lock:
        assert export(root, tmp_path / "a") == cold
        assert not store_path(root).exists()
    assert export(root, tmp_path / "b") == cold
    assert store_path(root).is_file()


def test_a_store_failing_midway_means_reading_afresh(root: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cold = export(root, tmp_path / "cold", use_cache=False)
    calls = 0
    real = store_module.RowStore.put

    def full(self: RowStore, *args: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise sqlite3.OperationalError("database or disk is full")
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.RowStore, "put", full)
    assert export(root, tmp_path / "a") == cold
    monkeypatch.undo()
    assert kept_cases(root) == []  # the failed update was rolled back whole
    assert export(root, tmp_path / "b") == cold


def test_nothing_but_the_store_is_written_in_the_cache(root: Path, tmp_path: Path) -> None:
    export(root, tmp_path / "a")
    names = {p.name for p in (root / ".prelude-cache").iterdir()}
    assert names == {".gitignore", STORE_FILE, LOCK_FILE}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_store_is_readable_by_its_owner_alone(root: Path, tmp_path: Path) -> None:
    """It may hold free text (an export with --include-text)."""
    export(root, tmp_path / "a", include_text=True)
    assert store_path(root).stat().st_mode & 0o777 == 0o600
