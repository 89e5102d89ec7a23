"""One entry point for every format: a report in, the text to write (and any chart files) out.

Markdown cannot hold an SVG inline on GitHub or GitLab, so when a Markdown report is saved to
a file its charts are written beside it as `<name>-<chart>.svg` and linked by that name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from .case import CaseReport
from .programme import ProgrammeReport

Report = CaseReport | ProgrammeReport


@dataclass(slots=True)
class Rendered:
    text: str
    beside: dict[str, str] = field(default_factory=dict)  # file name beside the report: content


def render(report: Report, fmt: str, out_name: str | None = None) -> Rendered:
    """`report` in `fmt` (md, html or json); `out_name` is the file it will be saved as."""
    if fmt == "json":
        from .render_json import report_json

        return Rendered(report_json(report))
    if fmt == "html":
        from .render_html import case_html, partner_case_html, programme_html

        if isinstance(report, CaseReport):
            return Rendered(partner_case_html(report) if report.audience == "partner"
                            else case_html(report))
        return Rendered(programme_html(report))
    if fmt == "md":
        return _markdown(report, out_name)
    raise ValueError(f"unknown report format {fmt!r}")


def _markdown(report: Report, out_name: str | None) -> Rendered:
    from .charts import case_charts, programme_charts, svg
    from .render_md import case_markdown, partner_case_markdown, programme_markdown

    is_case = isinstance(report, CaseReport)
    beside: dict[str, str] = {}
    links: dict[str, str] = {}
    if out_name:
        stem = PurePath(out_name).stem
        charts = case_charts(report) if is_case else programme_charts(report)  # type: ignore[arg-type]
        for name, chart in charts.items():
            links[name] = f"{stem}-{name}.svg"
            beside[links[name]] = svg(chart)
    if not is_case:
        text = programme_markdown(report, links)  # type: ignore[arg-type]
    elif report.audience == "partner":
        text = partner_case_markdown(report, links)  # type: ignore[arg-type]
    else:
        text = case_markdown(report, links)  # type: ignore[arg-type]
    return Rendered(text, beside)
