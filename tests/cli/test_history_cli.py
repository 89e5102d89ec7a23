"""`prelude history`: commits from one git log, merged with what the documents record."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from recordkit import ok, run
from test_git_merge import git, new_case

from prelude_cli.book.casebook import open_casebook
from prelude_cli.records.history import diff_fields, git_events

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def author(root: Path, name: str, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", f"user.name={name}", "commit", "-q", "-m", message)


@needs_git
def test_history_lists_commits_with_fields_and_recorded_changes(tmp_path: Path) -> None:
    root = tmp_path / "book"
    ok("init", root, "--no-git")
    git(root, "init", "-q")
    case_id = new_case(root, "2026-01-12")
    contact = ok("contact", "add", case_id, "-C", root, "--as-of", "2026-01-20", "--by",
                 "T. Mensah", "--method", "phone", "--purpose", "engage-and-explain",
                 "--outcome", "no-contact")
    author(root, "Analyst P. Szymanski", "Open a case")
    ok("amend", contact, "-C", root, "--as-of", "2026-01-21", "--set", "method=home-visit",
       "--reason", "Was a home visit", "--by", "T. Mensah")
    author(root, "T. Mensah", "Correct the contact method")
    ok("withdraw", contact, "-C", root, "--as-of", "2026-01-22", "--reason", "Wrong case",
       "--by", "PC 4471 Hart")
    author(root, "PC 4471 Hart", "Withdraw a contact")
    view = json.loads(ok("history", case_id, "-C", root, "--as-of", "2026-01-22", "-f",
                         "json"))
    assert view["git"] is True and view["note"] == ""
    commits = [e for e in view["events"] if e["kind"] == "commit"]
    assert [(e["by"], e["text"]) for e in commits] == [
        ("Analyst P. Szymanski", "Open a case"), ("T. Mensah", "Correct the contact method"),
        ("PC 4471 Hart", "Withdraw a contact")]
    assert {f["status"] for f in commits[0]["files"]} == {"added"}
    changed = commits[1]["files"][0]
    assert changed["path"] == contact and changed["status"] == "modified"
    assert {"field": "method", "old": "phone", "new": "home-visit"} in changed["fields"]
    recorded = [(e["kind"], e["by"], e["ref"]) for e in view["events"] if not e["commit"]]
    assert recorded == [("amended", "T. Mensah", contact),
                        ("withdrawn", "PC 4471 Hart", contact)]
    text = ok("history", case_id.lower(), "-C", root, "--as-of", "2026-01-22")
    assert "Correct the contact method" in text and '"phone" -> "home-visit"' in text


@needs_git
def test_one_git_log_for_the_case(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "book"
    ok("init", root, "--no-git")
    git(root, "init", "-q")
    case_id = new_case(root, "2026-01-12")
    for day in ("2026-01-20", "2026-01-27", "2026-02-03"):
        ok("contact", "add", case_id, "-C", root, "--as-of", day, "--by", "T. Mensah",
           "--method", "phone", "--purpose", "engage-and-explain", "--outcome", "no-contact")
        author(root, "T. Mensah", f"Contact on {day}")
    ok("amend", f"cases/{case_id}/case.yaml", "-C", root, "--as-of", "2026-02-04", "--set",
       "area=Reading", "--reason", "Moved", "--by", "PC 4471 Hart")
    author(root, "PC 4471 Hart", "Area corrected")

    calls: list[list[str]] = []
    real = subprocess.run

    def counting(args, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(list(args))
        return real(args, *a, **k)

    monkeypatch.setattr(subprocess, "run", counting)
    events, note = git_events(open_casebook(root), case_id)
    assert note == "" and events is not None and len(events) == 4
    assert events[-1].files[0].fields[0].field == "area"
    assert [c[1] for c in calls] == ["log", "cat-file"]


def test_outside_git_it_says_so_and_shows_what_is_recorded(casebook) -> None:
    root = casebook({})
    ok("amend", "cases/OP-7K3M9Q/case.yaml", "-C", root, "--as-of", "2026-06-01", "--set",
       "area=Reading", "--reason", "Moved area", "--by", "PC 4471 Hart")
    result = run("history", "OP-7K3M9Q", "-C", root, "--as-of", "2026-06-01", "-f", "json",
                 env={"GIT_CEILING_DIRECTORIES": str(root.parent)})
    assert result.exit_code == 0, result.output
    assert "not a git repository" in result.stderr
    view = json.loads(result.stdout)
    assert view["git"] is False
    assert [(e["kind"], e["text"]) for e in view["events"]] == [
        ("amended", "case amended (area): Moved area")]


def test_unknown_case_is_refused(casebook) -> None:
    result = run("history", "OP-NNNNNN", "-C", casebook({}))
    assert result.exit_code == 1 and "no case" in result.output


def test_fields_are_named_by_entry_id_so_a_new_entry_is_not_a_shift() -> None:
    old = {"reviews": [{"id": "r-1", "date": "2026-01-01", "decision": "continue"}]}
    new = {"reviews": [{"id": "r-0", "date": "2025-12-01", "decision": "stop"},
                       {"id": "r-1", "date": "2026-01-01", "decision": "amend"}]}
    changes = {c.field: (c.old, c.new) for c in diff_fields("disruption", old, new)}
    assert changes["reviews[r-1].decision"] == ("continue", "amend")
    assert changes["reviews[r-0].decision"] == (None, "stop")
    assert "reviews[r-1].date" not in changes
