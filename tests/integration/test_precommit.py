"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit framework against a
casebook repository: pass on a clean casebook, fail and name the file on a broken one.

pre-commit installs prelude from a clone of this repository's committed HEAD (as a team's
config would from a tag), so the first run takes a little while.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout of prelude"),
]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("pre_commit")
    base = tmp_path_factory.mktemp("precommit")
    hooks = base / "hooks"
    git(base, "clone", "--quiet", str(ROOT), str(hooks))
    if not (hooks / ".pre-commit-hooks.yaml").is_file():
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    rev = git(hooks, "rev-parse", "HEAD")
    book = base / "book"
    subprocess.run([sys.executable, "-m", "prelude_cli", "init", str(book), "--ci", "none"],
                   check=True, capture_output=True, cwd=ROOT)
    (book / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {rev}\n    hooks:\n"
        "      - id: prelude-validate\n      - id: prelude-fmt\n", encoding="utf-8")
    git(book, "add", "-A")
    git(book, "commit", "-qm", "casebook")
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "cache"), "NO_COLOR": "1"}
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
