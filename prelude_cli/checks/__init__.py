"""Cross-document rules: small functions, each with a stable id, listed in one registry.

A rule takes a `CheckContext` (one case's valid documents as a `model.Case`, the settings,
the providers, the as-of date) and yields problems. Rules point at a field with a pointer; the
validator turns pointers into lines afterwards, only for the files that have problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..book.problems import Pointer, Problem, error, warning
from ..book.settings import Settings
from ..case.model import Case, Record


@dataclass(frozen=True, slots=True)
class CheckContext:
    case: Case
    folder_id: str
    settings: Settings
    providers: dict[str, dict[str, Any]]
    as_of: date
    names: tuple[str, ...] = ()
    """Words of the person's names from the identity register (empty without one)."""
    raws: Mapping[str, bytes | None] = field(default_factory=dict)
    """Each document's bytes as read, for rules that look at comments."""

    def error(self, record: Record | str, rule: str, message: str,
              pointer: Pointer = ()) -> Problem:
        path = record if isinstance(record, str) else record.path
        return error(path, rule, message, pointer=pointer)

    def warning(self, record: Record | str, rule: str, message: str,
                pointer: Pointer = ()) -> Problem:
        path = record if isinstance(record, str) else record.path
        return warning(path, rule, message, pointer=pointer)


Rule = Callable[[CheckContext], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    summary: str
    check: Rule


RULES: dict[str, RuleInfo] = {}


def rule(rule_id: str, summary: str) -> Callable[[Rule], Rule]:
    """Register a rule under its stable id."""

    def register(fn: Rule) -> Rule:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = RuleInfo(rule_id, summary, fn)
        return fn

    return register


def run_rules(ctx: CheckContext) -> Iterator[Problem]:
    for info in RULES.values():
        yield from info.check(ctx)


# Importing the rule modules fills the registry.
from . import dates, duplicates, outcomes, privacy, references  # noqa: E402,F401
