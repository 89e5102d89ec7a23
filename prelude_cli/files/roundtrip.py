"""Editing documents with ruamel round-trip: comments, key order and layout elsewhere survive.

New documents and `prelude fmt` use the canonical form: keys in the schema's order, 2-space
indentation with list dashes indented under their key, dates and YAML-1.1-ambiguous strings in
single quotes, multi-line text as literal blocks, long lines left unfolded, LF line endings.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from ..book import schemas

_MUST_QUOTE = re.compile(
    r"^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$"
)


def _yaml() -> YAML:
    y = YAML(typ="rt", pure=True)
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    # Never fold long text: folding rewraps lines far from an edit (noisy diffs, merge
    # conflicts) and leaves trailing spaces behind.
    y.width = 1_000_000
    y.allow_duplicate_keys = False
    return y


def load(raw: bytes) -> CommentedMap:
    """Round-trip load of a document already known to be valid YAML (read it with yamlio first)."""
    text = raw.decode("utf-8-sig")
    data = _yaml().load(text)
    if not isinstance(data, CommentedMap):
        raise ValueError("document is not a mapping")
    return data


def dump(data: Any) -> bytes:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue().replace("\r\n", "\n").encode("utf-8")


def styled(value: Any) -> Any:
    """Plain Python data to ruamel nodes in the canonical style (recursively)."""
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        cm = CommentedMap()
        for k, v in value.items():
            cm[k] = styled(v)
        return cm
    if isinstance(value, CommentedMap):
        for k in list(value):
            value[k] = styled(value[k])
        return value
    if isinstance(value, list):
        seq = value if isinstance(value, CommentedSeq) else CommentedSeq()
        items = [styled(v) for v in value]
        seq[:] = items
        return seq
    if isinstance(value, str) and not isinstance(value, (SingleQuotedScalarString,
                                                         LiteralScalarString)):
        if "\n" in value.strip("\n"):
            return LiteralScalarString(value)
        if _MUST_QUOTE.match(value):
            return SingleQuotedScalarString(value)
    return value


def _subschema(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref and ref.startswith("#/definitions/"):
        return root["definitions"][ref.split("/")[-1]]
    return node


def order_keys(data: Any, kind: str) -> Any:
    """Put mapping keys in the schema's property order, recursively, keeping comments.

    Keys the schema does not know keep their relative order after the known ones.
    """
    root = schemas.schema(kind)
    _order(data, root, root)
    return data


def _order(data: Any, node: dict[str, Any], root: dict[str, Any]) -> None:
    node = _subschema(node, root)
    if isinstance(data, CommentedMap):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        wanted = [k for k in props if k in data] + [k for k in data if k not in props]
        if list(data) != wanted:
            _reorder(data, wanted)
        for k in data:
            if k in props:
                _order(data[k], props[k], root)
            elif isinstance(extra, dict):
                _order(data[k], extra, root)
    elif isinstance(data, CommentedSeq) and isinstance(node.get("items"), dict):
        for item in data:
            _order(item, node["items"], root)


def _reorder(cm: CommentedMap, keys: list[str]) -> None:
    """Reorder a CommentedMap in place; comments attached to a key travel with it."""
    items = [(k, cm[k]) for k in keys]
    comments = {k: cm.ca.items.get(k) for k in keys}
    for k in list(cm):
        del cm[k]
    for k, v in items:
        cm[k] = v
        if comments[k] is not None:
            cm.ca.items[k] = comments[k]


def new_document(data: dict[str, Any], kind: str) -> bytes:
    """Bytes of a new document in canonical form."""
    return dump(order_keys(styled(data), kind))


class FormatChangedData(Exception):
    """Formatting would have changed a document's data: refused, the file is left alone."""


def canonical(raw: bytes, kind: str) -> bytes:
    """`prelude fmt`'s output for a document: same data and comments, canonical layout.

    The result is read back and compared with the original, so formatting can never change
    what a document says.
    """
    from .yamlio import load_bytes

    out = dump(order_keys(styled(load(raw)), kind))
    if load_bytes(out, "").data != load_bytes(raw, "").data:
        raise FormatChangedData("formatting would change the document's data")
    return out
