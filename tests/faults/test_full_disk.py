"""A full disk and a read-only one, for real: a small tmpfs (root only, as CI runs; skipped with
the reason otherwise). Every output fails in one line with exit 1, leaves no temporary file,
and a disclosure recorded for it is withdrawn."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CASE_ID, MINIMAL_CASE

from .faultkit import fill, prelude, small_disk, tree_hashes

EXPORTS = {"csv": "out", "jsonl": "out", "sqlite": "out.sqlite", "xlsx": "out.xlsx"}
PARTNER = ("--audience", "partner", "--recipient", "youth-justice", "--purpose", "panel",
           "--by", "A. Analyst")
# A partner output needs the partner's agreement in casebook.yaml.
WITH_PARTNER = {"casebook.yaml": str(MINIMAL_CASE["casebook.yaml"]) + (
    "\npartners:\n  - id: youth-justice\n    name: Youth Justice Service\n"
    "    agreement: {reference: ISA-1, version: '1'}\n    purposes: [panel]\n"
    "    lawful_basis: DPA 2018 s.35\n    valid_from: '2026-01-01'\n"
    "    valid_to: '2026-12-31'\n    scope: {}\n")}


def one_clear_line(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("prelude: "), done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.parametrize("leave", [0, 2_000, 40_000])
@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_export_on_a_full_disk(casebook, tmp_path: Path, fmt: str, leave: int) -> None:
    book = casebook()
    with small_disk(tmp_path / "disk") as disk:
        fill(disk, leave)
        done = prelude("export", "-C", book, "--format", fmt, "--out", disk / EXPORTS[fmt],
                       "--as-of", "2026-11-26", "--include-text")
        names = sorted(p.name for p in disk.iterdir())
    if done.returncode == 0:  # it fitted in what was left: then it is whole
        assert names == sorted(["filler", EXPORTS[fmt]])
        return
    one_clear_line(done)
    assert "No space left on device" in done.stderr
    assert names == ["filler"]


def test_partner_report_on_a_full_disk_withdraws_its_disclosure(casebook,
                                                                tmp_path: Path) -> None:
    book = casebook(WITH_PARTNER)
    before = tree_hashes(book)
    with small_disk(tmp_path / "disk") as disk:
        fill(disk)
        done = prelude("report", "case", CASE_ID, "-C", book, "--as-of", "2026-11-26",
                       "--format", "html", "--out", disk / "case.html", *PARTNER)
        names = sorted(p.name for p in disk.iterdir())
    assert done.returncode == 1 and "No space left on device" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert names == ["filler"]
    after = tree_hashes(book)
    after.pop("disclosures", None)  # the folder may stay, empty; no record in it
    assert after == before


def test_disclosure_on_a_full_disk_is_exit_1_not_2(tmp_path: Path, casebook) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        book = casebook(WITH_PARTNER)
        import shutil

        shutil.copytree(book, disk / "book")
        fill(disk)
        done = prelude("report", "case", CASE_ID, "-C", disk / "book", "--as-of",
                       "2026-11-26", "--out", tmp_path / "case.md", *PARTNER)
        assert not list((disk / "book").rglob("disclosures/*.yaml"))
    assert done.returncode == 1 and "cannot record the disclosure" in done.stderr
    assert not (tmp_path / "case.md").exists()


@pytest.mark.parametrize("fmt", ["report", *EXPORTS])
def test_read_only_file_system(casebook, tmp_path: Path, fmt: str) -> None:
    book = casebook()
    with small_disk(tmp_path / "ro") as disk:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        if fmt == "report":
            done = prelude("report", "case", CASE_ID, "-C", book, "--as-of", "2026-11-26",
                           "--out", disk / "case.md")
        else:
            done = prelude("export", "-C", book, "--format", fmt, "--out",
                           disk / EXPORTS[fmt], "--as-of", "2026-11-26")
        names = list(disk.iterdir())
    one_clear_line(done)
    assert "Read-only file system" in done.stderr and names == []


@pytest.mark.parametrize("leave", [0, 3_000, 6_000, 12_000])
def test_case_new_on_a_full_disk_leaves_no_empty_folder(casebook, tmp_path: Path,
                                                        leave: int) -> None:
    import shutil

    from .test_all_or_nothing import CASE_NEW, NEW_ID

    with small_disk(tmp_path / "disk", "1m") as disk:
        shutil.copytree(casebook(), disk / "book")
        assert prelude("validate", "-C", disk / "book").returncode == 0  # cache made first
        before = tree_hashes(disk / "book")
        fill(disk, leave)
        done = prelude(*CASE_NEW, "-C", disk / "book")
        (disk / "filler").unlink()
        prelude("validate", "-C", disk / "book")  # finishes anything interrupted
        after = tree_hashes(disk / "book")
    if done.returncode == 0:
        assert {k for k in after if NEW_ID in k} == {
            f"cases/{NEW_ID}", f"cases/{NEW_ID}/case.yaml", f"cases/{NEW_ID}/identification.yaml"}
        return
    one_clear_line(done)
    assert after == before and not (tmp_path / "disk" / "book" / "cases" / NEW_ID).exists()
