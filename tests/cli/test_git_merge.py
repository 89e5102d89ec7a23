"""Merge-friendly by design, checked with real git: two clones record on the same case and
open a case each; merging one into the other has no conflict and validates clean."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from recordkit import assert_valid, ok

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

IDENTITY = ["-c", "user.name=Case Coordinator", "-c", "user.email=cc@example.invalid",
            "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    done = subprocess.run(["git", *IDENTITY, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def new_case(root: Path, as_of: str) -> str:
    return ok("case", "new", "-C", root, "--as-of", as_of, "--officer", "PC 4471 Hart",
              "--area", "Slough", "--concern", "knife-crime", "--age-band", "18-24",
              "--forum", "Slough SV tasking", "--rationale", "Dashboard rank",
              "--approach-role", "youth-worker")


def record_work(root: Path, case_id: str, day: str) -> str:
    ok("contact", "add", case_id, "-C", root, "--as-of", day, "--by", "P. Shaw",
       "--method", "phone", "--purpose", "follow-up", "--outcome", "engaged")
    ok("assess", case_id, "-C", root, "--as-of", day, "--assessor", "PC 4471 Hart",
       "--score", "finances=6")
    return new_case(root, day)


def test_two_clones_merge_without_conflict(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    ok("init", origin, "--no-git")
    git(origin, "init", "-q")
    case_id = new_case(origin, "2026-01-12")
    ok("contact", "add", case_id, "-C", origin, "--as-of", "2026-01-20", "--by", "T. Mensah",
       "--method", "in-person", "--purpose", "engage-and-explain", "--outcome", "engaged",
       "--all-messages")
    ok("assess", case_id, "-C", origin, "--as-of", "2026-02-01", "--assessor", "PC 4471 Hart",
       *[f"--score={d}=5" for d in (
           "accommodation", "education-training-employment", "finances", "mental-health",
           "wellness", "substance-use", "managing-strong-feelings", "thinking-and-behaviour",
           "family-and-relationships", "positive-influences", "positive-use-of-time",
           "safety-from-exploitation")])
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "Open a case")

    clones = {}
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", str(origin), name)
        clones[name] = tmp_path / name
    # Each clone records a contact and a six-weekly review on the same case, and opens a case.
    made_a = record_work(clones["a"], case_id, "2026-03-15")
    made_b = record_work(clones["b"], case_id, "2026-03-16")
    for name, clone in clones.items():
        git(clone, "add", "-A")
        git(clone, "commit", "-q", "-m", f"Work recorded on clone {name}")

    git(clones["a"], "pull", "-q", "--no-rebase", "--no-edit", str(clones["b"]), "HEAD")
    assert git(clones["a"], "status", "--porcelain") == ""
    merged = clones["a"]
    assert {made_a, made_b, case_id} <= {p.name for p in (merged / "cases").iterdir()}
    assert len(list((merged / "cases" / case_id / "contacts").iterdir())) == 3
    assert len(list((merged / "cases" / case_id / "assessments").iterdir())) == 3
    assert_valid(merged, "2026-03-16")


def test_two_clones_withdrawing_different_records_of_a_case_merge(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    ok("init", origin, "--no-git")
    git(origin, "init", "-q")
    case_id = new_case(origin, "2026-01-12")
    for day in ("2026-01-20", "2026-01-27"):
        ok("contact", "add", case_id, "-C", origin, "--as-of", day, "--by", "T. Mensah",
           "--method", "phone", "--purpose", "engage-and-explain", "--outcome", "no-contact")
    for day in ("2026-02-01", "2026-02-08"):  # two later decisions, entries of one document
        ok("case", "decide", case_id, "-C", origin, "--as-of", day, "--decision", "include",
           "--forum", "Slough SV tasking", "--rationale", "Reviewed",
           "--approach-role", "youth-worker")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "Open a case")
    folder = origin / "cases" / case_id
    contacts = sorted(p.name for p in (folder / "contacts").iterdir())
    decisions = [d["id"] for d in
                 yaml.safe_load((folder / "identification.yaml").read_text())["decisions"]]
    clones = {}
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", str(origin), name)
        clones[name] = tmp_path / name
    picks = {"a": (contacts[0], decisions[1]), "b": (contacts[1], decisions[2])}
    for name, (contact, decision) in picks.items():
        base = f"cases/{case_id}"
        for ref in (f"{base}/contacts/{contact}", f"{base}/identification.yaml#{decision}"):
            ok("withdraw", ref, "-C", clones[name], "--as-of", "2026-03-01",
               "--reason", f"Entered in error on clone {name}", "--by", "PC 4471 Hart")
        git(clones[name], "commit", "-q", "-am", f"Withdrawals on clone {name}")
    git(clones["a"], "pull", "-q", "--no-rebase", "--no-edit", str(clones["b"]), "HEAD")
    merged = clones["a"]
    assert git(merged, "status", "--porcelain") == ""
    assert_valid(merged, "2026-03-01")
    data = yaml.safe_load((merged / "cases" / case_id / "identification.yaml").read_text())
    assert [("withdrawn" in d) for d in data["decisions"]] == [False, True, True]
    for contact in contacts:
        assert "withdrawn" in yaml.safe_load((merged / "cases" / case_id / "contacts" /
                                              contact).read_text())
