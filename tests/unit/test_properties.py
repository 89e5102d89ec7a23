"""Properties that must hold for every input, checked on generated ones (hypothesis).

- A valid document (contact, assessment, plan), with comments anywhere a person would put
  them, survives a round-trip load, an edit and a dump with its data and comments intact.
- `roundtrip.canonical` (what `prelude fmt` writes) keeps the data and is idempotent.
- Reading never raises on any bytes or text: every fault is a Problem; and the fast and
  reference paths give the same problems and data.

Example counts are modest so the suite stays fast; `tests/fuzz/run_fuzz.py` runs the same
checks with many more.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prelude_cli.book import schemas
from prelude_cli.book.casebook import parse_document
from prelude_cli.files import roundtrip
from prelude_cli.files.yamlio import load_bytes

KINDS = ("contact", "assessment", "plan")
PATHS = {"contact": "cases/OP-7K3M9Q/contacts/2026-01-20-ab12.yaml",
         "assessment": "cases/OP-7K3M9Q/assessments/2026-03-10.yaml",
         "plan": "cases/OP-7K3M9Q/plan.yaml"}
EDITED = {"contact": "by", "assessment": "assessor", "plan": "agreed_by"}
"""The text field each property edits: present in every document of its kind."""

# --- strategies for valid documents ---------------------------------------------------------------

# What a person can type into a text field and validate accepts: no control, format
# (bidi, zero-width), separator, surrogate or unassigned characters.
LETTERS = st.characters(codec="utf-8",
                        exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn"))
# Mostly ordinary text, with the characters YAML gives meaning to, often.
TYPED = st.one_of(LETTERS, st.sampled_from(list(" :#-'\"[]{},&*!|>%@`?\\")))


def line(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.text(TYPED, min_size=1, max_size=max_size)


def notes(max_line: int = 60) -> st.SearchStrategy[str]:
    """One line, or several (written as a literal block), maybe ending in a newline."""
    many = st.tuples(st.lists(line(max_line), min_size=2, max_size=4),
                     st.sampled_from(["", "\n"])).map(lambda t: "\n".join(t[0]) + t[1])
    return st.one_of(line(max_line), many)


DATES = st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
ITEM_ID = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)


def _optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


def contact(max_line: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({
        "date": DATES,
        "by": line(min(max_line, 100)),
        "method": st.sampled_from(["in-person", "home-visit", "phone", "video", "letter",
                                   "via-partner", "other"]),
        "purpose": st.sampled_from(["engage-and-explain", "revisit", "follow-up", "support",
                                    "welfare-check", "other"]),
        "outcome": st.sampled_from(["engaged", "declined", "no-contact", "undecided"]),
    }), _optional({
        "role": st.sampled_from(["youth-worker", "police-officer", "mentor", "other"]),
        "messages": st.lists(st.sampled_from(["concern", "consequences", "police-priority",
                                              "offer"]), unique=True),
        "notes": notes(max_line),
    }))


def assessment(max_line: int) -> st.SearchStrategy[dict[str, Any]]:
    score = st.builds(lambda req, opt: {**req, **opt},
                      st.fixed_dictionaries({"score": st.integers(1, 10)}),
                      _optional({"facts": notes(max_line), "views": notes(max_line)}))
    return st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({
        "date": DATES,
        "assessor": line(min(max_line, 100)),
        "scores": st.dictionaries(DOMAIN, score, min_size=1, max_size=4),
    }), _optional({"part2": _optional({"aspirations": notes(max_line),
                                       "strengths": notes(max_line)})}))


def plan(max_line: int) -> st.SearchStrategy[dict[str, Any]]:
    goal = st.fixed_dictionaries({"id": ITEM_ID, "text": line(max_line)},
                                 optional={"domains": st.lists(DOMAIN, unique=True,
                                                               max_size=3)})
    milestone = st.fixed_dictionaries({
        "id": ITEM_ID, "text": line(max_line), "due": DATES,
        "status": st.sampled_from(["pending", "met", "missed", "dropped"])},
        optional={"status_date": DATES})
    return st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({
        "agreed": DATES,
        "agreed_by": line(min(max_line, 100)),
        "goals": st.lists(goal, min_size=1, max_size=3, unique_by=lambda g: g["id"]),
    }), _optional({
        "target_end": DATES,
        "milestones": st.lists(milestone, max_size=3, unique_by=lambda m: m["id"]),
        "mentor": st.fixed_dictionaries({"name": line(min(max_line, 100)),
                                         "assigned": DATES}),
    }))


BUILDERS = {"contact": contact, "assessment": assessment, "plan": plan}


def documents(max_line: int = 60) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """(kind, data) for a valid document of any kind; `max_line` bounds each text line."""
    return st.one_of(*(BUILDERS[k](max_line).map(lambda d, k=k: (k, d)) for k in KINDS))


# --- comments, where a person would write them ----------------------------------------------------

_BLOCK_START = re.compile(r"[:-] [|>][0-9+-]*$")
_ENTRY = re.compile(r"^(\s*)(?:- )*(?:[A-Za-z0-9_-]+:(?: |$)|- )")


def with_comments(text: str, picks: list[bool]) -> tuple[str, list[str]]:
    """Insert full-line and end-of-line comments at the safe points of a document written by
    `roundtrip.new_document`: before a key or list item, after a line that ends one (never
    inside a literal block). `picks` says which points get one. Returns the text and the
    comments inserted."""
    lines = text.split("\n")
    out: list[str] = []
    comments: list[str] = []
    block_indent: int | None = None
    picks = picks or [False]
    for i, current in enumerate(lines):
        indent = len(current) - len(current.lstrip(" "))
        if block_indent is not None and (not current.strip() or indent > block_indent):
            out.append(current)  # content of a literal block: left exactly as it is
            continue
        block_indent = None
        entry = _ENTRY.match(current)
        if entry and picks[i % len(picks)]:
            comments.append(f"# note {len(comments)}")
            out.append(f"{entry.group(1)}{comments[-1]}")
        if _BLOCK_START.search(current):
            block_indent = indent
            out.append(current)
            continue
        ends = i + 1 >= len(lines) or _ENTRY.match(lines[i + 1]) or not lines[i + 1].strip()
        if entry and ends and current.strip() and picks[(i + 1) % len(picks)]:
            comments.append(f"# eol {len(comments)}")
            current = f"{current}  {comments[-1]}"
        out.append(current)
    return "\n".join(out), comments


# --- the properties, as plain functions (the fuzz script runs them too) -----------------------

def check_valid_document_survives_an_edit(kind: str, data: dict[str, Any],
                                          picks: list[bool], new_text: str) -> None:
    assert schemas.check(kind, data, "x", fast=False) == [], "the strategy made an invalid one"
    written = roundtrip.new_document(data, kind)
    text, comments = with_comments(written.decode("utf-8"), picks)
    raw = text.encode("utf-8")
    loaded = load_bytes(raw, "x")
    assert loaded.ok, (loaded.problems, text)
    assert loaded.data == data  # the comments change nothing
    doc = roundtrip.load(raw)
    doc[EDITED[kind]] = roundtrip.styled(new_text)
    out = roundtrip.dump(doc)
    after = load_bytes(out, "x")
    assert after.ok, (after.problems, out)
    assert after.data == {**data, EDITED[kind]: new_text}
    out_text = out.decode("utf-8")
    for comment in comments:
        assert out_text.count(comment + "\n") + out_text.endswith(comment) == 1, (
            comment, text, out_text)


def check_canonical_is_idempotent(kind: str, data: dict[str, Any], picks: list[bool]) -> None:
    text, _ = with_comments(roundtrip.new_document(data, kind).decode("utf-8"), picks)
    once = roundtrip.canonical(text.encode("utf-8"), kind)
    assert load_bytes(once, "x").data == data
    assert roundtrip.canonical(once, kind) == once


def check_reading_never_raises(raw: bytes) -> None:
    """Every fault in any bytes is a Problem; fast and reference paths agree."""
    fast = load_bytes(raw, "f.yaml", fast=True)
    ref = load_bytes(raw, "f.yaml", fast=False)
    assert fast.problems == ref.problems
    assert repr(fast.data) == repr(ref.data)  # repr: NaN never equals itself
    for kind in KINDS:
        a = parse_document(raw, PATHS[kind], kind, fast=True)
        b = parse_document(raw, PATHS[kind], kind, fast=False)
        assert a.problems == b.problems
        assert all(p.path == PATHS[kind] for p in a.problems)


# Text built from YAML's own tokens: more likely than random text to get deep into the parser.
TOKENS = st.sampled_from([
    "a", "by", "notes", "date", "'2026-01-20'", "2026-01-20", ":", ": ", "- ", "-", "? ", "[",
    "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ", "<<: ", "|", "|-", ">", "'", '"', "#",
    " #c", "\n", "\n  ", "\n    ", "\t", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! x\n", "~",
    "null", "no", "on", "yes", ".nan", ".inf", "0x1F", "0o17", "1e999", "9" * 40, "\\e",
    "\\x9b", "\ufeff", "\u200b", "\u202e", "\u2028", "\x85", "\x00", "\x1b", "é", "\r\n",
])
YAMLISH = st.lists(TOKENS, max_size=40).map("".join)
INPUTS = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
)


# --- pytest -------------------------------------------------------------------------------------

FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(documents(), st.lists(st.booleans(), min_size=1, max_size=7), line())
def test_valid_document_survives_an_edit_with_comments(doc: tuple[str, dict[str, Any]],
                                                       picks: list[bool], new_text: str) -> None:
    check_valid_document_survives_an_edit(*doc, picks, new_text)


@FAST
@given(documents(max_line=400), st.just([False]), line(400))
def test_valid_document_with_long_lines_survives_an_edit(doc: tuple[str, dict[str, Any]],
                                                         picks: list[bool],
                                                         new_text: str) -> None:
    check_valid_document_survives_an_edit(*doc, picks, new_text)


@FAST
@given(documents(), st.lists(st.booleans(), min_size=1, max_size=7))
def test_canonical_is_idempotent(doc: tuple[str, dict[str, Any]], picks: list[bool]) -> None:
    check_canonical_is_idempotent(*doc, picks)


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_reading_never_raises_and_both_paths_agree(raw: bytes) -> None:
    check_reading_never_raises(raw)
