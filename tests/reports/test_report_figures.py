"""Programme figures against the seven hand-counted cases of conftest.PROGRAMME.

Every expected number below was counted by hand from the case comments in conftest.py,
as of 2026-11-26 with the default review policy (proportionality review 28 days, needs
review 6 weeks = 42 days).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.figures import Period, Timeliness, median_days, percent, timeliness
from prelude_cli.reports.programme import ProgrammeReport, build_programme_report

AS_OF = date(2026, 11, 26)


def report(root: Path, start: date | None = None, end: date | None = None) -> ProgrammeReport:
    return build_programme_report(open_casebook(root), AS_OF, Period(start, end))


@pytest.fixture
def whole(programme_book: Path) -> ProgrammeReport:
    return report(programme_book)


def rows(r: ProgrammeReport, key: str, by: str, value: str) -> dict[str, object]:
    return {row[by]: row[value] for row in r.figure(key).rows}


def test_every_case_is_in_an_open_period(whole: ProgrammeReport) -> None:
    assert (whole.cases, whole.cases_read, whole.problems) == (7, 7, 0)


def test_caseload_by_stage(whole: ProgrammeReport) -> None:
    # A support, B problem-solving (engaged, no plan), C disruption (open plan), D
    # not-selected, E and F exited, G identified (included, no contact).
    assert rows(whole, "caseload_by_stage", "stage", "cases") == {
        "identified": 1, "deferred": 0, "not-selected": 1, "engage": 0, "disruption": 1,
        "problem-solving": 1, "support": 1, "exited": 2}
    assert whole.figure("caseload_by_stage").cases == 7


def test_flow(whole: ProgrammeReport) -> None:
    # identified: every case with an include decision: A B C E F G (not D) = 6 of 7;
    # approached: any contact: A B C E F (not G) = 5; engaged: A B E F (not C) = 4.
    f = whole.figure("flow")
    assert [(r["step"], r["cases"], r["percent_of_previous"]) for r in f.rows] == [
        ("identified", 6, 85.7), ("approached", 5, 83.3), ("engaged", 4, 80.0)]


def test_disruption_flow(whole: ProgrammeReport) -> None:
    # declined: B and C; both have a disruption plan; only B engaged after its plan opened.
    f = whole.figure("disruption_flow")
    assert [(r["step"], r["cases"]) for r in f.rows] == [
        ("declined", 2), ("disruption", 2), ("later_engaged", 1)]


def test_median_days_to_first_contact(whole: ProgrammeReport) -> None:
    # From the first include decision to the earliest contact: A 10 (01-10 to 01-20),
    # B 19 (02-01 to 02-20), C 4 (03-01 to 03-05), E 7 (05-01 to 05-08: the include, not
    # the earlier defer), F 9 (2025-12-01 to the no-contact visit of 12-10). D has no include,
    # G no contact. Median of 4 7 9 10 19 = 9, over 5 cases.
    f = whole.figure("days_to_first_contact")
    assert (f.value, f.cases, f.unit) == (9, 5, "days")


def test_median_days_to_engagement_can_be_a_half(whole: ProgrammeReport) -> None:
    # A 10, B 103 (02-01 to 05-15: 27 + 31 + 30 + 15), E 7, F 15 (12-01 to 12-16).
    # Median of 7 10 15 103 = (10 + 15) / 2 = 12.5, over 4 cases.
    f = whole.figure("days_to_engagement")
    assert (f.value, f.cases) == (12.5, 4)


def test_proportionality_reviews_on_time(whole: ProgrammeReport) -> None:
    # B: opened 02-25, review 03-20 (due 03-25: on time), review 05-01 (due 04-17: late);
    #    next due 05-29 is after the plan closed on 05-20, so not counted: 2 due, 1 on time.
    # C: opened 03-10, no review; due 04-07, before the as-of date: 1 due, 0 on time.
    f = whole.figure("proportionality_reviews_on_time")
    assert (f.cases, f.counts, f.value) == (2, {"due": 3, "on_time": 1, "late": 2}, 33.3)


def test_needs_reviews_on_time(whole: ProgrammeReport) -> None:
    # A: 02-01, 03-10 (due 03-15: on time), 05-01 (due 04-21: late), next due 06-12 passed:
    #    3 due, 1 on time.
    # B: one assessment 06-01, review due 07-13 passed: 1 due, 0 on time.
    # E: 05-20, 06-25 (due 07-01: on time); next due 08-06 is after exit on 07-15: 1 due, 1.
    # F: 01-05, 02-10 (due 02-16: on time); next due 03-24 is after exit on 03-01: 1 due, 1.
    f = whole.figure("needs_reviews_on_time")
    assert (f.cases, f.counts, f.value) == (4, {"due": 6, "on_time": 3, "late": 3}, 50.0)


def test_distance_travelled(whole: ProgrammeReport) -> None:
    # Cases with two or more assessments: A, E, F.
    # accommodation: A 3 to 7 (+4), E 4 to 4 (0), F 2 to 5 (+3): mean first 3, latest 5.33,
    #   change 7 / 3 = 2.33, n = 3.
    # finances: A 4 to 5 (+1), E 6 to 3 (-3): mean change -1, n = 2 (F has no score).
    f = whole.figure("distance_travelled")
    by_domain = {r["domain"]: r for r in f.rows}
    assert f.cases == 3
    assert by_domain["accommodation"] == {
        "domain": "accommodation", "label": "Accommodation", "cases": 3, "mean_first": 3.0,
        "mean_latest": 5.33, "mean_change": 2.33}
    assert (by_domain["finances"]["cases"], by_domain["finances"]["mean_change"]) == (2, -1.0)
    assert by_domain["mental-health"] == {
        "domain": "mental-health", "label": "Mental health", "cases": 0, "mean_first": None,
        "mean_latest": None, "mean_change": None}
    assert len(f.rows) == 12


def test_milestones_met(whole: ProgrammeReport) -> None:
    # A: m1 met, m2 missed; m3 pending but due 2026-12-31 (not yet due) and m4 dropped are
    #    left out. E: m1 met, m2 pending past its due date (overdue). F: m1 met.
    # Counted 5, met 3 = 60%; over 3 cases (A, E, F).
    f = whole.figure("milestones_met")
    assert (f.cases, f.value) == (3, 60.0)
    assert f.counts == {"counted": 5, "met": 3, "missed": 1, "overdue": 1}


def test_interventions_by_category(whole: ProgrammeReport) -> None:
    # A: housing-advice (housing, completed), boxing-club (enrichment, started);
    # E: step-up (mentoring, completed). Over 2 cases.
    f = whole.figure("interventions_by_category")
    assert f.cases == 2
    assert [(r["category"], r["interventions"], r["completed"]) for r in f.rows] == [
        ("housing", 1, 1), ("enrichment", 1, 0), ("mentoring", 1, 1)]
    assert f.counts == {"interventions": 3, "completed": 2}


def test_exits_and_feedback(whole: ProgrammeReport) -> None:
    # E moved away (feedback declined, no evaluation); F completed (feedback, evaluation).
    exits = whole.figure("exits")
    assert (exits.cases, exits.value) == (2, 50.0)
    assert rows(whole, "exits", "route", "cases") == {
        "completed": 1, "disengaged": 0, "custody": 0, "moved-away": 1, "other": 0}
    fb = whole.figure("feedback")
    assert (fb.cases, fb.value) == (2, 50.0)
    assert fb.counts == {"given": 1, "declined": 1, "not_recorded": 0, "evaluated": 1}


def test_period_is_by_first_decision_date(programme_book: Path) -> None:
    # First decisions: A 01-10, B 02-01, C 03-01, D 03-15 are in the first quarter; E's first
    # decision is its defer of 04-01 (out, though its include is 05-01); F 2025-12-01, G 06-01.
    q1 = report(programme_book, date(2026, 1, 1), date(2026, 3, 31))
    assert q1.cases == 4 and q1.cases_read == 7
    assert {k: v for k, v in rows(q1, "caseload_by_stage", "stage", "cases").items() if v} == {
        "not-selected": 1, "disruption": 1, "problem-solving": 1, "support": 1}
    # Days to first contact over A 10, B 19, C 4: median 10.
    assert q1.figure("days_to_first_contact").value == 10
    # Bounds are inclusive: a period of exactly A's decision day holds A alone.
    one_day = report(programme_book, date(2026, 1, 10), date(2026, 1, 10))
    assert one_day.cases == 1


def test_an_empty_period_counts_nothing(programme_book: Path) -> None:
    r = report(programme_book, date(2030, 1, 1))
    assert r.cases == 0
    assert r.figure("days_to_first_contact").value is None
    assert r.figure("milestones_met").value is None
    assert r.figure("flow").rows[0]["percent_of_previous"] is None


def test_period_without_a_decision_date() -> None:
    assert Period().contains(None)
    assert not Period(start=date(2026, 1, 1)).contains(None)
    assert not Period(end=date(2026, 1, 1)).contains(None)


@pytest.mark.parametrize(("values", "expected"), [
    ([], None), ([5], 5), ([4, 6], 5), ([4, 5], 4.5), ([1, 2, 3], 2), ([10, 14], 12)])
def test_median_days(values: list[int], expected: object) -> None:
    got = median_days(values)
    assert got == expected and type(got) is type(expected)


def test_percent_rounds_to_one_decimal() -> None:
    assert (percent(1, 3), percent(2, 3), percent(0, 0), percent(3, 3)) == (33.3, 66.7, None,
                                                                           100.0)


def test_timeliness_edges() -> None:
    every = relativedelta(days=28)
    start = date(2026, 1, 1)  # first due 2026-01-29
    # Done on the due day is on time; the day after is late.
    assert timeliness(start, [date(2026, 1, 29)], every, date(2026, 1, 30)) == Timeliness(1, 1)
    assert timeliness(start, [date(2026, 1, 30)], every, date(2026, 1, 31)) == Timeliness(1, 0)
    # Nothing done: due once the due date is before the end, not on the due day itself.
    assert timeliness(start, [], every, date(2026, 1, 29)).due == 0
    assert timeliness(start, [], every, date(2026, 1, 30)).due == 1


def test_the_test_casebook_is_valid(programme_book: Path) -> None:
    """The hand counts stand on documents `validate` accepts (warnings only: partial
    assessments)."""
    from prelude_cli.checks.validation import validate

    result = validate(open_casebook(programme_book), as_of=AS_OF)
    assert result.errors == 0, [p.message for p in result.problems if p.is_error]


def test_json_shape_of_a_figure(whole: ProgrammeReport) -> None:
    data = whole.as_dict()
    assert list(data) == ["report", "audience", "disclosure", "programme", "as_of", "period",
                          "filters", "cases", "cases_in_casebook", "problems_left_out",
                          "figures"]
    assert data["filters"] == {}
    assert (data["audience"], data["disclosure"]) == ("internal", None)
    assert list(data["figures"]) == [
        "caseload_by_stage", "flow", "disruption_flow", "days_to_first_contact",
        "days_to_engagement", "proportionality_reviews_on_time", "needs_reviews_on_time",
        "distance_travelled", "milestones_met", "interventions_by_category", "exits",
        "feedback"]
    assert data["figures"]["days_to_engagement"] == {
        "title": "Median days from decision to engagement",
        "definition": whole.figure("days_to_engagement").definition, "cases": 4,
        "value": 12.5, "unit": "days", "counts": {}, "rows": []}
    assert data["period"] == {"from": None, "to": None, "definition": data["period"]["definition"]}


def test_means_and_percentages_round_halves_away_from_zero() -> None:
    """As SQLite, DuckDB and Excel round: 53 / 8 = 6.625 shows 6.63, not Python's 6.62."""
    from prelude_cli.reports.figures import mean

    assert mean([6, 6, 6, 7, 7, 7, 7, 7]) == 6.63
    assert mean([-6, -6, -6, -7, -7, -7, -7, -7]) == -6.63
    assert mean([1, 2]) == 1.5 and mean([0, 0, 0, 1]) == 0.25 and mean([0]) == 0.0
    assert mean([1, 1, 2]) == 1.33 and mean([]) is None
    assert percent(1, 16) == 6.3  # 6.25 %
    assert percent(1, 8) == 12.5 and percent(1, 3) == 33.3 and percent(0, 5) == 0.0


def test_the_distance_travelled_definition_says_how_means_are_rounded(
        whole: ProgrammeReport) -> None:
    [figure] = [f for f in whole.figures if f.key == "distance_travelled"]
    assert "halves away from zero" in figure.definition


def test_the_period_is_said_in_words() -> None:
    """Not "period the beginning to the as-of date": what the period covers."""
    assert Period().describe() == "every case, whenever first decided"
    assert Period(date(2026, 1, 1)).describe() == "cases first decided on or after 2026-01-01"
    assert Period(None, date(2026, 3, 31)).describe() == \
        "cases first decided on or before 2026-03-31"
    assert Period(date(2026, 1, 1), date(2026, 3, 31)).describe() == \
        "cases first decided 2026-01-01 to 2026-03-31"


def test_the_period_is_defined_with_its_own_dates() -> None:
    assert Period(date(2026, 1, 1), date(2026, 3, 31)).definition() == (
        "A case is in the period when its first identification decision is dated from "
        "2026-01-01 to 2026-03-31, both days included; a case with no identification "
        "decision is not.")
    assert "dated 2026-01-01 or later" in Period(date(2026, 1, 1)).definition()
    assert "dated 2026-03-31 or earlier" in Period(None, date(2026, 3, 31)).definition()
    assert Period().definition().startswith("No first or last day was set, so every case is "
                                            "in the period")


def shown(text: str, fmt: str) -> str:
    """The report's text as a reader sees it: HTML, or Markdown rendered by a CommonMark
    renderer, without its markup."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text) if fmt == "md" else text
    seen: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = seen.append  # type: ignore[method-assign]
    parser.feed(html)
    return " ".join("".join(seen).split())


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_say_the_period_in_words(programme_book: Path, fmt: str) -> None:
    from prelude_cli.reports.render import render

    text = shown(render(report(programme_book, date(2026, 1, 1)), fmt).text, fmt)
    assert "period: cases first decided on or after 2026-01-01" in text
    assert ("A case is in the period when its first identification decision is dated "
            "2026-01-01 or later") in text
    whole = shown(render(report(programme_book), fmt).text, fmt)
    assert "period: every case, whenever first decided" in whole
    assert "No first or last day was set" in whole
    for unclear in ("the beginning", "between from and to", "that side is open"):
        assert unclear not in whole


def test_json_defines_the_period_it_was_given(programme_book: Path) -> None:
    period = report(programme_book, date(2026, 1, 1), date(2026, 3, 31)).as_dict()["period"]
    assert period == {"from": "2026-01-01", "to": "2026-03-31",
                      "definition": Period(date(2026, 1, 1), date(2026, 3, 31)).definition()}
