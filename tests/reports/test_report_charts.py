"""The star and bar charts: geometry, accessibility, escaping, and when they are drawn."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.charts import (
    Bar,
    bars,
    case_charts,
    nice_ticks,
    programme_charts,
    radar,
    svg,
    wrap,
)
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report

from .conftest import FULL_ID

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2026, 11, 26)


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_radar_places_scores_on_their_rings() -> None:
    chart = radar("r", "T", "D", ["a", "b", "c", "d"],
                  [("s", "#000", False, [10, 1, 5, None])], 1, 10)
    cx, cy = chart.centre
    (series,) = chart.series
    radii = [round(math.dist((cx, cy), p), 1) for p in series.points]
    # Full radius 150 for the top score; the lowest sits one step (15) from the centre; a
    # score not given is left out rather than drawn at the centre.
    assert radii == [150.0, 15.0, 75.0]
    assert len(chart.spokes) == 4 and len(chart.rings) == 10
    # The first axis points straight up.
    assert chart.spokes[0] == (cx, cy - 150)


def test_radar_svg_is_accessible_xml() -> None:
    chart = radar("radar", "Distance <travelled>", "first & latest",
                  ["<script>x</script>", "b", "c"], [("First", "#000", True, [1, 2, 3])], 1, 10)
    root = parse(svg(chart))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "radar-title radar-desc"
    assert root.find(f"{SVG}title").text == "Distance <travelled>"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "first & latest"  # type: ignore[union-attr]
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "<script>x</script>" in texts
    assert len(list(root.iter(f"{SVG}polygon"))) == 10 + 1  # rings and the series
    assert "<script" not in svg(chart)


def test_bars_go_left_for_negative_values() -> None:
    chart = bars("b", "T", "D", [Bar("up", 2.0, "n = 3"), Bar("down", -1.0), Bar("none", None)],
                 signed=True, value_format="{:+.2f}")
    up, down, none = chart.rows
    assert up.x == chart.zero_x and up.width == 150.0
    assert down.x + down.width == chart.zero_x and down.width == 75.0
    assert none.width == 0
    assert [r.value_label.lines[0] for r in chart.rows] == ["+2.00 (n = 3)", "-1.00", "no data"]
    root = parse(svg(chart))
    assert len(list(root.iter(f"{SVG}rect"))) == 3


def test_wrap_breaks_long_labels_at_spaces() -> None:
    assert wrap("Education, training and employment") == ("Education,", "training and",
                                                          "employment")
    assert wrap("Finances") == ("Finances",)


def test_no_star_chart_without_an_assessment(casebook) -> None:
    assert case_charts(build_case_report(open_casebook(casebook()), FULL_ID, AS_OF)) == {}


def test_star_chart_of_first_against_latest(full_book: Path) -> None:
    charts = case_charts(build_case_report(open_casebook(full_book), FULL_ID, AS_OF))
    (chart,) = charts.values()
    assert [s.dashed for s in chart.series] == [True, False]  # first dashed, latest solid
    assert "Accommodation 3 to 6" in chart.desc


def test_programme_charts_skip_distance_without_data(programme_book: Path) -> None:
    from prelude_cli.reports.charts import programme_charts

    book = open_casebook(programme_book)
    assert set(programme_charts(build_programme_report(book, AS_OF, Period()))) == {
        "caseload", "distance"}
    empty = build_programme_report(book, AS_OF, Period(date(2030, 1, 1)))
    assert set(programme_charts(empty)) == {"caseload"}


@pytest.mark.parametrize(("lo", "hi", "integer", "ticks"), [
    # Data straddling zero: symmetric about it, never -3.12 / +3.12.
    (-3.12, 3.12, False, (-4, -2, 0, 2, 4)),
    (-1.0, 2.0, False, (-2, -1, 0, 1, 2)),
    (-0.04, 0.27, False, (-0.4, -0.2, 0, 0.2, 0.4)),
    # One side of zero: from zero to a round end.
    (0.5, 3.13, False, (0, 1, 2, 3, 4)),
    (-2.5, -0.1, False, (-3, -2, -1, 0)),
    (0.0, 0.3, False, (0, 0.1, 0.2, 0.3)),
    (0.0, 0.0, False, (0, 0.2, 0.4, 0.6, 0.8, 1)),
    # Counts: whole steps of 1, 2 or 5 times a power of ten.
    (0, 4, True, (0, 1, 2, 3, 4)),
    (0, 7, True, (0, 2, 4, 6, 8)),
    (0, 1, True, (0, 1)),
    (0, 0, True, (0, 1)),
    (0, 137, True, (0, 50, 100, 150)),
])
def test_nice_ticks(lo: float, hi: float, integer: bool, ticks: tuple[float, ...]) -> None:
    got = nice_ticks(lo, hi, integer=integer)
    assert got.values == pytest.approx(ticks)
    assert got.lo <= min(lo, 0) and got.hi >= max(hi, 0)
    # Evenly spaced by 1, 2 or 5 times a power of ten, zero among them.
    steps = {round(b - a, 9) for a, b in zip(got.values, got.values[1:], strict=False)}
    assert steps == {round(got.step, 9)}
    mantissa = got.step / 10 ** math.floor(math.log10(got.step))
    assert round(mantissa, 9) in (1, 2, 5)
    assert 0 in got.values


def test_tick_labels_are_round_and_signed_on_request() -> None:
    t = nice_ticks(-0.04, 0.27)
    assert [t.label(v) for v in t.values] == ["-0.4", "-0.2", "0", "0.2", "0.4"]
    assert [t.label(v, signed=True) for v in t.values] == ["-0.4", "-0.2", "0", "+0.2", "+0.4"]
    # No float noise: 3 * 0.1 is written 0.3.
    assert nice_ticks(0, 0.3).label(0.30000000000000004) == "0.3"


def test_bar_axis_is_labelled_on_round_ticks() -> None:
    chart = bars("d", "T", "D", [Bar("a", 3.125), Bar("b", -0.5), Bar("c", 1.875)],
                 signed=True, value_format="{:+.2f}")
    labels = [t.lines[0] for t in chart.ticks]
    assert labels == ["-4", "-2", "0", "+2", "+4"]
    # Symmetric: zero in the middle of the plot, ticks evenly spaced, a grid line at each
    # tick but zero (drawn as the axis).
    xs = [t.x for t in chart.ticks]
    assert xs[2] == chart.zero_x == (xs[0] + xs[-1]) / 2
    assert len({round(b - a, 1) for a, b in zip(xs, xs[1:], strict=False)}) == 1
    assert chart.grid == tuple(x for x in xs if x != chart.zero_x)
    root = parse(svg(chart))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert all(label in texts for label in labels)


def test_programme_charts_have_round_axes(programme_book: Path) -> None:
    charts = programme_charts(build_programme_report(open_casebook(programme_book), AS_OF,
                                                     Period()))
    assert set(charts) == {"caseload", "distance"}
    for chart in charts.values():
        values = [float(t.lines[0]) for t in chart.ticks]  # type: ignore[union-attr]
        step = values[1] - values[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert round(mantissa, 9) in (1, 2, 5), values
        assert all(abs(v / step - round(v / step)) < 1e-9 for v in values), values
        if values[0] < 0:
            assert values[0] == -values[-1]
