"""`prelude init`: a documented casebook that validates clean, with git when it is there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from recordkit import run

from prelude_cli.book.settings import DEFAULT_DOMAINS, DEFAULT_POLICY, settings_from_data
from prelude_cli.files.yamlio import load_bytes
from prelude_cli.tools import init as init_core

HAVE_GIT = shutil.which("git") is not None


def test_init_writes_a_documented_casebook_that_validates(tmp_path: Path) -> None:
    root = tmp_path / "new"
    result = run("init", root, "--no-git")
    assert result.exit_code == 0, result.output
    for rel in ("casebook.yaml", "providers.yaml", "README.md", ".gitignore",
                ".gitattributes", "cases/.gitkeep"):
        assert (root / rel).is_file(), rel
    assert not (root / ".git").exists()
    text = (root / "casebook.yaml").read_text(encoding="utf-8")
    data = load_bytes(text.encode(), "casebook.yaml").data
    # every setting present, at the defaults prelude would use anyway
    assert set(data) == {"format", "programme", "protective_marking", "case_ids",
                         "review_policy", "due_soon",
                         "needs", "limits", "partners"}
    assert data["partners"] == []  # none until the force configures its agreements
    assert data["review_policy"] == DEFAULT_POLICY
    assert settings_from_data(data).domains == DEFAULT_DOMAINS
    assert text.count("\n# ") >= 7 and "  # After an include decision" in text
    ignored = (root / ".gitignore").read_text().splitlines()
    for entry in (".prelude-cache/", "reports/", "exports/", "identities.yaml", "*.tmp"):
        assert entry in ignored
    assert (root / ".gitattributes").read_text() == "*.yaml text eol=lf\n"
    checked = run("validate", "-C", root)
    assert checked.exit_code == 0 and "no problems" in checked.stdout


def test_init_refuses_an_existing_casebook(tmp_path: Path) -> None:
    (tmp_path / "casebook.yaml").write_text("format: 1\n")
    result = run("init", tmp_path, "--no-git")
    assert result.exit_code == 2
    assert "already holds a casebook" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casebook.yaml"]


def test_init_keeps_files_already_there(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Our casebook\n")
    (tmp_path / ".gitignore").write_text("*.pyc\nreports/\n")
    result = run("init", tmp_path, "--no-git")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "README.md").read_text() == "# Our casebook\n"
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert ignored[:2] == ["*.pyc", "reports/"] and ignored.count("reports/") == 1
    assert "identities.yaml" in ignored
    assert "kept existing README.md" in result.stdout


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    assert run("init", target).exit_code == 2


@pytest.mark.skipif(not HAVE_GIT, reason="git is not installed")
def test_init_runs_git_init_unless_inside_a_work_tree(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    result = run("init", root)
    assert result.exit_code == 0, result.output
    assert (root / ".git").is_dir()
    assert "initialised a git repository" in result.stdout
    nested = root / "books" / "north"
    result = run("init", nested)
    assert result.exit_code == 0
    assert "already inside a git work tree" in result.stdout
    assert not (nested / ".git").exists()
    ignored = subprocess.run(["git", "check-ignore", "-q", "identities.yaml"], cwd=root,
                             check=False)
    assert ignored.returncode == 0  # the identity register can never be committed


def test_init_without_git_installed_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(init_core.shutil, "which", lambda name: None)
    result = run("init", tmp_path / "book")
    assert result.exit_code == 0
    assert "git not found" in result.stdout
