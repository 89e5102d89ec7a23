"""The star and bar charts: geometry, accessibility, escaping, and when they are drawn."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.charts import Bar, bars, case_charts, radar, svg, wrap
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
                 symmetric=True, value_format="{:+.2f}")
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
