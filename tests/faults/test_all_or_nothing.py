"""Records of several files are all or nothing: a failure or a kill at every write, fsync and
rename of `case new`, of `case new --from-intake` (the case folder and the identity register)
and of a disposal leaves the casebook before or after, never between (after the next command
has finished or rolled back the journal)."""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASE_ID, MINIMAL_CASE, write_casebook
from typer.testing import CliRunner

from prelude_cli.cli.main import app
from prelude_cli.files import transaction

from .faultkit import tree_hashes

NEW_ID = "OP-4D7K2P"
CASE_NEW = ["case", "new", "--id", NEW_ID, "--officer", "PC 1 Hart", "--area", "Slough",
            "--concern", "knife-crime", "--age-band", "under-18", "--forum", "tasking",
            "--rationale", "Dashboard rank.", "--decision", "defer", "--date", "2026-02-01",
            "--as-of", "2026-11-26"]
INTAKE_SETTINGS = "format: 1\nintake:\n  key: Id\n  rank: Rank\n  name: Name\n"
EXTRACT = "Id,Rank,Name\r\nSVD-1,1,Robin Example\r\n"
CASE_NEW_INTAKE = [*CASE_NEW[:4], "--from-intake", "EXTRACT", "--row", "SVD-1",
                   *CASE_NEW[4:]]
DISPOSE = ["retention", "review", CASE_ID, "--decision", "dispose", "--reviewer",
           "Insp 602 Rowe", "--date", "2026-11-26", "--as-of", "2026-11-26", "--yes"]
REGISTER = f"{CASE_ID}:\n  name: Sam Example\nOP-9Z9Z9Z:\n  name: Alex Other\n"
STEPS = ("open", "write", "fsync", "rename", "replace")


@pytest.fixture(autouse=True)
def _fixed_entry_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entry ids are random; the same in every run here, so "after" is one tree."""
    from prelude_cli.case import entries

    monkeypatch.setattr(entries, "new_suffix", lambda: "t3st")


class Killed(BaseException):
    """The process dies here: nothing after it runs (no except, no cleanup)."""


def normalised(root: Path) -> dict[str, str]:
    """The tree, with a disposal record's random suffix and the cache's locks left out."""
    out = {}
    for rel, digest in tree_hashes(root).items():
        rel = re.sub(r"^disposals/[0-9-]+-[0-9a-z]+\.yaml$", "disposals/RECORD.yaml", rel)
        out[rel] = digest
    return out


def book_for(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    write_casebook(root, {**MINIMAL_CASE, "identities.yaml": REGISTER,
                          "casebook.yaml": INTAKE_SETTINGS})
    (tmp_path / "extract.csv").write_text(EXTRACT, encoding="utf-8", newline="")
    return root


def command_args(tmp_path: Path, command: str) -> list[str]:
    if command == "case-new-intake":
        return [str(tmp_path / "extract.csv") if a == "EXTRACT" else a
                for a in CASE_NEW_INTAKE]
    return CASE_NEW if command == "case-new" else DISPOSE


class Injector:
    """Counts the transaction's own system calls; fails or kills at the chosen one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int | None, kill: bool) -> None:
        self.calls = 0
        self.at, self.kill, self.killed = at, kill, False
        for name in STEPS:
            monkeypatch.setattr(os, name, self.wrap(getattr(os, name)))
        real_rmtree = transaction._rmtree
        monkeypatch.setattr(transaction, "_rmtree",
                            lambda p: None if self.killed else real_rmtree(p))

    def wrap(self, real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            if sys._getframe(1).f_globals.get("__name__") == "prelude_cli.files.transaction":
                self.calls += 1
                if self.calls == self.at:
                    if self.kill:
                        self.killed = True
                        raise Killed
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
            return real(*args, **kwargs)
        return call


def states(tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
           ) -> tuple[dict[str, str], dict[str, str], int]:
    """The casebook before and after a clean run, and how many steps the run takes."""
    root = book_for(tmp_path, "clean")
    before = normalised(root)
    with monkeypatch.context() as m:
        counter = Injector(m, None, False)
        result = CliRunner().invoke(app, [*args, "-C", str(root)])
    assert result.exit_code == 0, result.output
    after = normalised(root)
    assert before != after and counter.calls > 8
    return before, after, counter.calls


@pytest.mark.parametrize("kill", [True, False], ids=["kill", "error"])
@pytest.mark.parametrize("command", ["case-new", "case-new-intake", "dispose"])
def test_every_step_leaves_before_or_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           command: str, kill: bool) -> None:
    args = command_args(tmp_path, command)
    before, after, steps = states(tmp_path, args, monkeypatch)
    seen = {"before": 0, "after": 0}
    for at in range(1, steps + 1):
        root = book_for(tmp_path, f"run{at}")
        with monkeypatch.context() as m:
            Injector(m, at, kill)
            if kill:
                with pytest.raises(Killed):
                    CliRunner().invoke(app, [*args, "-C", str(root)], catch_exceptions=False)
            else:
                result = CliRunner().invoke(app, [*args, "-C", str(root)])
                assert result.exit_code != 0 or normalised(root) == after
        # The next command (here validate) finishes or rolls back what was interrupted.
        CliRunner().invoke(app, ["validate", "-C", str(root), "--as-of", "2026-11-26"])
        now = normalised(root)
        assert now in (before, after), f"step {at} of {steps} left the casebook between"
        seen["before" if now == before else "after"] += 1
        if now == before:  # a re-run then does it once, never twice
            assert CliRunner().invoke(app, [*args, "-C", str(root)]).exit_code == 0
            assert normalised(root) == after
    assert seen["before"] and seen["after"], seen


def test_a_kill_before_the_commit_point_is_rolled_back_by_validate(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Validate reports nothing odd after it rolled a journal back; one still being staged
    by a live command (its lock held) is left alone."""
    root = book_for(tmp_path, "book")
    with monkeypatch.context() as m:
        Injector(m, 3, True)
        with pytest.raises(Killed):
            CliRunner().invoke(app, [*CASE_NEW, "-C", str(root)], catch_exceptions=False)
    assert transaction.pending(root)
    result = CliRunner().invoke(app, ["validate", "-C", str(root)])
    assert "rolled back an interrupted record" in result.stderr
    assert not transaction.pending(root) and not (root / "cases" / NEW_ID).exists()


@pytest.mark.parametrize("step", [
    {"op": "remove", "path": "../outside"},
    {"op": "remove", "path": "casebook.yaml"},
    {"op": "write", "path": ".git/config", "staged": "file0"},
    {"op": "write", "path": "cases/../../outside", "staged": "file0"},
    {"op": "write", "path": "/etc/x", "staged": "file0"},
    {"op": "write", "path": "cases/x.yaml", "staged": "../../outside"},
])
def test_a_planted_journal_is_never_carried_out(tmp_path: Path, step: dict) -> None:
    import json

    root = book_for(tmp_path, "book")
    (tmp_path / "outside").write_text("precious")
    tx = root / ".prelude-cache" / "journal" / "planted"
    tx.mkdir(parents=True)
    (tx / "file0").write_text("evil")
    (tx / "journal.json").write_text(json.dumps({"steps": [step]}))
    before = tree_hashes(root)
    result = CliRunner().invoke(app, ["validate", "-C", str(root)])
    assert (tmp_path / "outside").read_text() == "precious"
    assert tree_hashes(root) == before and tx.is_dir()
    assert "interrupted-record" in result.stdout
