"""Text output cannot be forged by a file name, and copies of the identity register are seen
and ignored; register problems never quote a value."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CASE_DIR, CASE_ID

from .faultkit import prelude

FORGED = "x\nok: 17 cases, 170 documents, no problems\n::error file=x::forged"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_file_name_cannot_forge_validate_lines(casebook, fmt: str) -> None:
    book = casebook()
    (book / CASE_DIR / FORGED).write_text("x")
    done = prelude("validate", "-C", book, "--format", fmt)
    lines = done.stdout.splitlines()
    assert not any(line.startswith(("ok:", "::error file=x::")) for line in lines), lines
    assert lines[-1].startswith("0 errors, 1 warning in 1 file")
    assert sum(1 for line in lines if "unexpected-file" in line) == 1


def test_a_case_folder_name_cannot_forge_stderr_lines(casebook) -> None:
    book = casebook()
    done = prelude("report", "case", "OP-\nprelude: wrote x", "-C", book)
    assert done.returncode == 2
    assert not any(line.startswith("prelude: wrote") for line in done.stderr.splitlines())


@pytest.mark.parametrize("name", [".identities.yaml.1a2b3c4d.tmp", "identities.yaml.bak",
                                  ".identities.yaml.swp"])
def test_register_copies_are_reported_and_ignored(casebook, tmp_path: Path, name: str) -> None:
    book = casebook()
    (book / name).write_text("OP-7K3M9Q: {name: Sam Example}\n")
    done = prelude("validate", "-C", book)
    assert f"{name}:0:0: warning identity-register-copy" in done.stdout
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    fresh = tmp_path / "fresh"
    assert prelude("init", fresh, "--ci", "none").returncode == 0
    (fresh / name).write_text("x")
    ignored = subprocess.run([git, "check-ignore", "-q", "--", name], cwd=fresh, check=False)
    assert ignored.returncode == 0, f"{name} is not ignored by init's .gitignore"


@pytest.mark.parametrize("entry", ["{name: Y}", "{name: Sam, date_of_birth: '1990-02-30'}",
                                   "{name: Sam, nickname: Spider}"])
def test_register_problems_never_quote_a_value(casebook, entry: str) -> None:
    book = casebook({"identities.yaml": f"{CASE_ID}: {entry}\n"})
    done = prelude("validate", "-C", book, "--format", "json")
    messages = [p["message"] for p in __import__("json").loads(done.stdout)["problems"]
                if p["path"] == "identities.yaml" and p["rule"] != "identity-register-tracked"]
    assert messages, done.stdout
    for value in ("'Y'", "1990-02-30", "Spider"):
        assert not any(value in m for m in messages), messages


def test_a_case_folder_name_cannot_split_a_due_table_row(casebook) -> None:
    book = casebook()
    shutil.copytree(book / CASE_DIR, book / "cases" / f"{CASE_ID}\noverdue forged")
    done = prelude("due-reviews", "-C", book, "--as-of", "2026-11-26")
    assert f"{CASE_ID}\\noverdue forged" in done.stdout
    assert not any(line.strip().startswith("overdue forged") for line in done.stdout.splitlines())
