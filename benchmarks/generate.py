"""Write a valid, realistic synthetic casebook for benchmarks and load tests.

    python3 benchmarks/generate.py --cases 10000 --seed 1 /tmp/book

Every case follows the programme: identification decisions, engage-and-explain contacts,
disruption plans with revisits and proportionality reviews, needs assessments, diversionary
plans, exits with feedback and evaluation, in roughly the proportions a force area would see.
Dates run from 2019-01-01 to 2026-11-20, so `prelude validate --as-of 2026-11-26` is clean;
only due dates, target ends and approach-by dates (plans for the future) may fall later.

Documents are written with f-strings rather than a YAML library: 10,000 cases take seconds,
and the text follows the canonical layout (2-space indentation, quoted dates, literal blocks
for multi-line notes). One `random.Random(seed)` drives everything, and nothing depends on set
order or the clock, so a seed always gives a byte-identical casebook.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from casetext import DOMAIN_FACTS, DOMAIN_GOALS, MILESTONE_QUALIFIERS, build_pools

START = date(2019, 1, 1).toordinal()
END = date(2026, 11, 20).toordinal()
_ORIGIN = START - 400
_QISO = [f"'{date.fromordinal(o).isoformat()}'" for o in range(_ORIGIN, END + 900)]
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SUFFIX = CROCKFORD.lower()
RETENTION_DAYS = 2192  # six years
MAX_CONTACTS = 15
T = TypeVar("T")

DOMAINS = tuple(DOMAIN_FACTS)
EXPLAIN_MESSAGES = "messages:\n  - concern\n  - consequences\n  - police-priority\n  - offer\n"
AREAS = ["Slough", "Reading", "Oxford", "Milton Keynes", "Wycombe", "Aylesbury Vale",
         "Bracknell Forest", "Windsor and Maidenhead", "West Berkshire", "Cherwell",
         "Wokingham", "Vale of White Horse"]
FORUMS = ["{} Serious Violence tasking", "{} Community Safety Partnership tasking",
          "{} exploitation panel", "{} violence reduction meeting"]
SURNAMES = ["Hart", "Okafor", "Rowe", "Mensah", "Patel", "Clarke", "Hughes", "Begum", "Walsh",
            "Kowalski", "Singh", "Reid", "Evans", "Ahmed", "Brennan", "Osei", "Turner", "Khan",
            "Doyle", "Price", "Nowak", "Ellis", "Barker", "Quinn", "Lloyd", "Adeyemi", "Fraser",
            "Shah", "Mason", "Foster", "Grant", "Hussain", "Lambert", "Morgan", "Nash", "Owens",
            "Palmer", "Riley", "Stone", "Webb"]
INITIALS = "ABCDEFGHJKLMNPRSTW"
AGENCIES = ["police", "youth-justice", "probation", "childrens-social-care", "adult-social-care",
            "education", "health", "housing", "community-safety", "voluntary-sector"]
CONCERNS = ["violence", "knife-crime", "county-lines", "exploitation", "weapons"]
APPROACHERS = [("former-yos-worker", "YJS worker"),
               ("former-probation-worker", "Probation officer"),
               ("youth-worker-lived-experience", "Youth worker"), ("youth-worker", "Youth worker"),
               ("family-worker", "Family worker"), ("police-officer", "PC"), ("mentor", "Mentor")]
TACTICS = [("bail-checks", ["police"]), ("search-warrant", ["police"]),
           ("vehicle-compliance", ["police", "dvla"]), ("licence-conditions", ["probation"]),
           ("civil-order", ["police", "community-safety"]),
           ("achilles-heel", ["housing", "licensing", "dwp", "trading-standards", "dvla"]),
           ("other", ["community-safety", "education"])]
# The provider directory: about 30 services across every category.
PROVIDERS = [
    ("housing-options", "Local Authority Housing Options", "housing", True),
    ("safe-steps-lodgings", "Safe Steps Supported Lodgings", "housing", False),
    ("young-persons-foyer", "Young Persons Foyer", "housing", False),
    ("young-peoples-drug-alcohol", "Young People's Drug and Alcohol Service", "substance-misuse",
     True),
    ("clearpath-recovery", "Clearpath Recovery Project", "substance-misuse", False),
    ("adult-substance-service", "Adult Substance Misuse Service", "substance-misuse", True),
    ("money-matters-advice", "Money Matters Debt Advice", "finance", False),
    ("jobcentre-youth-hub", "Jobcentre Youth Hub", "finance", True),
    ("camhs", "Child and Adolescent Mental Health Service", "mental-health", True),
    ("talking-space", "Talking Space Counselling", "mental-health", False),
    ("adult-talking-therapies", "Adult Talking Therapies", "mental-health", True),
    ("school-nursing", "School Nursing and Health Team", "physical-health", True),
    ("active-lives", "Active Lives Fitness Scheme", "physical-health", False),
    ("further-education-college", "Further Education College Access Team",
     "education-training-employment", True),
    ("build-up-cscs", "Build Up Construction Skills", "education-training-employment", False),
    ("apprenticeship-hub", "Apprenticeship Hub", "education-training-employment", False),
    ("bike-works", "Bike Works Mechanics Project", "education-training-employment", False),
    ("fight-back-boxing", "Fight Back Boxing Club", "enrichment", False),
    ("street-sound-studio", "Street Sound Music Studio", "enrichment", False),
    ("community-football", "Community Football Trust", "enrichment", False),
    ("outdoor-challenge", "Outdoor Challenge Trust", "enrichment", False),
    ("family-support-team", "Family Support Team", "family", True),
    ("parenting-together", "Parenting Together Project", "family", False),
    ("prelude-mentors", "Prelude Mentoring Scheme", "mentoring", False),
    ("lived-experience-mentors", "Lived Experience Mentors", "mentoring", False),
    ("youth-justice-mentoring", "Youth Justice Mentoring", "mentoring", True),
    ("exploitation-hub", "Exploitation Hub", "exploitation", True),
    ("safe-routes", "Safe Routes Exploitation Service", "exploitation", False),
    ("victim-support-young", "Young Victims Service", "other", False),
    ("restorative-justice", "Restorative Justice Service", "other", True),
]
INACTIVE = {"adult-substance-service", "outdoor-challenge"}
CATEGORY_FOR = {
    "accommodation": "housing", "education-training-employment": "education-training-employment",
    "finances": "finance", "mental-health": "mental-health", "wellness": "physical-health",
    "substance-use": "substance-misuse", "managing-strong-feelings": "mentoring",
    "thinking-and-behaviour": "other", "family-and-relationships": "family",
    "positive-influences": "mentoring", "positive-use-of-time": "enrichment",
    "safety-from-exploitation": "exploitation",
}
PRESENT_U18 = [["parent"], ["parent", "social worker"], ["carer"], ["grandparent"],
               ["social worker"], ["parent", "youth justice worker"]]

_PLAIN_UNSAFE = re.compile(
    r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: | #|:$|\s$|[\n\t]|^[-+.0-9][-+.0-9eE_:]*$"
    r"|^0x[0-9a-fA-F]+$|^0o[0-7]+$|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$"
    r"|^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE"
    r"|null|Null|NULL|~)$|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
)


def scalar(text: str) -> str:
    """A one-line string as YAML: plain when that reads back as the same string, else quoted."""
    if _PLAIN_UNSAFE.search(text):
        return "'" + text.replace("'", "''") + "'"
    return text


def d(ordinal: int) -> str:
    """A quoted ISO date for an ordinal day."""
    return _QISO[ordinal - _ORIGIN]


class FastRandom(random.Random):
    """`random.Random` with quicker randint and choice (one float draw each): a synthetic
    casebook needs speed and a fixed sequence per seed, not perfectly even integers."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


@dataclass
class Stats:
    cases: int = 0
    documents: int = 0
    bytes: int = 0
    seconds: float = 0.0


class Generator:
    """One casebook's worth of randomness, pools of text and people."""

    def __init__(self, seed: int) -> None:
        self.rng = FastRandom(seed)
        self.pools = build_pools(random.Random(seed * 7919 + 1))
        for kind, templates in self.pools.items():  # so notes need no quoting when joined
            assert all(scalar(s) == s and not s.endswith(":") for v in templates for s in v), kind
        r = self.rng
        self.officers = [f"PC {r.randint(1000, 9999)} {r.choice(SURNAMES)}" for _ in range(40)]
        self.leads = [f"DS {r.randint(1000, 9999)} {r.choice(SURNAMES)}" for _ in range(10)]
        self.inspectors = [f"Insp {r.randint(100, 999)} {r.choice(SURNAMES)}" for _ in range(6)]
        self.coordinators = [f"Case coordinator {r.choice(INITIALS)}. {r.choice(SURNAMES)}"
                             for _ in range(5)]
        self.workers = {role: [f"{title} {r.choice(INITIALS)}. {r.choice(SURNAMES)}"
                               for _ in range(8)] for role, title in APPROACHERS}
        self.by_category: dict[str, list[str]] = {}
        for pid, _name, category, _statutory in PROVIDERS:
            self.by_category.setdefault(category, []).append(pid)
        self.mentor_orgs = [name for _pid, name, category, _s in PROVIDERS
                            if category == "mentoring"]

    # --- text ---------------------------------------------------------------------------
    def note(self, kind: str, lo: int, hi: int, indent: int = 0) -> str:
        """`lo` to `hi` sentences from consecutive templates of a kind (so they read in order
        and never repeat); sometimes as a literal block, as people write longer notes."""
        r = self.rng
        templates = self.pools[kind]
        n = min(r.randint(lo, hi), len(templates))
        first = r.randint(0, len(templates) - n)
        sentences = [r.choice(templates[i]) for i in range(first, first + n)]
        if n >= 3 and r.random() < 0.15:
            pad = " " * (indent + 2)
            cut = n // 2
            return ("|-\n" + pad + " ".join(sentences[:cut]) + "\n" + pad
                    + " ".join(sentences[cut:]))
        return " ".join(sentences)

    def worker(self, role: str) -> str:
        """Someone in a role; police officers come from the force's own list."""
        return self.rng.choice(self.officers if role == "police-officer" else self.workers[role])

    # --- one case -----------------------------------------------------------------------
    def case(self, cid: str) -> list[tuple[str, str]]:
        """Every document of one case as (path inside the case folder, text)."""
        r = self.rng
        c = _Case(cid, r.choice(AREAS), r.choice(self.officers))
        c.age = r.choices(["under-18", "18-24", "25-plus"], [35, 50, 15])[0]
        c.concerns = sorted(r.sample(CONCERNS, r.choices([1, 2, 3], [45, 40, 15])[0]),
                            key=CONCERNS.index)
        x = r.random()
        if x < 0.10:
            self._not_included(c)
        elif x < 0.15:
            self._deferred(c)
        elif x < 0.25:
            self._identified(c)
        elif x < 0.30:
            self._engage(c)
        elif x < 0.50:
            self._declined(c)
        else:
            self._engaged(c)
        self._retention(c)
        c.files.insert(0, ("case.yaml", self._case_yaml(c)))
        c.files.insert(1, ("identification.yaml", self._identification(c)))
        return c.files

    # stages ----------------------------------------------------------------------------
    def _not_included(self, c: _Case) -> None:
        r = self.rng
        day = r.randint(START + 70, END)
        if r.random() < 0.2 and day + 56 <= END:
            c.decide(day, "defer")
            day += r.randint(21, 56)
        c.decide(day, "not-include")

    def _deferred(self, c: _Case) -> None:
        r = self.rng
        day = END - r.randint(0, 120)
        if r.random() < 0.3:
            c.decide(day - r.randint(21, 56), "defer")
        c.decide(day, "defer")

    def _include(self, c: _Case, day: int) -> None:
        r = self.rng
        if r.random() < 0.15:
            c.decide(day - r.randint(21, 56), "defer")
        c.approach = r.choices(APPROACHERS, [20, 10, 30, 15, 10, 10, 5])[0][0]
        c.decide(day, "include")

    def _identified(self, c: _Case) -> None:
        r = self.rng
        self._include(c, END - (r.randint(0, 10) if r.random() < 0.6 else r.randint(10, 60)))

    def _engage(self, c: _Case) -> None:
        r = self.rng
        day = END - r.randint(20, 150)
        self._include(c, day)
        t = day + r.randint(3, 14)
        for _ in range(r.randint(1, 3)):
            if t > END:
                break
            outcome = "undecided" if r.random() < 0.4 else "no-contact"
            self._contact(c, t, "engage-and-explain", outcome, c.approach)
            t += r.randint(5, 21)

    def _approach_attempts(self, c: _Case, day: int, t_out: int) -> None:
        """No-contact or undecided attempts between the include decision and the outcome."""
        r = self.rng
        t = day + r.randint(3, 10)
        while t < t_out - 2:
            outcome = "undecided" if r.random() < 0.3 else "no-contact"
            self._contact(c, t, "engage-and-explain", outcome, c.approach)
            t += r.randint(4, 14)

    def _declined(self, c: _Case) -> None:
        r = self.rng
        t_out = r.randint(5, 45)
        opened_lag = r.randint(0, 10)
        x = r.random()
        if x < 0.35:
            fate, length = "converted", r.randint(30, 200)
        elif x < 0.65:
            fate, length = "open", r.randint(14, 420)
        else:
            fate, length = "stopped", r.randint(56, 300)
        engaged_plan = self._engaged_plan() if fate == "converted" else None
        exit_lag = None
        if fate == "stopped" and r.random() < 0.45:
            exit_lag = r.randint(0, 60)
        span = t_out + opened_lag + length
        if engaged_plan:
            span += engaged_plan[1]
        if exit_lag is not None:
            span += exit_lag + 40
        ongoing = fate == "open" or (engaged_plan is not None and engaged_plan[0] != "exit")
        day = END - span if ongoing else r.randint(START + 70, END - span)
        self._include(c, day)
        self._approach_attempts(c, day, day + t_out)
        self._contact(c, day + t_out, "engage-and-explain", "declined", c.approach)
        opened = day + t_out + opened_lag
        stop = opened + length
        revisits_to = stop - 1 if fate != "open" else stop
        t = opened + r.randint(14, 35)
        while t <= revisits_to and len(c.contacts) < MAX_CONTACTS - 3:
            outcome = r.choices(["declined", "no-contact", "undecided"], [70, 20, 10])[0]
            self._contact(c, t, "revisit", outcome, c.approach)
            t += r.randint(21, 42)
        reviews: list[tuple[int, str]] = []
        t = opened + r.randint(21, 30)
        while t < stop - 5:
            reviews.append((t, r.choices(["continue", "amend"], [80, 20])[0]))
            t += r.randint(21, 35)
        closed: tuple[int, str] | None = None
        if fate == "converted":
            self._contact(c, stop, "revisit", "engaged", c.approach)
            closed = (stop + min(r.randint(0, 7), engaged_plan[1]), "engaged")  # type: ignore[index]
        elif fate == "stopped":
            reviews.append((stop - r.randint(0, 5), "stop"))
            closed = (stop, "not-proportionate")
        c.files.append(("disruption.yaml", self._disruption(c, opened, stop, reviews, closed)))
        if engaged_plan:
            self._engaged_phase(c, stop, engaged_plan)
        elif exit_lag is not None:
            route = r.choices(["custody", "moved-away", "other"], [35, 35, 30])[0]
            self._exit(c, stop + exit_lag, route, engaged=False)

    def _engaged_plan(self) -> tuple[str, int, str]:
        """How an engaged person's time goes: (ongoing problem-solving / support / exit,
        days engaged, exit route)."""
        r = self.rng
        x = r.random()
        if x < 0.08:
            return "problem-solving", r.randint(0, 25), ""
        if x < 0.48:
            return "support", r.randint(40, 600), ""
        route = r.choices(["completed", "disengaged", "custody", "moved-away", "other"],
                          [50, 20, 12, 12, 6])[0]
        length = r.randint(330, 480) if route == "completed" else r.randint(25, 330)
        return "exit", length, route

    def _engaged(self, c: _Case) -> None:
        r = self.rng
        t_out = r.choices([r.randint(3, 21), r.randint(10, 60)], [60, 40])[0]
        plan = self._engaged_plan()
        span = t_out + plan[1]
        day = END - span if plan[0] != "exit" else r.randint(START + 70, END - span - 1)
        self._include(c, day)
        self._approach_attempts(c, day, day + t_out)
        self._contact(c, day + t_out, "engage-and-explain", "engaged", c.approach)
        self._engaged_phase(c, day + t_out, plan)

    def _engaged_phase(self, c: _Case, engaged: int, plan: tuple[str, int, str]) -> None:
        """Support contacts, needs assessments, the plan and the exit, up to the horizon."""
        r = self.rng
        state, length, route = plan
        horizon = engaged + length
        assessments: list[int] = []
        first = engaged + r.randint(3, 14)
        if first <= horizon:
            # About every six weeks; a long stay keeps its eight reviews spread to the end.
            count = 1 if state == "problem-solving" else \
                min(8, 1 + (horizon - first) // r.randint(35, 49))
            step = (horizon - first - r.randint(0, 30)) / max(1, count - 1)
            assessments = [first + int(i * step) for i in range(count)]
        t = engaged + r.randint(5, 21)
        last_no_contact = horizon - 45 if route == "disengaged" else horizon + 1
        while t <= horizon and len(c.contacts) < MAX_CONTACTS:
            if t >= last_no_contact:
                self._contact(c, t, r.choice(["follow-up", "welfare-check"]), "no-contact",
                              "police-officer")
            else:
                purpose = r.choices(["support", "follow-up", "welfare-check", "other"],
                                    [45, 30, 15, 10])[0]
                outcome = "engaged" if r.random() < 0.9 else "no-contact"
                who = r.choices(["police-officer", "mentor", "youth-worker", c.approach],
                                [35, 30, 15, 20])[0]
                self._contact(c, t, purpose, outcome, who)
            t += r.randint(7, 30)
        drift = [-1, -1, 0, 0, 1] if route in ("disengaged", "custody") else [-1, 0, 0, 1, 1, 2]
        scores = [max(1, min(7, r.randint(1, 6) + r.choice([-1, 0, 0, 1]))) for _ in DOMAINS]
        first_scores = list(scores)
        for i, day in enumerate(assessments):
            if i:
                scores = [max(1, min(10, s + r.choice(drift))) for s in scores]
            c.files.append((f"assessments/{d(day)[1:-1]}.yaml",
                            self._assessment(c, day, scores, part2=i == 0 or r.random() < 0.4)))
        if state != "problem-solving" and assessments:
            agreed = assessments[0] + r.randint(2, 14)
            if agreed <= horizon:
                c.files.append(("plan.yaml", self._plan(c, engaged, agreed, horizon,
                                                        first_scores, state == "exit", route)))
        if state == "exit":
            self._exit(c, horizon, route, engaged=True)

    # --- documents ------------------------------------------------------------------------
    def _contact(self, c: _Case, day: int, purpose: str, outcome: str, role: str) -> None:
        r = self.rng
        c.activity(day)
        while True:
            name = f"contacts/{d(day)[1:-1]}-{''.join(r.choices(SUFFIX, k=4))}.yaml"
            if name not in c.contact_names:
                break
        c.contact_names.add(name)
        c.contacts.append(day)
        explain = purpose in ("engage-and-explain", "revisit")
        if explain:
            method = r.choices(["in-person", "home-visit", "phone", "via-partner"],
                               [50, 30, 12, 8])[0]
        else:
            method = r.choices(["in-person", "home-visit", "phone", "video", "letter", "other"],
                               [45, 20, 25, 5, 3, 2])[0]
        by = c.officer if role == "police-officer" and not explain else self.worker(role)
        if outcome == "no-contact":
            kind = "no_contact"
        elif purpose == "engage-and-explain":
            kind = {"engaged": "explain_engaged", "declined": "explain_declined"}.get(
                outcome, "undecided")
        elif purpose == "revisit":
            kind = {"engaged": "revisit_engaged", "declined": "revisit_declined"}.get(
                outcome, "undecided")
        else:
            kind = "welfare" if purpose == "welfare-check" else "support"
        text = (f"date: {d(day)}\nby: {scalar(by)}\nrole: {role}\nmethod: {method}\n"
                f"purpose: {purpose}\noutcome: {outcome}\n")
        if explain and outcome != "no-contact":
            text += EXPLAIN_MESSAGES
        if r.random() < 0.95:
            text += f"notes: {self.note(kind, 1, 4)}\n"
        c.files.append((name, text))

    def _case_yaml(self, c: _Case) -> str:
        concerns = "".join(f"  - {x}\n" for x in c.concerns)
        text = (f"id: {c.id}\nofficer: {c.officer}\narea: {c.area}\nconcerns:\n{concerns}"
                f"age_band: {c.age}\n")
        if c.retention:
            text += "retention_reviews:\n"
            for day in c.retention:
                text += (f"  - date: {d(day)}\n"
                         f"    reviewer: {self.rng.choice(self.inspectors)}\n"
                         f"    decision: retain\n"
                         f"    rationale: {self.note('retention', 1, 2, 4)}\n")
        return text

    def _identification(self, c: _Case) -> str:
        r = self.rng
        out = ["decisions:\n"]
        for day, decision in c.decisions:
            kind = {"include": "rationale_include", "not-include": "rationale_not",
                    "defer": "rationale_defer"}[decision]
            attendees = sorted(r.sample(AGENCIES[1:], r.randint(2, 5)), key=AGENCIES.index)
            out.append(
                f"  - date: {d(day)}\n    decision: {decision}\n"
                f"    forum: {r.choice(FORUMS).format(c.area)}\n    attendees:\n"
                f"      - police\n" + "".join(f"      - {a}\n" for a in attendees)
                + f"    rationale: {self.note(kind, 1, 3, 4)}\n    sources:\n"
                f"      dashboard:\n        score: {r.uniform(20, 99.9):.1f}\n"
                f"        rank: {r.randint(1, 300)}\n        date: {d(day - r.randint(0, 14))}\n"
            )
            partners = r.sample(attendees, min(len(attendees), r.randint(0, 3)))
            if partners:
                out.append("      partners:\n")
                for agency in partners:
                    out.append(f"        - agency: {agency}\n"
                               f"          summary: {self.note('partner', 1, 2, 10)}\n")
            if decision == "include":
                out.append(f"    approach:\n      role: {c.approach}\n"
                           f"      relationship: {self.note('relationship', 1, 2, 6)}\n"
                           f"      by: {d(day + r.randint(14, 28))}\n")
            out.append(f"    recorded_by: {r.choice(self.coordinators)}\n")
        return "".join(out)

    def _disruption(self, c: _Case, opened: int, stop: int, reviews: list[tuple[int, str]],
                    closed: tuple[int, str] | None) -> str:
        r = self.rng
        c.activity(opened)
        out = [f"opened: {d(opened)}\nlead: {r.choice(self.leads)}\n"
               f"reason: {self.note('disruption_reason', 1, 3)}\ntactics:\n"]
        end = closed[0] if closed else END
        for tactic, agencies in r.sample(TACTICS, r.randint(1, 4)):
            start = opened + r.randint(0, min(14, max(0, end - opened)))
            out.append(f"  - tactic: {tactic}\n    agency: {r.choice(agencies)}\n"
                       f"    lead: {r.choice(self.officers)}\n    from: {d(start)}\n")
            finish = start + r.randint(14, 120)
            if closed and finish > end:
                finish = end
            if finish <= end and (closed or r.random() < 0.4):
                out.append(f"    to: {d(finish)}\n")
            if r.random() < 0.7:
                out.append(f"    notes: {self.note('tactic_note', 1, 2, 4)}\n")
        if reviews:
            out.append("reviews:\n")
            for day, decision in reviews:
                c.activity(day)
                out.append(f"  - date: {d(day)}\n    reviewer: {r.choice(self.inspectors)}\n"
                           f"    decision: {decision}\n"
                           f"    rationale: {self.note('review_' + decision, 1, 3, 4)}\n")
        if closed:
            c.activity(closed[0])
            out.append(f"closed:\n  date: {d(closed[0])}\n  reason: {closed[1]}\n")
            if r.random() < 0.6:
                out.append(f"  notes: {self.note('closure', 1, 2, 2)}\n")
        return "".join(out)

    def _assessment(self, c: _Case, day: int, scores: list[int], part2: bool) -> str:
        r = self.rng
        c.activity(day)
        out = [f"date: {d(day)}\nassessor: {self.worker(c.approach)}\nscores:\n"]
        for domain, score in zip(DOMAINS, scores, strict=True):
            facts = DOMAIN_FACTS[domain][0 if score <= 4 else 1 if score <= 7 else 2]
            out.append(f"  {domain}:\n    score: {score}\n"
                       f"    facts: {scalar(' '.join(r.sample(facts, r.randint(1, 2))))}\n")
            if r.random() < 0.8:
                out.append(f"    views: {self.note('views', 1, 2, 4)}\n")
        if part2:
            out.append(f"part2:\n  aspirations: {self.note('part2_aspirations', 1, 2, 2)}\n"
                       f"  enjoys: {self.note('part2_enjoys', 1, 2, 2)}\n"
                       f"  strengths: {self.note('part2_strengths', 1, 2, 2)}\n")
        return "".join(out)

    def _plan(self, c: _Case, engaged: int, agreed: int, horizon: int, scores: list[int],
              exited: bool, route: str) -> str:
        r = self.rng
        c.activity(agreed)
        ids: list[str] = []

        def new_id() -> str:
            while True:
                item = "".join(r.choices(SUFFIX, k=4))
                if item not in ids:
                    ids.append(item)
                    return item

        ranked = sorted(range(len(DOMAINS)), key=lambda i: (scores[i], r.random()))
        goals = [(new_id(), DOMAINS[i]) for i in ranked[:r.randint(2, 4)]]
        out = [f"agreed: {d(agreed)}\nagreed_by: {self.worker(c.approach)}\n"
               f"target_end: {d(agreed + 365)}\ngoals:\n"]
        for gid, domain in goals:
            out.append(f"  - id: {scalar(gid)}\n"
                       f"    text: {scalar(r.choice(DOMAIN_GOALS[domain][0]))}\n"
                       f"    domains:\n      - {domain}\n")
        out.append("milestones:\n")
        texts: set[str] = set()
        for due in sorted(agreed + r.randint(14, 365) for _ in range(r.randint(5, 15))):
            gid, domain = r.choice(goals)
            for _ in range(4):  # a few tries for a step not already in the plan
                text = r.choice(DOMAIN_GOALS[domain][1])
                text = text[:-1] + r.choice(MILESTONE_QUALIFIERS) + "."
                if text not in texts:
                    break
            texts.add(text)
            out.append(f"  - id: {scalar(new_id())}\n    goal: {scalar(gid)}\n"
                       f"    text: {scalar(text)}\n    due: {d(due)}\n")
            if due <= horizon - 7:
                status = r.choices(["met", "missed", "dropped", "pending"], [68, 12, 16, 4])[0]
                when = {"met": max(agreed, due - r.randint(0, 21)),
                        "missed": min(horizon, due + r.randint(0, 14)),
                        "dropped": r.randint(agreed, min(horizon, due + 14)), "pending": 0}[status]
            elif exited:
                status, when = "dropped", horizon
            else:
                status, when = "pending", 0
            out.append(f"    status: {status}\n")
            if when:
                out.append(f"    status_date: {d(when)}\n")
        out.append("interventions:\n")
        for gid, domain in r.sample(goals, r.randint(1, len(goals))):
            referred = min(horizon, agreed + r.randint(0, 60))
            choices = [p for p in self.by_category[CATEGORY_FOR[domain]]
                       if p not in INACTIVE or referred < date(2023, 1, 1).toordinal()]
            status = r.choices(["completed", "started", "accepted", "referred", "declined",
                                "withdrawn"], [30, 25, 15, 10, 10, 10])[0]
            out.append(f"  - id: {scalar(new_id())}\n    provider: {r.choice(choices)}\n"
                       f"    goal: {scalar(gid)}\n"
                       f"    referred: {d(referred)}\n    status: {status}\n")
            if status != "referred":
                out.append(f"    status_date: {d(min(horizon, referred + r.randint(3, 120)))}\n")
            if r.random() < 0.5:
                out.append(f"    notes: {self.note('intervention_note', 1, 2, 4)}\n")
        if r.random() < 0.75:
            assigned = min(horizon, agreed + r.randint(0, 21))
            out.append(f"mentor:\n  name: {self.worker('mentor')}\n"
                       f"  organisation: {r.choice(self.mentor_orgs)}\n  assigned: {d(assigned)}\n")
            if exited:
                out.append(f"  ended: {d(horizon)}\n")
        tag_chance = 0.25 if "county-lines" in c.concerns or "exploitation" in c.concerns else 0.08
        if r.random() < tag_chance:
            out.append(self._tag(c, agreed, horizon, exited))
        reviews = []
        t = engaged + 365 + r.randint(-10, 10)
        while t <= horizon:
            reviews.append(t)
            t += r.randint(85, 100)
        if reviews:
            out.append("reviews:\n")
            for i, day in enumerate(reviews):
                c.activity(day)
                last = i == len(reviews) - 1
                decision = "plan-exit" if last and route == "completed" else \
                    r.choices(["continue", "amend"], [75, 25])[0]
                out.append(f"  - date: {d(day)}\n    reviewer: {r.choice(self.inspectors)}\n"
                           f"    decision: {decision}\n")
                if r.random() < 0.8:
                    out.append(f"    notes: {self.note('programme_review', 1, 2, 4)}\n")
        return "".join(out)

    def _tag(self, c: _Case, agreed: int, horizon: int, exited: bool) -> str:
        r = self.rng
        consent = min(horizon, agreed + r.randint(0, 60))
        out = [f"tag:\n  consent:\n    date: {d(consent)}\n"
               f"    recorded_by: {r.choice(self.officers)}\n"]
        present = r.choice(PRESENT_U18) if c.age == "under-18" else \
            (["support worker"] if r.random() < 0.3 else [])
        if present:
            out.append("    present:\n" + "".join(f"      - {p}\n" for p in present))
        fitted = consent + r.randint(0, 10)
        if fitted > horizon or r.random() < 0.15:
            return "".join(out)
        removed: int | None = fitted + r.randint(56, 240)
        reason = "no-longer-needed"
        withdrawn = fitted + r.randint(7, 60) if r.random() < 0.1 else None
        if withdrawn is not None and withdrawn < horizon:
            removed, reason = min(horizon, withdrawn + r.randint(0, 3)), "consent-withdrawn"
            out.append(f"    withdrawn: {d(withdrawn)}\n")
        elif removed >= horizon:  # type: ignore[operator]
            removed, reason = (horizon, "exited") if exited else (None, "")
        out.append(f"  fitted: {d(fitted)}\n")
        if removed is not None:
            out.append(f"  removed: {d(removed)}\n  removal_reason: {reason}\n")
        reviews = []
        t = fitted + r.randint(24, 32)
        while t <= (removed if removed is not None else horizon):
            reviews.append(t)
            t += r.randint(24, 32)
        if reviews:
            out.append("  reviews:\n")
            for i, day in enumerate(reviews):
                decision = "remove" if removed is not None and i == len(reviews) - 1 \
                    and reason == "no-longer-needed" else "continue"
                out.append(f"    - date: {d(day)}\n      reviewer: {r.choice(self.officers)}\n"
                           f"      decision: {decision}\n")
                if r.random() < 0.6:
                    out.append(f"      notes: {self.note('tag_note', 1, 2, 6)}\n")
        return "".join(out)

    def _exit(self, c: _Case, day: int, route: str, engaged: bool) -> None:
        r = self.rng
        c.activity(day)
        out = [f"date: {d(day)}\nroute: {route}\n"]
        if engaged or r.random() < 0.5:
            out.append(f"exit_plan: {self.note('exit_plan', 1, 3)}\n")
        if engaged and route in ("completed", "moved-away", "disengaged"):
            out.append("signposting:\n")
            for pid in r.sample([p[0] for p in PROVIDERS if p[0] not in INACTIVE],
                                r.randint(1, 3)):
                out.append(f"  - to: {pid}\n")
                if r.random() < 0.6:
                    out.append(f"    for: {self.note('signpost', 1, 1, 4)}\n")
        feedback = day + r.randint(0, 30)
        if feedback <= END and r.random() < 0.93:
            c.activity(feedback)
            out.append(f"feedback:\n  date: {d(feedback)}\n")
            if not engaged or r.random() < 0.15:
                out.append("  declined: true\n")
            else:
                out.append(f"  text: {self.note('feedback', 1, 4, 2)}\n")
        kind = "evaluation" if route == "completed" else "evaluation_partial"
        evaluation = day + r.randint(7, 45)
        if evaluation <= END and r.random() < 0.96:
            c.activity(evaluation)
            out.append(f"evaluation:\n  date: {d(evaluation)}\n"
                       f"  by: {r.choice(self.coordinators)}\n"
                       f"  summary: {self.note(kind, 2, 4, 2)}\n")
        c.files.append(("exit.yaml", "".join(out)))

    def _retention(self, c: _Case) -> None:
        """A MoPI retention review six years after the last activity, for most old records."""
        due = c.last + RETENTION_DAYS
        if due <= END - 30 and self.rng.random() < 0.65:
            c.retention.append(min(END, due + self.rng.randint(0, 30)))


class _Case:
    """What one case is accumulating while it is generated."""

    def __init__(self, cid: str, area: str, officer: str) -> None:
        self.id, self.area, self.officer = cid, area, officer
        self.age = "18-24"
        self.concerns: list[str] = []
        self.decisions: list[tuple[int, str]] = []
        self.approach = "youth-worker"
        self.contacts: list[int] = []
        self.contact_names: set[str] = set()
        self.files: list[tuple[str, str]] = []
        self.retention: list[int] = []
        self.last = 0

    def decide(self, day: int, decision: str) -> None:
        self.decisions.append((day, decision))
        self.activity(day)

    def activity(self, day: int) -> None:
        self.last = max(self.last, day)


def casebook_yaml(cases: int, seed: int) -> str:
    return (f"format: 1\nprogramme: Operation Prelude - synthetic casebook ({cases} cases, "
            f"seed {seed})\ncase_ids:\n  prefix: OP-\n  random_length: 6\n")


def providers_yaml(rng: random.Random) -> str:
    out = ["providers:\n"]
    for pid, name, category, statutory in PROVIDERS:
        out.append(f"  - id: {pid}\n    name: {scalar(name)}\n    category: {category}\n"
                   f"    area: {rng.choice(AREAS + ['Thames Valley'] * 4)}\n"
                   f"    statutory: {'true' if statutory else 'false'}\n")
        if pid in INACTIVE:
            out.append("    active: false\n")
    return "".join(out)


def _write_case(folder: Path, files: list[tuple[str, bytes]]) -> None:
    """Create one case folder and its files (runs on a writer thread)."""
    os.mkdir(folder)
    made: set[str] = set()
    for rel, data in files:
        sub = rel.partition("/")[0] if "/" in rel else ""
        if sub and sub not in made:
            os.mkdir(folder / sub)
            made.add(sub)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(folder / rel, flags, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def generate(out_dir: Path, cases: int, seed: int, writers: int = 4) -> Stats:
    """Write the casebook into `out_dir` (which must be empty or absent).

    Creating a file costs more than composing it, so a few threads write case folders while
    the main thread composes the next cases; what is written does not depend on their timing.
    """
    started = time.perf_counter()
    if out_dir.exists() and any(out_dir.iterdir()):
        raise SystemExit(f"generate: {out_dir} is not empty")
    gen = Generator(seed)
    stats = Stats(cases=cases)
    (out_dir / "cases").mkdir(parents=True, exist_ok=True)
    top = [("casebook.yaml", casebook_yaml(cases, seed).encode()),
           ("providers.yaml", providers_yaml(gen.rng).encode())]
    for rel, data in top:
        (out_dir / rel).write_bytes(data)
        stats.documents += 1
        stats.bytes += len(data)
    ids: set[str] = set()
    in_flight: deque[Future[None]] = deque()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        for _ in range(cases):
            while True:
                cid = "OP-" + "".join(gen.rng.choices(CROCKFORD, k=6))
                if cid not in ids:
                    ids.add(cid)
                    break
            files = [(rel, text.encode("utf-8")) for rel, text in gen.case(cid)]
            stats.documents += len(files)
            stats.bytes += sum(len(data) for _, data in files)
            in_flight.append(pool.submit(_write_case, out_dir / "cases" / cid, files))
            while len(in_flight) > 64:
                in_flight.popleft().result()
        for future in in_flight:
            future.result()
    stats.seconds = time.perf_counter() - started
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="number of cases (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing")
    parser.add_argument("out_dir", type=Path, help="folder to create; must be empty or absent")
    args = parser.parse_args(argv)
    stats = generate(args.out_dir, args.cases, args.seed)
    if not args.quiet:
        print(f"{stats.cases} cases, {stats.documents} documents, "
              f"{stats.bytes / 1e6:.1f} MB in {stats.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
