"""Several processes recording into one case at once lose no update and clobber nothing.

`record_milestone` does what a recording command does (read the plan, add a milestone through
ruamel round-trip, `edits.apply`), in real separate processes started together, with and
without the lock; the last test runs the real `prelude plan milestone add` in processes.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import subprocess
import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.files import locks, roundtrip
from prelude_cli.files.locks import case_lock
from prelude_cli.files.storage import LockTimeout, StaleWrite, snapshot, snapshot_of
from prelude_cli.records import edits
from prelude_cli.records.edits import Change

ROOT = Path(__file__).resolve().parents[2]
CASE = "OP-XHDT72"
PLAN = f"cases/{CASE}/plan.yaml"
AS_OF = date(2026, 11, 26)
WRITERS = 8


def record_milestone(root: Path, milestone: str, use_lock: bool) -> str:
    """Read plan.yaml, append a milestone, apply: 'written', 'stale' or the problems."""
    book = open_casebook(root)
    with case_lock(root, CASE) if use_lock else nullcontext():
        raw = (root / PLAN).read_bytes()
        data = roundtrip.load(raw)
        data["milestones"].append(roundtrip.styled({
            "id": milestone, "goal": "g1", "text": f"Milestone {milestone}.",
            "due": "2026-12-01", "status": "pending"}))
        change = Change(PLAN, roundtrip.dump(data), snapshot_of(root / PLAN, raw))
        try:
            result = edits.apply(book, CASE, [change], AS_OF)
        except StaleWrite:
            return "stale"
    return "written" if result.written else repr(result.problems)


def _worker(root: Path, milestone: str, use_lock: bool, go: Any, out: Any) -> None:
    go.wait()  # every writer starts at the same moment
    out.put((milestone, record_milestone(root, milestone, use_lock)))


def run_writers(root: Path, use_lock: bool) -> dict[str, str]:
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    go, out = ctx.Event(), ctx.Queue()
    names = [f"m-w{i:02d}" for i in range(WRITERS)]
    procs = [ctx.Process(target=_worker, args=(root, n, use_lock, go, out)) for n in names]
    for p in procs:
        p.start()
    go.set()
    results = dict(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    return results


def milestones(root: Path) -> set[str]:
    return {m["id"] for m in roundtrip.load((root / PLAN).read_bytes())["milestones"]}


@pytest.fixture
def book_root(tmp_path: Path) -> Path:
    dest = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", dest, ignore=shutil.ignore_patterns(".prelude-cache"))
    return dest


def test_the_case_starts_valid(book_root: Path) -> None:
    assert validate(open_casebook(book_root), as_of=AS_OF, only=[f"cases/{CASE}"]).valid
    assert record_milestone(book_root, "m-first", use_lock=True) == "written"


def test_eight_writers_with_the_lock_lose_no_update(book_root: Path) -> None:
    before = milestones(book_root)
    results = run_writers(book_root, use_lock=True)
    assert set(results.values()) == {"written"}
    assert milestones(book_root) == before | set(results)
    assert validate(open_casebook(book_root), as_of=AS_OF, only=[f"cases/{CASE}"]).valid
    # the lock lives in the ignored cache, never among the casebook's documents
    assert locks.lock_path(book_root, CASE).parent.parent.name == ".prelude-cache"
    assert not any(p.name.endswith(".lock") for p in (book_root / "cases").rglob("*"))


def test_writers_reading_outside_the_lock_are_refused_never_clobbered(book_root: Path) -> None:
    before = milestones(book_root)
    results = run_writers(book_root, use_lock=False)
    assert set(results.values()) <= {"written", "stale"}
    written = {m for m, r in results.items() if r == "written"}
    assert written  # someone always gets through
    # Exactly the writes reported as done are on disk: no refused write landed, and no
    # reported write was silently overwritten by another.
    assert milestones(book_root) == before | written


def test_a_stale_write_is_refused(book_root: Path) -> None:
    book = open_casebook(book_root)
    raw = (book_root / PLAN).read_bytes()
    ours = Change(PLAN, raw.replace(b"agreed_by: ", b"agreed_by: X "), snapshot_of(
        book_root / PLAN, raw))
    theirs = raw + b"# edited by someone else meanwhile\n"
    (book_root / PLAN).write_bytes(theirs)
    with pytest.raises(StaleWrite):
        edits.apply(book, CASE, [ours], AS_OF)
    assert (book_root / PLAN).read_bytes() == theirs


def test_the_lock_is_reentrant_and_times_out_clearly(book_root: Path) -> None:
    with case_lock(book_root, CASE), case_lock(book_root, CASE):  # a command, then apply
        pass
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    held, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(book_root, held, release))
    holder.start()
    try:
        assert held.wait(30)
        with pytest.raises(LockTimeout) as raised, case_lock(book_root, CASE, timeout=0.2):
            pass
        assert str(raised.value) == (f"case {CASE} is being changed by another prelude "
                                     "command (waited 0.2 s); nothing was written, try again")
    finally:
        release.set()
        holder.join(30)
    with case_lock(book_root, CASE, timeout=5):  # free again once the holder is done
        pass


def _hold(root: Path, held: Any, release: Any) -> None:
    with case_lock(root, CASE):
        held.set()
        release.wait(30)


def test_a_lock_is_released_when_its_holder_is_killed(book_root: Path) -> None:
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    held, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(book_root, held, release))
    holder.start()
    assert held.wait(30)
    holder.kill()
    holder.join(30)
    with case_lock(book_root, CASE, timeout=5):
        pass


@pytest.mark.parametrize("case_id", ["../x", "a/b", "", "CON"])
def test_a_lock_never_names_a_path_outside_the_locks_folder(book_root: Path,
                                                            case_id: str) -> None:
    with pytest.raises(ValueError):
        locks.lock_path(book_root, case_id)


def test_a_planted_link_in_place_of_the_lock_is_refused(book_root: Path,
                                                        tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me", encoding="utf-8")
    path = locks.lock_path(book_root, CASE)
    path.parent.mkdir(parents=True)
    try:
        path.symlink_to(victim)
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")
    with pytest.raises(Exception, match="a link stands where the lock belongs"), \
            case_lock(book_root, CASE):
        pass
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert snapshot(victim).existed


def test_recording_commands_run_together_all_land(book_root: Path) -> None:
    """Each command holds the case's lock from reading the plan to writing it, so the others
    wait their turn and read its result: none is refused as stale, none is lost."""
    before = milestones(book_root)
    names = [f"Milestone from command {i}." for i in range(6)]
    procs = [subprocess.Popen(
        [sys.executable, "-m", "prelude_cli", "plan", "milestone", "add", CASE, "--text", text,
         "--due", "2026-12-01", "--goal", "g1", "-C", str(book_root), "--as-of", "2026-11-26"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for text in names]
    outcomes = [(p.wait(60), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    assert outcomes == [(0, "")] * len(names)
    data = roundtrip.load((book_root / PLAN).read_bytes())
    added = [m for m in data["milestones"] if m["id"] not in before]
    assert sorted(m["text"] for m in added) == sorted(names)
    assert validate(open_casebook(book_root), as_of=AS_OF, only=[f"cases/{CASE}"]).valid
