"""Bad input through the whole validator: each fault is an error at its file and line, and one
broken file never hides the problems of another."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, CASE_ID
from conftest import CASE_DIR as C
from conftest import MINIMAL_FLAT as MINIMAL
from typer.testing import CliRunner

from prelude_cli.book import casebook as casebook_module
from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.problems import ERROR, Problem
from prelude_cli.checks.validation import ValidationResult, validate
from prelude_cli.cli.main import app

SECRET = "Jane Doe of 4 Elm Street"


def contact(day: str, *lines: str) -> bytes:
    """A valid contact (no contact made, so no messages needed), with `lines` appended."""
    text = (f"date: '{day}'\n"
            "by: Youth worker T. Mensah\n"
            "method: home-visit\n"
            "purpose: engage-and-explain\n"
            "outcome: no-contact\n")
    return (text + "".join(f"{line}\n" for line in lines)).encode()


def bomb() -> bytes:
    """A billion laughs: nine levels of nine aliases each, after two ordinary lines."""
    lines = [b"date: '2026-01-29'", b"by: Youth worker T. Mensah",
             b"a0: &a0 [" + b", ".join([b"'lol'"] * 9) + b"]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [".encode() + b", ".join([f"*a{i - 1}".encode()] * 9) + b"]")
    return b"\n".join(lines) + b"\n"


# name: (file, content, rule, line). Each file name is different, so all can live together.
FAULTS: dict[str, tuple[str, bytes, str, int]] = {
    "malformed-yaml": (f"{C}/contacts/2026-01-20-aa01.yaml",
                       contact("2026-01-20").replace(b"by: Youth worker T. Mensah",
                                                     b"by: Youth worker: T. Mensah"),
                       "yaml-syntax", 2),
    "bad-indentation": (f"{C}/contacts/2026-01-20-aa02.yaml",
                        contact("2026-01-20").replace(b"method:", b"  method:"),
                        "yaml-syntax", 3),
    "wrong-type": (f"{C}/contacts/2026-01-20-aa03.yaml",
                   contact("2026-01-20").replace(b"by: Youth worker T. Mensah", b"by: 42"),
                   "schema-type", 2),
    "unknown-key": (f"{C}/case.yaml",
                    MINIMAL[f"{C}/case.yaml"].encode() + b"nickname: 'x'\n",
                    "schema-unknown-field", 6),
    "impossible-date": (f"{C}/contacts/2026-02-30-aa04.yaml", contact("2026-02-30"),
                        "schema-format", 1),
    "unquoted-date": (f"{C}/contacts/2026-01-20-aa05.yaml",
                      contact("2026-01-20").replace(b"'2026-01-20'", b"2026-01-20"),
                      "unquoted-date", 1),
    "empty-file": (f"{C}/contacts/2026-01-20-aa06.yaml", b"", "empty-document", 1),
    "duplicate-key": (f"{C}/contacts/2026-01-20-aa07.yaml",
                      contact("2026-01-20", "outcome: engaged"), "yaml-duplicate-key", 6),
    "anchor-alias": (f"{C}/contacts/2026-01-20-aa08.yaml",
                     contact("2026-01-20", "notes: &n 'Seen.'", "extra: *n"), "yaml-anchor", 6),
    "alias-without-anchor": (f"{C}/contacts/2026-01-20-aa09.yaml",
                             contact("2026-01-20", "notes: *n"), "yaml-alias", 6),
    "alias-bomb": (f"{C}/contacts/2026-01-29-aa10.yaml", bomb(), "yaml-anchor", 3),
    "python-tag": (f"{C}/contacts/2026-01-20-aa11.yaml",
                   contact("2026-01-20", "notes: !!python/object/apply:os.system ['echo hi']"),
                   "yaml-tag", 6),
    "yaml-1.1-directive": (f"{C}/contacts/2026-01-20-aa12.yaml",
                           b"%YAML 1.1\n---\n" + contact("2026-01-20"), "yaml-directive", 1),
    "non-utf8": (f"{C}/contacts/2026-01-20-aa13.yaml",
                 contact("2026-01-20") + b"notes: 'caf\xe9 (Latin-1)'\n", "encoding", 6),
    "control-character": (f"{C}/contacts/2026-01-20-aa14.yaml",
                          contact("2026-01-20", "notes: 'bell\x07'"), "control-character", 6),
    "utf-16": (f"{C}/contacts/2026-01-20-aa15.yaml", contact("2026-01-20").decode()
               .encode("utf-16"), "encoding", 1),
    "too-large": (f"{C}/contacts/2026-01-20-aa16.yaml",
                  contact("2026-01-20", "notes: '" + "x" * 3000 + "'"), "file-too-large", 0),
    "broken-settings": ("casebook.yaml", b"format: 1\nformat: 1\n",
                        "yaml-duplicate-key", 2),
    "broken-providers": ("providers.yaml", b"providers: [\n", "yaml-syntax", 2),
}
# The size limit must be in force for "too-large"; it is the same for every test here.
SETTINGS = b"format: 1\nlimits: {max_document_bytes: 2048}\n"


def run(root: Path, only: list[str] | None = None) -> ValidationResult:
    return validate(open_casebook(root), as_of=AS_OF, only=only)


def where(problems: list[Problem]) -> set[tuple[str, int, str]]:
    return {(p.path, p.line, p.rule) for p in problems}


def test_faults_are_what_they_claim() -> None:
    assert len(FAULTS["too-large"][1]) > 3000
    assert b"\xe9" in FAULTS["non-utf8"][1]
    assert FAULTS["alias-bomb"][1].count(b"*a") == 81


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_is_an_error_at_its_file_and_line(casebook: Callable[..., Path],
                                                     name: str) -> None:
    path, content, rule, line = FAULTS[name]
    base = {"casebook.yaml": SETTINGS} if path != "casebook.yaml" else {}
    root = casebook({**base, path: content})
    result = run(root)
    assert not result.valid
    matching = [p for p in result.problems if (p.path, p.rule) == (path, rule)]
    assert len(matching) == 1, result.problems
    assert matching[0].line == line
    assert matching[0].severity == ERROR
    # Nothing else in the casebook is disturbed by the broken file.
    assert {p.path for p in result.problems if p.is_error} == {path}


def test_every_fault_at_once_hides_nothing(casebook: Callable[..., Path]) -> None:
    files: dict[str, str | bytes | None] = {"casebook.yaml": SETTINGS}
    files.update({path: content for path, content, _, _ in FAULTS.values()
                  if path != "casebook.yaml"})
    # A second, valid case and a broken one beside the first.
    files["cases/OP-AAAAAA/case.yaml"] = MINIMAL[f"{C}/case.yaml"].replace(
        CASE_ID, "OP-AAAAAA")
    files["cases/OP-AAAAAA/identification.yaml"] = MINIMAL[f"{C}/identification.yaml"]
    files["cases/OP-BBBBBB/case.yaml"] = b"id: [\n"
    files["cases/OP-BBBBBB/identification.yaml"] = MINIMAL[f"{C}/identification.yaml"]
    root = casebook(files)
    result = run(root)
    expected = {(path, line, rule) for path, _, rule, line in FAULTS.values()
                if path != "casebook.yaml"}
    expected.add(("cases/OP-BBBBBB/case.yaml", 2, "yaml-syntax"))
    assert where([p for p in result.problems if p.is_error]) == expected
    assert result.cases == 3


def test_fast_and_reference_paths_agree_on_every_fault(casebook: Callable[..., Path]) -> None:
    files: dict[str, str | bytes | None] = {"casebook.yaml": SETTINGS}
    files.update({path: content for path, content, _, _ in FAULTS.values()
                  if path != "casebook.yaml"})
    root = casebook(files)
    fast = validate(open_casebook(root, fast=True), as_of=AS_OF, fast=True)
    ref = validate(open_casebook(root, fast=False), as_of=AS_OF, fast=False)
    assert fast.problems == ref.problems
    assert len(fast.problems) >= len(FAULTS) - 1


def test_alias_bomb_is_refused_fast(casebook: Callable[..., Path]) -> None:
    path, content, _, _ = FAULTS["alias-bomb"]
    root = casebook({path: content})
    book = open_casebook(root)
    start = time.perf_counter()
    result = validate(book, as_of=AS_OF)
    assert time.perf_counter() - start < 1.0
    assert ("yaml-anchor", 3) in {(p.rule, p.line) for p in result.problems}


def test_a_wrong_type_never_quotes_free_text(casebook: Callable[..., Path]) -> None:
    root = casebook({f"{C}/contacts/2026-01-20-ab12.yaml": contact("2026-01-20").replace(
        b"method: home-visit", f"method: {SECRET}".encode()).replace(
        b"by: Youth worker T. Mensah", f"by: [{SECRET}]".encode())})
    result = run(root)
    assert where(result.problems) == {
        (f"{C}/contacts/2026-01-20-ab12.yaml", 2, "schema-type"),
        (f"{C}/contacts/2026-01-20-ab12.yaml", 3, "schema-enum")}
    assert all(SECRET not in p.message for p in result.problems)


def test_bom_and_crlf_are_fine(casebook: Callable[..., Path]) -> None:
    crlf = b"\xef\xbb\xbf" + contact("2026-01-20").replace(b"\n", b"\r\n")
    root = casebook({f"{C}/contacts/2026-01-20-ab12.yaml": crlf,
                     f"{C}/case.yaml": b"\xef\xbb\xbf"
                     + MINIMAL[f"{C}/case.yaml"].replace("\n", "\r\n").encode()})
    result = run(root)
    assert result.problems == []
    assert result.documents == 5


# --- links ---------------------------------------------------------------------------------

@contextmanager
def reads_recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every file the casebook module opens and every folder anyone lists, while inside.
    An open refused (a link met with O_NOFOLLOW) is not a read, so only successes count."""
    seen: list[str] = []
    real_open, real_os_open, real_scandir = open, os.open, os.scandir

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, *args, **kwargs)
        seen.append(os.fspath(file))
        return handle

    def spy_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        fd = real_os_open(file, *args, **kwargs)
        seen.append(os.fspath(file))
        return fd

    def spy_scandir(path: Any = ".") -> Any:
        seen.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(casebook_module, "open", spy_open, raising=False)
    monkeypatch.setattr(os, "scandir", spy_scandir)
    monkeypatch.setattr(os, "open", spy_os_open)
    yield seen


def symlink_or_skip(target: Path, link: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")


def test_links_are_errors_and_never_followed(casebook: Callable[..., Path], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = casebook()
    outside = tmp_path / "outside"
    (outside / "case").mkdir(parents=True)
    (outside / "contacts").mkdir()
    for name in ("plan.yaml", "2026-01-20-ab12.yaml", "case/case.yaml",
                 "case/identification.yaml", "contacts/2026-01-21-ab12.yaml"):
        (outside / name).write_text(f"notes: '{SECRET}'\n: [\n", encoding="utf-8")
    (root / C / "contacts").mkdir()
    symlink_or_skip(outside / "plan.yaml", root / C / "plan.yaml")
    symlink_or_skip(outside / "2026-01-20-ab12.yaml", root / C / "contacts/2026-01-20-ab12.yaml")
    symlink_or_skip(outside / "case", root / "cases" / "OP-AAAAAA")
    (root / "cases" / "OP-BBBBBB").mkdir()
    (root / "cases" / "OP-BBBBBB" / "case.yaml").write_text("x: 1\n", encoding="utf-8")
    symlink_or_skip(outside / "contacts", root / "cases" / "OP-BBBBBB" / "contacts")
    with reads_recorded(monkeypatch) as seen:
        result = run(root)
    assert not result.valid
    links = {(p.path, p.line, p.severity) for p in result.problems if p.rule == "symlink"}
    assert links == {(f"{C}/plan.yaml", 0, ERROR), (f"{C}/contacts/2026-01-20-ab12.yaml", 0, ERROR),
                     ("cases/OP-AAAAAA", 0, ERROR), ("cases/OP-BBBBBB/contacts", 0, ERROR)}
    assert any(s.endswith("identification.yaml") for s in seen)  # the spy does see reads
    assert [s for s in seen if str(outside) in str(Path(s).resolve())] == []
    assert all(SECRET not in p.message for p in result.problems)
    assert all(p.rule != "yaml-syntax" for p in result.problems)


def test_linked_providers_file_is_an_error(casebook: Callable[..., Path], tmp_path: Path) -> None:
    root = casebook({"providers.yaml": None})
    target = tmp_path / "providers.yaml"
    target.write_text("providers: []\n", encoding="utf-8")
    symlink_or_skip(target, root / "providers.yaml")
    result = run(root)
    assert ("providers.yaml", 0, "symlink") in where(result.problems)
    assert not result.valid


def case_insensitive(folder: Path) -> bool:
    probe = folder / "case-probe"
    probe.write_text("", encoding="utf-8")
    try:
        return (folder / "CASE-PROBE").exists()
    finally:
        probe.unlink()


def test_case_folders_differing_only_in_letter_case(casebook: Callable[..., Path],
                                                    tmp_path: Path) -> None:
    if case_insensitive(tmp_path):
        pytest.skip("the file system ignores letter case")
    root = casebook({
        "cases/OP-7k3M9Q/case.yaml": MINIMAL[f"{C}/case.yaml"],
        "cases/OP-7k3M9Q/identification.yaml": MINIMAL[f"{C}/identification.yaml"],
    })
    result = run(root)
    clash = [p for p in result.problems if p.path == "cases/OP-7k3M9Q" and p.rule == "case-id"]
    assert len(clash) == 1
    assert clash[0].severity == ERROR
    assert "differs only in letter case from OP-7K3M9Q" in clash[0].message
    # The other folder is untouched by the clash: its case still validates cleanly.
    assert [p for p in result.problems if p.path.startswith(C + "/")] == []


def test_stray_entries_in_cases_folder(casebook: Callable[..., Path]) -> None:
    root = casebook({"cases/README.md": "x", "cases/.gitkeep": ""})
    result = run(root)
    assert [(p.path, p.severity, p.rule) for p in result.problems] == [
        ("cases/README.md", "warning", "unexpected-file")]
    assert result.valid


# --- validating some paths -----------------------------------------------------------------

ONLY_FILES: dict[str, str | bytes | None] = {
    # In the case checked: a contact before the identification decision (found only by
    # reading identification.yaml) and a broken case.yaml.
    f"{C}/contacts/2026-01-05-ab12.yaml": contact("2026-01-05"),
    f"{C}/case.yaml": MINIMAL[f"{C}/case.yaml"] + "nickname: 'x'\n",
    # Another case, broken.
    "cases/OP-AAAAAA/case.yaml": "id: [\n",
    "cases/OP-AAAAAA/identification.yaml": MINIMAL[f"{C}/identification.yaml"],
}


def test_only_a_file_reports_that_file_with_its_cross_document_rules(
        casebook: Callable[..., Path]) -> None:
    root = casebook(ONLY_FILES)
    everything = run(root)
    assert {p.path for p in everything.problems} == {
        f"{C}/contacts/2026-01-05-ab12.yaml", f"{C}/case.yaml", "cases/OP-AAAAAA/case.yaml"}
    result = run(root, only=[f"{C}/contacts/2026-01-05-ab12.yaml"])
    assert where(result.problems) == {(f"{C}/contacts/2026-01-05-ab12.yaml", 1, "date-order")}
    assert result.cases == 1


def test_only_a_case_folder_reports_that_case(casebook: Callable[..., Path]) -> None:
    root = casebook(ONLY_FILES)
    result = run(root, only=[C])
    assert where(result.problems) == {(f"{C}/contacts/2026-01-05-ab12.yaml", 1, "date-order"),
                                      (f"{C}/case.yaml", 6, "schema-unknown-field")}
    assert run(root, only=["cases/OP-AAAAAA/"]).cases == 1
    assert run(root, only=["cases"]).cases == 2


def test_only_a_file_still_reports_broken_settings(casebook: Callable[..., Path]) -> None:
    root = casebook({**ONLY_FILES, "casebook.yaml": "format: 1\nprogramme: ''\n"})
    result = run(root, only=[f"{C}/contacts/2026-01-05-ab12.yaml"])
    assert where(result.problems) == {(f"{C}/contacts/2026-01-05-ab12.yaml", 1, "date-order"),
                                      ("casebook.yaml", 2, "schema-length")}


# --- the CLI's JSON ------------------------------------------------------------------------

def test_json_output_lists_every_fault(casebook: Callable[..., Path]) -> None:
    files: dict[str, str | bytes | None] = {"casebook.yaml": SETTINGS}
    files.update({path: content for path, content, _, _ in FAULTS.values()
                  if path != "casebook.yaml"})
    root = casebook(files)
    result = CliRunner().invoke(app, ["validate", "-C", str(root), "--as-of", "2026-11-26",
                                      "--format", "json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    got = {(p["path"], p["line"], p["rule"]) for p in payload["problems"]
           if p["severity"] == "error"}
    assert got == {(path, line, rule) for path, _, rule, line in FAULTS.values()
                   if path != "casebook.yaml"}
    assert payload["stats"]["errors"] == len(got)
    assert all(SECRET not in p["message"] for p in payload["problems"])


# --- files that are not what they seem ------------------------------------------------------

def test_a_fifo_is_refused_not_read(casebook: Callable[..., Path]) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("this system cannot make FIFOs")
    root = casebook({"providers.yaml": None})
    os.mkfifo(root / "providers.yaml")  # reading it would block for ever
    result = run(root)
    assert ("providers.yaml", 0, "special-file") in where(result.problems)


def test_a_file_that_grows_past_the_limit_after_lstat_is_not_parsed_truncated(
        casebook: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = f"{C}/contacts/2026-01-20-ab12.yaml"
    root = casebook({"casebook.yaml": SETTINGS,
                     path: contact("2026-01-20", "notes: '" + "x" * 3000 + "'")})
    real_lstat = os.lstat

    def small_lstat(p: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        st = real_lstat(p, *args, **kwargs)
        if str(p).endswith("ab12.yaml"):  # as it was a moment before it grew
            return os.stat_result((st.st_mode, *st[1:6], 100, *st[7:]))
        return st

    monkeypatch.setattr(casebook_module.os, "lstat", small_lstat)
    result = run(root)
    assert where([p for p in result.problems if p.path == path]) == {(path, 0, "file-too-large")}


def test_a_linked_cases_folder_is_an_error_and_never_followed(casebook: Callable[..., Path],
                                                              tmp_path: Path) -> None:
    root = casebook()
    outside = tmp_path / "outside"
    (root / "cases").rename(outside)
    symlink_or_skip(outside, root / "cases")
    result = run(root)
    assert where(result.problems) == {("cases", 0, "symlink")}
    assert result.cases == 0


@pytest.mark.parametrize("name,reason", [
    ("CON", "that name is reserved on Windows"),
    ("lpt1.OP-7K3M9Q", "that name is reserved on Windows"),
    ("OP-7K3M9Q|x", "may not hold control characters or any of <>\"|?*"),
    ("OP-\x1b[2J", "may not hold control characters or any of <>\"|?*"),
    ("OP-7K3M9Q:x", "may not hold path separators, ':' or '..'"),
    ("OP-7K3M9Q\\x", "may not hold path separators, ':' or '..'"),
])
def test_case_folder_names_that_are_not_portable(casebook: Callable[..., Path], name: str,
                                                 reason: str) -> None:
    root = casebook()
    try:
        (root / "cases" / name).mkdir()
    except OSError:
        pytest.skip("this file system refuses the name itself")
    result = run(root)
    folder = [p for p in result.problems if p.path == f"cases/{name}"]
    assert [(p.rule, p.severity) for p in folder] == [("case-id", ERROR)]
    assert reason in folder[0].message
    # The folder's missing documents are still reported: one problem never hides another.
    assert {p.rule for p in result.problems if p.path.startswith(f"cases/{name}/")} == {
        "missing-document"}
