"""`prelude identity` and `--reveal`: names only when asked and only from the register; the
sample's register (made here, never committed) names nobody the repository mentions."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)
CASE = "OP-7FM7H9"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def invented_names(count: int, seed: int = 20261126) -> list[tuple[str, str]]:
    """Fictional names put together from syllables at run time, so no tracked file (this one
    included) holds any of them whole."""
    rng = random.Random(seed)
    first = ["zor", "vel", "quin", "dax", "mir", "thal", "oru", "kesh", "ylva", "brae"]
    second = ["vak", "wen", "dris", "tolm", "ska", "rune", "phel", "nix", "gard", "lio"]

    def word() -> str:
        return (rng.choice(first) + rng.choice(second) + rng.choice(second)).capitalize()

    return [(f"{word()} {word()}", word()) for _ in range(count)]


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("PRELUDE_USER", "A. Analyst")
    return root


@pytest.fixture
def registered(book: Path) -> tuple[Path, dict[str, tuple[str, str]]]:
    """The sample with a register for every case: written by the command, as a user would."""
    names = dict(zip(open_casebook(book).case_ids(), invented_names(17), strict=True))
    lines = []
    for case_id, (name, alias) in names.items():
        lines += [f"{case_id}:", f"  name: {name}", f"  other_names: [{alias}]",
                  "  date_of_birth: '2008-01-01'"]
    (book / "identities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return book, names


def test_sample_register_names_appear_in_no_tracked_file(registered) -> None:
    """The issue's test: `git grep` for every name in the sample's register finds nothing."""
    book, names = registered
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    words = {w for name, alias in names.values() for w in (*name.split(), alias)}
    assert validate(open_casebook(book), as_of=AS_OF).problems == []  # no name in any text
    for word in sorted(words):
        done = subprocess.run(["git", "grep", "-i", "-l", "-w", "-e", word], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 1, (word, done.stdout)  # 1: no match in tracked files


def test_sample_ignores_its_register() -> None:
    assert "identities.yaml" in (ROOT / "sample_casebook" / ".gitignore").read_text().split()
    if shutil.which("git") and (ROOT / ".git").exists():
        done = subprocess.run(["git", "check-ignore", "-q", "sample_casebook/identities.yaml"],
                              cwd=ROOT, check=False)
        assert done.returncode == 0


def test_reveal_shows_the_name_only_when_asked(capsys, registered) -> None:
    book, names = registered
    name = names[CASE][0]
    code, out, _ = run(capsys, "case", "show", CASE, "-C", book, "--as-of", "2026-11-26")
    assert code == 0 and name not in out
    code, out, _ = run(capsys, "case", "show", CASE, "-C", book, "--as-of", "2026-11-26",
                       "--reveal")
    assert code == 0 and f"name: {name}" in out
    code, out, _ = run(capsys, "case", "show", CASE, "-C", book, "-f", "json", "--reveal")
    assert json.loads(out)["person"] == {"name": name}
    for fmt in ("md", "html", "json"):
        code, out, _ = run(capsys, "report", "case", CASE, "-C", book, "-f", fmt)
        assert code == 0 and name not in out
        code, out, _ = run(capsys, "report", "case", CASE, "-C", book, "-f", fmt, "--reveal")
        assert code == 0 and name in out
    code, out, err = run(capsys, "report", "case", CASE, "-C", book, "--reveal",
                         "--audience", "partner", "--recipient", "yjs", "--purpose", "x")
    assert (code, out) == (2, "") and "--reveal is refused" in err
    assert not (book / "disclosures" / "x").exists()


def test_reveal_without_a_register_says_so(capsys, book: Path) -> None:
    code, out, err = run(capsys, "report", "case", CASE, "-C", book, "-f", "json", "--reveal")
    assert code == 0 and json.loads(out)["person"] is None
    assert "no readable identity register (identities.yaml is absent)" in err


def test_set_show_remove(capsys, book: Path, monkeypatch) -> None:
    code, out, _ = run(capsys, "identity", "show", CASE, "-C", book)
    assert (code, out) == (1, f"{CASE}: no entry (identities.yaml is absent)\n")
    code, out, _ = run(capsys, "identity", "set", CASE, "-C", book, "--name", "Ann Example",
                       "--pnc", "08/123456A", "--police-ref", "TVP-1", "--police-ref", "TVP-2")
    assert (code, out) == (0, "identities.yaml\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        b"other_names: [Annie]\naddress: 1 Example Road\n")))
    code, _, err = run(capsys, "identity", "set", CASE, "-C", book, "--from-file", "-")
    assert code == 0, err
    code, out, _ = run(capsys, "identity", "show", CASE, "-C", book)
    assert out == (f"{CASE}: an entry holds name, other names, address, PNC id, police "
                   "references (--reveal to show it)\n")
    code, out, _ = run(capsys, "identity", "show", CASE, "-C", book, "--reveal", "-f", "json")
    assert json.loads(out)["identity"] == {
        "name": "Ann Example", "other_names": ["Annie"], "address": "1 Example Road",
        "pnc_id": "08/123456A", "police_references": ["TVP-1", "TVP-2"]}
    code, out, _ = run(capsys, "identity", "show", CASE, "-C", book, "--reveal")
    assert "Ann Example" in out and "08/123456A" in out
    code, _, err = run(capsys, "identity", "set", CASE, "-C", book, "--pnc", "123")
    assert code == 1 and "pnc_id" in err and "123" not in err
    code, _, err = run(capsys, "identity", "set", "OP-NOSUCH", "-C", book, "--name", "X Y")
    assert code == 1 and "no case" in err
    code, _, _ = run(capsys, "identity", "remove", CASE, "-C", book)
    assert code == 0 and "Ann" not in (book / "identities.yaml").read_text()
    code, _, err = run(capsys, "identity", "remove", CASE, "-C", book)
    assert code == 1 and "no entry" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_set_refused_where_git_could_commit_the_register(capsys, book: Path) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "init", "-q"], cwd=book, env=env, check=True)
    (book / ".gitignore").write_text(".prelude-cache/\n")
    code, _, err = run(capsys, "identity", "set", CASE, "-C", book, "--name", "Ann Example")
    assert code == 1 and "not ignored by git" in err
    assert not (book / "identities.yaml").exists()
    (book / ".gitignore").write_text("identities.yaml\n")
    code, _, _ = run(capsys, "identity", "set", CASE, "-C", book, "--name", "Ann Example")
    assert code == 0


def test_recording_refuses_a_note_naming_the_person_unless_reviewed(capsys, book: Path) -> None:
    (book / "identities.yaml").write_text(f"{CASE}:\n  name: Rhiannon Qwell\n")
    contacts = book / "cases" / CASE / "contacts"
    before = sorted(contacts.iterdir())
    args = ["contact", "add", CASE, "-C", book, "--as-of", "2026-11-26", "--by", "T. Mensah",
            "--method", "phone", "--purpose", "support", "--outcome", "engaged",
            "--notes", "Rhiannon rang back."]
    code, out, err = run(capsys, *args)
    assert code == 1 and out == ""
    assert "warning pii-in-text notes may hold personal data (the person's name)" in err
    assert "nothing written" in err and "--reviewed" in err
    assert "Rhiannon" not in err
    assert sorted(contacts.iterdir()) == before
    code, out, err = run(capsys, *args, "--reviewed")
    assert code == 0 and out.startswith(f"cases/{CASE}/contacts/2026-11-26-")
    written = (book / out.strip()).read_text()
    assert "# prelude: reviewed\nnotes: Rhiannon rang back." in written
    assert "pii-in-text" not in err
