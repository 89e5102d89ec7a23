"""HTML reports: one self-contained page, inline CSS and SVG, no script, no external request.

The page's Content-Security-Policy forbids every fetch and script, so even a report whose
escaping had failed could not run or load anything. Autoescaping does the real work.
"""

from __future__ import annotations

import re

from .case import CaseReport
from .charts import FIGURE_CHARTS, case_charts, programme_charts, svg
from .partner import PARTNER_FOOTER, banner, partner_sections
from .programme import ProgrammeReport
from .templating import render

_DATE = re.compile(r"(?<![\w-])\d{4}-\d\d-\d\d(?![\w-])")
# A page's body in pieces: an inline SVG whole (its text is drawn, never wrapped), a tag, or
# the text between tags. The page is our own autoescaped output, so no text holds a `<` and
# no attribute a `>`.
_PIECES = re.compile(r"(<svg\b.*?</svg>|<[^>]*>)", re.DOTALL)


def keep_dates_whole(page: str) -> str:
    """Every ISO date in the body's text in a `date` span (white-space: nowrap), so that a
    line is never broken at one of its hyphens (`2026-` / `05-01`): browsers break after a
    hyphen, even between digits."""
    head, body_tag, body = page.partition("<body>")
    if not body_tag:
        return page
    pieces = _PIECES.split(body)
    pieces[::2] = [_DATE.sub(r'<span class="date">\g<0></span>', text) for text in pieces[::2]]
    return head + body_tag + "".join(pieces)


def _inline(charts: dict) -> dict:
    """Charts as markup to place in the page: their SVG comes from an autoescaped template."""
    from markupsafe import Markup

    return {name: Markup(svg(chart)) for name, chart in charts.items()}


def case_html(report: CaseReport) -> str:
    return keep_dates_whole(render(
        "case.html.j2", r=report, charts=_inline(case_charts(report)),
        partner_footer=PARTNER_FOOTER))


def partner_case_html(report: CaseReport) -> str:
    return keep_dates_whole(render(
        "partner_case.html.j2", r=report, charts=_inline(case_charts(report)),
        sections=partner_sections(report), banner=banner(report.disclosure),
        partner_footer=PARTNER_FOOTER))


def programme_html(report: ProgrammeReport) -> str:
    return keep_dates_whole(render(
        "programme.html.j2", r=report, charts=_inline(programme_charts(report)),
        figure_charts=FIGURE_CHARTS,
        banner=banner(report.disclosure), partner_footer=PARTNER_FOOTER))
