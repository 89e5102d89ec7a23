"""Every cross-document rule in `checks.RULES`: where it fires (rule, severity, file, line) and
data that is fine, where it stays quiet.

Each case is data: a base casebook, the files a test changes, and the problems expected. A test
that fires lists every problem it expects; any other problem fails it, so a fault never hides
behind noise and a near-miss never passes by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import AS_OF, CASE_ID, MINIMAL_FLAT, flat
from conftest import CASE_DIR as C

from prelude_cli.book.casebook import open_casebook
from prelude_cli.book.problems import ERROR, WARNING, Problem
from prelude_cli.checks import RULES
from prelude_cli.checks.validation import validate

Files = dict[str, str | bytes | None]

ALL_MESSAGES = "[concern, consequences, police-priority, offer]"


def contact(day: str, purpose: str = "engage-and-explain", outcome: str = "declined",
            messages: str | None = ALL_MESSAGES) -> str:
    """A contact file: date on line 1, outcome on line 6, messages (if any) on line 7."""
    text = (f"date: '{day}'\n"
            "by: Youth worker T. Mensah\n"
            "role: youth-worker-lived-experience\n"
            "method: in-person\n"
            f"purpose: {purpose}\n"
            f"outcome: {outcome}\n")
    return text + (f"messages: {messages}\n" if messages is not None else "")


MINIMAL: Files = dict(MINIMAL_FLAT)


# Line 1 date, 3 scores:, lines 4 to 15 the twelve default domains in casebook order.
ASSESSMENT = flat("""
    date: '2026-03-10'
    assessor: PC 4471 Hart
    scores:
      accommodation: {score: 4}
      education-training-employment: {score: 3}
      finances: {score: 5}
      mental-health: {score: 6}
      wellness: {score: 7}
      substance-use: {score: 2}
      managing-strong-feelings: {score: 3}
      thinking-and-behaviour: {score: 4}
      family-and-relationships: {score: 6}
      positive-influences: {score: 5}
      positive-use-of-time: {score: 4}
      safety-from-exploitation: {score: 3}
    part2:
      aspirations: To work with cars.
""")

DISRUPTION_OPEN = flat("""
    opened: '2026-01-22'
    lead: DS 1190 Okafor
    tactics:
      - tactic: bail-checks
        agency: police
        from: '2026-01-22'
        to: '2026-02-20'
    reviews:
      - date: '2026-02-19'
        reviewer: Insp 602 Rowe
        decision: continue
        rationale: Still proportionate.
""")

DISRUPTION_CLOSED = DISRUPTION_OPEN + flat("""
    closed:
      date: '2026-03-02'
      reason: engaged
""")

PLAN_HEAD = flat("""
    agreed: '2026-03-20'
    agreed_by: PC 4471 Hart
    target_end: '2027-03-20'
    goals:
      - id: g1
        text: Settled accommodation.
        domains: [accommodation]
    milestones:
      - id: m1
        goal: g1
        text: Housing appointment.
        due: '2026-04-15'
        status: met
        status_date: '2026-04-10'
    interventions:
      - id: i1
        provider: housing-advice
        goal: g1
        referred: '2026-03-21'
        status: started
        status_date: '2026-04-02'
    mentor:
      name: Mentor M-14
      assigned: '2026-03-21'
      ended: '2026-09-30'
""")
# Lines 26 to 37 of plan.yaml.
TAG = flat("""
    tag:
      consent:
        date: '2026-03-20'
        recorded_by: PC 4471 Hart
        present: [parent]
      fitted: '2026-03-22'
      removed: '2026-06-01'
      removal_reason: no-longer-needed
      reviews:
        - date: '2026-04-19'
          reviewer: PC 4471 Hart
          decision: continue
""")
# Lines 38 to 41 of plan.yaml.
PROGRAMME_REVIEWS = flat("""
    reviews:
      - date: '2026-09-01'
        reviewer: Insp 602 Rowe
        decision: plan-exit
""")
PLAN = PLAN_HEAD + TAG + PROGRAMME_REVIEWS

EXIT = flat("""
    date: '2026-10-01'
    route: completed
    feedback:
      date: '2026-10-05'
      text: It helped.
    evaluation:
      date: '2026-10-20'
      by: Insp 602 Rowe
""")

IDENT = f"{C}/identification.yaml"
DECLINE = f"{C}/contacts/2026-01-20-ab12.yaml"
ENGAGE = f"{C}/contacts/2026-03-02-cd34.yaml"
ASSESS = f"{C}/assessments/2026-03-10.yaml"

# Included, declined, enforcement that is still open and reviewed.
DECLINED: Files = {
    **MINIMAL,
    DECLINE: contact("2026-01-20"),
    f"{C}/disruption.yaml": DISRUPTION_OPEN,
}
# A whole programme: declined, disruption closed when the person engaged, assessment, plan
# with every part, exit with feedback and evaluation. Valid, with no warnings.
FULL: Files = {
    **MINIMAL,
    DECLINE: contact("2026-01-20"),
    f"{C}/disruption.yaml": DISRUPTION_CLOSED,
    ENGAGE: contact("2026-03-02", purpose="revisit", outcome="engaged"),
    ASSESS: ASSESSMENT,
    f"{C}/plan.yaml": PLAN,
    f"{C}/exit.yaml": EXIT,
}


def edit(base: Files, path: str, old: str, new: str) -> Files:
    """`base` with one exact piece of one file replaced (it must occur exactly once)."""
    text = base[path]
    assert isinstance(text, str) and text.count(old) == 1, (path, old)
    return {path: text.replace(old, new)}


def decision(day: str, decided: str = "defer") -> str:
    """One more item for identification.yaml's `decisions` list; its date on its first line."""
    return (f"  - date: '{day}'\n"
            f"    decision: {decided}\n"
            "    forum: Slough Serious Violence tasking\n"
            "    rationale: More information needed.\n"
            "    sources: {}\n")


def problems_of(make: Callable[..., Path], files: Files, base: Files) -> list[Problem]:
    root = make(files, base=base)
    return validate(open_casebook(root), as_of=AS_OF).problems


@dataclass(frozen=True)
class Fires:
    """`rule` fires with `severity` at each (file in the case folder, line, message part)."""

    id: str
    rule: str
    severity: str
    hits: tuple[tuple[str, int, str], ...]
    files: Files
    base: Files = field(default_factory=lambda: FULL)


@dataclass(frozen=True)
class Quiet:
    """Data that is fine: nothing at all is reported, so `rule` in particular is quiet."""

    id: str
    rule: str
    files: Files
    base: Files = field(default_factory=lambda: FULL)


FIRES: list[Fires] = [
    # --- case-id -----------------------------------------------------------------------------
    Fires("case-id/folder-mismatch", "case-id", ERROR,
          (("case.yaml", 1, "does not match the case folder name"),),
          edit(MINIMAL, f"{C}/case.yaml", "id: OP-7K3M9Q", "id: OP-7K3M9R"), MINIMAL),
    Fires("case-id/off-pattern", "case-id", ERROR,
          (("case.yaml", 1, "does not follow the casebook's pattern (PR- and 6"),),
          {"casebook.yaml": "format: 1\ncase_ids: {prefix: PR-}\n"}, MINIMAL),
    # --- file-name-date ----------------------------------------------------------------------
    Fires("file-name-date/contact", "file-name-date", ERROR,
          (("contacts/2026-01-20-ab12.yaml", 1, "date '2026-01-21' does not match"),),
          edit(FULL, DECLINE, "date: '2026-01-20'", "date: '2026-01-21'")),
    Fires("file-name-date/assessment", "file-name-date", ERROR,
          (("assessments/2026-03-10.yaml", 1, "date '2026-03-11' does not match"),),
          edit(FULL, ASSESS, "date: '2026-03-10'", "date: '2026-03-11'")),
    # --- future-date -------------------------------------------------------------------------
    Fires("future-date/contact", "future-date", ERROR,
          (("contacts/2026-12-01-ab12.yaml", 1, "date '2026-12-01' is after 2026-11-26"),),
          {f"{C}/contacts/2026-12-01-ab12.yaml": contact("2026-12-01", outcome="no-contact")},
          MINIMAL),
    Fires("future-date/nested-in-flow-mapping", "future-date", ERROR,
          (("identification.yaml", 7, "date '2026-12-01' is after"),),
          edit(MINIMAL, IDENT, "date: '2026-01-05'",
               "date: '2026-12-01'"), MINIMAL),
    # --- date-order --------------------------------------------------------------------------
    Fires("date-order/decisions-oldest-first", "date-order", ERROR,
          (("identification.yaml", 9, "decisions must be listed oldest first"),),
          {IDENT: MINIMAL[IDENT] + decision("2026-01-05")}, MINIMAL),
    Fires("date-order/contact-before-decision", "date-order", ERROR,
          (("contacts/2026-01-05-ab12.yaml", 1, "is before the identification decision"),),
          {f"{C}/contacts/2026-01-05-ab12.yaml": contact("2026-01-05", outcome="no-contact")},
          MINIMAL),
    Fires("date-order/contact-while-deferred", "date-order", ERROR,
          (("contacts/2026-02-10-ab12.yaml", 1, "while no include decision stands"),),
          {IDENT: MINIMAL[IDENT] + decision("2026-02-01"),
           f"{C}/contacts/2026-02-10-ab12.yaml": contact("2026-02-10", outcome="no-contact")},
          MINIMAL),
    Fires("date-order/assessment-without-engagement", "date-order", ERROR,
          (("assessments/2026-03-10.yaml", 1,
            "assessment is before any contact where the person engaged"),),
          {ASSESS: ASSESSMENT}, MINIMAL),
    Fires("date-order/assessment-before-engagement", "date-order", ERROR,
          (("assessments/2026-03-10.yaml", 1, "assessment is before engagement (2026-03-12)"),),
          {ENGAGE: None,
           f"{C}/contacts/2026-03-12-cd34.yaml": contact("2026-03-12", "revisit", "engaged"),
           # closed on the day they engaged (closed-engaged-without-contact stays quiet)
           f"{C}/disruption.yaml": DISRUPTION_CLOSED.replace("date: '2026-03-02'",
                                                             "date: '2026-03-12'")}),
    Fires("date-order/plan-before-assessment", "date-order", ERROR,
          (("plan.yaml", 1, "plan agreed before the first needs assessment"),),
          edit(FULL, f"{C}/plan.yaml", "agreed: '2026-03-20'", "agreed: '2026-03-05'")),
    Fires("date-order/plan-without-assessment", "date-order", ERROR,
          (("plan.yaml", 1, "plan agreed before the first needs assessment"),),
          {ASSESS: None}),
    Fires("date-order/mentor-ended-before-assigned", "date-order", ERROR,
          (("plan.yaml", 25, "mentor ended before assigned"),),
          edit(FULL, f"{C}/plan.yaml", "ended: '2026-09-30'", "ended: '2026-03-01'")),
    Fires("date-order/intervention-status-before-referral", "date-order", ERROR,
          (("plan.yaml", 21, "intervention status date is before referral"),),
          edit(FULL, f"{C}/plan.yaml", "status_date: '2026-04-02'", "status_date: '2026-03-01'")),
    Fires("date-order/programme-review-before-plan", "date-order", ERROR,
          (("plan.yaml", 39, "programme review is before the start"),),
          edit(FULL, f"{C}/plan.yaml", "- date: '2026-09-01'", "- date: '2026-03-01'")),
    Fires("date-order/programme-reviews-out-of-order", "date-order", ERROR,
          (("plan.yaml", 42, "programme review is before the one above it"),),
          {f"{C}/plan.yaml": PLAN + (
              "  - date: '2026-08-01'\n"
              "    reviewer: Insp 602 Rowe\n"
              "    decision: continue\n")}),
    Fires("date-order/proportionality-review-before-opening", "date-order", ERROR,
          (("disruption.yaml", 9, "proportionality review is before the start"),),
          edit(DECLINED, f"{C}/disruption.yaml", "- date: '2026-02-19'", "- date: '2026-01-21'"),
          DECLINED),
    Fires("date-order/proportionality-reviews-out-of-order", "date-order", ERROR,
          (("disruption.yaml", 13, "proportionality review is before the one above it"),),
          {f"{C}/disruption.yaml": DISRUPTION_OPEN + (
              "  - date: '2026-02-10'\n"
              "    reviewer: Insp 602 Rowe\n"
              "    decision: continue\n"
              "    rationale: Still proportionate.\n")}, DECLINED),
    Fires("date-order/tag-review-before-fitting", "date-order", ERROR,
          (("plan.yaml", 35, "tag review is before the start"),),
          edit(FULL, f"{C}/plan.yaml", "- date: '2026-04-19'", "- date: '2026-03-21'")),
    Fires("date-order/tactic-ends-before-start", "date-order", ERROR,
          (("disruption.yaml", 7, "tactic ends before it starts"),),
          edit(DECLINED, f"{C}/disruption.yaml", "to: '2026-02-20'", "to: '2026-01-21'"),
          DECLINED),
    Fires("date-order/plan-closed-before-opened", "date-order", ERROR,
          (("disruption.yaml", 14, "plan closed before it opened"),),
          {f"{C}/disruption.yaml": DISRUPTION_CLOSED.replace("date: '2026-03-02'",
                                                             "date: '2026-01-21'")
           .replace("reason: engaged", "reason: not-proportionate")}),
    Fires("date-order/exit-before-decision", "date-order", ERROR,
          (("exit.yaml", 1, "exit is before the identification decision"),),
          {f"{C}/exit.yaml": "date: '2026-01-10'\nroute: moved-away\n"}, MINIMAL),
    Fires("date-order/feedback-before-exit", "date-order", ERROR,
          (("exit.yaml", 4, "feedback is dated before the exit"),),
          edit(FULL, f"{C}/exit.yaml", "date: '2026-10-05'", "date: '2026-09-20'")),
    Fires("date-order/evaluation-before-exit", "date-order", ERROR,
          (("exit.yaml", 7, "evaluation is dated before the exit"),),
          edit(FULL, f"{C}/exit.yaml", "date: '2026-10-20'", "date: '2026-09-20'")),
    Fires("date-order/assessment-and-plan-after-exit", "date-order", ERROR,
          (("assessments/2026-03-10.yaml", 1, "recorded on 2026-03-10, after the exit on "
                                              "2026-03-05"),
           ("plan.yaml", 1, "recorded on 2026-03-20, after the exit"),
           ("plan.yaml", 39, "recorded on 2026-09-01, after the exit")),
          edit(FULL, f"{C}/exit.yaml", "date: '2026-10-01'", "date: '2026-03-05'")),
    Fires("date-order/contact-and-disruption-after-exit", "date-order", ERROR,
          (("contacts/2026-01-20-ab12.yaml", 1, "recorded on 2026-01-20, after the exit"),
           ("disruption.yaml", 1, "recorded on 2026-01-22, after the exit"),
           ("disruption.yaml", 9, "recorded on 2026-02-19, after the exit")),
          {f"{C}/exit.yaml": "date: '2026-01-15'\nroute: custody\n"}, DECLINED),
    # --- disruption-without-decline ----------------------------------------------------------
    Fires("disruption-without-decline/no-declined-contact", "disruption-without-decline", ERROR,
          (("disruption.yaml", 1, "no declined contact on or before it"),),
          edit(FULL, DECLINE, "outcome: declined", "outcome: undecided")),
    Fires("disruption-without-decline/declined-after-opening", "disruption-without-decline",
          ERROR, (("disruption.yaml", 1, "no declined contact on or before it"),),
          {DECLINE: None, f"{C}/contacts/2026-01-23-ab12.yaml": contact("2026-01-23")},
          DECLINED),
    # --- disruption-open-after-engagement ----------------------------------------------------
    Fires("disruption-open-after-engagement/engaged", "disruption-open-after-engagement",
          WARNING, (("disruption.yaml", 1, "the person engaged on 2026-03-02; close the plan"),),
          {ENGAGE: contact("2026-03-02", "revisit", "engaged")}, DECLINED),
    Fires("disruption-open-after-engagement/engaged-again", "disruption-open-after-engagement",
          WARNING, (("disruption.yaml", 1, "the person engaged on 2026-03-02; close the plan"),),
          {f"{C}/contacts/2026-01-15-ef56.yaml": contact("2026-01-15", outcome="engaged"),
           ENGAGE: contact("2026-03-02", "revisit", "engaged")}, DECLINED),
    # --- stop-without-closure ----------------------------------------------------------------
    Fires("stop-without-closure/stop", "stop-without-closure", WARNING,
          (("disruption.yaml", 11, "the latest review decided to stop"),),
          edit(DECLINED, f"{C}/disruption.yaml", "decision: continue", "decision: stop"),
          DECLINED),
    # --- tag-consent -------------------------------------------------------------------------
    Fires("tag-consent/fitted-before-consent", "tag-consent", ERROR,
          (("plan.yaml", 31, "tag fitted before consent was recorded"),),
          edit(FULL, f"{C}/plan.yaml", "fitted: '2026-03-22'", "fitted: '2026-03-19'")),
    Fires("tag-consent/fitted-after-withdrawal", "tag-consent", ERROR,
          (("plan.yaml", 32, "tag fitted after consent was withdrawn"),),
          edit(FULL, f"{C}/plan.yaml", "present: [parent]\n",
               "present: [parent]\n    withdrawn: '2026-03-21'\n")),
    Fires("tag-consent/under-18-without-present", "tag-consent", ERROR,
          (("plan.yaml", 27, "under-18: record who was present"),),
          edit(FULL, f"{C}/plan.yaml", "    present: [parent]\n", "")),
    Fires("tag-consent/under-18-present-empty", "tag-consent", ERROR,
          (("plan.yaml", 27, "under-18: record who was present"),),
          edit(FULL, f"{C}/plan.yaml", "present: [parent]", "present: []")),
    Fires("tag-consent/withdrawn-not-removed", "tag-consent", WARNING,
          (("plan.yaml", 31, "consent withdrawn but the tag is not removed"),),
          {f"{C}/plan.yaml": PLAN.replace("present: [parent]\n",
                                          "present: [parent]\n    withdrawn: '2026-05-01'\n")
           .replace("  removed: '2026-06-01'\n  removal_reason: no-longer-needed\n", ""),
           f"{C}/exit.yaml": None}),  # not exited: tag-fitted-at-exit stays quiet
    Fires("tag-consent/removed-never-fitted", "tag-consent", ERROR,
          (("plan.yaml", 31, "tag removed but never fitted"),),
          {f"{C}/plan.yaml": PLAN_HEAD + flat("""
              tag:
                consent:
                  date: '2026-03-20'
                  recorded_by: PC 4471 Hart
                  present: [parent]
                removed: '2026-06-01'
           """)}),
    Fires("tag-consent/removed-before-fitted", "tag-consent", ERROR,
          (("plan.yaml", 32, "tag removed before it was fitted"),),
          edit(FULL, f"{C}/plan.yaml", "removed: '2026-06-01'", "removed: '2026-03-21'")),
    Fires("tag-consent/reviewed-never-fitted", "tag-consent", ERROR,
          (("plan.yaml", 31, "tag reviewed but never fitted"),),
          {f"{C}/plan.yaml": PLAN.replace("  fitted: '2026-03-22'\n", "")
           .replace("  removed: '2026-06-01'\n  removal_reason: no-longer-needed\n", "")}),
    # --- explain-messages --------------------------------------------------------------------
    Fires("explain-messages/one-missing", "explain-messages", WARNING,
          (("contacts/2026-01-20-ab12.yaml", 7, "not recorded as delivered: offer"),),
          edit(FULL, DECLINE, ", offer]", "]")),
    Fires("explain-messages/none-recorded", "explain-messages", WARNING,
          (("contacts/2026-01-20-ab12.yaml", 1,
            "not recorded as delivered: concern, consequences, police-priority, offer"),),
          {DECLINE: contact("2026-01-20", outcome="undecided", messages=None)}, MINIMAL),
    # --- duplicate-contact -------------------------------------------------------------------
    Fires("duplicate-contact/typed-twice", "duplicate-contact", WARNING,
          (("contacts/2026-01-20-zz99.yaml", 1,
            f"same date, purpose, outcome and worker as {DECLINE}"),),
          {f"{C}/contacts/2026-01-20-zz99.yaml": contact("2026-01-20")}, DECLINED),
    # --- duplicate-review --------------------------------------------------------------------
    Fires("duplicate-review/same-day-different-decision", "duplicate-review", WARNING,
          (("disruption.yaml", 13, "two proportionality reviews on 2026-02-19: they decide "
                                   "differently (continue and amend)"),),
          {f"{C}/disruption.yaml": DISRUPTION_OPEN + "  - date: '2026-02-19'\n"
           "    reviewer: Insp 602 Rowe\n    decision: amend\n    rationale: Scale back.\n"},
          DECLINED),
    # --- unknown-provider --------------------------------------------------------------------
    Fires("unknown-provider/not-listed", "unknown-provider", ERROR,
          (("plan.yaml", 17, "provider 'gym-club' is not in providers.yaml"),),
          edit(FULL, f"{C}/plan.yaml", "provider: housing-advice", "provider: gym-club")),
    Fires("unknown-provider/no-providers-file", "unknown-provider", ERROR,
          (("plan.yaml", 17, "provider 'housing-advice' is not in providers.yaml"),),
          {"providers.yaml": None}),
    # --- unknown-domain ----------------------------------------------------------------------
    Fires("unknown-domain/assessment", "unknown-domain", ERROR,
          (("assessments/2026-03-10.yaml", 16, "'hobbies' is not a needs domain"),),
          edit(FULL, ASSESS, "part2:", "  hobbies: {score: 5}\npart2:")),
    Fires("unknown-domain/goal", "unknown-domain", ERROR,
          (("plan.yaml", 7, "'hobbies' is not a needs domain"),),
          edit(FULL, f"{C}/plan.yaml", "domains: [accommodation]",
               "domains: [accommodation, hobbies]")),
    # --- score-range -------------------------------------------------------------------------
    Fires("score-range/above", "score-range", ERROR,
          (("assessments/2026-03-10.yaml", 4, "score for accommodation is off the 1-10 scale"),),
          edit(FULL, ASSESS, "accommodation: {score: 4}", "accommodation: {score: 11}")),
    Fires("score-range/below", "score-range", ERROR,
          (("assessments/2026-03-10.yaml", 15, "score for safety-from-exploitation is off"),),
          edit(FULL, ASSESS, "exploitation: {score: 3}", "exploitation: {score: 0}")),
    Fires("score-range/custom-scale", "score-range", ERROR,
          (("assessments/2026-03-10.yaml", 9, "score for substance-use is off the 2-6 scale"),),
          {"casebook.yaml": "format: 1\nneeds:\n  scale: {min: 2, max: 6}\n",
           ASSESS: ASSESSMENT.replace("{score: 7}", "{score: 6}")
           .replace("substance-use: {score: 2}", "substance-use: {score: 1}")}),
    # --- assessment-incomplete ---------------------------------------------------------------
    Fires("assessment-incomplete/one-missing", "assessment-incomplete", WARNING,
          (("assessments/2026-03-10.yaml", 3, "1 domain(s) not scored: safety-from-exploitation"),),
          edit(FULL, ASSESS, "  safety-from-exploitation: {score: 3}\n", "")),
    # --- plan-references ---------------------------------------------------------------------
    Fires("plan-references/duplicate-id", "plan-references", ERROR,
          (("plan.yaml", 9, "id 'g1' is used twice"),),
          edit(FULL, f"{C}/plan.yaml", "- id: m1", "- id: g1")),
    Fires("plan-references/milestone-goal", "plan-references", ERROR,
          (("plan.yaml", 10, "goal 'g9' is not a goal of this plan"),),
          edit(FULL, f"{C}/plan.yaml", "    goal: g1\n    text: Housing",
               "    goal: g9\n    text: Housing")),
    Fires("plan-references/intervention-goal", "plan-references", ERROR,
          (("plan.yaml", 18, "goal 'g9' is not a goal of this plan"),),
          edit(FULL, f"{C}/plan.yaml", "    goal: g1\n    referred", "    goal: g9\n    referred")),
]

CUSTOM_FORM = flat("""
    format: 1
    needs:
      scale: {min: 0, max: 4}
      domains:
        - {id: housing, label: Housing}
        - {id: work, label: Work}
""")
CUSTOM_ASSESSMENT = flat("""
    date: '2026-03-10'
    assessor: PC 4471 Hart
    scores:
      housing: {score: 0}
      work: {score: 4}
""")

# --- pii-in-text ------------------------------------------------------------------------------
REGISTER = "OP-7K3M9Q:\n  name: Jordan Quillby\n  other_names: [JQ, Quills]\n"
FIRES += [
    Fires("pii-in-text/phone-in-notes", "pii-in-text", WARNING,
          (("contacts/2026-01-20-ab12.yaml", 8, "notes may hold personal data (a phone number)"),),
          {DECLINE: contact("2026-01-20") + "notes: Mum asked us to ring 07700 900123.\n"}),
    Fires("pii-in-text/nhs-number-in-flow-mapping", "pii-in-text", WARNING,
          (("assessments/2026-03-10.yaml", 8, "scores.wellness.facts may hold personal data "
            "(an NHS number)"),),
          edit(FULL, ASSESS, "wellness: {score: 7}",
               "wellness: {score: 7, facts: 'GP has NHS no. 943 476 5919'}")),
    Fires("pii-in-text/own-name-from-register", "pii-in-text", WARNING,
          (("identification.yaml", 5, "decisions[0].rationale may hold personal data (the "
            "person's name)"),),
          {"identities.yaml": REGISTER,
           **edit(MINIMAL, IDENT, "rationale: Dashboard rank and partner concerns.",
                  "rationale: Quills is known to carry.")}, MINIMAL),
]

FIRES += [
    # --- closed-engaged-without-contact, completed-without-engagement, tag-fitted-at-exit ----
    Fires("closed-engaged-without-contact/no-engaged-contact", "closed-engaged-without-contact",
          ERROR, (("disruption.yaml", 15, "no contact on or before it records the person "
                                          "engaging"),),
          {f"{C}/disruption.yaml": DISRUPTION_CLOSED}, DECLINED),
    Fires("closed-engaged-without-contact/engaged-after-closing",
          "closed-engaged-without-contact", ERROR,
          (("disruption.yaml", 15, "closed as engaged on 2026-03-01"),),
          {f"{C}/disruption.yaml": DISRUPTION_CLOSED.replace("date: '2026-03-02'",
                                                             "date: '2026-03-01'")}),
    Fires("completed-without-engagement/never-engaged", "completed-without-engagement", ERROR,
          (("exit.yaml", 2, "no contact records the person engaging"),),
          {f"{C}/exit.yaml": "date: '2026-03-05'\nroute: completed\n"}, MINIMAL),
    Fires("tag-fitted-at-exit/never-removed", "tag-fitted-at-exit", WARNING,
          (("plan.yaml", 31, "has no removal recorded"),),
          {f"{C}/plan.yaml": PLAN.replace(
              "  removed: '2026-06-01'\n  removal_reason: no-longer-needed\n", "")}),
]

QUIET: list[Quiet] = [
    Quiet("pii-in-text/reviewed-on-the-line", "pii-in-text",
          {DECLINE: contact("2026-01-20")
           + "notes: Youth centre, SL1 2AB.  # prelude: reviewed\n"}),
    Quiet("pii-in-text/reviewed-above", "pii-in-text",
          {DECLINE: contact("2026-01-20") + "# prelude: reviewed\nnotes: |\n  Youth centre,\n"
           "  SL1 2AB.\n"}),
    Quiet("pii-in-text/register-names-elsewhere", "pii-in-text",
          {"identities.yaml": REGISTER,
           DECLINE: contact("2026-01-20") + "notes: Seen on 2026-01-19 at 16:00 with PC 4471 "
           "Hart; quilts donated.\n"}),
    Quiet("full-programme", "date-order", {}),
    Quiet("minimal-case", "case-id", {}, MINIMAL),
    Quiet("case-id/custom-prefix", "case-id",
          {"casebook.yaml": "format: 1\ncase_ids: {prefix: PR-, random_length: 4}\n",
           f"{C}/case.yaml": None, IDENT: None,
           "cases/PR-7K3M/case.yaml": MINIMAL[f"{C}/case.yaml"].replace(CASE_ID, "PR-7K3M"),
           "cases/PR-7K3M/identification.yaml": MINIMAL[IDENT]},
          MINIMAL),
    Quiet("file-name-date/matching-names", "file-name-date", {}),
    Quiet("future-date/due-dates-and-today", "future-date",
          {**edit(MINIMAL, IDENT, "by: '2026-01-26'",
                  "by: '2026-12-26'"),
           f"{C}/contacts/2026-11-26-ab12.yaml": contact("2026-11-26", outcome="no-contact")},
          MINIMAL),
    Quiet("future-date/plan-targets", "future-date",
          edit(FULL, f"{C}/plan.yaml", "due: '2026-04-15'\n    status: met\n"
               "    status_date: '2026-04-10'", "due: '2027-01-15'\n    status: pending")),
    Quiet("date-order/same-day-steps", "date-order",
          {DECLINE: None, f"{C}/disruption.yaml": None, f"{C}/plan.yaml": None,
           f"{C}/exit.yaml": None, ENGAGE: None, ASSESS: None,
           f"{C}/contacts/2026-01-12-ab12.yaml": contact("2026-01-12", outcome="engaged"),
           f"{C}/assessments/2026-01-12.yaml": ASSESSMENT.replace("2026-03-10", "2026-01-12")}),
    Quiet("date-order/contact-after-include-follows-defer", "date-order",
          {IDENT: "decisions:\n" + decision("2026-01-05") + MINIMAL[IDENT].split("\n", 1)[1],
           f"{C}/contacts/2026-01-12-ab12.yaml": contact("2026-01-12", outcome="no-contact")},
          MINIMAL),
    Quiet("date-order/exit-same-day-as-last-record", "date-order",
          edit(FULL, f"{C}/exit.yaml", "date: '2026-10-01'", "date: '2026-09-01'")),
    Quiet("disruption-without-decline/declined-before", "disruption-without-decline", {},
          DECLINED),
    Quiet("disruption-without-decline/declined-same-day", "disruption-without-decline",
          {DECLINE: None, f"{C}/contacts/2026-01-22-ab12.yaml": contact("2026-01-22")},
          DECLINED),
    Quiet("disruption-open-after-engagement/closed", "disruption-open-after-engagement", {}),
    Quiet("stop-without-closure/stop-and-closed", "stop-without-closure",
          {f"{C}/disruption.yaml": DISRUPTION_OPEN.replace("decision: continue", "decision: stop")
           + "closed: {date: '2026-02-19', reason: not-proportionate}\n"}, DECLINED),
    Quiet("tag-consent/full", "tag-consent", {}),
    Quiet("tag-consent/adult-without-present", "tag-consent",
          {**edit(FULL, f"{C}/plan.yaml", "    present: [parent]\n", ""),
           **edit(FULL, f"{C}/case.yaml", "age_band: under-18", "age_band: 18-24")}),
    Quiet("tag-consent/consent-only", "tag-consent",
          {f"{C}/plan.yaml": PLAN_HEAD + flat("""
              tag:
                consent:
                  date: '2026-03-20'
                  recorded_by: PC 4471 Hart
                  present: [parent, social worker]
           """)}),
    Quiet("explain-messages/no-contact-and-follow-up", "explain-messages",
          {f"{C}/contacts/2026-01-15-ab12.yaml": contact("2026-01-15", outcome="no-contact",
                                                         messages=None),
           f"{C}/contacts/2026-03-09-ef56.yaml": contact("2026-03-09", purpose="follow-up",
                                                         outcome="engaged", messages=None)}),
    Quiet("duplicate-contact/attempt-then-contact", "duplicate-contact",
          {f"{C}/contacts/2026-01-20-aa11.yaml": contact("2026-01-20", outcome="no-contact",
                                                         messages=None)}, DECLINED),
    Quiet("duplicate-review/different-days", "duplicate-review", {}),
    Quiet("unknown-provider/listed", "unknown-provider", {}),
    Quiet("unknown-domain/custom-form", "unknown-domain",
          {"casebook.yaml": CUSTOM_FORM,
           f"{C}/contacts/2026-03-02-cd34.yaml": contact("2026-03-02", outcome="engaged"),
           ASSESS: CUSTOM_ASSESSMENT}, MINIMAL),
    Quiet("score-range/bounds", "score-range",
          {**edit(FULL, ASSESS, "accommodation: {score: 4}", "accommodation: {score: 1}"),
           **edit(FULL, ASSESS, "safety-from-exploitation: {score: 3}",
                  "safety-from-exploitation: {score: 10}")}),
    Quiet("score-range/custom-scale-bounds", "score-range",
          {"casebook.yaml": CUSTOM_FORM,
           f"{C}/contacts/2026-03-02-cd34.yaml": contact("2026-03-02", outcome="engaged"),
           ASSESS: CUSTOM_ASSESSMENT}, MINIMAL),
    Quiet("assessment-incomplete/every-domain", "assessment-incomplete", {}),
    Quiet("assessment-incomplete/custom-form", "assessment-incomplete",
          {"casebook.yaml": CUSTOM_FORM,
           f"{C}/contacts/2026-03-02-cd34.yaml": contact("2026-03-02", outcome="engaged"),
           ASSESS: CUSTOM_ASSESSMENT}, MINIMAL),
    Quiet("plan-references/goals-exist", "plan-references", {}),
    Quiet("closed-engaged-without-contact/engaged-that-day", "closed-engaged-without-contact",
          {}),
    Quiet("closed-engaged-without-contact/closed-as-not-proportionate",
          "closed-engaged-without-contact",
          {ENGAGE: None, ASSESS: None, f"{C}/plan.yaml": None, f"{C}/exit.yaml": None,
           f"{C}/disruption.yaml": DISRUPTION_CLOSED.replace("reason: engaged",
                                                             "reason: not-proportionate")}),
    Quiet("completed-without-engagement/engaged", "completed-without-engagement", {}),
    Quiet("tag-fitted-at-exit/removed", "tag-fitted-at-exit", {}),
    Quiet("plan-references/items-without-goal", "plan-references",
          {f"{C}/plan.yaml": PLAN.replace("    goal: g1\n", "")}),
]


@pytest.mark.parametrize("case", FIRES, ids=[f.id for f in FIRES])
def test_rule_fires_at_its_line(casebook: Callable[..., Path], case: Fires) -> None:
    problems = problems_of(casebook, case.files, case.base)
    found = [p for p in problems if p.rule == case.rule]
    assert len(found) == len(case.hits), problems
    for (rel, line, message), p in zip(sorted(case.hits), sorted(found), strict=True):
        assert p.path == f"{C}/{rel}"
        assert p.line == line, p
        assert p.column >= 1, p
        assert p.severity == case.severity, p
        assert message in p.message, p
    others = [p for p in problems if p.rule != case.rule]
    assert others == [], others


@pytest.mark.parametrize("case", QUIET, ids=[q.id for q in QUIET])
def test_rule_quiet_on_fine_data(casebook: Callable[..., Path], case: Quiet) -> None:
    problems = problems_of(casebook, case.files, case.base)
    assert problems == []


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    assert {f.rule for f in FIRES} == set(RULES)
    assert {q.rule for q in QUIET} == set(RULES)


def test_full_case_exercises_every_document_kind(casebook: Callable[..., Path]) -> None:
    """The quiet base really is a whole programme, so quiet tests are not vacuous."""
    root = casebook({}, base=FULL)
    book = open_casebook(root)
    result = validate(book, as_of=AS_OF)
    assert result.problems == []
    assert result.cases == 1
    assert result.documents == 2 + 8  # casebook.yaml, providers.yaml and the case's files
