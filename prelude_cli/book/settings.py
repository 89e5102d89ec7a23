"""Casebook settings (`casebook.yaml`): review policy, needs form, case ids, limits.

Every setting has a default here, so a minimal casebook.yaml is `format: 1`. Intervals are
written the way people say them (`6 weeks`) and become dateutil relativedeltas, so month and
year arithmetic follows the calendar rather than a fixed number of days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from ..files.yamlio import DEFAULT_MAX_BYTES

REVIEW_KINDS = (
    "fix-documents",
    "first-contact",
    "deferral-review",
    "decision-review",
    "revisit",
    "proportionality-review",
    "needs-assessment",
    "needs-review",
    "plan",
    "milestone",
    "tag-review",
    "programme-review",
    "exit-evaluation",
    "retention-review",
)
"""Every kind of due item, in the order of docs/due-reviews.md's table: `fix-documents` first,
since a case whose documents cannot be read may hide anything else."""

DEFAULT_POLICY: dict[str, str] = {
    "first-contact": "14 days",
    "deferral-review": "3 months",
    "decision-review": "28 days",
    "re-presentation": "3 months",
    "revisit": "28 days",
    "proportionality-review": "28 days",
    "needs-assessment": "14 days",
    "needs-review": "6 weeks",
    "plan": "14 days",
    "tag-review": "28 days",
    "programme-review": "12 months",
    "programme-review-repeat": "3 months",
    "exit-evaluation": "28 days",
    "retention-review": "6 years",
}
DEFAULT_DUE_SOON = "14 days"
DEFAULT_PROGRAMME = "Operation Prelude"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
DEFAULT_PREFIX = "OP-"
DEFAULT_RANDOM_LENGTH = 6
ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: no I, L, O or U, so ids survive being read aloud or copied by hand."""


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    label: str
    description: str = ""


DEFAULT_DOMAINS: tuple[Domain, ...] = (
    Domain("accommodation", "Accommodation", "Somewhere safe and stable to live."),
    Domain("education-training-employment", "Education, training and employment",
           "School, college, training, work and the skills to get there."),
    Domain("finances", "Finances", "Income, debts, benefits and managing money."),
    Domain("mental-health", "Mental health", "Emotional wellbeing and mental health support."),
    Domain("wellness", "Wellness", "Physical health and self-care."),
    Domain("substance-use", "Substance use", "Use of drugs and alcohol."),
    Domain("managing-strong-feelings", "Managing strong feelings",
           "Anger, frustration, fear and how they are handled."),
    Domain("thinking-and-behaviour", "Thinking and behaviour",
           "Attitudes to offending, impulsivity, problem solving."),
    Domain("family-and-relationships", "Family and relationships",
           "Family, partners and the relationships that matter."),
    Domain("positive-influences", "Positive influences",
           "People and networks that pull towards a positive life."),
    Domain("positive-use-of-time", "Positive use of time",
           "Activities, interests and structure to the day."),
    Domain("safety-from-exploitation", "Safety from exploitation",
           "Freedom from criminal exploitation, debt bondage and County Lines."),
)

_INTERVAL = re.compile(
    r"^\s*(?:([0-9]{1,4})\s*(d|day|days)|([0-9]{1,3})\s*(w|week|weeks|m|month|months)"
    r"|([0-9]{1,2})\s*(y|year|years))\s*$"
)
_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


class IntervalError(ValueError):
    """An interval that is not like `14 days`, `6 weeks`, `12 months`, `2w` or `1m`."""


def parse_interval(text: str, *, allow_zero: bool = False) -> relativedelta:
    """`6 weeks` or `6w` to a relativedelta. A review interval is at least a day; a window
    (`--within 0d`: only what is due today or overdue) may be empty."""
    m = _INTERVAL.match(text)
    # At most 9999 days, 999 weeks or months, or 99 years: a longer one would carry dates
    # past the calendar's end from the latest --as-of (the schema says the same).
    count, unit = ((m.group(1) or m.group(3) or m.group(5), m.group(2) or m.group(4) or
                    m.group(6)) if m else ("", ""))
    if not m or (int(count) == 0 and not allow_zero):
        raise IntervalError(f"not an interval like '14 days', '6 weeks' or '2w', within the "
                            f"calendar (at most 9999 days, 999 weeks or months, or 99 years): "
                            f"{text!r}")
    return relativedelta(**{_UNITS[unit[0]]: int(count)})


def interval_days(interval: relativedelta, as_of: date) -> int:
    """How many days `interval` spans from `as_of` (months differ in length)."""
    return ((as_of + interval) - as_of).days


@dataclass(frozen=True, slots=True)
class Settings:
    format: int = 1
    programme: str = DEFAULT_PROGRAMME
    id_prefix: str = DEFAULT_PREFIX
    id_random_length: int = DEFAULT_RANDOM_LENGTH
    policy_text: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_POLICY))
    due_soon_text: str = DEFAULT_DUE_SOON
    domains: tuple[Domain, ...] = DEFAULT_DOMAINS
    scale_min: int = 1
    scale_max: int = 10
    max_document_bytes: int = DEFAULT_MAX_BYTES
    marking: str = DEFAULT_MARKING
    """The protective marking every output carries (prelude_cli/privacy/markings.py)."""
    marking_caveat: str = ""

    def interval(self, kind: str) -> relativedelta:
        return parse_interval(self.policy_text[kind])

    @property
    def due_soon(self) -> relativedelta:
        return parse_interval(self.due_soon_text)

    @property
    def domain_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.domains)

    @property
    def id_pattern(self) -> re.Pattern[str]:
        return re.compile(
            "^" + re.escape(self.id_prefix) + f"[{ID_ALPHABET}]{{{self.id_random_length}}}$"
        )

    def id_pattern_reason(self, case_id: str) -> str:
        """Why `case_id` does not match `id_pattern`, naming the first wrong character, or ""
        when it matches: "OP- and 6 characters" alone does not help when the id has 6."""
        prefix, length = self.id_prefix, self.id_random_length
        if not case_id.startswith(prefix):
            return f"it does not start with {prefix}"
        rest = case_id[len(prefix):]
        wrong = next((c for c in rest if c not in ID_ALPHABET), None)
        if wrong is not None:
            shown = wrong if wrong.isprintable() else ascii(wrong)[1:-1]
            return (f"'{shown}' is not an id character (the letters and digits of "
                    f"{ID_ALPHABET}: no I, L, O or U, and capitals only)")
        if len(rest) != length:
            return f"it has {len(rest)} characters after {prefix}, not {length}"
        return ""


def settings_from_data(data: dict[str, Any] | None) -> Settings:
    """Settings from a schema-valid casebook.yaml mapping, defaults filling what it leaves out."""
    if not data:
        return Settings()
    ids = data.get("case_ids") or {}
    needs = data.get("needs") or {}
    scale = needs.get("scale") or {}
    policy = dict(DEFAULT_POLICY)
    policy.update(data.get("review_policy") or {})
    domains = needs.get("domains")
    marking = data.get("protective_marking") or {}
    return Settings(
        format=data.get("format", 1),
        programme=data.get("programme", DEFAULT_PROGRAMME),
        id_prefix=ids.get("prefix", DEFAULT_PREFIX),
        id_random_length=ids.get("random_length", DEFAULT_RANDOM_LENGTH),
        policy_text=policy,
        due_soon_text=data.get("due_soon", DEFAULT_DUE_SOON),
        domains=tuple(Domain(d["id"], d["label"], d.get("description", "")) for d in domains)
        if domains
        else DEFAULT_DOMAINS,
        scale_min=scale.get("min", 1),
        scale_max=scale.get("max", 10),
        max_document_bytes=(data.get("limits") or {}).get("max_document_bytes",
                                                           DEFAULT_MAX_BYTES),
        marking=marking.get("marking", DEFAULT_MARKING),
        marking_caveat=marking.get("caveat", ""),
    )
