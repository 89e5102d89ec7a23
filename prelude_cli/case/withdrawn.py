"""Withdrawn records stop counting, in one place.

`prelude withdraw` marks a record `withdrawn: {date, by, reason}` and leaves it where it is.
`split` is called on each valid document as a case is loaded (`validation.load_case`), before
the case model sees it: the model, and so stages, due reviews, reports and exports, never see a
withdrawn record. What was taken out is kept aside (`Case.withdrawn`) for the timeline, the
history and exports, which show it marked as withdrawn. A withdrawal that was itself withdrawn
(`withdrawn.reinstated`) counts as no withdrawal: the record counts again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .entries import DOCUMENT_RECORDS, ENTRY_LISTS, ENTRY_NAMES, ListPath, entry_lists


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """A record left out of the case: its kind, reference, list (empty for a document) and data."""

    kind: str
    ref: str
    list_path: ListPath
    data: Mapping[str, Any]
    index: int = -1  # an entry's position in its list, as written

    @property
    def withdrawal(self) -> Mapping[str, Any]:
        return self.data["withdrawn"]

    def as_document(self) -> dict[str, Any]:
        """The record shaped as its document, so pointers into it are the document's: a
        withdrawn entry at its place in its list (the places before it empty)."""
        if not self.list_path:
            return dict(self.data)
        node: Any = [{}] * self.index + [self.data]
        for key in reversed(self.list_path):
            node = {key: node}
        return node


def is_withdrawn(record: Any) -> bool:
    """True for a record marked withdrawn and not reinstated."""
    mark = record.get("withdrawn") if isinstance(record, Mapping) else None
    return isinstance(mark, Mapping) and "reinstated" not in mark


def split(kind: str, path: str, data: dict[str, Any]
          ) -> tuple[dict[str, Any] | None, list[Withdrawn]]:
    """The document without its withdrawn records (None when the document itself is
    withdrawn), and the records taken out. The input is never changed: a document with
    withdrawn entries is copied along the lists that change."""
    if kind in DOCUMENT_RECORDS and is_withdrawn(data):
        return None, [Withdrawn(kind, path, (), data)]
    if kind not in ENTRY_LISTS:
        return data, []
    gone: list[Withdrawn] = []
    out = data
    for list_path, items in entry_lists(kind, data):
        kept = [i for i in items if not is_withdrawn(i)]
        if len(kept) == len(items):
            continue
        gone += [Withdrawn(kind, f"{path}#{item.get('id', '')}", list_path, item, i)
                 for i, item in enumerate(items) if is_withdrawn(item)]
        out = _replace(out, list_path, kept)
    return out, gone


def _replace(data: dict[str, Any], list_path: ListPath, items: list[Any]) -> dict[str, Any]:
    """A copy of `data` with the list at `list_path` replaced (copying the mappings above it)."""
    head, *rest = list_path
    copy = dict(data)
    copy[head] = _replace(data[head], tuple(rest), items) if rest else items
    return copy


_DATE_KEYS = ("date", "opened", "agreed", "from", "referred", "due")


def record_date(w: Withdrawn) -> str:
    """The date the withdrawn record was about, for placing it in a timeline (the withdrawal's
    own date for a record without one, such as a goal)."""
    for key in _DATE_KEYS:
        value = w.data.get(key)
        if isinstance(value, str):
            return value
    return str(w.withdrawal["date"])


def label(w: Withdrawn) -> str:
    """What the withdrawn record is: `contact`, `proportionality review`..."""
    return ENTRY_NAMES.get((w.kind, w.list_path), w.kind) if w.list_path else w.kind


def original_pointer(pointer: tuple[str | int, ...], original: Any) -> tuple[str | int, ...]:
    """A pointer into a document without its withdrawn entries, as a pointer into the
    document as written (list positions counted with the withdrawn entries), so that a
    problem found by a rule is placed on the right line."""
    out: list[str | int] = []
    node = original
    for part in pointer:
        if isinstance(part, int) and isinstance(node, list):
            kept = [i for i, item in enumerate(node) if not is_withdrawn(item)]
            part = kept[part] if part < len(kept) else part
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)
