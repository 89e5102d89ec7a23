"""Entries inside documents: which lists hold them, their ids, and finding one by id.

A record is either a one-record document (a contact, an assessment, the exit...) or an entry
of a list inside a document (a decision, a tactic, a review, a goal...). Every entry carries
an `id`, random with a prefix per list (`d-7k3m`), so that two clones adding entries never mint
the same one, and a record is referred to as `PATH#ID` (see `refs.py`). Entries written before
ids existed get one from `prelude fmt`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..book.casebook import new_suffix

ListPath = tuple[str, ...]

ENTRY_LISTS: dict[str, dict[ListPath, str]] = {
    "case": {("retention_reviews",): "rr"},
    "identification": {("decisions",): "d"},
    "disruption": {("tactics",): "a", ("reviews",): "r"},
    "plan": {("goals",): "g", ("milestones",): "m", ("interventions",): "i",
             ("reviews",): "r", ("tag", "reviews"): "t"},
}
"""Per document kind: the lists whose items are records, and the prefix of their ids. The
prefixes differ within a kind, so an id minted unique in its list is unique in its document."""

ENTRY_NAMES: dict[tuple[str, ListPath], str] = {
    ("case", ("retention_reviews",)): "retention review",
    ("identification", ("decisions",)): "decision",
    ("disruption", ("tactics",)): "tactic",
    ("disruption", ("reviews",)): "proportionality review",
    ("plan", ("goals",)): "goal",
    ("plan", ("milestones",)): "milestone",
    ("plan", ("interventions",)): "intervention",
    ("plan", ("reviews",)): "programme review",
    ("plan", ("tag", "reviews")): "tag review",
}
"""What an entry of each list is called, for messages and the history."""

DOCUMENT_RECORDS = frozenset({"contact", "assessment", "exit", "disruption", "plan"})
"""Documents that are a record in their own right, so can be withdrawn as a whole. The case
record and the identification document hold the case itself: their entries are withdrawn."""


def entry_lists(kind: str, data: Mapping[str, Any]) -> Iterator[tuple[ListPath, list[Any]]]:
    """Each entry list present in a document of `kind`, with its path."""
    for path in ENTRY_LISTS.get(kind, {}):
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, list):
            yield path, node


def mint(prefix: str, taken: set[str]) -> str:
    """A random id with `prefix` not among `taken`."""
    while True:
        item_id = f"{prefix}-{new_suffix()}"
        if item_id not in taken:
            return item_id


def ids_in(items: list[Any]) -> set[str]:
    return {str(i["id"]) for i in items if isinstance(i, Mapping) and "id" in i}


def with_id(kind: str, path: ListPath, items: list[Any], item: dict[str, Any]
            ) -> dict[str, Any]:
    """`item` about to be appended to `items`, given an id first if its list wants one."""
    prefix = ENTRY_LISTS.get(kind, {}).get(path)
    if prefix is None or "id" in item:
        return item
    return {"id": mint(prefix, ids_in(items)), **item}


def add_missing_ids(kind: str, data: Any) -> list[str]:
    """Give every entry of the document that has no id one, in place; the ids added.

    Round-trip mappings get the id as their first key (where `prelude fmt` puts it anyway)."""
    added: list[str] = []
    for path, items in entry_lists(kind, data):
        prefix = ENTRY_LISTS[kind][path]
        taken = ids_in(items)
        for item in items:
            if isinstance(item, Mapping) and "id" not in item:
                new = mint(prefix, taken)
                taken.add(new)
                if hasattr(item, "insert"):
                    item.insert(0, "id", new)
                else:
                    item["id"] = new  # type: ignore[index]
                added.append(new)
    return added


def find_entry(kind: str, data: Mapping[str, Any], entry_id: str
               ) -> tuple[ListPath, int, Any] | None:
    """(list path, index, item) of the entry with `entry_id`, or None."""
    for path, items in entry_lists(kind, data):
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and item.get("id") == entry_id:
                return path, i, item
    return None


def all_ids(kind: str, data: Mapping[str, Any]) -> list[str]:
    return [str(i["id"]) for _, items in entry_lists(kind, data)
            for i in items if isinstance(i, Mapping) and "id" in i]
