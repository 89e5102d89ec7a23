"""Faults during a write: the disk fills up or fails at each step, or the writer is killed.

Whatever happens, a document holds either exactly what it held before or exactly the new
content, never a mixture; a temporary file is removed where the disk allows and reported by
validate where it does not; and the failure reaches the user as one line, exit 1.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
import random
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, CASE_ID

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.cli.main import main
from prelude_cli.files.storage import StaleWrite, WriteError, snapshot, write_atomic
from prelude_cli.tools import doctor

ORIGINAL = b"agreed: '2026-03-01'\nagreed_by: PC 4471 Hart\n" + b"# original\n" * 2000
NEW = b"agreed: '2026-03-02'\nagreed_by: PC 4471 Hart\n" + b"# the new content\n" * 3000

STEPS = ("mkdir", "open-temp", "write", "flush", "fsync-file", "close", "read-back", "replace",
         "fsync-dir")
ERRORS = (errno.ENOSPC, errno.EIO)


def fail(code: int) -> OSError:
    return OSError(code, os.strerror(code))


class FailingFile:
    """A temp file whose write (half done first, as a full disk does), flush or close fails."""

    def __init__(self, fh: Any, step: str, code: int) -> None:
        self.fh, self.step, self.code = fh, step, code

    def write(self, data: bytes) -> int:
        if self.step == "write":
            self.fh.write(data[: len(data) // 2])
            raise fail(self.code)
        return self.fh.write(data)

    def flush(self) -> None:
        self.fh.flush()
        if self.step == "flush":
            raise fail(self.code)

    def fileno(self) -> int:
        return self.fh.fileno()

    def close(self) -> None:
        self.fh.close()
        if self.step == "close":
            raise fail(self.code)

    def __enter__(self) -> FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def inject(monkeypatch: pytest.MonkeyPatch, step: str, code: int) -> None:
    """Make `step` of write_atomic fail with `code`; every other step works."""
    real_open, real_fdopen, real_fsync = os.open, os.fdopen, os.fsync
    if step == "mkdir":
        def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
            raise fail(code)
        monkeypatch.setattr(Path, "mkdir", mkdir)
    elif step == "open-temp":
        def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if str(path).endswith(".tmp"):
                raise fail(code)
            return real_open(path, flags, *args, **kwargs)
        monkeypatch.setattr(os, "open", open_)
    elif step in ("write", "flush", "close"):
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FailingFile(
            real_fdopen(fd, *a, **k), step, code))
    elif step in ("fsync-file", "fsync-dir"):
        def fsync(fd: int) -> None:
            is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
            if is_dir == (step == "fsync-dir"):
                raise fail(code)
            real_fsync(fd)
        monkeypatch.setattr(os, "fsync", fsync)
    elif step == "read-back":  # the stale check reads the document again
        from prelude_cli.files import storage

        real_read = storage.read_regular

        def read_regular(path: Path, *args: Any, **kwargs: Any) -> bytes:
            if Path(path).name == "plan.yaml":
                raise fail(code)
            return real_read(path, *args, **kwargs)
        monkeypatch.setattr(storage, "read_regular", read_regular)
    elif step == "replace":
        def replace(*args: Any, **kwargs: Any) -> None:
            raise fail(code)
        monkeypatch.setattr(os, "replace", replace)
    else:  # pragma: no cover
        raise AssertionError(step)


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "cases" / CASE_ID / "plan.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(ORIGINAL)
    return path


def others(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


@pytest.mark.parametrize("code", ERRORS, ids=errno.errorcode.get)
@pytest.mark.parametrize("step", STEPS)
def test_a_fault_at_each_step_leaves_the_document_whole(document: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        step: str, code: int) -> None:
    expect = snapshot(document)
    inject(monkeypatch, step, code)
    with pytest.raises(WriteError) as raised:
        write_atomic(document, NEW, expect)
    monkeypatch.undo()
    assert raised.value.errno == code
    if step == "fsync-dir":  # after the replace: the whole new content, and said so
        assert raised.value.written
        assert document.read_bytes() == NEW
        assert str(raised.value) == (f"wrote {document}, but the disk reported an error "
                                     f"making it durable: {os.strerror(code)}")
    else:
        assert not raised.value.written
        assert document.read_bytes() == ORIGINAL
        assert str(raised.value) == f"could not write {document}: {os.strerror(code)}"
    assert others(document.parent, "plan.yaml") == []  # the temp file was cleaned up


@pytest.mark.parametrize("step", ["write", "fsync-file", "replace"])
def test_a_new_document_that_fails_is_not_left_half_made(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          step: str) -> None:
    path = tmp_path / "contacts" / "2026-01-20-ab12.yaml"
    path.parent.mkdir()
    inject(monkeypatch, step, errno.ENOSPC)
    with pytest.raises(WriteError):
        write_atomic(path, NEW, snapshot(path))
    monkeypatch.undo()
    assert list(path.parent.iterdir()) == []


def test_a_temp_file_the_disk_will_not_remove_is_reported_by_validate(
        casebook: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = casebook()
    target = root / "cases" / CASE_ID / "case.yaml"
    original = target.read_bytes()
    inject(monkeypatch, "fsync-file", errno.EIO)
    monkeypatch.setattr(os, "unlink", lambda *a, **k: (_ for _ in ()).throw(fail(errno.EIO)))
    with pytest.raises(WriteError):
        write_atomic(target, original + b"# more\n", snapshot(target))
    monkeypatch.undo()
    assert target.read_bytes() == original
    result = validate(open_casebook(root), as_of=AS_OF)
    assert [(p.rule, p.severity) for p in result.problems] == [("leftover-temp-file",
                                                                 "warning")]
    assert result.valid


def test_a_stale_write_changes_nothing(document: Path) -> None:
    expect = snapshot(document)
    document.write_bytes(ORIGINAL + b"# someone else\n")
    with pytest.raises(StaleWrite):
        write_atomic(document, NEW, expect)
    assert document.read_bytes() == ORIGINAL + b"# someone else\n"
    assert others(document.parent, "plan.yaml") == []


# --- the CLI: one line, exit 1 ----------------------------------------------------------------

@pytest.mark.parametrize("code", ERRORS, ids=errno.errorcode.get)
def test_the_cli_says_what_could_not_be_written_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        code: int) -> None:
    folder = tmp_path / "schemas"
    inject(monkeypatch, "fsync-file", code)
    with pytest.raises(SystemExit) as exit_:
        main(["schemas", "export", "--to", str(folder)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    first = f"{doctor.schemas.KINDS[0]}.schema.json"
    assert err == f"prelude: could not write {folder / first}: {os.strerror(code)}\n"
    monkeypatch.undo()
    assert list(folder.iterdir()) == []


def test_the_cli_reports_a_stale_write_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(folder: Path) -> list[Path]:
        raise StaleWrite("plan.yaml changed on disk since it was read; nothing was written, "
                         "run the command again")

    monkeypatch.setattr(doctor, "export_schemas", refuse)
    with pytest.raises(SystemExit) as exit_:
        main(["schemas", "export", "--to", str(tmp_path)])
    assert exit_.value.code == 1
    assert capsys.readouterr().err == ("prelude: plan.yaml changed on disk since it was read; "
                                       "nothing was written, run the command again\n")


# --- a writer killed at a random moment ---------------------------------------------------------

def write_forever(path: Path, contents: tuple[bytes, bytes], ready: Any) -> None:
    """Alternate two versions of a document for ever, so a kill lands anywhere in a write."""
    ready.set()
    while True:
        for data in contents:
            write_atomic(path, data, snapshot(path))


def test_killing_a_writer_never_leaves_a_partial_document(casebook: Callable[..., Path]) -> None:
    # fork where the platform has it (fast); spawn elsewhere. Either way a real process that
    # gets SIGKILL (TerminateProcess on Windows): no cleanup of any kind runs.
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    root = casebook({"casebook.yaml": "format: 1\nlimits: {max_document_bytes: 4000000}\n"})
    plan = root / "cases" / CASE_ID / "plan.yaml"
    versions = (ORIGINAL * 10, NEW * 10)  # large enough that a write takes a while
    plan.write_bytes(versions[0])
    rng = random.Random(8)
    leftovers = 0
    for _ in range(20):
        ready = ctx.Event()
        proc = ctx.Process(target=write_forever, args=(plan, versions, ready), daemon=True)
        proc.start()
        try:
            assert ready.wait(30)
            time.sleep(rng.uniform(0.0, 0.05))
        finally:
            proc.kill()
            proc.join()
        assert plan.read_bytes() in versions  # byte-identical to one version or the other
        temps = [p for p in plan.parent.iterdir() if p.name.startswith(".plan.yaml.")]
        if temps:
            leftovers += 1
            result = validate(open_casebook(root), as_of=AS_OF, use_cache=False)
            found = {p.path for p in result.problems if p.rule == "leftover-temp-file"}
            assert found == {f"cases/{CASE_ID}/{t.name}" for t in temps}
            for t in temps:
                t.unlink()
    # Not asserted (timing decides), but shown with -rP: how often a kill left a temp file.
    print(f"{leftovers} of 20 kills left a temporary file")
