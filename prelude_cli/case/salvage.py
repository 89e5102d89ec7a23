"""What can still be used of a document that fails its schema.

A hand-broken milestone must not erase the plan: the plan would then look missing, a `plan`
item would fall due for a plan that exists, and the tag review and the other milestones would
vanish from the due list. So an invalid document is pruned, not dropped: each schema error
takes out the smallest thing that holds it (the entry of a list, else the field), and the rest
is checked again, until it passes or nothing is left to take out. The case is flagged
incomplete all the same (its problems are errors); this only decides what its model still sees.
"""

from __future__ import annotations

import copy
from typing import Any

from ..book.problems import Pointer, Problem
from ..book.schemas import check

MAX_ROUNDS = 8
"""A field taken out can leave its holder missing a required field: a few rounds settle it."""


def salvage(kind: str, data: Any, problems: list[Problem], path: str
            ) -> tuple[dict[str, Any] | None, list[Pointer]]:
    """The document's usable part (or None) and the pointers of what was left out.

    `problems` are the document's problems as read; only the errors' pointers are used.
    """
    if not isinstance(data, dict):
        return None, [()]
    out = copy.deepcopy(data)
    dropped: list[Pointer] = []
    current = [p for p in problems if p.is_error]
    for _ in range(MAX_ROUNDS):
        cuts = {_cut_point(out, p) for p in current}
        if () in cuts:
            return None, [()]
        for cut in sorted(cuts, key=_order, reverse=True):  # later list entries first
            if _remove(out, cut):
                dropped.append(cut)
        current = [p for p in check(kind, out, path) if p.is_error]
        if not current:
            # what was cut inside something cut later is not worth naming
            kept = [d for d in set(dropped)
                    if not any(o != d and d[:len(o)] == o for o in dropped)]
            return out, sorted(kept, key=_order)
    return None, [()]


def _order(pointer: Pointer) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in pointer)


def _cut_point(data: Any, problem: Problem) -> Pointer:
    """Where to cut for one problem: the field at fault (for a missing required field, the
    mapping that lacks it), or the nearest holder of it that is still there. Cutting a field
    can leave its holder incomplete; the next round then cuts the holder, so a broken entry
    of a list goes, and its list stays."""
    pointer = tuple(problem.pointer)
    while pointer and not _exists(data, pointer):
        pointer = pointer[:-1]
    return pointer


def _exists(data: Any, pointer: Pointer) -> bool:
    node = data
    for part in pointer:
        held = (part in node if isinstance(node, dict)
                else isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if held:
            node = node[part]
        else:
            return False
    return True


def _remove(data: Any, pointer: Pointer) -> bool:
    if not pointer or not _exists(data, pointer):
        return False
    node = data
    for part in pointer[:-1]:
        node = node[part]
    del node[pointer[-1]]
    return True


def describe(pointer: Pointer) -> str:
    """`milestones[2]`, `mentor.name`, or `the whole document`."""
    if not pointer:
        return "the whole document"
    out = ""
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
