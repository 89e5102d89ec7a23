"""Running the per-case pipeline over a whole casebook: cache first, then worker processes.

`summaries` gives one `CaseSummary` per case (problems, documents, due items). Cases whose
folder is unchanged come from the cache; the rest are read and checked, spread over the CPU
cores when there are enough of them to repay starting the workers.
"""

from __future__ import annotations

import gc
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..book.casebook import Casebook
from ..book.settings import Settings
from ..checks.validation import CaseResult, load_case
from ..due.reviews import case_due_items
from . import cache

if TYPE_CHECKING:  # multiprocessing is imported when workers start: `case show` never does
    from concurrent.futures import ProcessPoolExecutor

Progress = Callable[[int, int], None]
J = TypeVar("J")
W = TypeVar("W")
T = TypeVar("T")
PARALLEL_THRESHOLD = 200  # below this many cases to read, one process is faster
CHUNK = 50
SIGN_PARALLEL_THRESHOLD = 1000  # below this many cases, one process stats them faster
SIGN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs to read cases: small and picklable (no open files, no documents)."""

    root: Path
    settings: Settings
    providers: dict[str, dict[str, Any]]
    as_of: date
    fast: bool
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)
    view: bool = False
    due: bool = True  # False: the problems only (validate without the cache), no due items


def summarise(job: Job, work: tuple[str, str]) -> cache.CaseSummary:
    """One case read and checked; `work` is its id and the signature its folder had first."""
    case_id, signature = work
    book = Casebook(job.root, job.settings, job.providers, identities=job.identities)
    result = load_case(book, case_id, as_of=job.as_of, fast=job.fast, view=job.view)
    case = result.case
    due = [] if case.not_yet or not job.due else case_due_items(case, job.settings, job.as_of)
    return cache.CaseSummary.fresh(
        case_id, signature, job.as_of.isoformat(), result.latest_recorded,
        result.paths, result.problems, due, view=job.view, officer=case.officer,
        stage=case.stage, omitted=result.omitted, not_yet=case.not_yet, area=case.area,
        age_band=case.age_band, concerns=case.concerns,
        last_activity=last.isoformat() if (last := case.last_activity) else "",
    )


def _sign_chunk(root: Path, case_ids: list[str]) -> list[str]:
    return [cache.case_signature(root, case_id) for case_id in case_ids]


def _apply_chunk(fn: Callable[[J, W], T], job: J, items: list[W]) -> list[T]:
    return [fn(job, item) for item in items]


def map_cases(fn: Callable[[J, W], T], job: J, items: Sequence[W], *, jobs: int = 1,
              progress: Progress | None = None, pool: Executor | None = None) -> Iterator[T]:
    """`fn(job, item)` for each item (a case id, or what a case needs), in order.

    For a large casebook, worker processes take chunks of items (`fn` and `job` must be
    picklable: a module-level function and a small frozen dataclass), with at most two chunks
    per worker in flight, so memory stays flat however many cases there are. `pool` lends
    workers already started; otherwise they are started here and stopped at the end.
    """
    total = len(items)
    if jobs <= 1 or total < PARALLEL_THRESHOLD:
        for done, item in enumerate(items, 1):
            yield fn(job, item)
            if progress and (done % 25 == 0 or done == total):
                progress(done, total)
        return
    chunks = [list(items[i:i + CHUNK]) for i in range(0, total, CHUNK)]
    executor = pool or start_pool(jobs)
    pending: deque[Future[list[T]]] = deque()
    done = 0
    try:
        for chunk in chunks:
            pending.append(executor.submit(_apply_chunk, fn, job, chunk))
            if len(pending) >= 2 * jobs:
                for result in pending.popleft().result():
                    done += 1
                    yield result
                if progress:
                    progress(done, total)
        while pending:
            for result in pending.popleft().result():
                done += 1
                yield result
            if progress:
                progress(done, total)
    finally:
        if pool is None:
            executor.shutdown(wait=True, cancel_futures=True)


def start_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, started now with everything made so far out of the garbage
    collector's sight (`gc.freeze`, as Python's documentation advises before a fork): a
    worker's collections then never walk the thousands of objects it inherits (modules, the
    command line, settings), which measured about 5% of a cold run's CPU time. This process
    takes them back at once, so a long-running one (`prelude serve`) still collects them."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers)
    gc.freeze()
    try:
        pool.submit(int)  # with fork, the first task forks every worker, here and now
    finally:
        gc.unfreeze()
    return pool


def default_jobs() -> int:
    env = os.environ.get("PRELUDE_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(os.cpu_count() or 1, 8))


def _signatures(book: Casebook, ids: list[str], workers: int, use_cache: bool
                ) -> tuple[Callable[[], list[str]], Executor | None]:
    """Each case folder's signature (`cache.case_signature`), and the pool lent for it.

    A warm run's cost is one stat per file: for a large casebook the kernel does that on
    every core while this process reads the cache file, so the signatures come later, from
    the function returned.
    """
    if not use_cache:
        return (lambda: [""] * len(ids)), None
    if workers > 1 and len(ids) >= SIGN_PARALLEL_THRESHOLD:
        pool = start_pool(workers)
        chunks = [ids[i:i + SIGN_CHUNK] for i in range(0, len(ids), SIGN_CHUNK)]
        signed = pool.map(_sign_chunk, [book.root] * len(chunks), chunks)
        return (lambda: [sig for chunk in signed for sig in chunk]), pool
    return (lambda: [cache.case_signature(book.root, c) for c in ids]), None


def summaries(book: Casebook, *, as_of: date, case_ids: Iterable[str] | None = None,
              use_cache: bool = True, fast: bool = True, jobs: int | None = None,
              progress: Progress | None = None, view: bool = False,
              problems_only: bool = False) -> list[cache.CaseSummary]:
    """One summary per case, in case-id order; `view` reads each as it stood on `as_of`
    (reading commands), else as validate does. `problems_only` leaves the due items out,
    for a caller that wants only problems and paths and keeps nothing (validate
    `--no-cache`): the summaries are then never stored, as they are incomplete."""
    ids = list(book.case_ids() if case_ids is None else case_ids)
    use_cache = use_cache and not problems_only
    job = Job(book.root, book.settings, book.providers, as_of, fast, book.identities, view,
              due=not problems_only)
    workers = jobs or default_jobs()
    pool: Executor | None = None
    try:
        signatures, pool = _signatures(book, ids, workers, use_cache)
        key = cache.global_key(book.root) if use_cache else ""
        entries = cache.load(book.root, key) if use_cache else {}
        sigs = signatures()
        done: dict[str, cache.CaseSummary] = {}
        todo: list[tuple[str, str]] = []
        for case_id, sig in zip(ids, sigs, strict=True):
            raw = entries.get(case_id)
            if raw is not None and raw.get("sig") == sig:
                try:
                    summary = cache.CaseSummary.from_json(case_id, raw)
                except (KeyError, TypeError, ValueError):
                    summary = None
                if summary is not None and summary.usable_for(as_of, view):
                    done[case_id] = summary
                    continue
            todo.append((case_id, sig))
        total, count = len(ids), len(done)
        if progress:
            progress(count, total)
        def advanced(read: int, _: int) -> None:
            progress(count + read, total)  # type: ignore[misc]

        for summary in map_cases(summarise, job, todo, jobs=workers, pool=pool,
                                 progress=advanced if progress else None):
            done[summary.case_id] = summary
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if use_cache and todo:
        fresh = {cid: s.to_json() for cid, s in done.items()}
        _save_merged(book, key, entries, fresh)
    if progress:
        progress(total, total)
    return [done[case_id] for case_id in ids]


def _save_merged(book: Casebook, key: str, entries: dict[str, Any], fresh: dict[str, Any],
                 name: str = cache.CACHE_FILE) -> None:
    """Keep entries of cases not asked for this time (a run over some cases only), drop
    those of cases that are gone."""
    merged = {**{k: v for k, v in entries.items() if k not in fresh}, **fresh}
    merged = {k: v for k, v in merged.items() if (book.cases_dir / k).is_dir()}
    cache.save(book.root, key, merged, name)


# --- products: what the other reading commands need of each case -----------------------------
@dataclass(frozen=True, slots=True)
class ProductJob:
    """What making one product of a case needs: small and picklable. `params` are whatever
    else the product depends on (an audience, a window); they are part of its cache key."""

    root: Path
    settings: Settings
    providers: dict[str, dict[str, Any]]
    as_of: date
    identities: dict[str, dict[str, Any]]
    params: tuple[Any, ...] = ()


Product = Callable[[ProductJob, CaseResult], Any]
"""A module-level function from a case as read (`load_case(..., view=True)`) to a JSON value."""


def _make(fn: Product, job: ProductJob, work: tuple[str, str]) -> tuple[str, str, Any]:
    case_id, signature = work
    book = Casebook(job.root, job.settings, job.providers, identities=job.identities)
    return case_id, signature, fn(job, load_case(book, case_id, as_of=job.as_of, view=True))


def _make_chunkable(pair: tuple[Product, ProductJob], work: tuple[str, str]
                    ) -> tuple[str, str, Any]:
    return _make(pair[0], pair[1], work)


class Store(Protocol):
    """Where `refresh` keeps each case's product between runs."""

    def load(self) -> None:
        """Read what is kept (while the case folders are being signed)."""

    def reusable(self, case_id: str, signature: str, as_of: str) -> bool:
        """Whether the kept product of `case_id` still holds for this folder and date."""

    def put(self, case_id: str, signature: str, as_of: str, value: Any) -> None:
        """Keep a product just made."""


def refresh(book: Casebook, fn: Product, store: Store, *, as_of: date, case_ids: list[str],
            params: tuple[Any, ...] = (), jobs: int | None = None,
            progress: Progress | None = None) -> None:
    """Bring `store` up to date with `fn` of each of `case_ids` as it stood on `as_of`: the
    one read path of `case list`, `report programme`, `export` and `meeting pack`.

    A product is reused when the store says its case folder is unchanged (as for
    `summaries`) and it was made for the same date; the store's own key covers prelude, the
    schemas, the settings and `params`. The rest are read, over worker processes for a
    large casebook, and handed to the store in case order.
    """
    job = ProductJob(book.root, book.settings, book.providers, as_of, book.identities, params)
    workers = jobs or default_jobs()
    iso = as_of.isoformat()
    pool: Executor | None = None
    try:
        signatures, pool = _signatures(book, case_ids, workers, True)
        store.load()
        todo = [(case_id, sig) for case_id, sig in zip(case_ids, signatures(), strict=True)
                if not store.reusable(case_id, sig, iso)]
        total, count = len(case_ids), len(case_ids) - len(todo)
        if progress:
            progress(count, total)

        def advanced(read: int, _: int) -> None:
            progress(count + read, total)  # type: ignore[misc]

        for case_id, sig, value in map_cases(_make_chunkable, (fn, job), todo, jobs=workers,
                                             pool=pool,
                                             progress=advanced if progress else None):
            store.put(case_id, sig, iso, value)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if progress:
        progress(total, total)


def each_case(book: Casebook, fn: Product, *, as_of: date, case_ids: list[str],
              params: tuple[Any, ...] = (), jobs: int | None = None,
              progress: Progress | None = None) -> Iterator[Any]:
    """`fn` of each case as it stood on `as_of`, in order, read afresh and never kept: the
    path without a cache (`--no-cache`, or a cache another command is using)."""
    job = ProductJob(book.root, book.settings, book.providers, as_of, book.identities, params)
    for _, _, value in map_cases(_make_chunkable, (fn, job), [(c, "") for c in case_ids],
                                 jobs=jobs or default_jobs(), progress=progress):
        yield value


class JsonStore:
    """Products kept as JSON values in `.prelude-cache/NAME.json` (see `read/cache.py`), one
    file per product so that each command loads only what it needs."""

    def __init__(self, book: Casebook, name: str, params: tuple[Any, ...]) -> None:
        self.book, self.file = book, f"{name}.json"
        self.key = cache.global_key(book.root) + json.dumps([name, list(params)], default=str)
        self.entries: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        self.fresh: dict[str, Any] = {}

    def load(self) -> None:
        self.entries = cache.load(self.book.root, self.key, self.file)

    def reusable(self, case_id: str, signature: str, as_of: str) -> bool:
        raw = self.entries.get(case_id)
        if (isinstance(raw, dict) and raw.get("sig") == signature
                and raw.get("as_of") == as_of and "v" in raw):
            self.values[case_id] = raw["v"]
            return True
        return False

    def put(self, case_id: str, signature: str, as_of: str, value: Any) -> None:
        self.values[case_id] = value
        self.fresh[case_id] = {"sig": signature, "as_of": as_of, "v": value}

    def save(self) -> None:
        if self.fresh:
            _save_merged(self.book, self.key, self.entries, self.fresh, self.file)


def per_case(book: Casebook, name: str, fn: Product, *, as_of: date,
             params: tuple[Any, ...] = (), case_ids: Iterable[str] | None = None,
             use_cache: bool = True, jobs: int | None = None,
             progress: Progress | None = None) -> list[Any]:
    """`fn` of each case as it stood on `as_of`, in case-id order, through `refresh` and
    a `JsonStore` (`.prelude-cache/NAME.json`), or read afresh without the cache."""
    ids = list(book.case_ids() if case_ids is None else case_ids)
    if not use_cache:
        return list(each_case(book, fn, as_of=as_of, case_ids=ids, params=params, jobs=jobs,
                              progress=progress))
    store = JsonStore(book, name, params)
    refresh(book, fn, store, as_of=as_of, case_ids=ids, params=params, jobs=jobs,
            progress=progress)
    store.save()
    return [store.values[case_id] for case_id in ids]
