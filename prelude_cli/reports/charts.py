"""The two charts the reports draw, as SVG: a star (radar) chart and horizontal bars.

Geometry is computed here as plain numbers; two small Jinja templates turn it into SVG with
every label escaped. Each chart carries a title and a text description for screen readers
(`<title>`, `<desc>`, `role="img"`), and the reports always print its data as a table too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .case import CaseReport
from .phrases import label
from .programme import ProgrammeReport

FIRST_COLOUR = "#0072B2"  # Okabe-Ito blue and vermillion: distinct with colour-blindness,
LATEST_COLOUR = "#D55E00"  # and the first series is dashed, so they differ in grey print too
BAR_COLOUR = "#0072B2"
NEGATIVE_COLOUR = "#D55E00"


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    anchor: str  # start / middle / end
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str
    dashed: bool
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class RadarChart:
    key: str
    title: str
    desc: str
    width: int
    height: int
    centre: tuple[float, float]
    spokes: tuple[tuple[float, float], ...]  # outer end of each axis
    rings: tuple[tuple[tuple[float, float], ...], ...]  # one polygon per scale step
    ring_labels: tuple[Label, ...]
    labels: tuple[Label, ...]
    series: tuple[Series, ...]
    template: str = "radar.svg.j2"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None
    note: str = ""  # printed after the value, e.g. "n = 4"


@dataclass(frozen=True, slots=True)
class BarRow:
    label: Label
    x: float  # left edge of the bar
    y: float
    width: float
    height: float
    colour: str
    value_label: Label


@dataclass(frozen=True, slots=True)
class BarChart:
    key: str
    title: str
    desc: str
    width: int
    height: int
    rows: tuple[BarRow, ...]
    zero_x: float
    top: float
    bottom: float
    ticks: tuple[Label, ...] = field(default_factory=tuple)
    grid: tuple[float, ...] = field(default_factory=tuple)  # x of a light line at each tick
    template: str = "bars.svg.j2"


Chart = RadarChart | BarChart


def wrap(text: str, width: int = 18) -> tuple[str, ...]:
    """Break a label into lines of about `width` characters at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _r(v: float) -> float:
    return round(v, 1)


def radar(key: str, title: str, desc: str, axes: list[str],
          series: list[tuple[str, str, bool, list[int | None]]], lo: int, hi: int) -> RadarChart:
    """A star chart of `series` (name, colour, dashed, one value per axis; None not scored).

    A score of `lo` sits one step from the centre, not on it, so the lowest score still shows.
    """
    width, height, radius = 640, 440, 150.0
    cx, cy = width / 2, 200.0
    n = len(axes)
    steps = hi - lo + 1

    def at(i: int, r: float) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / n
        return _r(cx + r * math.cos(a)), _r(cy + r * math.sin(a))

    def scaled(v: int) -> float:
        return radius * (min(max(v, lo), hi) - lo + 1) / steps

    labels = []
    for i, text in enumerate(axes):
        x, y = at(i, radius + 14)
        anchor = "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end")
        lines = wrap(text)
        dy = -(len(lines) - 1) * 13 if y < cy - 20 else 0 if y > cy + 20 else \
            -(len(lines) - 1) * 6.5
        labels.append(Label(x, _r(y + 4 + dy), anchor, lines))
    ring_values = sorted({lo, (lo + hi) // 2, hi})
    rings = tuple(tuple(at(i, scaled(v)) for i in range(n)) for v in range(lo, hi + 1))
    ring_labels = tuple(Label(_r(cx + 4), _r(cy - scaled(v) + 11), "start", (str(v),))
                        for v in ring_values)
    drawn = tuple(Series(name, colour, dashed,
                         tuple(at(i, scaled(v)) for i, v in enumerate(values) if v is not None))
                  for name, colour, dashed, values in series)
    return RadarChart(key, title, desc, width, height, (cx, cy),
                      tuple(at(i, radius) for i in range(n)), rings, ring_labels,
                      tuple(labels), drawn)


@dataclass(frozen=True, slots=True)
class Ticks:
    """Round values for an axis: `values` from the axis's low end to its high end, `step`
    apart, each written with `decimals` decimal places."""

    values: tuple[float, ...]
    step: float
    decimals: int

    @property
    def lo(self) -> float:
        return self.values[0]

    @property
    def hi(self) -> float:
        return self.values[-1]

    def label(self, value: float, signed: bool = False) -> str:
        if value == 0:
            return "0"
        sign = "-" if value < 0 else "+" if signed else ""
        return sign + f"{abs(value):.{self.decimals}f}"


def _nice(x: float, rounding: bool) -> tuple[float, int]:
    """A "nice number" near x (Heckbert, Graphics Gems 1990): 1, 2 or 5 times a power of
    ten, rounded to the nearest or taken at or above x; with the power's exponent."""
    exponent = math.floor(math.log10(x))
    fraction = x / 10 ** exponent
    if rounding:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    if nice == 10:
        nice, exponent = 1, exponent + 1
    return nice * 10.0 ** exponent, exponent


def nice_ticks(lo: float, hi: float, count: int = 5, integer: bool = False) -> Ticks:
    """Round ticks for an axis holding [lo, hi], zero always included: about `count` of them,
    a step of 1, 2 or 5 times a power of ten, the ends on ticks. When the data straddles zero
    the axis is symmetric about it (a change of -1 and one of +3 are read against the same
    scale). `integer`: whole steps only, for counts."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    symmetric = lo < 0 < hi
    if symmetric:
        lo, hi = -max(-lo, hi), max(-lo, hi)
    if hi - lo == 0:
        hi = 1.0
    span, _ = _nice(hi - lo, rounding=False)
    step, exponent = _nice(span / (count - 1), rounding=True)
    if integer and step < 1:
        step, exponent = 1.0, 0
    # Whole multiples of the step, so no float noise reaches a label (0.30000000000000004).
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    if symmetric:
        last = max(-first, last)
        first = -last
    decimals = max(0, -exponent)
    values = tuple(round(k * step, decimals) for k in range(first, last + 1))
    return Ticks(values, step, decimals)


def bars(key: str, title: str, desc: str, data: list[Bar], *, signed: bool = False,
         integer: bool = False, value_format: str = "{:g}") -> BarChart:
    """Horizontal bars from zero; negative values go left. The axis is on round ticks
    (`nice_ticks`), symmetric about zero when values go both ways; `signed` writes its
    positive ticks with a plus, for changes; `integer` keeps its ticks whole, for counts."""
    width, label_w, plot_w, row_h, top = 640, 230, 300, 24, 28
    values = [b.value for b in data if b.value is not None]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=0.0), integer=integer)
    lo, span = ticks.lo, ticks.hi - ticks.lo

    def at(v: float) -> float:
        return label_w + plot_w * (v - lo) / span

    zero_x = at(0)
    rows = []
    for i, b in enumerate(data):
        y = top + i * row_h
        v = b.value or 0.0
        w = plot_w * abs(v) / span
        x = zero_x if v >= 0 else zero_x - w
        text = "no data" if b.value is None else value_format.format(b.value)
        text += f" ({b.note})" if b.note and b.value is not None else ""
        end = max(zero_x, x + w) + 6
        rows.append(BarRow(Label(label_w - 8, _r(y + row_h / 2 + 4), "end", (b.label,)),
                           _r(x), _r(y + 4), _r(w), row_h - 8,
                           NEGATIVE_COLOUR if v < 0 else BAR_COLOUR,
                           Label(_r(end), _r(y + row_h / 2 + 4), "start", (text,))))
    bottom = top + len(data) * row_h
    labels = tuple(Label(_r(at(v)), _r(top - 10), "middle", (ticks.label(v, signed),))
                   for v in ticks.values)
    return BarChart(key, title, desc, width, bottom + 12, tuple(rows), _r(zero_x), top - 4,
                    bottom + 4, labels, tuple(_r(at(v)) for v in ticks.values if v != 0))


def case_charts(report: CaseReport) -> dict[str, Chart]:
    """The star chart of first against latest assessment, when there is an assessment."""
    dist = report.distance
    if not dist:
        return {}
    rows = dist["rows"]
    series: list[tuple[str, str, bool, list[int | None]]] = [
        (f"First assessment {dist['first']}", FIRST_COLOUR, True, [r["first"] for r in rows])]
    if dist["latest"]:
        series.append((f"Latest assessment {dist['latest']}", LATEST_COLOUR, False,
                       [r["latest"] for r in rows]))
    return {"radar": radar("radar", "Distance travelled: " + " against ".join(
        s[0].lower() if i else s[0] for i, s in enumerate(series)),
        _radar_desc(dist), [r["label"] for r in rows], series,
        dist["scale"]["min"], dist["scale"]["max"])}


def _radar_desc(dist: dict[str, Any]) -> str:
    def score(v: int | None) -> str:
        return "not scored" if v is None else str(v)

    scale = f"scores {dist['scale']['min']} to {dist['scale']['max']}, higher is better"
    if not dist["latest"]:
        parts = [f"{r['label']} {score(r['first'])}" for r in dist["rows"]]
        return f"Star chart of the only assessment, {dist['first']} ({scale}): " + \
            "; ".join(parts) + "."
    parts = [f"{r['label']} {score(r['first'])} to {score(r['latest'])}" for r in dist["rows"]]
    return (f"Star chart, first assessment {dist['first']} (blue, dashed) against latest "
            f"{dist['latest']} (orange, solid), {scale}: " + "; ".join(parts) + ".")


def programme_charts(report: ProgrammeReport) -> dict[str, Chart]:
    """Bars for the caseload by stage and for distance travelled per domain."""
    charts: dict[str, Chart] = {}
    if report.has("caseload_by_stage"):
        stage = report.figure("caseload_by_stage")
        charts["caseload"] = bars("caseload", "Caseload by stage",
                                  "Bar chart of cases by stage: " + "; ".join(
                                      f"{label(r['stage'])} {r['cases']}" for r in stage.rows)
                                  + ".", [Bar(label(r["stage"]), r["cases"]) for r in stage.rows],
                                  integer=True)
    if report.has("distance_travelled") and report.figure("distance_travelled").cases:
        dist = report.figure("distance_travelled")
        charts["distance"] = bars(
            "distance", "Distance travelled: mean change per domain",
            "Bar chart of the mean change from first to latest assessment per domain: " +
            "; ".join(f"{r['label']} {_signed(r['mean_change'])} (n = {r['cases']})"
                      for r in dist.rows) + ".",
            [Bar(r["label"], r["mean_change"], f"n = {r['cases']}") for r in dist.rows],
            signed=True, value_format="{:+.2f}")
    return charts


def _signed(v: float | None) -> str:
    return "no data" if v is None else f"{v:+.2f}"


FIGURE_CHARTS = {"caseload_by_stage": "caseload", "distance_travelled": "distance"}
"""Which programme figure each chart illustrates (the chart is drawn beside its table)."""


def svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (also valid inline in HTML)."""
    from .templating import render

    return render(chart.template, c=chart)
