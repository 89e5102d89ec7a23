"""Every file prelude writes outside the casebook's documents (reports, exports) goes through
`outputs`: never over a device, FIFO or link, never over an existing file without --force,
never over a document or setting even with --force, and nothing left behind on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CASE_ID

from prelude_cli.files import outputs

from .faultkit import make_special, prelude, tree_hashes

EXPORTS = {"csv": "out", "jsonl": "out", "sqlite": "out.sqlite", "xlsx": "out.xlsx"}


def report(book: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return prelude("report", "case", CASE_ID, "-C", book, "--as-of", "2026-11-26",
                   "--out", out, *extra)


def export(book: Path, out: Path, fmt: str, *extra: str):  # type: ignore[no-untyped-def]
    return prelude("export", "-C", book, "--as-of", "2026-11-26", "--format", fmt,
                   "--out", out, *extra)


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("force", [False, True])
def test_report_never_replaces_or_reads_a_special_file(casebook, tmp_path: Path, kind: str,
                                                       force: bool) -> None:
    book = casebook()
    target = tmp_path / "out" / "null"
    make_special(target, kind)
    done = report(book, target, *(["--force"] if force else []))
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and done.stderr.count("\n") == 1
    assert not target.is_file() and not target.is_dir()  # still the special file
    assert os.listdir(target.parent) == ["null"]


@pytest.mark.parametrize("fmt", list(EXPORTS))
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_export_never_replaces_or_reads_a_special_file(casebook, tmp_path: Path, fmt: str,
                                                       kind: str) -> None:
    book = casebook()
    target = tmp_path / "out" / EXPORTS[fmt]
    make_special(target, kind)
    done = export(book, target, fmt, "--force")
    assert done.returncode == 2, done.stderr
    assert "nothing was exported" in done.stderr and done.stderr.count("\n") == 1
    assert os.listdir(target.parent) == [EXPORTS[fmt]]


def test_report_refuses_an_existing_file_without_force(casebook, tmp_path: Path) -> None:
    book = casebook()
    target = tmp_path / "case.md"
    target.write_text("my notes")
    done = report(book, target)
    assert done.returncode == 2 and "--force" in done.stderr
    assert target.read_text() == "my notes"
    assert report(book, target, "--force").returncode == 0
    assert target.read_text().startswith(f"**OFFICIAL-SENSITIVE**\n\n# Case {CASE_ID}")


@pytest.mark.parametrize("command", ["report", "export"])
def test_never_writes_through_a_link(casebook, tmp_path: Path, command: str) -> None:
    book = casebook()
    victim = tmp_path / "victim.sqlite"
    victim.write_bytes(b"SQLite format 3\x00 precious")
    link = tmp_path / "link.sqlite"
    link.symlink_to(victim)
    done = (report(book, link, "--force") if command == "report"
            else export(book, link, "sqlite", "--force"))
    assert done.returncode == 2 and "link" in done.stderr
    assert victim.read_bytes() == b"SQLite format 3\x00 precious" and link.is_symlink()


@pytest.mark.parametrize("rel", [f"cases/{CASE_ID}/plan.yaml", f"cases/{CASE_ID}/case.yaml",
                                 "casebook.yaml", "providers.yaml", "identities.yaml",
                                 "disclosures/2026-01-01-abcd.yaml", ".gitignore",
                                 ".git/config", "schemas/case.schema.json"])
def test_force_never_writes_over_a_document_or_setting(casebook, rel: str) -> None:
    book = casebook()
    before = tree_hashes(book)
    done = report(book, book / rel, "--force", "--force-inside")
    assert done.returncode == 2 and "even with --force" in done.stderr
    done = export(book, book / rel, "sqlite", "--force", "--force-inside")
    assert done.returncode == 2 and "even with --force" in done.stderr
    assert tree_hashes(book) == before


def test_an_ignored_output_folder_inside_the_casebook_is_allowed(casebook) -> None:
    book = casebook({".gitignore": "exports/\nreports/\n"})
    assert report(book, book / "reports" / "case.md").returncode == 0
    assert export(book, book / "exports" / "p.sqlite", "sqlite").returncode == 0


def test_write_output_cleans_up_and_says_one_line(tmp_path: Path) -> None:
    def half_then_full(tmp: Path) -> None:
        tmp.mkdir()
        (tmp / "a.csv").write_text("x")
        raise OSError(28, "No space left on device")

    with pytest.raises(outputs.OutputError) as caught:
        outputs.write_output(tmp_path / "out", half_then_full, force=False,
                             casebook_root=None, folder=True)
    assert str(caught.value).count("\n") == 0 and "No space left" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_write_output_withdraws_what_before_publish_did(tmp_path: Path, monkeypatch) -> None:
    log: list[str] = []

    def boom(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(outputs, "_publish", boom)
    with pytest.raises(outputs.OutputError, match="Input/output error"):
        outputs.write_bytes(tmp_path / "r.md", b"hello", force=False, casebook_root=None,
                            before_publish=lambda: log.append("recorded"),
                            on_failure=lambda: log.append("withdrawn"))
    assert log == ["recorded", "withdrawn"] and list(tmp_path.iterdir()) == []
