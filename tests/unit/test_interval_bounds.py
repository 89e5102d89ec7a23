"""Review intervals and windows can never carry a date past the calendar's end: the schema
and the parser accept the same intervals, and every one of them added to the latest date an
option accepts still gives a date."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prelude_cli.book.settings import IntervalError, parse_interval
from prelude_cli.cli.options import LATEST

PATTERN = re.compile(json.loads(
    (Path(__file__).parents[2] / "schemas" / "casebook.schema.json").read_text(encoding="utf-8")
)["definitions"]["interval"]["pattern"])
UNITS = ["d", "day", "days", "w", "week", "weeks", "m", "month", "months", "y", "year", "years"]


def accepted(text: str) -> bool:
    try:
        parse_interval(text)
    except IntervalError:
        return False
    return True


@given(count=st.integers(min_value=1, max_value=99_999), unit=st.sampled_from(UNITS),
       space=st.sampled_from(["", " "]))
def test_schema_and_parser_agree_and_never_overflow(count: int, unit: str, space: str) -> None:
    text = f"{count}{space}{unit}"
    assert accepted(text) == bool(PATTERN.match(text)), text
    if accepted(text):
        assert LATEST + parse_interval(text) > LATEST  # no OverflowError


@pytest.mark.parametrize(("text", "ok"), [
    ("9999 days", True), ("10000 days", False), ("999 weeks", True), ("1000 weeks", False),
    ("999 months", True), ("1000m", False), ("99 years", True), ("100y", False),
    ("9999y", False), ("0d", False),
])
def test_the_longest_interval_of_each_unit(text: str, ok: bool) -> None:
    assert accepted(text) is ok
