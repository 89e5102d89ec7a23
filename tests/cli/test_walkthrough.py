"""One fictional person through every stage and branch of the programme, by CLI commands only.

After each step the casebook validates clean and `case show` reports the stage the step leads
to. A second and third person take the defer and not-include branches; a fourth's records are
corrected (amended, withdrawn, the case reassigned), each step committed to git by its author.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from recordkit import assert_valid, ok, run, stage, tree
from test_git_merge import git

FULL_SCORES = """\
scores:
  accommodation: 4
  education-training-employment: 3
  finances: 3
  mental-health: 5
  wellness: 6
  substance-use: 4
  managing-strong-feelings: 3
  thinking-and-behaviour: 4
  family-and-relationships: 5
  positive-influences: 2
  positive-use-of-time: 3
  safety-from-exploitation: {score: 2, facts: Known to be running a line.}
part2:
  aspirations: To be a mechanic.
"""


def test_one_person_through_every_stage(tmp_path: Path) -> None:
    root = tmp_path / "book"
    ok("init", root, "--no-git")
    steps = Journey(root)

    cid = steps.do("2026-01-12", "identified", "case", "new", "--officer", "PC 4471 Hart",
                   "--area", "Slough", "--concern", "knife-crime", "--concern", "county-lines",
                   "--age-band", "under-18", "--forum", "Slough SV tasking",
                   "--rationale", "Rank 4 on the dashboard; YJS concerns",
                   "--dashboard-score", "71.5", "--dashboard-rank", "4",
                   "--dashboard-date", "2026-01-05", "--partner", "youth-justice:Known to YJS",
                   "--attendee", "police", "--attendee", "youth-justice",
                   "--approach-role", "youth-worker-lived-experience",
                   "--relationship", "Grew up on the same estate", "--recorded-by", "Analyst 7",
                   case=False)
    steps.case = cid
    steps.do("2026-01-20", "engage", "contact", "add", cid, "--by", "T. Mensah",
             "--role", "youth-worker-lived-experience", "--method", "in-person",
             "--purpose", "engage-and-explain", "--outcome", "declined", "--all-messages")
    steps.do("2026-01-22", "disruption", "disruption", "open", cid, "--lead", "DS 1190 Okafor",
             "--reason", "Continued carrying", "--tactic", "bail-checks:police",
             "--tactic", "achilles-heel:housing:Tenancy team")
    steps.do("2026-02-10", "disruption", "disruption", "revisit", cid, "--by", "T. Mensah",
             "--method", "home-visit", "--outcome", "declined", "--all-messages")
    steps.do("2026-02-15", "disruption", "disruption", "review", cid,
             "--reviewer", "Insp 602 Rowe", "--decision", "continue",
             "--rationale", "Still carrying; offer repeated")
    steps.do("2026-02-16", "disruption", "disruption", "tactic", "add", cid,
             "vehicle-compliance:police")
    steps.do("2026-02-20", "disruption", "disruption", "tactic", "end", cid, "bail-checks")
    steps.do("2026-03-01", "problem-solving", "contact", "add", cid, "--by", "T. Mensah",
             "--method", "in-person", "--purpose", "revisit", "--outcome", "engaged",
             "--message", "offer", "--message", "concern", "--message", "consequences",
             "--message", "police-priority")
    steps.do("2026-03-02", "problem-solving", "disruption", "close", cid, "--reason", "engaged")
    scores = tmp_path / "scores.yaml"
    scores.write_text(FULL_SCORES, encoding="utf-8")
    steps.do("2026-03-10", "problem-solving", "assess", cid, "--assessor", "PC 4471 Hart",
             "--from-file", scores, "--score", "finances=2", "--enjoys", "Football")
    g1, g2 = steps.do("2026-03-20", "support", "plan", "agree", cid, "--agreed-by",
                      "PC 4471 Hart", "--goal", "Back into college", "--goal",
                      "Keep away from the line", "--target-end", "2027-03-20").split("\n")
    assert g1.startswith("g-") and g2.startswith("g-")  # one style with `plan goal add`
    goal = steps.do("2026-03-20", "support", "plan", "goal", "add", cid, "--text",
                    "Somewhere stable to live", "--domain", "accommodation")
    assert goal.startswith("g-")
    m1 = steps.do("2026-03-21", "support", "plan", "milestone", "add", cid, "--text",
                  "Enrol at college", "--due", "2026-04-30", "--goal", g1)
    m2 = steps.do("2026-03-21", "support", "plan", "milestone", "add", cid, "--text",
                  "Boxing twice a week", "--due", "2026-04-15", "--goal", g2)
    ref = steps.do("2026-03-22", "support", "plan", "intervention", "add", cid,
                   "--provider", "northgate-boxing-club", "--goal", g2)
    assert ref.startswith("i-")
    steps.do("2026-03-23", "support", "plan", "mentor", cid, "--name", "M. Adeyemi",
             "--organisation", "Safe Steps Mentoring")
    steps.do("2026-03-29", "support", "plan", "intervention", "set", cid, ref,
             "--status", "started")
    steps.do("2026-04-01", "support", "plan", "tag", "consent", cid, "--recorded-by",
             "PC 4471 Hart", "--present", "parent", "--present", "social worker")
    steps.do("2026-04-02", "support", "plan", "tag", "fit", cid)
    steps.do("2026-04-16", "support", "plan", "milestone", "set", cid, m2, "--status", "missed")
    # the six-weekly review starts from the first assessment's scores
    steps.do("2026-04-21", "support", "assess", cid, "--assessor", "PC 4471 Hart",
             "--score", "accommodation=6")
    steps.do("2026-04-28", "support", "plan", "milestone", "set", cid, m1, "--status", "met")
    steps.do("2026-04-30", "support", "plan", "tag", "review", cid, "--reviewer",
             "PC 4471 Hart", "--decision", "remove", "--notes", "No longer needed")
    steps.do("2026-05-01", "support", "plan", "tag", "remove", cid, "--reason",
             "no-longer-needed")
    steps.do("2026-06-02", "support", "assess", cid, "--assessor", "PC 4471 Hart",
             "--score", "accommodation=7", "--score", "positive-influences=5")
    steps.do("2027-03-01", "support", "plan", "review", cid, "--reviewer", "Insp 602 Rowe",
             "--decision", "plan-exit")
    steps.do("2027-03-05", "support", "plan", "mentor", cid, "--ended", "2027-03-05")
    steps.do("2027-03-20", "exited", "exit", "record", cid, "--route", "completed",
             "--exit-plan", "College and the boxing club",
             "--signpost", "riverside-housing-advice:tenancy support",
             "--signpost", "Youth club")
    steps.do("2027-03-27", "exited", "exit", "feedback", cid, "--text", "The mentor helped")
    steps.do("2027-04-10", "exited", "exit", "evaluate", cid, "--by", "Insp 602 Rowe",
             "--summary", "Completed; no further offending")

    view = json.loads(ok("case", "show", cid, "-C", root, "--as-of", "2027-04-10", "-f", "json"))
    assert view["errors"] == 0
    latest = {s["domain"]: s for s in view["scores"]}
    assert latest["accommodation"]["score"] == 7 and latest["accommodation"]["change"] == 3
    assert latest["finances"]["score"] == 2  # carried through both reviews
    assert latest["positive-influences"]["change"] == 3
    events = [e["event"] for e in view["timeline"]]
    assert events[0] == "decision" and events[-1] == "evaluation"
    assert view["open_milestones"] == [{"id": m2, "due": "2026-04-15", "status": "missed",
                                        "goal": g2, "text": "Boxing twice a week"}]
    text = ok("case", "show", cid, "-C", root, "--as-of", "2027-04-10")
    assert "stage: exited" in text
    assert "retention-review" in text
    assert not [p for p in tree(root) if p.endswith(".tmp")]


def test_defer_then_include_and_not_include(tmp_path: Path) -> None:
    root = tmp_path / "book"
    ok("init", root, "--no-git")
    steps = Journey(root)
    base = ("--officer", "PC 9 Lee", "--area", "Reading", "--concern", "violence",
            "--age-band", "18-24", "--forum", "Reading tasking", "--rationale", "Partner info")
    cid = steps.do("2026-02-01", "deferred", "case", "new", *base, "--decision", "defer",
                   case=False)
    steps.case = cid
    steps.do("2026-03-01", "identified", "case", "decide", cid, "--decision", "include",
             "--forum", "Reading tasking", "--rationale", "New information",
             "--approach-role", "former-probation-worker", "--approach-by", "2026-03-10")
    steps.do("2026-03-05", "engage", "contact", "add", cid, "--by", "P. Shaw",
             "--method", "phone", "--purpose", "engage-and-explain", "--outcome", "no-contact")
    other = steps.do("2026-03-05", "not-selected", "case", "new", *base,
                     "--decision", "not-include", case=False)
    steps.case = other
    assert stage(root, other, "2026-03-05") == "not-selected"
    listed = ok("case", "list", "-C", root, "--as-of", "2026-03-05", "--stage", "engage",
                "-f", "json")
    assert [row["case"] for row in __import__("json").loads(listed)] == [cid]


def test_a_case_corrected_withdrawn_and_reassigned_with_its_history(tmp_path: Path) -> None:
    """Mistakes are corrected by commands, each step committed by its author; `history`
    shows every step with who made it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "book"
    ok("init", root, "--no-git")
    git(root, "init", "-q")
    steps = Journey(root)

    def step(who: str, message: str, when: str, expected: str, *args: object,
             case: bool = True) -> str:
        made = steps.do(when, expected, *args, case=case)
        git(root, "add", "-A")
        git(root, "-c", f"user.name={who}", "commit", "-q", "-m", message)
        return made

    cid = step("Analyst 7", "Identification", "2026-01-12", "identified", "case", "new",
               "--officer", "PC 4471 Hart", "--area", "Slough", "--concern", "violence",
               "--age-band", "18-24", "--forum", "Slough SV tasking", "--rationale", "Rank 9",
               "--approach-role", "youth-worker", case=False)
    steps.case = cid
    contact = ("contact", "add", cid, "--by", "T. Mensah", "--method", "phone",
               "--purpose", "engage-and-explain", "--outcome", "no-contact")
    first = step("T. Mensah", "First attempt", "2026-01-20", "engage", *contact)
    refused = run(*contact, "-C", root, "--as-of", "2026-01-20")
    assert refused.exit_code == 1 and "--allow-duplicate" in refused.output
    twice = step("T. Mensah", "Attempt typed twice", "2026-01-20", "engage", *contact,
                 "--allow-duplicate")
    step("PC 4471 Hart", "Withdraw the duplicate", "2026-01-21", "engage", "withdraw", twice,
         "--reason", "Typed twice", "--by", "PC 4471 Hart")
    step("T. Mensah", "It was a home visit", "2026-01-22", "engage", "amend", first,
         "--set", "method=home-visit", "--reason", "Method mistyped", "--by", "T. Mensah")
    step("Insp 602 Rowe", "New OIC", "2026-02-01", "engage", "case", "reassign", cid,
         "--officer", "PC 2210 Okoro", "--reason", "PC Hart moved team")
    step("PC 2210 Okoro", "Engaged", "2026-02-05", "problem-solving", "contact", "add", cid,
         "--by", "PC 2210 Okoro", "--method", "in-person", "--purpose", "engage-and-explain",
         "--outcome", "engaged", "--all-messages")

    view = json.loads(ok("history", cid, "-C", root, "--as-of", "2026-02-05", "-f", "json"))
    commits = [(e["by"], e["text"]) for e in view["events"] if e["kind"] == "commit"]
    assert commits == [("Analyst 7", "Identification"), ("T. Mensah", "First attempt"),
                       ("T. Mensah", "Attempt typed twice"),
                       ("PC 4471 Hart", "Withdraw the duplicate"),
                       ("T. Mensah", "It was a home visit"), ("Insp 602 Rowe", "New OIC"),
                       ("PC 2210 Okoro", "Engaged")]
    recorded = {e["kind"]: e for e in view["events"] if not e["commit"]}
    assert recorded["withdrawn"]["by"] == "PC 4471 Hart"
    assert recorded["withdrawn"]["ref"] == twice
    assert recorded["amended"]["by"] == "T. Mensah"
    assert "PC 4471 Hart to PC 2210 Okoro" in recorded["reassigned"]["text"]
    shown = json.loads(ok("case", "show", cid, "-C", root, "--as-of", "2026-02-05", "-f",
                          "json"))
    assert shown["officer"] == "PC 2210 Okoro"
    assert [e["ref"] for e in shown["timeline"] if e["event"] == "withdrawn"] == [twice]


class Journey:
    """Runs each step, then checks the casebook is clean and the case at the expected stage."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.case = ""

    def do(self, when: str, expected: str, *args: object, case: bool = True) -> str:
        # Every step is dated by --as-of alone: `--date` defaults to it.
        result = run(*args, "-C", self.root, "--as-of", when)
        assert result.exit_code == 0, (args, result.output)
        made = result.stdout.strip()
        assert_valid(self.root, when)
        case_id = self.case if case else made
        assert stage(self.root, case_id, when) == expected, args
        return made
