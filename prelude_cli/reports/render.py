"""One entry point for every format: a report in, the text to write (and any chart files) out.

Markdown cannot hold an SVG inline on GitHub or GitLab, so when a Markdown report is saved to
a file its charts are written beside it as `<name>-<chart>.svg` and linked by that name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from ..privacy.markings import Marking
from ..privacy.markings import html as marked_html
from ..privacy.markings import markdown as marked_markdown
from .case import CaseReport
from .programme import ProgrammeReport

Report = CaseReport | ProgrammeReport


@dataclass(slots=True)
class Rendered:
    text: str
    beside: dict[str, str] = field(default_factory=dict)  # file name beside the report: content


def render(report: Report, fmt: str, out_name: str | None = None,
           marking: Marking | None = None) -> Rendered:
    """`report` in `fmt` (md, html or json); `out_name` is the file it will be saved as.
    Every format carries `marking` (the default marking when none is given) at its top and
    bottom, or as `protective_marking` in JSON."""
    marking = marking or Marking()
    if fmt == "json":
        from .render_json import report_json

        return Rendered(report_json(report, marking))
    if fmt == "html":
        from .render_html import case_html, partner_case_html, programme_html

        if isinstance(report, CaseReport):
            page = (partner_case_html(report) if report.audience == "partner"
                    else case_html(report))
        else:
            page = programme_html(report)
        return Rendered(marked_html(page, marking))
    if fmt == "md":
        rendered = _markdown(report, out_name)
        rendered.text = marked_markdown(rendered.text, marking)
        return rendered
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
