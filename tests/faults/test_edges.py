"""Inputs at the edges of the calendar and of a file name: a usage error naming the option
(exit 2), never an OverflowError or "File name too long" (exit 70), never a silent default."""

from __future__ import annotations

import pytest
from conftest import CASE_ID

from .faultkit import prelude, tree_hashes

LONG_ID = "OP-" + "A" * 5000
CONTACT = ("--date", "2026-01-20", "--by", "T. Mensah", "--role",
           "youth-worker-lived-experience", "--method", "in-person", "--purpose",
           "engage-and-explain", "--outcome", "declined")


@pytest.mark.parametrize("args", [
    ("due-reviews", "--as-of", "9999-12-31"),
    ("export", "--format", "csv", "--out", "{tmp}/x", "--as-of", "9999-12-31"),
    ("report", "case", CASE_ID, "--as-of", "9999-12-31"),
    ("validate", "--as-of", "0001-01-01"),
    ("case", "show", CASE_ID, "--as-of", "9999-12-31"),
], ids=lambda a: a[0])
def test_an_as_of_at_the_end_of_the_calendar_is_a_usage_error(casebook, tmp_path,
                                                              args: tuple[str, ...]) -> None:
    book = casebook()
    done = prelude(*(a.format(tmp=tmp_path) for a in args), "-C", book)
    assert done.returncode == 2, done.stderr
    assert "--as-of" in done.stderr and "leaves no room" in done.stderr
    assert "unexpected failure" not in done.stderr


def test_a_window_past_the_calendar_is_a_usage_error(casebook) -> None:
    done = prelude("due-reviews", "-C", casebook(), "--as-of", "2026-11-26",
                   "--within", "9999y")
    assert done.returncode == 2 and "--within" in done.stderr and "calendar" in done.stderr


@pytest.mark.parametrize("option", ["--as-of", "--within"])
def test_an_empty_value_is_a_usage_error_not_the_default(casebook, option: str) -> None:
    done = prelude("due-reviews", "-C", casebook(), f"{option}=")
    assert done.returncode == 2 and option in done.stderr


@pytest.mark.parametrize("args", [
    ("contact", "add", LONG_ID, *CONTACT), ("assess", LONG_ID, "--date", "2026-02-01",
                                            "--assessor", "X", "--score", "finances=3"),
    ("case", "show", LONG_ID), ("report", "case", LONG_ID), ("identity", "set", LONG_ID,
                                                             "--name", "X"),
    ("identity", "remove", LONG_ID), ("due-reviews", "--case", LONG_ID),
    ("disclosures", "--case", LONG_ID), ("exit", "record", LONG_ID),
    ("case", "new", "--id", LONG_ID),
], ids=lambda a: " ".join(a[:2]))
def test_an_over_long_case_id_is_refused_before_the_file_system(casebook,
                                                                args: tuple[str, ...]) -> None:
    book = casebook()
    before = tree_hashes(book)
    done = prelude(*args, "-C", book)
    assert done.returncode == 2, done.stderr
    assert "at most 32 characters" in done.stderr and "unexpected failure" not in done.stderr
    assert "A" * 100 not in done.stderr  # the id is not echoed back at length
    assert tree_hashes(book) == before
