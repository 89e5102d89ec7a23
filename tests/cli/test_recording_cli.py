"""Recording commands: round-trip updates, dry runs, the editor, stale and atomic writes,
case list and show, and the help every command owes its users."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import pytest
from recordkit import ok, run, tree
from test_bad_input import SUPPORT

from prelude_cli.records import edits

CID = "OP-7K3M9Q"
PLAN = f"cases/{CID}/plan.yaml"

# Valid, but not canonical: comments everywhere, keys out of schema order, a flow mapping.
ODD_PLAN = """\
# Plan agreed at the home visit.
goals:   # what they want
  - text: Back into college   # their words
    id: g1
agreed_by: PC 4471 Hart
agreed: '2026-03-20'

milestones:
  # the first step
  - text: Enrol
    id: m-abcd
    status: pending    # not yet
    due: '2026-04-30'
    goal: g1
  - {id: m-efgh, text: Boxing, due: '2026-05-30', status: pending}
interventions:
  - {id: i-abcd, provider: boxing-club, referred: '2026-03-22', status: referred}
"""


@pytest.fixture
def book(casebook) -> Path:
    return casebook({**SUPPORT, PLAN: ODD_PLAN})


def _diff(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    lines = list(difflib.ndiff(before.decode().splitlines(), after.decode().splitlines()))
    return ([x[2:] for x in lines if x.startswith("- ")],
            [x[2:] for x in lines if x.startswith("+ ")])


def test_update_keeps_comments_order_and_layout(book: Path) -> None:
    before = (book / PLAN).read_bytes()
    ok("plan", "milestone", "set", CID, "m-abcd", "--status", "met", "--date", "2026-04-28",
       "-C", book, "--as-of", "2026-06-01")
    removed, added = _diff(before, (book / PLAN).read_bytes())
    assert removed == ["    status: pending    # not yet"]
    assert added == ["    status: met        # not yet", "    status_date: '2026-04-28'"]


def test_flow_item_update_changes_only_its_line(book: Path) -> None:
    before = (book / PLAN).read_bytes()
    ok("plan", "intervention", "set", CID, "i-abcd", "--status", "accepted",
       "--date", "2026-03-25", "-C", book, "--as-of", "2026-06-01")
    removed, added = _diff(before, (book / PLAN).read_bytes())
    assert len(removed) == 1 and len(added) == 1
    assert "status: accepted" in added[0] and "status_date: '2026-03-25'" in added[0]


def test_appending_keeps_the_rest_byte_identical(book: Path) -> None:
    before = (book / PLAN).read_bytes()
    made = ok("plan", "milestone", "add", CID, "--text", "Open a bank account", "--due",
              "2026-07-01", "-C", book, "--as-of", "2026-06-01")
    after = (book / PLAN).read_bytes()
    assert after.startswith(before.split(b"interventions:")[0])
    assert f"  - id: {made}\n    text: Open a bank account\n".encode() in after
    removed, _ = _diff(before, after)
    assert removed == []


def test_dry_run_prints_and_writes_nothing(book: Path) -> None:
    before = tree(book)
    result = run("contact", "add", CID, "--by", "b", "--method", "phone", "--purpose",
                 "support", "--outcome", "engaged", "--dry-run", "-C", book,
                 "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# cases/{CID}/contacts/2026-06-01-")
    assert "purpose: support\noutcome: engaged\n" in result.stdout
    assert tree(book) == before


def _editor(tmp_path: Path, replace: str, by: str) -> dict[str, str]:
    script = tmp_path / "edit.py"
    script.write_text("import pathlib, sys\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({replace!r}, {by!r}))\n")
    return {"VISUAL": "", "EDITOR": f"{sys.executable} {script}"}


def test_edit_opens_the_editor_then_checks(book: Path, tmp_path: Path) -> None:
    env = _editor(tmp_path, "outcome: engaged", "outcome: engaged\nnotes: Met at the gym.")
    result = run("contact", "add", CID, "--by", "b", "--method", "phone", "--purpose",
                 "support", "--outcome", "engaged", "--edit", "-C", book,
                 "--as-of", "2026-06-01", env=env)
    assert result.exit_code == 0, result.output
    assert (book / result.stdout.strip()).read_text().endswith("notes: Met at the gym.\n")


def test_an_invalid_edit_writes_nothing(book: Path, tmp_path: Path) -> None:
    before = tree(book)
    env = _editor(tmp_path, "method: phone", "method: carrier-pigeon")
    result = run("contact", "add", CID, "--by", "b", "--method", "phone", "--purpose",
                 "support", "--outcome", "engaged", "--edit", "-C", book,
                 "--as-of", "2026-06-01", env=env)
    assert result.exit_code == 1
    assert "error schema-enum method must be one of" in result.stderr
    assert tree(book) == before


def test_edit_without_an_editor_is_a_usage_error(book: Path) -> None:
    result = run("plan", "review", CID, "--reviewer", "r", "--decision", "continue", "--edit",
                 "-C", book, "--as-of", "2026-06-01", env={"VISUAL": "", "EDITOR": ""})
    assert result.exit_code == 2
    assert "$EDITOR" in result.stderr


def test_a_file_changed_after_reading_is_refused(book: Path, monkeypatch) -> None:
    """Someone else saves plan.yaml between our read and our write: theirs is kept."""
    theirs = ODD_PLAN.replace("Back into college", "Back into school").encode()
    real_check = edits.check

    def check_then_someone_saves(*args, **kwargs):
        problems = real_check(*args, **kwargs)
        (book / PLAN).write_bytes(theirs)
        return problems

    monkeypatch.setattr(edits, "check", check_then_someone_saves)
    result = run("plan", "milestone", "set", CID, "m-abcd", "--status", "met", "-C", book,
                 "--as-of", "2026-06-01")
    assert result.exit_code == 1
    assert result.stderr == ("prelude: plan.yaml changed on disk since it was read; nothing "
                             "was written, run the command again\n")
    assert (book / PLAN).read_bytes() == theirs
    assert not [p for p in tree(book) if p.endswith(".tmp")]


def test_writes_leave_no_temp_files(book: Path) -> None:
    ok("plan", "review", CID, "--reviewer", "r", "--decision", "continue", "-C", book,
       "--as-of", "2026-06-01")
    assert not [p for p in tree(book) if ".tmp" in p]


def test_case_list_filters_and_formats(book: Path) -> None:
    rows = json.loads(ok("case", "list", "-C", book, "--as-of", "2026-06-01", "-f", "json"))
    assert [(r["case"], r["stage"]) for r in rows] == [(CID, "support")]
    # the disruption plan was never closed: its proportionality review is the first item due
    assert (rows[0]["next_due"], rows[0]["next_kind"], rows[0]["next_status"]) == (
        "2026-02-19", "proportionality-review", "overdue")
    assert json.loads(ok("case", "list", "-C", book, "--stage", "exited", "-f", "json")) == []
    assert json.loads(ok("case", "list", "-C", book, "--officer", "pc 4471 HART",
                         "--area", "slough", "-f", "json"))[0]["case"] == CID
    csv_text = ok("case", "list", "-C", book, "--as-of", "2026-06-01", "-f", "csv")
    assert csv_text.splitlines()[0].startswith("case,stage,officer,area")
    assert f"{CID},support,PC 4471 Hart,Slough" in csv_text
    assert "1 case" in ok("case", "list", "-C", book, "--as-of", "2026-06-01")


def test_case_show_never_renders_document_text_as_markup(casebook) -> None:
    tricky = "[bold red]loud[/] [link=https://example.invalid]click[/link]"
    root = casebook({f"cases/{CID}/case.yaml": f"""
        id: {CID}
        officer: '{tricky}'
        area: Slough
        concerns: [knife-crime]
        age_band: under-18
    """})
    text = ok("case", "show", CID, "-C", root, "--as-of", "2026-06-01")
    assert tricky in text
    assert "\x1b" not in text
    view = json.loads(ok("case", "show", CID, "-C", root, "--as-of", "2026-06-01", "-f",
                         "json"))
    assert view["officer"] == tricky and view["stage"] == "identified"
    assert [d["kind"] for d in view["due"]][:1] == ["first-contact"]
