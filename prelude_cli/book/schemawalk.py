"""Walking a document alongside its JSON Schema, to find fields by their annotations.

Two annotations on schema fields say how prelude treats a value: `x-free-text` (text written
by people, which may hold personal data) and `x-share: partner` (a partner agency may see it).
Both are read here, once, so validation, partner outputs and the docs agree on what they mean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from . import schemas
from .problems import Pointer

FieldPath = tuple[str, ...]
"""Field names from the document's root; `*` stands for any list item or mapping entry."""

Node = dict[str, Any]


def deref(node: Node, root: Node) -> Node:
    """The node a local `$ref` points to, keeping the annotations written beside the `$ref`."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        target = root["definitions"][ref.rsplit("/", 1)[-1]]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def children(node: Node, root: Node) -> Iterator[tuple[str, Node]]:
    """A node's sub-fields: its properties by name, list items and mapping entries as `*`."""
    for name, sub in node.get("properties", {}).items():
        yield name, deref(sub, root)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield "*", deref(extra, root)
    items = node.get("items")
    if isinstance(items, dict):
        yield "*", deref(items, root)


def fields(kind: str) -> Iterator[tuple[FieldPath, Node]]:
    """Every field of a document kind, depth first, in the schema's order."""
    root = schemas.schema(kind)

    def walk(node: Node, path: FieldPath) -> Iterator[tuple[FieldPath, Node]]:
        for name, sub in children(node, root):
            yield (*path, name), sub
            yield from walk(sub, (*path, name))

    yield from walk(root, ())


@cache
def paths(kind: str, wanted: Callable[[Node], bool]) -> tuple[FieldPath, ...]:
    """The fields of `kind` that are `wanted`, not counting those inside a wanted field."""
    out: list[FieldPath] = []
    for path, node in fields(kind):
        if wanted(node) and not any(path[:len(p)] == p for p in out):
            out.append(path)
    return tuple(out)


def values(kind: str, data: Any, wanted: Callable[[Node], bool]
           ) -> Iterator[tuple[Pointer, Any]]:
    """(pointer, value) of every value in `data` whose schema field is `wanted`. Follows the
    wanted fields' paths into the data, level by level, rather than walking all of it: this
    runs on every document of a large casebook."""
    for path in paths(kind, wanted):
        level: list[tuple[Pointer, Any]] = [((), data)]
        for head in path:
            found: list[tuple[Pointer, Any]] = []
            for pointer, value in level:
                if head == "*":
                    if isinstance(value, dict):
                        found += [((*pointer, k), v) for k, v in value.items()]
                    elif isinstance(value, list):
                        found += [((*pointer, i), v) for i, v in enumerate(value)]
                elif isinstance(value, dict) and head in value:
                    found.append(((*pointer, head), value[head]))
            level = found
            if not level:
                break
        yield from level


def is_free_text(node: Node) -> bool:
    return node.get("x-free-text") is True
