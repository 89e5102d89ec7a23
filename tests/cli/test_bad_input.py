"""Bad input to every recording command: a one-line error naming what is wrong, exit 1 (the
casebook refuses) or 2 (the command line is malformed), and not a byte written."""

from __future__ import annotations

import pytest
from recordkit import run, tree

CID = "OP-7K3M9Q"
AS_OF = ("--as-of", "2026-06-01")

# A case in support: declined, disruption plan (open), engaged, assessed, plan agreed.
SUPPORT = {
    f"cases/{CID}/contacts/2026-01-20-ab12.yaml": """
        date: '2026-01-20'
        by: T. Mensah
        method: in-person
        purpose: engage-and-explain
        outcome: declined
        messages: [concern, consequences, police-priority, offer]
    """,
    f"cases/{CID}/disruption.yaml": """
        opened: '2026-01-22'
        lead: DS 1190 Okafor
        tactics:
          - {tactic: bail-checks, agency: police, from: '2026-01-22'}
          - {tactic: bail-checks, agency: probation, from: '2026-01-22'}
    """,
    f"cases/{CID}/contacts/2026-03-01-cd34.yaml": """
        date: '2026-03-01'
        by: T. Mensah
        method: in-person
        purpose: revisit
        outcome: engaged
        messages: [concern, consequences, police-priority, offer]
    """,
    f"cases/{CID}/assessments/2026-03-10.yaml": "date: '2026-03-10'\nassessor: PC Hart\n"
    "scores:\n" + "".join(f"  {d}: {{score: 5}}\n" for d in (
        "accommodation", "education-training-employment", "finances", "mental-health",
        "wellness", "substance-use", "managing-strong-feelings", "thinking-and-behaviour",
        "family-and-relationships", "positive-influences", "positive-use-of-time",
        "safety-from-exploitation")),
    f"cases/{CID}/plan.yaml": """
        agreed: '2026-03-20'
        agreed_by: PC 4471 Hart
        goals:
          - {id: g1, text: Back into college}
        milestones:
          - {id: m-abcd, goal: g1, text: Enrol, due: '2026-04-30', status: pending}
        interventions:
          - {id: i-abcd, provider: boxing-club, referred: '2026-03-22', status: referred}
    """,
}

NOPE = "OP-NNNNNN"
UNKNOWN_CASE = [
    ["case", "decide", NOPE, "--decision", "include", "--forum", "f", "--rationale", "r",
     "--approach-role", "youth-worker"],
    ["case", "show", NOPE],
    ["contact", "add", NOPE, "--by", "b", "--method", "phone", "--purpose", "support",
     "--outcome", "engaged"],
    ["disruption", "open", NOPE, "--lead", "l", "--tactic", "bail-checks:police"],
    ["disruption", "revisit", NOPE, "--by", "b", "--method", "phone", "--outcome", "declined"],
    ["disruption", "review", NOPE, "--reviewer", "r", "--decision", "stop", "--rationale", "r"],
    ["disruption", "close", NOPE, "--reason", "other"],
    ["disruption", "tactic", "add", NOPE, "civil-order:police"],
    ["disruption", "tactic", "end", NOPE, "bail-checks"],
    ["assess", NOPE, "--assessor", "a", "--score", "finances=5"],
    ["plan", "agree", NOPE, "--agreed-by", "a", "--goal", "g"],
    ["plan", "goal", "add", NOPE, "--text", "t"],
    ["plan", "milestone", "add", NOPE, "--text", "t", "--due", "2026-07-01"],
    ["plan", "milestone", "set", NOPE, "m-abcd", "--status", "met"],
    ["plan", "intervention", "add", NOPE, "--provider", "boxing-club"],
    ["plan", "intervention", "set", NOPE, "i-abcd", "--status", "started"],
    ["plan", "mentor", NOPE, "--name", "M"],
    ["plan", "review", NOPE, "--reviewer", "r", "--decision", "continue"],
    ["plan", "tag", "consent", NOPE, "--recorded-by", "r", "--present", "parent"],
    ["plan", "tag", "withdraw", NOPE],
    ["plan", "tag", "fit", NOPE],
    ["plan", "tag", "review", NOPE, "--reviewer", "r", "--decision", "continue"],
    ["plan", "tag", "remove", NOPE, "--reason", "other"],
    ["exit", "record", NOPE, "--route", "completed"],
    ["exit", "feedback", NOPE, "--declined"],
    ["exit", "evaluate", NOPE, "--by", "b"],
]

# Every command that takes a date, given an impossible one: (args, the option named).
IMPOSSIBLE_DATE = [
    (["case", "new", "--officer", "o", "--area", "a", "--concern", "violence", "--age-band",
      "18-24", "--forum", "f", "--rationale", "r", "--approach-role", "youth-worker",
      "--date", "2026-02-30"], "--date"),
    (["case", "new", "--officer", "o", "--area", "a", "--concern", "violence", "--age-band",
      "18-24", "--forum", "f", "--rationale", "r", "--approach-role", "youth-worker",
      "--approach-by", "2026-13-01"], "--approach-by"),
    (["plan", "milestone", "add", CID, "--text", "t", "--due", "2026-02-30"], "--due"),
    (["plan", "intervention", "add", CID, "--provider", "boxing-club",
      "--referred", "2026-02-30"], "--referred"),
    (["plan", "mentor", CID, "--name", "M", "--assigned", "2026-02-30"], "--assigned"),
    (["plan", "agree", CID, "--agreed-by", "a", "--goal", "g", "--target-end", "2026-02-30"],
     "--target-end"),
    (["contact", "add", CID, "--by", "b", "--method", "phone", "--purpose", "support",
      "--outcome", "engaged", "--as-of", "2026-02-30"], "--as-of"),
] + [(args + ["--date", "2026-02-30"], "--date") for args in
     [[a if a != NOPE else CID for a in cmd] for cmd in UNKNOWN_CASE]
     if args[:2] != ["case", "show"] and args[1] not in ("goal", "milestone", "intervention",
                                                          "mentor")
     or args[:3] in (["plan", "milestone", "set"], ["plan", "intervention", "set"])]

# The casebook refuses these: exit 1, and the message says why.
REFUSED = [
    (["assess", CID, "--assessor", "a", "--score", "nonsense=5"], "unknown needs domain"),
    (["assess", CID, "--assessor", "a", "--score", "finances=11"], "off the 1-10 scale"),
    (["assess", CID, "--assessor", "a", "--score", "finances=0"], "off the 1-10 scale"),
    (["assess", CID, "--assessor", "a", "--date", "2026-03-10"], "already has an assessment"),
    (["plan", "intervention", "add", CID, "--provider", "nowhere"], "unknown provider"),
    (["plan", "goal", "add", CID, "--text", "t", "--domain", "nowhere"], "unknown needs domain"),
    (["contact", "add", CID, "--date", "2026-01-01", "--by", "b", "--method", "phone",
      "--purpose", "support", "--outcome", "engaged"], "before the identification decision"),
    (["exit", "record", CID, "--date", "2026-01-02", "--route", "other"],
     "before the identification decision"),
    (["case", "decide", CID, "--date", "2026-01-02", "--decision", "defer", "--forum", "f",
      "--rationale", "r"], "oldest first"),
    (["contact", "add", CID, "--date", "2026-06-02", "--by", "b", "--method", "phone",
      "--purpose", "support", "--outcome", "engaged"], "after 2026-06-01"),
    (["plan", "milestone", "set", CID, "m-zzzz", "--status", "met"], "no milestone"),
    (["plan", "milestone", "add", CID, "--text", "t", "--due", "2026-07-01", "--goal", "g9"],
     "no goal"),
    (["plan", "intervention", "set", CID, "i-zzzz", "--status", "started"], "no intervention"),
    (["plan", "agree", CID, "--agreed-by", "a", "--goal", "g"], "already has an agreed plan"),
    (["plan", "tag", "consent", CID, "--recorded-by", "r"], "who was present"),
    (["plan", "tag", "fit", CID], "no tag consent"),
    (["disruption", "open", CID, "--lead", "l", "--tactic", "bail-checks:police"],
     "already has a disruption plan"),
    (["disruption", "tactic", "end", CID, "civil-order"], "no running tactic"),
    (["exit", "feedback", CID, "--declined"], "has not exited"),
    (["case", "new", "--id", CID, "--officer", "o", "--area", "a", "--concern", "violence",
      "--age-band", "18-24", "--forum", "f", "--rationale", "r", "--decision", "defer"],
     "already exists"),
]

# Malformed command lines: exit 2.
MALFORMED = [
    (["assess", CID, "--assessor", "a", "--score", "finances"], "DOMAIN=SCORE"),
    (["assess", CID, "--assessor", "a", "--score", "finances=high"], "not a whole number"),
    (["disruption", "tactic", "add", CID, "bail-checks"], "needs an agency"),
    (["disruption", "tactic", "add", CID, "tea-party:police"], "not one of"),
    (["disruption", "tactic", "end", CID, "bail-checks"], "name the agency"),
    (["case", "new", "--officer", "o", "--area", "a", "--concern", "violence", "--age-band",
      "18-24", "--forum", "f", "--rationale", "r"], "approach role"),
    (["case", "new", "--id", "OP-../X", "--officer", "o", "--area", "a", "--concern",
      "violence", "--age-band", "18-24", "--forum", "f", "--rationale", "r",
      "--decision", "defer"], "path separators"),
    (["case", "new", "--id", "CON", "--officer", "o", "--area", "a", "--concern",
      "violence", "--age-band", "18-24", "--forum", "f", "--rationale", "r",
      "--decision", "defer"], "reserved on Windows"),
    (["case", "decide", CID, "--decision", "include", "--forum", "f", "--rationale", "r",
      "--partner", "aliens:visited"], "not one of"),
    (["contact", "add", CID, "--by", "b", "--method", "pigeon", "--purpose", "support",
      "--outcome", "engaged"], "--method"),
    (["exit", "feedback", CID], "declined"),
    (["plan", "mentor", CID], "--name"),
]


@pytest.fixture
def book(casebook):
    return casebook(SUPPORT)


def _refused(root, args: list[str]) -> tuple[int, str]:
    before = tree(root)
    result = run(*args, "-C", root, *(() if "--as-of" in args else AS_OF))
    assert tree(root) == before, "the casebook changed"
    return result.exit_code, result.stderr


@pytest.mark.parametrize("args", UNKNOWN_CASE, ids=lambda a: " ".join(a[:3]))
def test_unknown_case(book, args: list[str]) -> None:
    code, stderr = _refused(book, args)
    assert code == 1
    assert stderr == f"prelude: no case '{NOPE}' in this casebook\n"


@pytest.mark.parametrize(("args", "option"), IMPOSSIBLE_DATE,
                         ids=lambda a: " ".join(a[:3]) if isinstance(a, list) else a)
def test_impossible_date(book, args: list[str], option: str) -> None:
    code, stderr = _refused(book, args)
    assert code == 2
    assert option in stderr and "2026-" in stderr


@pytest.mark.parametrize(("args", "says"), REFUSED, ids=lambda a: " ".join(a[:4])
                         if isinstance(a, list) else a)
def test_refused(book, args: list[str], says: str) -> None:
    code, stderr = _refused(book, args)
    assert code == 1
    assert says in stderr
    reasons = [line for line in stderr.splitlines() if says in line]
    assert len(reasons) == 1  # one line says what is wrong


@pytest.mark.parametrize(("args", "says"), MALFORMED, ids=lambda a: " ".join(a[:4])
                         if isinstance(a, list) else a)
def test_malformed(book, args: list[str], says: str) -> None:
    code, stderr = _refused(book, args)
    assert code == 2
    assert says in stderr


def test_validation_refusal_prints_problems_like_validate(book) -> None:
    """A record that would leave an error prints the problem lines, then one summary."""
    code, stderr = _refused(book, ["plan", "tag", "consent", CID, "--recorded-by", "r"])
    lines = stderr.splitlines()
    assert lines[0].startswith(f"cases/{CID}/plan.yaml:") and " error tag-consent " in lines[0]
    assert lines[-1] == f"prelude: nothing written: the record would leave 1 error in case {CID}"
