"""Reading casebook YAML safely and fast, and finding where things are in it.

The casebook format is a strict subset of YAML: one mapping per file, string keys, no anchors,
aliases, merge keys, tags or directives, and YAML 1.2 core scalars (so `2026-05-01` is never a
timestamp and `no` is never a boolean). We read by walking the parser's event stream, which lets
us refuse an alias before anything expands it, see whether a scalar was quoted, catch duplicate
keys and record positions, all in one pass. libyaml's C parser does the scanning when present;
PyYAML's pure-Python parser gives the same events and serves as the reference path.

Editing goes through ruamel round-trip (see `roundtrip.py`); this module never writes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..book.problems import Pointer, Problem, error, field_name

try:  # libyaml is bundled in PyYAML's wheels; fall back to pure Python where it is not.
    # The bare C parser: only its events are used, so no constructor or resolver is set up.
    from yaml.cyaml import CParser as _FastLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False

DEFAULT_MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

# Characters that YAML forbids in a stream (outside its printable set). Checked before parsing
# so both parsers see the same text and report the same problem.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Printable to YAML, but dangerous or invisible in a record: escapes (via "\e" in double quotes),
# bidi overrides that reorder text on screen, zero-width characters that hide inside keys.
_HIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)
# Line breaks to YAML 1.1 parsers (ours included) but not to git, GitHub or most editors: a
# reviewer would see one line where the parser reads two keys. And a byte order mark after
# the start of the file, which libyaml skips in some places and PyYAML reads as text.
_PARSER_INVISIBLE = re.compile("[\x85\u2028\u2029\ufeff]")

# YAML 1.2 core schema, which is what the format means by a plain scalar.
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# Plain scalars that YAML 1.1 tools (and many people) read differently: they must be quoted.
_DATE_LIKE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$")
MAX_INT_DIGITS = 30
# Where libyaml accepts what PyYAML's parser and ruamel (the editor) refuse: a tab as a
# separator (`by: x<TAB>`), a comment right after a block scalar indicator (`notes: |#`).
# Texts that may hold one go to the reference parser, so both paths report the same problems
# and nothing passes validate that an edit could not load. A false match only costs speed.
_LIBYAML_LENIENT = re.compile(r"\t|[|>][0-9+-]{0,2}#")


@dataclass(slots=True)
class Loaded:
    """What reading one file gives: its data (None when unusable) and its problems."""

    data: Any
    problems: list[Problem] = field(default_factory=list)
    positions: dict[Pointer, tuple[int, int]] | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.is_error for p in self.problems)


class _Fatal(Exception):
    """Stops the walk at the first problem that makes the document unusable."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 only (a BOM is fine), with the position of the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(path, "encoding", "file is UTF-16; save it as UTF-8", 1, 1)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [error(path, "encoding", "file is not valid UTF-8", line, col)]
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        return None, [error(path, "control-character",
                            f"character U+{ord(bad.group()):04X} is not allowed in YAML",
                            line, col)]
    odd = _PARSER_INVISIBLE.search(text)
    if odd:
        line, col = _line_col(text, odd.start())
        message = ("a byte order mark (U+FEFF) is allowed only at the start of the file"
                   if odd.group() == "\ufeff" else
                   f"character U+{ord(odd.group()):04X} breaks lines in some tools and not in "
                   "others; use an ordinary line break")
        return None, [error(path, "hidden-character", message, line, col)]
    return text, []


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# Plain scalars starting with any other character are text under the core schema, and
# neither dates nor YAML 1.1 booleans: most of a casebook's scalars, resolved without a regex.
_MAYBE_SPECIAL = frozenset("-+.0123456789~nNtTfFyYoO")
_NUMBER_START = frozenset("-+.0123456789")
_AMBIGUOUS = object()
# Every plain scalar starting with a letter (or `~`) that is not text: the core schema's nulls
# and booleans, and the YAML 1.1 booleans that must be quoted. Anything else is text.
_WORDS: dict[str, Any] = {
    **{w: None for w in ("~", "null", "Null", "NULL")},
    **_BOOL,
    **{w: _AMBIGUOUS for w in ("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                "on", "On", "ON", "off", "Off", "OFF")},
}
_TEXT = object()


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar's value under the YAML 1.2 core schema."""
    if not value:
        return None
    if value[0] not in _NUMBER_START:
        word = _WORDS.get(value, _TEXT)
        return value if word is _TEXT or word is _AMBIGUOUS else word
    if value.isdigit() and value.isascii() and len(value) <= MAX_INT_DIGITS:
        return int(value)  # scores and counts: the commonest number, without a regex
    if _INT10.match(value) or _INT8.match(value) or _INT16.match(value):
        if len(value) > MAX_INT_DIGITS:
            return value  # too long to be a number we accept; kept as text and reported
        if value.startswith("0o"):
            return int(value[2:], 8)
        return int(value[2:], 16) if value.startswith("0x") else int(value)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def load_text(text: str, path: str, *, fast: bool = True, positions: bool = False) -> Loaded:
    """Walk the YAML events of `text` into plain dicts, lists and scalars.

    Structural problems (syntax, aliases, tags, several documents, duplicate keys, depth) make
    the data unusable; value problems (an unquoted date, a YAML 1.1 boolean, hidden characters)
    are reported while the data stays usable so later checks still run.
    """
    if fast and _LIBYAML_LENIENT.search(text):
        fast = False  # the reference parser decides: see _LIBYAML_LENIENT
    # Hidden characters are looked for value by value only when the text holds one, or a
    # backslash (a double-quoted escape can make one): most documents hold neither.
    scan = "\\" in text or _HIDDEN_CHARS.search(text) is not None
    return _parse(text, path, fast, positions, scan)


def _parse(text: str, path: str, fast: bool, positions: bool, scan: bool) -> Loaded:
    loader = _FastLoader if fast else yaml.SafeLoader
    result = Loaded(None, [], {} if positions else None)
    try:
        parser = loader(text)
        try:
            result.data = _walk(parser, path, result, scan)
        finally:
            parser.dispose()
        if any(p.rule == "yaml-duplicate-key" for p in result.problems):
            result.data = None  # which value was meant is anyone's guess
    except _Fatal as stop:
        result.data = None
        result.problems.append(stop.problem)
    except yaml.MarkedYAMLError as exc:
        if fast and HAVE_LIBYAML:
            # libyaml words its messages differently; the reference parser's wording and
            # position are what we report, so both paths give the same problem.
            return _parse(text, path, False, positions, scan)
        result.data = None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = exc.problem or exc.context or "malformed YAML"
        result.problems.append(error(path, "yaml-syntax", _clean(message), line, col))
    except yaml.YAMLError as exc:  # reader errors carry no mark in some versions
        result.data = None
        result.problems.append(error(path, "yaml-syntax", _clean(str(exc)), 1, 1))
    if result.data is None and not any(p.is_error for p in result.problems):
        result.problems.append(error(path, "empty-document", "file holds no YAML document", 1, 1))
    elif result.data is not None and not isinstance(result.data, dict):
        result.problems.append(error(path, "not-a-mapping",
                                     "document must be a YAML mapping of keys to values", 1, 1))
        result.data = None
    return result


def _clean(message: str) -> str:
    """Parser messages sometimes quote the offending text; keep only the first line."""
    return message.strip().splitlines()[0] if message.strip() else "malformed YAML"


def _walk(loader: Any, path: str, out: Loaded, scan_values: bool = True) -> Any:
    """Build the document from events by recursive descent, one container per call.

    This runs once per scalar of every document in the casebook, so it is written for speed:
    the commonest events (a plain key, then a scalar value) take the shortest path, and
    pointers are built only when positions are wanted. Nesting is capped at MAX_DEPTH before
    any recursion, so hostile input cannot exhaust the stack.
    """
    pos = out.positions
    problems = out.problems
    get_event = loader.get_event
    hidden = _HIDDEN_CHARS.search if scan_values else None
    # Without hidden characters to look for, a text scalar needs no look at all (see mapping).
    plain_walk = hidden is None
    maybe_special, number_start, words = _MAYBE_SPECIAL, _NUMBER_START, _WORDS
    text_word, ambiguous, big = _TEXT, _AMBIGUOUS, _BIG
    Scalar, MappingStart, SequenceStart = (yaml.ScalarEvent, yaml.MappingStartEvent,
                                           yaml.SequenceStartEvent)
    MappingEnd, SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def fatal(rule: str, message: str, mark: yaml.Mark) -> _Fatal:
        return _Fatal(error(path, rule, message, mark.line + 1, mark.column + 1))

    def untagged(event: Any) -> None:
        """Any node, scalar or container: no anchor, and no tag."""
        if event.anchor is not None:
            raise fatal("yaml-anchor", "anchors are not part of the casebook format",
                        event.start_mark)
        # Any tag written in the text, the bare `!` too: the parsers disagree on what
        # `a: !` means (libyaml a tag, PyYAML nothing at all).
        if event.tag is not None:
            raise fatal("yaml-tag", "tags are not part of the casebook format",
                        event.start_mark)

    def scalar(event: Any, is_key: bool) -> Any:
        untagged(event)
        value = event.value
        if event.implicit[0] and not event.style and (not value or value[0] in maybe_special):
            if value and value[0] not in number_start:
                word = words.get(value, text_word)
                if word is ambiguous:
                    if not is_key:
                        mark = event.start_mark
                        problems.append(error(
                            path, "ambiguous-value",
                            f"unquoted '{value}' reads as true/false in YAML 1.1 tools; "
                            "quote it", mark.line + 1, mark.column + 1))
                elif word is not text_word:
                    return word  # null, true or false
            else:
                text = value
                value = resolve_plain(text)
                if not is_key and (type(value) is not int or not -big < value < big):
                    _check_number(text, value, path, event.start_mark, problems)
        if hidden is not None and type(value) is str and hidden(value):
            mark = event.start_mark
            problems.append(error(path, "hidden-character",
                                  "text holds a control, bidi or zero-width character",
                                  mark.line + 1, mark.column + 1))
        return value

    def opening(event: Any, depth: int) -> None:
        """What any container must pass before it is read: no anchor or tag, not too deep."""
        untagged(event)
        if depth >= MAX_DEPTH:
            raise fatal("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                        event.start_mark)

    def node(event: Any, depth: int, pointer: Pointer) -> Any:
        kind = type(event)
        if kind is Scalar:
            return scalar(event, False)
        if kind is MappingStart:
            opening(event, depth)
            return mapping(depth + 1, pointer)
        if kind is SequenceStart:
            opening(event, depth)
            return sequence(depth + 1, pointer)
        raise fatal("yaml-alias", "aliases are not part of the casebook format",
                    event.start_mark)

    def mapping(depth: int, pointer: Pointer) -> dict[str, Any]:
        d: dict[str, Any] = {}
        while True:
            event = get_event()
            kind = type(event)
            if kind is MappingEnd:
                return d
            if kind is Scalar:
                key = event.value
                # Most keys are text as they stand: untagged, and quoted or plain and not
                # starting with a character that could make them anything else.
                if not (plain_walk and event.anchor is None and event.tag is None and (
                        event.style or key and key[0] not in maybe_special)):
                    key = scalar(event, True)
                    if type(key) is not str:
                        raise fatal("yaml-key", "mapping keys must be strings",
                                    event.start_mark)
            elif kind is MappingStart or kind is SequenceStart:
                opening(event, depth)
                raise fatal("yaml-key", "mapping keys must be plain strings", event.start_mark)
            else:
                raise fatal("yaml-alias", "aliases are not part of the casebook format",
                            event.start_mark)
            if key in d:
                mark = event.start_mark
                problems.append(error(path, "yaml-duplicate-key",
                                      f"key '{field_name(key)}' appears twice in this mapping",
                                      mark.line + 1, mark.column + 1))
            here: Pointer = ()
            if pos is not None:
                here = (*pointer, key)
                mark = event.start_mark
                pos[here] = (mark.line + 1, mark.column + 1)
            event = get_event()
            if type(event) is Scalar:
                value = event.value
                if not (plain_walk and event.anchor is None and event.tag is None and (
                        event.style or value and value[0] not in maybe_special)):
                    value = scalar(event, False)
                d[key] = value
            else:
                d[key] = node(event, depth, here)

    def sequence(depth: int, pointer: Pointer) -> list[Any]:
        items: list[Any] = []
        while True:
            event = get_event()
            kind = type(event)
            if kind is SequenceEnd:
                return items
            here: Pointer = ()
            if pos is not None:
                here = (*pointer, len(items))
                mark = event.start_mark
                pos[here] = (mark.line + 1, mark.column + 1)
            if kind is Scalar:
                value = event.value
                if not (plain_walk and event.anchor is None and event.tag is None and (
                        event.style or value and value[0] not in maybe_special)):
                    value = scalar(event, False)
                items.append(value)
            else:
                items.append(node(event, depth, here))

    root: Any = None
    documents = 0
    while True:
        event = get_event()
        kind = type(event)
        if kind is yaml.StreamEndEvent:
            return root
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fatal("yaml-multiple-documents", "file must hold exactly one document",
                            event.start_mark)
            if event.version is not None or event.tags:
                raise fatal("yaml-directive", "%YAML and %TAG directives are not allowed",
                            event.start_mark)
        elif kind is Scalar or kind is MappingStart or kind is SequenceStart or \
                kind is yaml.AliasEvent:
            if pos is not None and kind is not Scalar:
                pos[()] = (1, 1)
            root = node(event, 0, ())


def _check_number(text: str, value: Any, path: str, mark: yaml.Mark,
                  problems: list[Problem]) -> None:
    """Plain scalars that look like numbers but are not ones we can keep exactly."""
    line, col = mark.line + 1, mark.column + 1
    if isinstance(value, str):
        if _INT10.match(text) or _INT8.match(text) or _INT16.match(text):
            # Read as a (giant) number by every other YAML tool: never silently text here.
            problems.append(error(path, "number-too-large", "number is too large", line, col))
        elif _DATE_LIKE.match(text):
            problems.append(error(path, "unquoted-date",
                                  "dates must be quoted, like '2026-05-01'", line, col))
    elif isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        problems.append(error(path, "not-a-number", "NaN and infinity are not allowed",
                              line, col))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        problems.append(error(path, "number-too-large", "number is too large", line, col))


_BIG = 2**53


# Bytes of a plain ASCII file in which there is nothing for `decode` and `load_text` to look at
# before parsing: printable ASCII and line breaks, but no tab (libyaml reads some leniently)
# and no backslash (an escape can make a hidden character).
_PLAIN_BYTES = (b"\n\r" + bytes(range(0x20, 0x7F))).replace(b"\\", b"")
_BLOCK_COMMENT = re.compile(rb"[|>][0-9+-]{0,2}#")


def load_bytes(raw: bytes, path: str, *, fast: bool = True, positions: bool = False) -> Loaded:
    if fast and not raw.translate(None, _PLAIN_BYTES) and not (
            (b"|" in raw or b">" in raw) and _BLOCK_COMMENT.search(raw)):
        # Most casebook files: one pass in C instead of decode's and load_text's scans.
        return _parse(raw.decode("ascii"), path, True, positions, False)
    text, problems = decode(raw, path)
    if text is None:
        return Loaded(None, problems)
    return load_text(text, path, fast=fast, positions=positions)


def positions_of(raw: bytes, path: str) -> dict[Pointer, tuple[int, int]]:
    """Every key's and item's (line, column); only computed for documents with problems."""
    loaded = load_bytes(raw, path, positions=True)
    return loaded.positions or {}


def locate(positions: dict[Pointer, tuple[int, int]], pointer: Pointer) -> tuple[int, int]:
    """The position of `pointer`, or of its nearest ancestor that exists (a missing key)."""
    ptr = tuple(pointer)
    while ptr:
        if ptr in positions:
            return positions[ptr]
        ptr = ptr[:-1]
    return positions.get((), (1, 1))
