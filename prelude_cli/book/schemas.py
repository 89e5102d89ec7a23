"""The packaged JSON Schemas: loading them, one compiled validator per kind, readable problems.

Messages are written here rather than taken from jsonschema, because jsonschema's quote the
offending value, and a value may be free text about a person. A message names the field and
quotes a value only when it is a date or comes from a closed vocabulary.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported on first use: most runs meet only valid documents
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

from .problems import Pointer, Problem, describe_pointer, error, field_name

KINDS = (
    "casebook",
    "providers",
    "case",
    "identification",
    "contact",
    "disruption",
    "assessment",
    "plan",
    "exit",
    "disclosure",
    "disposal",
    "identities",
)

PRIVATE_KINDS = frozenset({"identities"})
"""Kinds whose messages never quote a value, not even a date: a date there is a birth date."""

_DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def schema_dir() -> Path:
    """Schemas ship inside the wheel; a source checkout reads the top-level `schemas/`."""
    packaged = resources.files("prelude_cli") / "schemas"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "schemas"


@cache
def schema(kind: str) -> dict[str, Any]:
    path = schema_dir() / f"{kind}.schema.json"
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def schema_node(kind: str, pointer: Pointer) -> dict[str, Any]:
    """The schema of the value at `pointer` (ints and '*' step into list items)."""
    root = schema(kind)
    node = _deref(root, root)
    for part in pointer:
        if isinstance(part, int) or part == "*":
            node = _deref(node.get("items", {}), root)
        else:
            props = node.get("properties", {})
            node = _deref(props[part] if part in props else
                          node.get("additionalProperties") or {}, root)
    return node


def _deref(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return root["definitions"][ref.rsplit("/", 1)[-1]]
    return node


def choices(kind: str, *pointer: str | int) -> list[str]:
    """The closed vocabulary the schema allows at `pointer` (for option choices)."""
    node = schema_node(kind, pointer)
    if "enum" not in node and "items" in node:
        node = schema_node(kind, (*pointer, "*"))
    return list(node.get("enum", []))


@cache
def validator(kind: str) -> Draft7Validator:
    """One validator per kind for the whole run: compiling per file is the slow path."""
    from jsonschema import Draft7Validator

    return _ecma_validator_class()(schema(kind), format_checker=Draft7Validator.FORMAT_CHECKER)


@cache
def _ecma_validator_class() -> Any:
    """Draft 7 with `pattern` read as JSON Schema says, in ECMA-262's dialect.

    Python's `$` also matches before a final newline, so `^OP-[0-9A-Z]{6}$` would accept
    "OP-959KQ3\n", which the compiled validator (and any other JSON Schema tool) rejects.
    """
    from jsonschema import Draft7Validator, validators
    from jsonschema.exceptions import ValidationError

    def pattern(v: Any, patrn: str, instance: Any, _schema: Any) -> Any:
        if v.is_type(instance, "string") and not ecma_pattern(patrn).search(instance):
            yield ValidationError(f"does not match {patrn!r}")

    return validators.extend(Draft7Validator, {"pattern": pattern})


@cache
def ecma_pattern(patrn: str) -> re.Pattern[str]:
    """A schema pattern compiled so that `$` matches only at the very end (Python's `\\Z`),
    as in ECMA-262 without the multiline flag."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(patrn):
        ch = patrn[i]
        if ch == "\\":
            out.append(patrn[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = r"\Z"
        out.append(ch)
        i += 1
    return re.compile("".join(out))


@cache
def fast_validator(kind: str) -> Any | None:
    """A compiled (Rust) validator for the verdict, where jsonschema-rs is installed."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - optional speed-up
        return None
    return jsonschema_rs.Draft7Validator(schema(kind), validate_formats=True)


def check(kind: str, data: Any, path: str, *, fast: bool = True) -> list[Problem]:
    """Schema problems of one document, each pointing at the offending field.

    The compiled validator only decides whether a document is valid; the problems of an
    invalid one always come from python-jsonschema, so both paths report the same problems.
    """
    quick = fast_validator(kind) if fast else None
    quick_invalid = False
    if quick is not None:
        try:
            if quick.is_valid(data):
                return []
            quick_invalid = True
        except Exception:  # noqa: BLE001 - e.g. a number too large for Rust; use the reference
            pass
    problems: list[Problem] = []
    seen: set[tuple[Problem, Pointer]] = set()
    for err in validator(kind).iter_errors(data):
        for problem in _problems_from(err, path, quote=kind not in PRIVATE_KINDS):
            # jsonschema raises one `required` error per missing field, each carrying the
            # whole list: report each missing field once.
            if (problem, problem.pointer) not in seen:
                seen.add((problem, problem.pointer))
                problems.append(problem)
    if quick_invalid and not problems:
        # The two validators disagree: "invalid with no message" must never become "valid".
        problems.append(error(path, "schema", "the document does not match its schema, though "
                              "no field could be named; check it against docs/format.md"))
    return problems


def _problems_from(err: ValidationError, path: str, *, quote: bool = True) -> list[Problem]:
    pointer: Pointer = tuple(err.absolute_path)
    where = describe_pointer(pointer)
    v = err.validator
    value = err.instance
    if v == "additionalProperties" and isinstance(value, dict):
        allowed = set((err.schema or {}).get("properties", {}))
        extras = [k for k in value if k not in allowed]
        return [
            error(path, "schema-unknown-field",
                  f"unknown field '{field_name(k)}' in {where}", pointer=(*pointer, k))
            for k in extras
        ]
    if v == "required":
        missing = err.validator_value
        names = [m for m in missing if isinstance(value, dict) and m not in value]
        return [
            error(path, "schema-required", f"missing required field '{m}' in {where}",
                  pointer=pointer)
            for m in names
        ]
    return [error(path, f"schema-{_RULE_NAMES.get(str(v), 'invalid')}",
                  _message(str(v), err, where, value if quote else None), pointer=pointer)]


_RULE_NAMES = {
    "type": "type",
    "enum": "enum",
    "const": "enum",
    "format": "format",
    "pattern": "pattern",
    "minLength": "length",
    "maxLength": "length",
    "minItems": "length",
    "maxItems": "length",
    "minProperties": "length",
    "uniqueItems": "unique",
    "minimum": "range",
    "maximum": "range",
    "propertyNames": "pattern",
}

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else "a value"


def _message(v: str, err: ValidationError, where: str, value: Any) -> str:
    vv = err.validator_value
    if v == "type":
        wanted = vv if isinstance(vv, list) else [vv]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        return f"{where} must be {words}, not {_kind_of(value)}"
    if v in ("enum", "const"):
        options = vv if isinstance(vv, list) else [vv]
        return f"{where} must be one of: {', '.join(map(str, options))}"
    if v == "format" and vv == "date":
        return f"{where} is not a real date: '{value}'" if _is_date_text(value) else \
            f"{where} must be a date like '2026-05-01'"
    if v == "pattern":
        if isinstance(value, str) and err.schema.get("format") == "date":
            return f"{where} must be a date like '2026-05-01'"
        return f"{where} does not have the expected form ({vv})"
    if v == "propertyNames":
        return f"a key in {where} does not have the expected form"
    if v == "minLength":
        return f"{where} must not be empty" if vv == 1 else f"{where} is too short"
    if v == "maxLength":
        return f"{where} is longer than {vv} characters"
    if v == "minItems":
        return f"{where} needs at least {vv} item{'s' if vv != 1 else ''}"
    if v == "maxItems":
        return f"{where} has more than {vv} items"
    if v == "minProperties":
        return f"{where} needs at least {vv} entr{'ies' if vv != 1 else 'y'}"
    if v == "uniqueItems":
        return f"{where} lists the same item twice"
    if v == "minimum":
        return f"{where} must be at least {vv}"
    if v == "maximum":
        return f"{where} must be at most {vv}"
    return f"{where} is not valid here ({v})"


def _is_date_text(value: Any) -> bool:
    return isinstance(value, str) and bool(_DATE_TEXT.fullmatch(value))
