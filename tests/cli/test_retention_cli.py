"""`prelude retention review`: retain into case.yaml; dispose with a record that outlives the
case, the folder and register entry gone, and the history rewrite left to the owners."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CASE = "OP-H66D7C"  # exited in 2025, reviewed for retention in 2026


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    (root / "identities.yaml").write_text(f"{CASE}:\n  name: Ann Quarnby\n"
                                          "OP-7FM7H9:\n  name: Bea Trellick\n")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("PRELUDE_USER", raising=False)
    return root


def due_retention(capsys, root: Path, within: str = "30y") -> list[str]:
    _, out, _ = run(capsys, "due-reviews", "-C", root, "--as-of", "2026-11-26", "--no-cache",
                    "--within", within, "--case", CASE, "--kind", "retention-review",
                    "--format", "json")
    return [i["due"] for i in json.loads(out)["items"]]


def test_retain_is_recorded_in_case_yaml_and_restarts_the_clock(capsys, book: Path) -> None:
    before = due_retention(capsys, book)
    code, out, err = run(capsys, "retention", "review", CASE, "-C", book, "--decision",
                         "retain", "--rationale", "Still shared with the receiving force",
                         "--reviewer", "Records officer B. Lomax", "--date", "2026-11-20",
                         "--as-of", "2026-11-26")
    assert (code, out) == (0, f"cases/{CASE}/case.yaml\n"), err
    reviews = yaml.safe_load((book / "cases" / CASE / "case.yaml").read_text())[
        "retention_reviews"]
    assert reviews[-1].pop("id").startswith("rr-")
    assert reviews[-1] == {"date": "2026-11-20", "reviewer": "Records officer B. Lomax",
                           "decision": "retain",
                           "rationale": "Still shared with the receiving force"}
    after = due_retention(capsys, book)
    assert after != before and after[0].startswith("2032-11-20")


def test_retain_needs_a_rationale_and_a_reviewer(capsys, book: Path) -> None:
    code, _, err = run(capsys, "retention", "review", CASE, "-C", book, "--decision", "retain",
                       "--reviewer", "B. Lomax")
    assert code == 2 and "--rationale" in err
    code, _, err = run(capsys, "retention", "review", "OP-NOSUCH", "-C", book, "--decision",
                       "retain", "--reviewer", "B. Lomax", "--rationale", "x")
    assert code == 1 and "no case" in err


def test_dispose_asks_for_yes_and_touches_nothing_without_it(capsys, book: Path) -> None:
    code, out, err = run(capsys, "retention", "review", CASE, "-C", book, "--decision",
                         "dispose", "--reviewer", "Insp 602 Rowe")
    assert code == 2 and "add --yes" in err and f"would delete cases/{CASE}" in err
    assert "would remove its entry from identities.yaml" in err
    code, out, _ = run(capsys, "retention", "review", CASE, "-C", book, "--decision",
                       "dispose", "--reviewer", "Insp 602 Rowe", "--dry-run")
    assert code == 0 and yaml.safe_load(out)["case"] == CASE
    assert (book / "cases" / CASE).is_dir() and not (book / "disposals" / "x").exists()
    assert len(list((book / "disposals").glob("*.yaml"))) == 1  # the sample's own
    code, _, err = run(capsys, "retention", "review", CASE, "-C", book, "--decision",
                       "dispose", "--reviewer", "Insp 602 Rowe", "--rationale", "x", "--yes")
    assert code == 2 and "keeps no free text" in err


def test_dispose_removes_the_case_keeps_the_decision_and_prints_the_history_steps(
        capsys, book: Path) -> None:
    code, out, err = run(capsys, "retention", "review", CASE, "-C", book, "--decision",
                         "dispose", "--reviewer", "Insp 602 Rowe", "--date", "2026-11-26",
                         "--yes")
    assert code == 0, err
    record = out.splitlines()[0]
    assert record.startswith("disposals/2026-11-26-")
    assert yaml.safe_load((book / record).read_text()) == {
        "case": CASE, "date": "2026-11-26", "reviewer": "Insp 602 Rowe", "decision": "dispose"}
    assert not (book / "cases" / CASE).exists()
    assert not any((book / ".prelude-cache").glob("disposing-*"))
    register = (book / "identities.yaml").read_text()
    assert "Ann Quarnby" not in register and "Bea Trellick" in register
    assert f"git filter-repo --path cases/{CASE} --invert-paths" in out
    assert "git push --force --all" in out and f"prelude disclosures --case {CASE}" in out
    result = validate(open_casebook(book), as_of=date(2026, 11, 26))
    assert result.problems == [] and result.cases == 16
    code, _, err = run(capsys, "due-reviews", "-C", book, "--as-of", "2026-11-26", "--case", CASE)
    assert code == 2 and f"no case {CASE}" in err  # gone: nothing is due for it


def test_dispose_leaves_no_cached_copy_of_the_case(capsys, book: Path, tmp_path: Path) -> None:
    """Every cache of the reading commands, the export's row store and the case's drafts
    held what the case held: none of it outlives the disposal."""
    for args in (["validate"], ["case", "list"], ["report", "programme"],
                 ["export", "--format", "sqlite", "--include-text", "--out",
                  tmp_path / "x.sqlite"]):
        code, _, err = run(capsys, *args, "-C", book, "--as-of", "2026-11-26")
        assert code in (0, 1), err
    drafts = book / ".prelude-cache" / "drafts"
    drafts.mkdir()
    (drafts / "a.yaml").write_text(f"# prelude draft of cases/{CASE}/exit.yaml\nnote: x\n")
    (drafts / "b.yaml").write_text("# prelude draft of cases/OP-7FM7H9/exit.yaml\nnote: y\n")
    cached = [p for p in (book / ".prelude-cache").rglob("*") if p.is_file()]
    assert any(CASE.encode() in p.read_bytes() for p in cached)
    code, _, err = run(capsys, "retention", "review", CASE, "-C", book, "--decision",
                       "dispose", "--reviewer", "Insp 602 Rowe", "--date", "2026-11-26",
                       "--yes")
    assert code == 0, err
    left = [p for p in (book / ".prelude-cache").rglob("*") if p.is_file()]
    assert [p.name for p in left if CASE.encode() in p.read_bytes()] == []
    assert (drafts / "b.yaml").is_file()  # another case's draft stays
    code, _, err = run(capsys, "export", "-C", book, "--as-of", "2026-11-26", "--format",
                       "sqlite", "--include-text", "--out", tmp_path / "y.sqlite")
    assert code in (0, 1), err
