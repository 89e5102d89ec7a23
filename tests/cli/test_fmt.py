"""`prelude fmt`: canonical order and style, same data, comments kept, idempotent; --check."""

from __future__ import annotations

from pathlib import Path

import pytest
from recordkit import run, tree
from test_bad_input import SUPPORT
from test_recording_cli import ODD_PLAN, PLAN

from prelude_cli import FORMAT_VERSION
from prelude_cli.files.yamlio import load_bytes

CID = "OP-7K3M9Q"
TEMP = f"cases/{CID}/.plan.yaml.1a2b3c4d.tmp"


@pytest.fixture
def book(casebook) -> Path:
    return casebook({**SUPPORT, PLAN: ODD_PLAN})


def test_fmt_rewrites_canonically_keeping_data_and_comments(book: Path) -> None:
    before = tree(book)
    result = run("fmt", "-C", book)
    assert result.exit_code == 0, result.output
    after = tree(book)
    changed = sorted(p for p in after if after[p] != before[p])
    assert f"reformatted {PLAN}" in result.stdout
    assert set(changed) == {line.split(" ", 1)[1] for line in result.stdout.splitlines()}
    assert load_bytes(after["casebook.yaml"], "").data["format"] == FORMAT_VERSION
    for path in changed:  # the same data, but for the ids given to entries that had none
        if path != "casebook.yaml":
            assert without_new_ids(load_bytes(after[path], path).data) == \
                load_bytes(before[path], path).data
    plan = after[PLAN].decode()
    assert plan.index("agreed:") < plan.index("agreed_by:") < plan.index("goals:")
    for comment in ("# Plan agreed at the home visit.", "# what they want", "# their words",
                    "# the first step", "# not yet"):
        assert comment in plan


def without_new_ids(node: object) -> object:
    """The data with the entry ids `fmt` mints (prefix, '-', four characters) taken out."""
    if isinstance(node, dict):
        return {k: without_new_ids(v) for k, v in node.items()
                if not (k == "id" and isinstance(v, str) and len(v.split("-")[-1]) == 4
                        and v.split("-")[0] in ("d", "a", "r", "t", "rr"))}
    if isinstance(node, list):
        return [without_new_ids(v) for v in node]
    return node


def test_fmt_gives_every_entry_an_id_once(book: Path) -> None:
    assert run("fmt", "-C", book).exit_code == 0
    identification = load_bytes(tree(book)[f"cases/{CID}/identification.yaml"], "").data
    ids = [d["id"] for d in identification["decisions"]]
    assert all(i.startswith("d-") for i in ids) and len(set(ids)) == len(ids)
    assert run("fmt", "-C", book).stdout == ""  # ids stay as given


def test_fmt_is_idempotent(book: Path) -> None:
    assert run("fmt", "-C", book).exit_code == 0
    once = tree(book)
    result = run("fmt", "-C", book)
    assert result.exit_code == 0 and result.stdout == ""
    assert tree(book) == once
    assert run("fmt", "--check", "-C", book).exit_code == 0


def test_check_lists_and_changes_nothing(book: Path) -> None:
    before = tree(book)
    result = run("fmt", "--check", "-C", book)
    assert result.exit_code == 1
    assert f"would reformat {PLAN}" in result.stdout
    assert tree(book) == before


def test_paths_limit_what_is_formatted(book: Path) -> None:
    result = run("fmt", "-C", book, str(book / f"cases/{CID}/contacts"))
    assert result.exit_code == 0
    assert PLAN not in result.stdout


def test_unparseable_documents_are_left_alone(book: Path) -> None:
    broken = f"cases/{CID}/exit.yaml"
    (book / broken).write_bytes(b"date: '2026-05-01'\nroute: [completed\n")
    result = run("fmt", "-C", book)
    assert result.exit_code == 1
    assert f"left alone {broken}: cannot be parsed (yaml-syntax" in result.stderr
    assert (book / broken).read_bytes() == b"date: '2026-05-01'\nroute: [completed\n"
    assert f"reformatted {PLAN}" in result.stdout  # the others are still formatted


def test_leftover_temp_files_are_removed(book: Path) -> None:
    (book / TEMP).write_bytes(b"half a document")
    check = run("fmt", "--check", "-C", book)
    assert check.exit_code == 1
    assert f"would remove leftover temp file {TEMP}" in check.stdout
    assert (book / TEMP).exists()
    result = run("fmt", "-C", book)
    assert f"removed leftover temp file {TEMP}" in result.stdout
    assert not (book / TEMP).exists()
    assert run("validate", "-C", book, "--as-of", "2026-06-01").exit_code == 0


def test_new_casebook_and_recorded_documents_are_already_canonical(tmp_path: Path) -> None:
    root = tmp_path / "book"
    assert run("init", root, "--no-git").exit_code == 0
    made = run("case", "new", "-C", root, "--officer", "o", "--area", "a", "--concern",
               "violence", "--age-band", "18-24", "--forum", "f", "--rationale", "line one\n"
               "line two", "--decision", "defer", "--dashboard-score", "12.5")
    assert made.exit_code == 0, made.output
    result = run("fmt", "--check", "-C", root)
    assert result.exit_code == 0, result.output


def test_fmt_fixes_what_it_safely_can_and_lists_the_rest(casebook) -> None:
    contact = f"cases/{CID}/contacts/2026-01-20-ab12.yaml"
    text = ("date: 2026-01-20  # unquoted: YAML reads a date\nby: T. Mensah\nmethod: phone\n"
            "purpose: engage-and-explain\noutcome: no-contact\n")
    other = f"cases/{CID}/contacts/2026-01-27-cd34.yaml"
    root = casebook({contact: ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"),
                     other: text.replace("2026-01-20  # unquoted: YAML reads a date",
                                         "'2026-01-27'") + "notes: 2026-01-27T10:00:00\n"})
    result = run("fmt", "-C", root)
    assert result.exit_code == 1  # one document could not be fixed
    fixed = (root / contact).read_bytes()
    assert fixed.startswith(b"date: '2026-01-20'") and b"\r\n" not in fixed
    assert b"# unquoted: YAML reads a date" in fixed
    assert f"left alone {other}: an unquoted date-time at line 6" in result.output
    after = run("validate", "-C", root, "--as-of", "2026-06-01")
    assert contact not in after.output
