"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit framework against a
casebook repository: pass on a clean casebook, fail and name the file on a broken one, and
block a commit of a bad file.

The casebook's config names a release tag, as docs/ci.md tells a team to: the test clones this
repository's committed HEAD and tags the clone `vX.Y.Z` with `.ci/release tag` (the real
repository is never tagged). pre-commit installs prelude from that tag, so the first run
takes a little while.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prelude_cli import __version__

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout of prelude"),
]


IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=cwd, check=check, capture_output=True, text=True,
                          env={**os.environ, **IDENTITY}).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("pre_commit")
    base = tmp_path_factory.mktemp("precommit")
    hooks = base / "hooks"
    git(base, "clone", "--quiet", str(ROOT), str(hooks))
    if not (hooks / ".ci" / "release").is_file():
        pytest.skip(".ci/release is not committed yet")
    rev = f"v{__version__}"
    tagged = subprocess.run([sys.executable, ".ci/release", "tag"], cwd=hooks, text=True,
                            capture_output=True, env={**os.environ, **IDENTITY})
    assert tagged.returncode == 0, tagged.stderr  # the committed HEAD is releasable
    assert git(hooks, "cat-file", "-t", rev) == "tag"
    book = base / "book"
    subprocess.run([sys.executable, "-m", "prelude_cli", "init", str(book), "--ci", "none"],
                   check=True, capture_output=True, cwd=ROOT)
    (book / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {rev}\n    hooks:\n"
        "      - id: prelude-validate\n      - id: prelude-fmt\n", encoding="utf-8")
    git(book, "add", "-A")
    git(book, "commit", "-qm", "casebook")
    env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(base / "cache"), "NO_COLOR": "1"}
    env.pop("PRELUDE_CASEBOOK", None)
    return book, env


def pre_commit(book: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=book,
                          env=env, capture_output=True, text=True, timeout=600)


def test_hooks_pass_on_a_clean_casebook_and_fail_naming_the_file(repo) -> None:
    book, env = repo
    clean = pre_commit(book, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "prelude validate" in clean.stdout and "Passed" in clean.stdout

    broken = book / "cases" / "OP-7K3M9Q" / "case.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("id: OP-7K3M9Q\nofficer: [1]\n", encoding="utf-8")
    git(book, "add", "-A")
    failed = pre_commit(book, env)
    assert failed.returncode != 0
    assert "cases/OP-7K3M9Q/case.yaml:2:1: error schema-type" in failed.stdout

    broken.unlink()
    (book / "cases" / "OP-7K3M9Q").rmdir()
    (book / "providers.yaml").write_text(  # valid, but keys out of the schema's order
        "providers:\n  - name: Housing Advice\n    id: housing-advice\n    category: housing\n"
        "    statutory: true\n", encoding="utf-8")
    git(book, "add", "-A")
    unformatted = pre_commit(book, env)
    assert unformatted.returncode != 0
    assert "providers.yaml" in unformatted.stdout


def test_the_installed_hook_blocks_a_commit_of_a_bad_file(repo) -> None:
    book, env = repo
    git(book, "reset", "--quiet", "--hard", "HEAD")  # the clean casebook, whatever ran before
    git(book, "clean", "-qfd")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=book, env=env,
                   check=True, capture_output=True, timeout=120)
    head = git(book, "rev-parse", "HEAD")
    bad = book / "cases" / "OP-2MZ1A3" / "case.yaml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("id: OP-2MZ1A3\nofficer: PC 1 Test\nage_band: toddler\n", encoding="utf-8")
    git(book, "add", "-A")
    commit = subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-m", "bad case"],
                            cwd=book, env=env, capture_output=True, text=True, timeout=600)
    assert commit.returncode != 0
    assert "cases/OP-2MZ1A3/case.yaml" in commit.stdout + commit.stderr
    assert git(book, "rev-parse", "HEAD") == head  # nothing was committed
