"""Records typed twice, and records that contradict each other on one day (warnings).

Running `contact add` twice, or recording the same review again, leaves two records where
there was one piece of work; figures then count it twice. Recording commands refuse to write
what these rules would flag unless given `--allow-duplicate`; `prelude withdraw` retires the
extra record. Withdrawn records are not seen here (`withdrawn.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..book.problems import Pointer, Problem
from ..case.model import Record
from . import CheckContext, rule

DUPLICATE_RULES = frozenset({"duplicate-contact", "duplicate-review"})
"""The rules a recording command refuses to add a finding of, unless --allow-duplicate."""


@rule("duplicate-contact", "No two contacts with the same date, purpose, outcome and worker "
      "(warning).")
def duplicate_contact(ctx: CheckContext) -> Iterator[Problem]:
    seen: dict[tuple[Any, ...], Record] = {}
    for c in ctx.case.contacts:
        d = c.data
        key = (d["date"], d["purpose"], d["outcome"], str(d["by"]).casefold())
        if key in seen:
            yield ctx.warning(c, "duplicate-contact",
                              f"same date, purpose, outcome and worker as {seen[key].path}: "
                              "recorded twice? (prelude withdraw retires one)")
        else:
            seen[key] = c


REVIEW_LISTS = (("disruption", ("reviews",), "proportionality review"),
                ("plan", ("reviews",), "programme review"),
                ("plan", ("tag", "reviews"), "tag review"))


@rule("duplicate-review", "No two proportionality, programme or tag reviews on one day "
      "(warning).")
def duplicate_review(ctx: CheckContext) -> Iterator[Problem]:
    for kind, path, what in REVIEW_LISTS:
        record = getattr(ctx.case, kind)
        if record is None:
            continue
        node: Any = record.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        first: dict[str, dict[str, Any]] = {}
        for i, review in enumerate(node or []):
            other = first.setdefault(review["date"], review)
            if other is review:
                continue
            pointer: Pointer = (*path, i, "date")
            same = other.get("decision") == review.get("decision")
            how = ("recorded twice?" if same else
                   f"they decide differently ({other.get('decision')} and "
                   f"{review.get('decision')}): which stands?")
            yield ctx.warning(record, "duplicate-review",
                              f"two {what}s on {review['date']}: {how}", pointer)
