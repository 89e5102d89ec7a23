"""Partner agencies and their information-sharing agreements (`partners:` in casebook.yaml).

An agreement says what a partner may receive, for which purposes, on which lawful basis and
for how long: the minimum necessary, not the whole caseload. A partner output (`--audience
partner --recipient ID`) is made only for a configured partner, for one of its purposes,
within the agreement's dates; its scope is applied as filters a command line can narrow but
never widen, and its `fields` narrow the partner allowlist further.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.problems import Problem, error
from ..case.model import STAGES
from ..read.selection import CaseFilter
from .sharing import Fields, source_shared

SETTINGS_FILE = "casebook.yaml"
NOT_INCLUDED = ("deferred", "not-selected")
"""Stages of a case the partnership meeting has not (or no longer) decided to include."""


class AgreementError(ValueError):
    """An output the agreement does not allow; the message names the agreement."""


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    reference: str
    version: str
    purposes: tuple[str, ...]
    lawful_basis: str
    valid_from: date
    valid_to: date
    scope: CaseFilter = field(default_factory=CaseFilter)
    included_only: bool = False
    fields: Fields = None

    @property
    def agreement(self) -> str:
        return f"{self.reference} v{self.version}"

    def check(self, purpose: str, on: date) -> None:
        """Refuse an output outside the agreement's dates or purposes."""
        if not self.valid_from <= on <= self.valid_to:
            raise AgreementError(
                f"the agreement with {self.id} ({self.agreement}) is valid from "
                f"{self.valid_from} to {self.valid_to}, not on {on}: nothing can be shared "
                "under it until it is renewed in casebook.yaml")
        if purpose.casefold() not in {p.casefold() for p in self.purposes}:
            raise AgreementError(
                f"the agreement with {self.id} ({self.agreement}) allows these purposes only: "
                f"{'; '.join(self.purposes)}")

    def case_filter(self, asked: CaseFilter) -> CaseFilter:
        """The filters of an output to this partner: the scope, narrowed by what the command
        line asks; asking for anything outside the scope is refused, never widened."""
        if self.included_only:
            scope_stages = self.scope.stages or tuple(s for s in STAGES if s not in NOT_INCLUDED)
        else:
            scope_stages = self.scope.stages
        merged = {}
        for name, scoped in (("areas", self.scope.areas), ("age_bands", self.scope.age_bands),
                             ("concerns", self.scope.concerns), ("stages", scope_stages)):
            wanted = getattr(asked, name)
            if scoped and wanted:
                allowed = {s.casefold() for s in scoped}
                outside = [w for w in wanted if w.casefold() not in allowed]
                if outside:
                    raise AgreementError(
                        f"{name.replace('_', ' ')} {', '.join(outside)} outside the agreement "
                        f"with {self.id} ({self.agreement}), which covers "
                        f"{', '.join(scoped)} only")
            merged[name] = wanted or scoped
        return CaseFilter(cases=asked.cases, officers=asked.officers, since=asked.since,
                          **merged)


def partners_from_data(data: dict[str, Any] | None) -> tuple[Partner, ...]:
    """The partners of a schema-valid casebook.yaml mapping."""
    out = []
    for p in (data or {}).get("partners") or []:
        scope = p.get("scope") or {}
        out.append(Partner(
            p["id"], p["name"], p["agreement"]["reference"], p["agreement"]["version"],
            tuple(p["purposes"]), p["lawful_basis"], date.fromisoformat(p["valid_from"]),
            date.fromisoformat(p["valid_to"]),
            CaseFilter(areas=tuple(scope.get("areas") or ()),
                       age_bands=tuple(scope.get("age_bands") or ()),
                       concerns=tuple(scope.get("concerns") or ()),
                       stages=tuple(scope.get("stages") or ())),
            bool(scope.get("included_only")),
            frozenset(scope["fields"]) if scope.get("fields") else None))
    return tuple(out)


def partner_problems(data: dict[str, Any] | None) -> list[Problem]:
    """What the schema cannot say about the partners: unique ids, dates in order, fields
    within the partner allowlist."""
    out: list[Problem] = []
    seen: set[str] = set()
    for i, p in enumerate((data or {}).get("partners") or []):
        at = ("partners", i)
        if p["id"] in seen:
            out.append(error(SETTINGS_FILE, "duplicate-id",
                             f"partner id '{p['id']}' is listed twice", pointer=(*at, "id")))
        seen.add(p["id"])
        if p["valid_to"] < p["valid_from"]:
            out.append(error(SETTINGS_FILE, "partner-agreement",
                             f"partner '{p['id']}': valid_to is before valid_from",
                             pointer=(*at, "valid_to")))
        for j, f in enumerate((p.get("scope") or {}).get("fields") or []):
            if f.startswith("derived.") or not source_shared(f):
                out.append(error(SETTINGS_FILE, "partner-agreement",
                                 f"partner '{p['id']}': {f} is not on the partner allowlist "
                                 "(docs/data-protection.md); an agreement can narrow it, "
                                 "never widen it", pointer=(*at, "scope", "fields", j)))
    return out


def find(partners: tuple[Partner, ...], recipient: str) -> Partner:
    """The configured partner `recipient` names; anything else is refused."""
    for p in partners:
        if p.id == recipient.strip().casefold():
            return p
    known = ", ".join(p.id for p in partners) or "none are configured"
    raise AgreementError(
        f"no partner '{recipient}' in casebook.yaml (partners: {known}); a partner output is "
        "made only under a configured information-sharing agreement (docs/data-protection.md)")
