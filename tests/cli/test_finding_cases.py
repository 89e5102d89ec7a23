"""Finding a case or an officer as people type them: letter case, typos, collar numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from recordkit import ok, run

from prelude_cli.case.officers import officer_matches, officer_warning

SAMPLE = Path(__file__).resolve().parents[2] / "sample_casebook"
AS_OF = ("--as-of", "2026-11-26")


def test_case_ids_are_matched_whatever_their_letter_case() -> None:
    view = json.loads(ok("case", "show", "op-1zpnfx", "-C", SAMPLE, *AS_OF, "-f", "json"))
    assert view["case"] == "OP-1ZPNFX"


@pytest.mark.parametrize("command", [["case", "show"], ["history"], ["report", "case"]])
def test_a_near_miss_suggests_the_case(command: list[str]) -> None:
    result = run(*command, "OP-1ZPNFY", "-C", SAMPLE, *AS_OF)
    assert result.exit_code != 0
    # `report` raises a usage error that the application's boundary prints
    assert "did you mean OP-1ZPNFX?" in result.output + str(result.exception)


def test_recording_on_a_mistyped_case_suggests_it(casebook) -> None:
    result = run("contact", "add", "OP-7K3M9O", "-C", casebook({}), "--by", "T. Mensah",
                 "--method", "phone", "--purpose", "follow-up", "--outcome", "engaged", *AS_OF)
    assert result.exit_code == 1 and "did you mean OP-7K3M9Q?" in result.output


@pytest.mark.parametrize(("query", "hit"), [
    ("PC 4471 Hart", True), ("pc 4471  hart", True), ("4471", True), ("hart", True),
    ("HART", True), ("PC", False), ("447", False), ("Har", False), ("", False)])
def test_officer_matching(query: str, hit: bool) -> None:
    assert officer_matches(query, "PC 4471 Hart") is hit


def test_officer_warnings() -> None:
    assert "matches no Officer" in (officer_warning("Smith", set()) or "")
    assert "matches 2 officers" in (officer_warning("Hart", {"PC 1 Hart", "PC 2 Hart"}) or "")
    assert officer_warning("Hart", {"PC 1 Hart"}) is None


def test_case_list_takes_a_surname_or_collar_number_and_warns_on_none() -> None:
    by_name = json.loads(ok("case", "list", "-C", SAMPLE, *AS_OF, "--officer", "fairbrother",
                            "-f", "json"))
    by_collar = json.loads(ok("case", "list", "-C", SAMPLE, *AS_OF, "--officer", "1784",
                              "-f", "json"))
    assert by_name == by_collar and by_name
    assert {r["officer"] for r in by_name} == {"PC 1784 Fairbrother"}
    nobody = run("case", "list", "-C", SAMPLE, *AS_OF, "--officer", "Fairbroth", "-f", "json")
    assert nobody.exit_code == 0 and json.loads(nobody.stdout) == []
    assert "matches no Officer in the Case" in nobody.stderr


def test_due_reviews_takes_a_surname() -> None:
    out = ok("due-reviews", "-C", SAMPLE, *AS_OF, "--officer", "hart", "--no-cache",
             "--format", "json")
    assert {i["officer"] for i in json.loads(out)["items"]} == {"PC 4471 Hart"}


def test_due_reviews_warns_when_the_officer_matches_nobody() -> None:
    """Judged over every case, not only those with something due: a real officer with
    nothing due draws no warning."""
    result = run("due-reviews", "-C", SAMPLE, *AS_OF, "--officer", "Fairbroth", "--no-cache",
                 "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["items"] == []
    assert "matches no Officer in the Case" in result.stderr
    quiet = run("due-reviews", "-C", SAMPLE, *AS_OF, "--officer", "Fairbrother", "--no-cache",
                "--format", "json", "--kind", "tag-review")
    assert quiet.exit_code == 0 and quiet.stderr == ""
