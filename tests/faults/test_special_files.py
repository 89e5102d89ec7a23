"""A FIFO, a device or a folder wherever prelude reads: never a hang, never memory without
bound, never exit 70; where a document or setting belongs it is an error at that path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASE_DIR, CASE_ID

from .faultkit import SPECIALS, make_special, prelude, tree_hashes

CONTACT = ("--date", "2026-01-20", "--by", "T. Mensah", "--role",
           "youth-worker-lived-experience", "--method", "in-person", "--purpose",
           "engage-and-explain", "--outcome", "declined", "--all-messages")
PLAN = """
    agreed: '2026-03-01'
    timescale: 12 months
    goals:
      - id: g-ab12
        text: Back into college
        milestones:
          - {id: m-cd34, text: Enrol, due: '2026-04-01', status: met}
"""


@pytest.mark.parametrize("kind", SPECIALS)
@pytest.mark.parametrize("args", [
    ("validate",), ("case", "show", CASE_ID), ("identity", "show", CASE_ID),
    ("identity", "set", CASE_ID, "--name", "Sam Example"),
    ("contact", "add", CASE_ID, *CONTACT),
    ("report", "case", CASE_ID, "--reveal", "--as-of", "2026-11-26"),
], ids=lambda a: " ".join(a[:2]) if isinstance(a, tuple) else a)
def test_a_special_register_never_hangs(casebook, kind: str, args: tuple[str, ...]) -> None:
    book = casebook()
    make_special(book / "identities.yaml", kind)
    done = prelude(*args, "-C", book)
    assert done.returncode in (0, 1, 2), done.stderr
    assert "unexpected failure" not in done.stderr and "Traceback" not in done.stderr
    if args[0] == "validate":
        assert done.returncode == 1 and "identities.yaml:0:0: error special-file" in done.stdout
    if args[:2] == ("identity", "set"):
        assert done.returncode == 1 and "not a regular file" in done.stderr
        assert not (book / "identities.yaml").is_file()  # the special file was not replaced


@pytest.mark.parametrize("kind", SPECIALS)
@pytest.mark.parametrize("rel", [f"{CASE_DIR}/plan.yaml", f"{CASE_DIR}/exit.yaml",
                                 f"{CASE_DIR}/contacts/2026-01-20-ab12.yaml",
                                 f"{CASE_DIR}/assessments/2026-02-01.yaml",
                                 f"{CASE_DIR}/case.yaml", "providers.yaml",
                                 "disclosures/2026-01-01-abcd.yaml"])
def test_a_special_file_for_a_document_is_an_error_at_its_path(casebook, kind: str,
                                                               rel: str) -> None:
    book = casebook({f"{CASE_DIR}/plan.yaml": PLAN})
    make_special(book / rel, kind)
    done = prelude("validate", "-C", book, "--format", "json", "--as-of", "2026-11-26")
    assert done.returncode == 1, done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert any(p["path"] == rel and p["rule"] == "special-file" and p["severity"] == "error"
               for p in problems), problems
    due = prelude("due-reviews", "-C", book, "--as-of", "2026-11-26", "--format", "json")
    if rel == "providers.yaml":  # the due list depends on the settings: refused, exit 1
        assert due.returncode == 1 and "free of errors" in due.stderr
        return
    # Said on stderr (the wording differs as the fail-safe list evolves: counted, or the
    # case flagged incomplete).
    assert due.returncode in (0, 1), due.stderr
    assert "left them out" in due.stderr or "incomplete" in due.stderr, due.stderr
    # The case is not dropped from the list: it still has something due.
    assert any(i["case"] == CASE_ID for i in json.loads(due.stdout)["items"])


@pytest.mark.parametrize("kind", ["fifo", "file"])
def test_contacts_that_is_not_a_folder_is_an_error(casebook, kind: str) -> None:
    book = casebook()
    if kind == "fifo":
        make_special(book / CASE_DIR / "contacts", "fifo")
    else:
        (book / CASE_DIR / "contacts").write_text("x")
    done = prelude("validate", "-C", book)
    assert done.returncode == 1
    assert f"{CASE_DIR}/contacts:0:0: error special-file" in done.stdout


@pytest.mark.parametrize("kind", SPECIALS)
def test_a_special_casebook_yaml_says_what_it_is(casebook, kind: str) -> None:
    book = casebook()
    make_special(book / "casebook.yaml", kind)
    for args in (("validate", "-C", book), ("validate",)):
        done = prelude(*args, cwd=book)
        assert done.returncode == 2
        assert "casebook.yaml" in done.stderr and "not a regular file" in done.stderr
        assert "no casebook" not in done.stderr


@pytest.mark.parametrize("kind", SPECIALS)
def test_a_special_cache_is_no_cache(casebook, kind: str) -> None:
    book = casebook()
    assert prelude("validate", "-C", book).returncode == 0
    make_special(book / ".prelude-cache" / "cases.json", kind)
    for command in ("validate", "due-reviews"):
        done = prelude(command, "-C", book, "--as-of", "2026-11-26")
        assert done.returncode in (0, 1), done.stderr
        assert "unexpected failure" not in done.stderr


def test_from_file_is_bounded_and_never_a_device(casebook, tmp_path: Path) -> None:
    book = casebook()
    before = tree_hashes(book)
    zero = tmp_path / "zero"
    make_special(zero, "device")
    fifo = tmp_path / "fifo"
    make_special(fifo, "fifo")
    for source in (zero, fifo):
        done = prelude("identity", "set", CASE_ID, "-C", book, "--from-file", source)
        assert done.returncode == 2 and "not a regular file" in done.stderr, done.stderr
        done = prelude("assess", CASE_ID, "-C", book, "--date", "2026-02-01", "--assessor",
                       "PC Hart", "--from-file", source)
        assert done.returncode == 2 and "not a regular file" in done.stderr, done.stderr
    big = tmp_path / "big.yaml"
    big.write_bytes(b"name: x\n" + b"#" * (2 * 1024 * 1024))
    done = prelude("identity", "set", CASE_ID, "-C", book, "--from-file", big)
    assert done.returncode == 2 and "limit" in done.stderr
    done = prelude("identity", "set", CASE_ID, "-C", book, "--from-file", "-",
                   stdin=big.read_bytes())
    assert done.returncode == 2 and "standard input holds more than" in done.stderr
    assert tree_hashes(book) == before
