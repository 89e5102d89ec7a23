"""Each case's export rows, kept between runs in `.prelude-cache/export-rows.sqlite`.

Most of a warm export used to be rows going back into a program: ten thousand cases' rows
decoded from JSON, then bound value by value into SQLite. Kept in SQLite instead, a SQLite
export copies them table to table without a row passing through Python, and the other formats
read them back in order, a table at a time, in chunks (memory stays flat).

It is a cache like `read/cache.py`, never a record: an entry is reused only when its case
folder's signature and the as-of date are the same, and the whole store starts again empty
when its key (prelude, the schemas, the settings and the export's parameters) changes or when
anything in the file is not what prelude made (a damaged database, another layout, a view or a
trigger planted in it). One export uses it at a time, under a lock file beside it; an export
started meanwhile reads its cases without the cache rather than wait. SQLite's journal makes
each update all or nothing, and nothing in the file is ever executed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock, Timeout

from ..read.cache import cache_folder
from .sqlite import q, select_into
from .tables import Column

STORE_FILE = "export-rows.sqlite"
LOCK_FILE = "export-rows.lock"
STORE_VERSION = 1
CHUNK_ROWS = 5000
FILE_SUFFIXES = ("", "-journal", "-wal", "-shm")  # the store and SQLite's journal files
Values = tuple[Any, ...]
CaseRows = tuple[int, dict[str, list[Values]]]


def row_table(name: str) -> str:
    return q(f"r_{name}")


def schema(columns: dict[str, Sequence[Column]]) -> list[str]:
    """The store's tables: an entry per case, and per export table its rows keyed by case
    and position. Columns have no declared type, so every value comes back as it went in."""
    ddl = ["CREATE TABLE meta (version INTEGER NOT NULL, key TEXT NOT NULL)",
           "CREATE TABLE entries (case_id TEXT PRIMARY KEY, sig TEXT NOT NULL, "
           "as_of TEXT NOT NULL, skipped INTEGER NOT NULL) WITHOUT ROWID"]
    for name, cols in columns.items():
        body = ", ".join(["_case TEXT NOT NULL", "_seq INTEGER NOT NULL",
                          *(q(c.name) for c in cols), "PRIMARY KEY (_case, _seq)"])
        ddl.append(f"CREATE TABLE {row_table(name)} ({body}) WITHOUT ROWID")
    return ddl


def _master(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                      "ORDER BY type, name").fetchall()


def _expected_master(ddl: list[str]) -> list[tuple[Any, ...]]:
    """What `sqlite_master` holds after `ddl`, as SQLite itself writes it."""
    db = sqlite3.connect(":memory:")
    try:
        for sql in ddl:
            db.execute(sql)
        return _master(db)
    finally:
        db.close()


def _clear(folder: Path) -> None:
    """Remove the store and its journal files (the caller holds the lock)."""
    for suffix in FILE_SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / (STORE_FILE + suffix))


def _regular_or_absent(folder: Path) -> bool:
    """The store and its journals are regular files or absent: anything else (a link, a
    FIFO) is removed, and a folder in their place means no store at all."""
    for suffix in FILE_SUFFIXES:
        path = folder / (STORE_FILE + suffix)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(mode):
            return False
        if not stat.S_ISREG(mode):
            os.unlink(path)
    return True


def drop(root: Path, timeout: float = 10.0) -> bool:
    """Remove the store (after a disposal: no copy of the case's rows may stay), under its
    lock so that an export using it is never left with a journal at a reused name. False
    when it could not be removed now; the next export forgets the case all the same."""
    folder = cache_folder(root)
    if folder is None or not (folder / STORE_FILE).exists():
        return True
    lock = FileLock(folder / LOCK_FILE)
    try:
        lock.acquire(timeout=timeout)
    except (Timeout, OSError):
        return False
    try:
        _clear(folder)
    except OSError:
        return False
    finally:
        lock.release()
    return True


def _create_private(path: Path) -> None:
    """A new store is readable by its owner alone (it may hold free text), and SQLite gives
    its journal the same permissions; an existing file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except FileExistsError:
        return
    os.close(fd)


class RowStore:
    """The kept rows of one kind of export (its key), open under the store's lock."""

    def __init__(self, path: Path, db: sqlite3.Connection, lock: FileLock,
                 columns: dict[str, Sequence[Column]]) -> None:
        self.path, self.db, self.lock = path, db, lock
        self.columns = {name: tuple(c.name for c in cols) for name, cols in columns.items()}
        self.booleans = {name: [i for i, c in enumerate(cols) if c.type == "boolean"]
                         for name, cols in columns.items()}
        self.kept: dict[str, tuple[str, str]] = {}
        self.inserts = {name: f"INSERT INTO {row_table(name)} VALUES "
                              f"({', '.join('?' for _ in range(len(cols) + 2))})"
                        for name, cols in self.columns.items()}
        self.case_ids: list[str] = []

    @classmethod
    def open(cls, root: Path, key: str, columns: dict[str, Sequence[Column]]
             ) -> RowStore | None:
        """The store for `key`, emptied if it was made for another key or is not as prelude
        made it; None when there can be none now (no usable cache folder, a read-only disk,
        or another export using it)."""
        folder = cache_folder(root, create=True)
        if folder is None or (folder / LOCK_FILE).is_symlink():
            return None
        lock = FileLock(folder / LOCK_FILE)
        try:
            lock.acquire(timeout=0)
        except (Timeout, OSError):
            return None
        try:
            db = cls._connect(folder, key, columns)
        except (sqlite3.Error, OSError):
            db = None
        if db is None:
            lock.release()
            return None
        return cls(folder / STORE_FILE, db, lock, columns)

    @staticmethod
    def _connect(folder: Path, key: str, columns: dict[str, Sequence[Column]]
                 ) -> sqlite3.Connection | None:
        if not _regular_or_absent(folder):
            return None
        ddl = schema(columns)
        for attempt in (1, 2):
            _create_private(folder / STORE_FILE)
            db = sqlite3.connect(folder / STORE_FILE, isolation_level=None)
            try:
                db.execute("PRAGMA trusted_schema = OFF")
                db.execute("PRAGMA secure_delete = ON")  # a forgotten case's rows are zeroed
                if _master(db) == _expected_master(ddl) and db.execute(
                        "SELECT version, key FROM meta").fetchall() == [(STORE_VERSION, key)]:
                    return db
                if not _master(db):  # a new, empty file
                    db.execute("BEGIN")
                    for sql in ddl:
                        db.execute(sql)
                    db.execute("INSERT INTO meta VALUES (?, ?)", (STORE_VERSION, key))
                    db.execute("COMMIT")
                    return db
            except sqlite3.DatabaseError:
                pass
            db.close()
            if attempt == 1:
                _clear(folder)  # another key, another layout, or damaged: start again
        return None

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        self.lock.release()

    def __enter__(self) -> RowStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what refresh asks of a store (read.engine.Store) ---------------------------------
    def load(self) -> None:
        self.kept = {case_id: (sig, as_of) for case_id, sig, as_of
                     in self.db.execute("SELECT case_id, sig, as_of FROM entries")}
        self.db.execute("BEGIN IMMEDIATE")

    def reusable(self, case_id: str, signature: str, as_of: str) -> bool:
        return self.kept.get(case_id) == (signature, as_of)

    def put(self, case_id: str, signature: str, as_of: str, value: CaseRows) -> None:
        skipped, rows = value
        if case_id in self.kept:
            self._forget(case_id)
        for name, table_rows in rows.items():
            if table_rows:
                self.db.executemany(self.inserts[name], [(case_id, seq, *row) for seq, row
                                                         in enumerate(table_rows)])
        self.db.execute("INSERT INTO entries VALUES (?, ?, ?, ?)",
                        (case_id, signature, as_of, skipped))
        self.kept[case_id] = (signature, as_of)

    def _forget(self, case_id: str) -> None:
        for name in self.columns:
            self.db.execute(f"DELETE FROM {row_table(name)} WHERE _case = ?", (case_id,))
        self.db.execute("DELETE FROM entries WHERE case_id = ?", (case_id,))

    def commit(self, cases_dir: Path) -> None:
        """Keep what was put, and forget cases whose folder is gone."""
        for case_id in [c for c in self.kept if not (cases_dir / c).is_dir()]:
            self._forget(case_id)
            del self.kept[case_id]
        self.db.execute("COMMIT")

    # --- reading the rows of the cases exported --------------------------------------------
    def select(self, case_ids: Sequence[str]) -> None:
        """The cases to read, in export order (`rows` and `skipped` follow it; a connection
        attaching `uri` selects `case_ids` itself, with `select_into`)."""
        select_into(self.db, case_ids)
        self.case_ids = list(case_ids)

    def skipped(self) -> int:
        """Problems that left documents out of the selected cases."""
        (total,) = self.db.execute("SELECT coalesce(sum(e.skipped), 0) FROM temp.sel s "
                                   "JOIN entries e ON e.case_id = s.id").fetchone()
        return int(total)

    def rows_sql(self, name: str, schema_name: str = "main") -> str:
        """The selected cases' rows of table `name`, in export order."""
        cols = ", ".join(f"r.{q(c)}" for c in self.columns[name])
        return (f"SELECT {cols} FROM temp.sel AS s CROSS JOIN {schema_name}.{row_table(name)} "
                f"AS r ON r._case = s.id ORDER BY s.ord, r._seq")

    def rows(self, name: str) -> Iterator[list[Values]]:
        """The selected cases' rows of `name` in chunks, booleans as booleans again."""
        cursor = self.db.execute(self.rows_sql(name))
        flags = self.booleans[name]
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            if flags:
                chunk = [_with_booleans(row, flags) for row in chunk]
            yield chunk

    @property
    def uri(self) -> str:
        """The store for another connection to attach, read-only."""
        return f"file:{quote(str(self.path))}?mode=ro"


def _with_booleans(row: Values, flags: list[int]) -> Values:
    values = list(row)
    for i in flags:
        if values[i] is not None:
            values[i] = bool(values[i])
    return tuple(values)
