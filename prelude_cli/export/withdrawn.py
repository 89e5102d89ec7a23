"""Withdrawn records in an export: kept, marked by the date in their `withdrawn` column.

The case model never holds a withdrawn record (`withdrawn.split`), so every figure leaves them
out. An export keeps them so that nothing recorded disappears from an analyst's view: their
rows are built by the same builders from a stand-in case holding only the withdrawn records,
numbered after the case's counted records (so keys stay unique), never marked first or latest.
Partner exports never carry them (the partner case holds no withdrawn records).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from ..case.entries import ENTRY_LISTS
from ..case.model import Case
from ..case.withdrawn import Withdrawn
from .tables import Context, Row, Table

SEQ_COLUMNS = {
    "decisions": "decision_seq", "contacts": "contact_seq", "disruption_actions": "action_seq",
    "proportionality_reviews": "review_seq", "assessments": "assessment_seq",
    "assessment_part2": "assessment_seq", "milestones": "milestone_seq",
    "interventions": "intervention_seq", "exits": None,
}
"""The tables of records that can be withdrawn, and their sequence column."""

_FLAGS = ("is_latest", "is_first")


def stand_ins(case: Case) -> Iterator[tuple[Withdrawn, Case]]:
    """Each withdrawn record of `case` in a case of its own: a withdrawn document as it is, a
    withdrawn entry in a copy of its document whose other entries are left out."""
    for w in case.withdrawn:
        ghost = Case(case.id)
        if not w.list_path:
            ghost.add(w.kind, w.ref, dict(w.data))
        else:
            real = getattr(case, w.kind, None)
            data = copy.deepcopy(real.data) if real is not None else {}
            for path in ENTRY_LISTS[w.kind]:
                _put(data, path, [])
            _get(data, w.list_path).append(w.data)
            ghost.add(w.kind, w.ref.split("#")[0], data)
        yield w, ghost.finish()


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            return  # no such part (a plan without a tag): nothing to empty
        node = node[key]
    node[path[-1]] = value


def _get(data: dict[str, Any], path: tuple[str, ...]) -> list[Any]:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    return node.setdefault(path[-1], [])


def counted(case: Case, table: str) -> int:
    """How many counted records the table numbers for this case: withdrawn ones follow."""
    plan = case.plan.data if case.plan else {}
    return {
        "decisions": len(case.decisions), "contacts": len(case.contacts),
        "disruption_actions": len(case.disruption.data["tactics"]) if case.disruption else 0,
        "proportionality_reviews": len(case.proportionality_reviews),
        "assessments": len(case.assessments), "assessment_part2": len(case.assessments),
        "milestones": len(case.milestones), "interventions": len(plan.get("interventions", [])),
    }.get(table, 0)


def withdrawn_rows(table: Table, case: Case, ctx: Context) -> Iterator[Row]:
    """The table's rows for the case's withdrawn records, each with its withdrawal's date."""
    if table.name not in SEQ_COLUMNS or not case.withdrawn:
        return
    seq = SEQ_COLUMNS[table.name]
    offset = counted(case, table.name)
    for w, ghost in stand_ins(case):
        numbered = 0
        for row in table.build(ghost, ctx):
            if seq is not None:
                numbered = max(numbered, row[seq])
                row[seq] += offset
            for flag in ("is_latest", "is_first"):
                if flag in row:
                    row[flag] = False
            row["withdrawn"] = str(w.withdrawal["date"])
            yield row
        offset += numbered
