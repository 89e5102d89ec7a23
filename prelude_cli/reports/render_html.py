"""HTML reports: one self-contained page, inline CSS and SVG, no script, no external request.

The page's Content-Security-Policy forbids every fetch and script, so even a report whose
escaping had failed could not run or load anything. Autoescaping does the real work.
"""

from __future__ import annotations

from .case import CaseReport
from .charts import FIGURE_CHARTS, case_charts, programme_charts, svg
from .partner import PARTNER_FOOTER, banner, partner_sections
from .programme import PERIOD_DEFINITION, ProgrammeReport
from .templating import render


def _inline(charts: dict) -> dict:
    """Charts as markup to place in the page: their SVG comes from an autoescaped template."""
    from markupsafe import Markup

    return {name: Markup(svg(chart)) for name, chart in charts.items()}


def case_html(report: CaseReport) -> str:
    return render("case.html.j2", r=report, charts=_inline(case_charts(report)),
                  partner_footer=PARTNER_FOOTER)


def partner_case_html(report: CaseReport) -> str:
    return render("partner_case.html.j2", r=report, charts=_inline(case_charts(report)),
                  sections=partner_sections(report), banner=banner(report.disclosure),
                  partner_footer=PARTNER_FOOTER)


def programme_html(report: ProgrammeReport) -> str:
    return render("programme.html.j2", r=report, charts=_inline(programme_charts(report)),
                  figure_charts=FIGURE_CHARTS, period_definition=PERIOD_DEFINITION,
                  banner=banner(report.disclosure), partner_footer=PARTNER_FOOTER)
