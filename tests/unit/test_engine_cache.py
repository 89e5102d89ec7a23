"""The cache never serves a stale answer, and cold, warm and parallel runs agree."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.read import cache, engine

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)


@pytest.fixture
def book_root(tmp_path: Path) -> Path:
    dest = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", dest,
                    ignore=shutil.ignore_patterns(cache.CACHE_DIR))
    return dest


def run(root: Path, as_of: date = AS_OF, **kw):
    book = open_casebook(root)
    return engine.summaries(book, as_of=as_of, **kw)


def flat(summaries) -> list:
    return [(s.case_id, s.documents, s.problems, s.due) for s in summaries]


def touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_warm_equals_cold_and_uses_the_cache(book_root: Path, monkeypatch) -> None:
    cold = run(book_root, use_cache=True)
    assert (book_root / cache.CACHE_DIR / cache.CACHE_FILE).is_file()
    assert (book_root / cache.CACHE_DIR / ".gitignore").read_text() == "*\n"
    calls: list[str] = []
    real = engine.summarise
    monkeypatch.setattr(engine, "summarise", lambda *a: calls.append(a[1]) or real(*a))
    warm = run(book_root, use_cache=True)
    assert calls == []
    assert flat(warm) == flat(cold) == flat(run(book_root, use_cache=False))


def test_an_edit_is_seen(book_root: Path) -> None:
    run(book_root, use_cache=True)
    case = sorted((book_root / "cases").iterdir())[0]
    target = case / "case.yaml"
    target.write_text(target.read_text().replace("officer:", "oficer:"))
    touch_later(target)
    problems = [p for s in run(book_root, use_cache=True) for p in s.problems]
    assert any(p.rule == "schema-unknown-field" and p.path.endswith("case.yaml")
               for p in problems)


def test_an_edit_keeping_size_and_modification_time_is_seen(book_root: Path) -> None:
    """`cp -p`, `rsync -a` and `touch -r` can put the old size and time back on an edited file;
    the change time still moves, so the cache is not fooled."""
    run(book_root, use_cache=True)
    case = sorted((book_root / "cases").iterdir())[0]
    target = case / "case.yaml"
    before = target.stat()
    text = target.read_text()
    target.write_text(text.replace("officer:", "oficer:", 1) + "\n")  # the same length
    assert target.stat().st_size == before.st_size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    problems = [p for s in run(book_root, use_cache=True) for p in s.problems]
    assert any(p.rule == "schema-unknown-field" and p.path.endswith("case.yaml")
               for p in problems)


def test_new_and_removed_files_are_seen(book_root: Path) -> None:
    run(book_root, use_cache=True)
    case = sorted((book_root / "cases").iterdir())[0]
    stray = case / "notes.txt"
    stray.write_text("x")
    assert any(p.rule == "unexpected-file" for s in run(book_root, use_cache=True)
               for p in s.problems)
    stray.unlink()
    (case / "identification.yaml").unlink()
    assert any(p.rule == "missing-document" for s in run(book_root, use_cache=True)
               for p in s.problems)


def test_settings_change_invalidates_everything(book_root: Path) -> None:
    run(book_root, use_cache=True)
    key = cache.global_key(book_root)
    settings = book_root / "casebook.yaml"
    settings.write_text(settings.read_text() + "review_policy:\n  first-contact: 1 day\n")
    assert cache.global_key(book_root) != key
    assert cache.load(book_root, cache.global_key(book_root)) == {}


def test_providers_change_invalidates(book_root: Path) -> None:
    key = cache.global_key(book_root)
    providers = book_root / "providers.yaml"
    providers.write_text(providers.read_text() + "\n")
    assert cache.global_key(book_root) != key


def test_new_version_and_changed_schemas_invalidate(book_root: Path, monkeypatch,
                                                    tmp_path: Path) -> None:
    key = cache.global_key(book_root)
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.global_key(book_root) != key
    monkeypatch.undo()
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / "contact.schema.json").write_text(
        (schemas / "contact.schema.json").read_text().replace("One contact", "A contact"))
    monkeypatch.setattr(cache, "schema_dir", lambda: schemas)
    assert cache.global_key(book_root) != key


def test_earlier_as_of_brings_future_dates_back(book_root: Path) -> None:
    run(book_root, use_cache=True)
    early = run(book_root, as_of=date(2025, 6, 1), use_cache=True)
    assert any(p.rule == "future-date" for s in early for p in s.problems)
    assert not any(p.rule == "future-date" for s in run(book_root, use_cache=True)
                   for p in s.problems)


def test_damaged_cache_is_ignored(book_root: Path) -> None:
    expected = flat(run(book_root, use_cache=True))
    (book_root / cache.CACHE_DIR / cache.CACHE_FILE).write_text("{not json")
    assert flat(run(book_root, use_cache=True)) == expected
    (book_root / cache.CACHE_DIR / cache.CACHE_FILE).write_text(
        json.dumps({"key": cache.global_key(book_root), "cases": {"OP-X": 1}}))
    assert flat(run(book_root, use_cache=True)) == expected


def test_parallel_equals_single(book_root: Path, monkeypatch) -> None:
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(engine, "CHUNK", 3)
    assert flat(run(book_root, use_cache=False, jobs=2)) == flat(run(book_root, use_cache=False,
                                                                     jobs=1))


def test_fast_and_reference_paths_agree_on_the_sample(book_root: Path) -> None:
    book = open_casebook(book_root)
    fast = validate(book, as_of=AS_OF, fast=True)
    ref = validate(book, as_of=AS_OF, fast=False)
    assert fast.problems == ref.problems
    assert fast.valid


def test_a_linked_cache_folder_is_neither_read_nor_written(book_root: Path,
                                                          tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        (book_root / cache.CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")
    expected = flat(run(book_root, use_cache=False))
    assert flat(run(book_root, use_cache=True)) == expected
    assert list(elsewhere.iterdir()) == []


def test_a_linked_cache_file_or_gitignore_is_not_followed(book_root: Path,
                                                          tmp_path: Path) -> None:
    folder = book_root / cache.CACHE_DIR
    folder.mkdir()
    planted = tmp_path / "planted"
    try:
        (folder / ".gitignore").symlink_to(planted)  # dangling: writing would create it
        (folder / cache.CACHE_FILE).symlink_to("/dev/zero")  # reading would never end
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")
    expected = flat(run(book_root, use_cache=False))
    assert flat(run(book_root, use_cache=True)) == expected
    assert not planted.exists()


def test_the_cache_key_never_reads_through_a_link_or_from_a_fifo(book_root: Path) -> None:
    (book_root / "providers.yaml").unlink()
    try:
        (book_root / "providers.yaml").symlink_to("/dev/zero")  # read_bytes would never end
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")
    key = cache.global_key(book_root)
    (book_root / "providers.yaml").unlink()
    if hasattr(os, "mkfifo"):
        os.mkfifo(book_root / "providers.yaml")  # read_bytes would block for ever
        assert cache.global_key(book_root) != key


def test_a_pool_starts_its_workers_and_leaves_this_process_collecting() -> None:
    """Objects are frozen only for the fork: a long-running process (`prelude serve`) must
    still collect what it made before."""
    import gc

    before = gc.get_freeze_count()
    pool = engine.start_pool(2)
    try:
        assert gc.get_freeze_count() == before
        assert list(pool.map(abs, [-1, -2, 3])) == [1, 2, 3]
    finally:
        pool.shutdown()
