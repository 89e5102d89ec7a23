"""A refused `--edit` keeps what was typed as a draft; `--resume` continues it."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest
from recordkit import run, tree
from test_bad_input import SUPPORT

CID = "OP-7K3M9Q"
ADD = ("contact", "add", CID, "--by", "b", "--method", "phone", "--purpose", "support",
       "--outcome", "engaged", "--as-of", "2026-06-01")


@pytest.fixture
def book(casebook) -> Path:
    return casebook(SUPPORT)


def editor(tmp_path: Path, replace: str, by: str, status: int = 0) -> dict[str, str]:
    script = tmp_path / f"edit{abs(hash((replace, by, status)))}.py"
    script.write_text("import pathlib, sys\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({replace!r}, {by!r}))\n"
                      f"sys.exit({status})\n")
    return {"VISUAL": "", "EDITOR": f"{sys.executable} {script}"}


def kept(output: str) -> Path:
    found = re.search(r"kept in (\S+);", output)
    assert found, output
    return Path(found.group(1))


def test_a_refused_edit_is_kept_and_resumed(book: Path, tmp_path: Path) -> None:
    before = tree(book)
    typed = editor(tmp_path, "outcome: engaged",
                   "outcome: engaged\nnotes: Long note typed with care.\nmood: fine")
    refused = run(*ADD, "-C", book, "--edit", env=typed)
    assert refused.exit_code == 1 and tree(book) == before
    draft = kept(refused.stderr)
    assert draft.parent == book / ".prelude-cache" / "drafts"
    assert "Long note typed with care." in draft.read_text()
    if os.name == "posix":
        assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    fix = editor(tmp_path, "mood: fine\n", "")
    resumed = run(*ADD, "-C", book, "--resume", draft, env=fix)
    assert resumed.exit_code == 0, resumed.output
    written = (book / resumed.stdout.strip()).read_text()
    assert written.endswith("notes: Long note typed with care.\n")
    assert "prelude draft" not in written


def test_an_editor_that_fails_keeps_what_was_typed(book: Path, tmp_path: Path) -> None:
    typed = editor(tmp_path, "outcome: engaged", "outcome: engaged\nnotes: Typed.", status=3)
    result = run(*ADD, "-C", book, "--edit", env=typed)
    assert result.exit_code == 1 and "status 3" in result.stderr
    assert "notes: Typed." in kept(result.stderr).read_text()


def test_resume_of_a_draft_of_another_kind_is_refused(book: Path, tmp_path: Path) -> None:
    other = tmp_path / "draft.yaml"
    other.write_text("# prelude draft of cases/OP-7K3M9Q/plan.yaml\nagreed: '2026-01-01'\n")
    result = run(*ADD, "-C", book, "--resume", other, env=editor(tmp_path, "x", "x"))
    assert result.exit_code == 2 and "not a draft of a document" in result.stderr


@pytest.mark.parametrize("missing", ["nowhere.yaml"])
def test_resume_of_a_missing_draft_is_a_usage_error(book: Path, tmp_path: Path,
                                                    missing: str) -> None:
    result = run(*ADD, "-C", book, "--resume", tmp_path / missing,
                 env=editor(tmp_path, "x", "x"))
    assert result.exit_code == 2 and "cannot read the draft" in result.stderr
