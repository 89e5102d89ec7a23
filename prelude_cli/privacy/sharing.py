"""What a partner agency may see: an allowlist written into the schemas, applied in one place.

Deny by default. A field reaches a partner output only when its schema field carries
`"x-share": "partner"`; everything else (enforcement, intelligence sources, proportionality
reviews, names of workers, free text) is dropped by `share` before any report or export code
sees the document. Values derived from the whole case, which may draw on fields a partner does
not see, are allowed one by one in `DERIVED`.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from ..book.schemas import schema
from ..book.schemawalk import FieldPath, Node, children, deref, fields
from ..case.model import Case

AUDIENCES = ("internal", "partner")
INTERNAL, PARTNER = AUDIENCES
SHARE_KEY = "x-share"

CASE_KINDS = ("case", "identification", "contact", "disruption", "assessment", "plan", "exit")
"""The document kinds of a case folder, in the order docs/data-protection.md lists them."""

DERIVED: dict[str, str] = {
    "stage": "the case's stage (docs/format.md, Stages): it follows from every document, "
             "including those a partner does not see, and says no more than the stage's name",
}
"""Derived values a partner may see although they are computed from withheld fields."""

_DROP = object()


def _shared(node: Node) -> bool:
    return node.get(SHARE_KEY) == PARTNER


@cache
def allowlist(kind: str) -> tuple[FieldPath, ...]:
    """The fields of `kind` a partner may see (a shared field brings everything inside it)."""
    out: list[FieldPath] = []
    for path, node in fields(kind):
        if _shared(node) and not any(path[:len(p)] == p for p in out):
            out.append(path)
    return tuple(out)


def is_shared(kind: str, path: FieldPath) -> bool:
    """Whether the field at `path` (or the field holding it) is on the allowlist; `*` in the
    allowlist stands for any list index or mapping key."""
    return any(len(path) >= len(p)
               and all(a == "*" or a == b for a, b in zip(p, path[:len(p)], strict=True))
               for p in allowlist(kind))


Fields = frozenset[str] | None
"""A partner agreement's subset of the allowlist (`kind.field.path` each), or None: the whole
allowlist. Derived values (`DERIVED`) are not fields and are never narrowed."""


def _within(path: FieldPath, pattern: FieldPath) -> bool:
    """`path` is the field `pattern` names or lies inside it (`*`: any item or key)."""
    return len(path) >= len(pattern) and all(
        a == "*" or b == "*" or a == b for a, b in zip(pattern, path[:len(pattern)],
                                                      strict=True))


def _subset(kind: str, fields: Fields) -> tuple[FieldPath, ...] | None:
    if fields is None:
        return None
    return tuple(tuple(f.split(".")[1:]) for f in sorted(fields) if f.split(".")[0] == kind)


def source_shared(source: str, fields: Fields = None) -> bool:
    """`kind.field.path` (`*` for items) or `derived.NAME`: may a partner see it (under an
    agreement's `fields`, when given)?"""
    kind, _, rest = source.partition(".")
    if kind == "derived":
        return rest in DERIVED
    path = tuple(rest.split("."))
    subset = _subset(kind, fields)
    return (kind in CASE_KINDS and is_shared(kind, path)
            and (subset is None or any(_within(path, p) for p in subset)))


def share(kind: str, data: dict[str, Any], fields: Fields = None) -> dict[str, Any] | None:
    """A copy of the document holding only allowlisted fields (and of those, only an
    agreement's `fields` when given); None when nothing is left.

    List items and mappings left empty are dropped, so an item never appears as a hollow
    shell of a record that was withheld.
    """
    root = schema(kind)
    kept = _filter(data, root, root, (), _subset(kind, fields))
    return None if kept is _DROP else kept


def _filter(value: Any, node: Node, root: Node, path: FieldPath,
            subset: tuple[FieldPath, ...] | None, inside: bool = False) -> Any:
    """`inside`: within a shared field, whose own fields carry no mark of their own."""
    node = deref(node, root)
    inside = inside or _shared(node)
    if inside and (subset is None or any(_within(path, p) for p in subset)):
        return copy.deepcopy(value)
    if subset is not None and not any(_within(p, path) for p in subset):
        return _DROP  # nothing the agreement allows lies here
    subs = dict(children(node, root))
    if isinstance(value, dict):
        props = node.get("properties", {})
        out = {}
        for key, sub in value.items():
            schema_node = props.get(key) if key in props else subs.get("*")
            if schema_node is None:
                continue
            kept = _filter(sub, schema_node, root, (*path, key if key in props else "*"),
                           subset, inside)
            if kept is not _DROP:
                out[key] = kept
        return out or _DROP
    if isinstance(value, list) and "*" in subs:
        items = [_filter(v, subs["*"], root, (*path, "*"), subset, inside) for v in value]
        items = [i for i in items if i is not _DROP]
        return items or _DROP
    return _DROP


def partner_case(case: Case, fields: Fields = None) -> Case:
    """The case as a partner may see it: every document through `share` (narrowed to an
    agreement's `fields` when given), the stage derived from the whole case."""
    shared = Case(case.id)
    for kind, record in case.records():
        data = share(kind, record.data, fields)
        if data:
            shared.add(kind, record.path, data)
    shared.finish()
    shared.stage = case.stage  # allowed in DERIVED; computed from the whole case
    return shared


def allowlist_lines() -> list[str]:
    """The allowlist as docs/data-protection.md lists it: `kind`: `field.path`, one a line."""
    return [f"- `{kind}`: `{'.'.join(path)}`" for kind in CASE_KINDS
            for path in allowlist(kind)]
