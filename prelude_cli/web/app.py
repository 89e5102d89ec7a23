"""`prelude serve`'s routes: pages over the read path, forms over the recording builders.

The application only routes, reads (`reading.Reader`), renders Jinja templates and hands
forms to the builders and the shared write path (`records.commit`); it never parses or
writes a file itself. `security.Guard` stands in front of every route.

The handlers are coroutines that do their (blocking) reading and writing in the event loop,
so requests are served one at a time: a local server for one person, in which a form's
lock, check and write never interleave with another request of the same process.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..book.problems import sort_problems
from ..book.schemas import choices
from ..book.settings import REVIEW_KINDS, IntervalError, interval_days, parse_interval
from ..case.model import STAGES
from ..checks.validation import load_case, validate
from ..due.reviews import DueFilter, DueReport
from ..privacy import disclosures
from ..read.selection import CaseFilter
from ..reporters.due import incomplete_line, render_ics, summary_line
from ..reports.case import build_case_report
from ..reports.charts import FIGURE_CHARTS, case_charts, programme_charts, svg
from ..reports.figures import Period
from ..reports.partner import PARTNER_FOOTER
from . import forms
from .posting import record_page, record_post
from .reading import Reader
from .rendering import Served, case_id_of, not_found, page, reader_of, settings_refused
from .security import Guard, Secrets, allowed_hosts

# --- the due list --------------------------------------------------------------------------
DUE_PARAMS = ("kind", "officer", "area", "stage", "age_band", "concern", "since", "case",
              "overdue", "within", "limit")
DUE_LIMIT = 200
"""Rows shown at first, the most urgent (as `due-reviews --limit` for the table); the
summary counts every item, and one link shows them all."""


def _query(request: Request, **change: str | None) -> str:
    """The current filters with some changed (None: removed), as a query string."""
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k in DUE_PARAMS and k not in change]
    params += [(k, v) for k, v in change.items() if v]
    return f"?{urlencode(params)}" if params else "?"


def _words(item: Any, as_of: date) -> str:
    days = item.days_overdue(as_of)
    if days > 0:
        return f"Overdue by {days} day{'s' if days != 1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {-days} day{'s' if days != -1 else ''}"


AGE_BANDS = tuple(choices("case", "age_band"))
CONCERNS = tuple(choices("case", "concerns"))


def _case_filter(q: Any) -> tuple[CaseFilter, list[str]]:
    """The case filters of `due-reviews` from the query (the same names, `age_band` for
    --age-band), and the values that are not known."""
    stages = tuple(v for v in q.getlist("stage") if v)
    bands = tuple(v for v in q.getlist("age_band") if v)
    concerns = tuple(v for v in q.getlist("concern") if v)
    bad = [v for v in stages if v not in STAGES] + [v for v in bands if v not in AGE_BANDS]
    bad += [v for v in concerns if v not in CONCERNS]
    since = None
    if q.get("since"):
        try:
            since = date.fromisoformat(q["since"])
        except ValueError:
            bad.append(q["since"])
    return CaseFilter(cases=tuple(v for v in q.getlist("case") if v),
                      areas=tuple(v for v in q.getlist("area") if v),
                      officers=tuple(v for v in q.getlist("officer") if v), stages=stages,
                      age_bands=bands, concerns=concerns, since=since), bad


async def due_page(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book()
    refused = settings_refused(request, book)
    if refused:
        return refused
    q = request.query_params
    kinds = tuple(k for k in q.getlist("kind") if k)
    select, bad = _case_filter(q)
    bad += [k for k in kinds if k not in REVIEW_KINDS]
    as_of = reader.as_of()
    try:
        window = (parse_interval(q["within"], allow_zero=True) if q.get("within")
                  else book.settings.due_soon)
        days = interval_days(window, as_of)
    except (IntervalError, OverflowError, ValueError):
        bad.append(q.get("within", ""))
        days = interval_days(book.settings.due_soon, as_of)
    if bad:
        return page(request, "message.html.j2", 400, title="Unknown filter",
                    message=f"Not a known kind, stage, age band, concern, date or window: "
                    f"{', '.join(bad)}.")
    where = DueFilter(kinds=kinds, overdue_only=q.get("overdue") == "1")
    report, cases = reader.due(book, as_of, days, where, select)
    limit = DUE_LIMIT if q.get("limit") != "0" else 0
    shown = report.items[:limit] if limit else report.items
    return page(request, "due.html.j2", report=report, days=days,
                rows=[(i, _words(i, as_of)) for i in shown],
                summary=summary_line(report),
                incomplete=incomplete_line(report) if report.incomplete else "",
                kinds=sorted({i.kind for i in report.items} | set(kinds)),
                officers=sorted({s.officer for s in cases if s.officer}, key=str.casefold),
                stages=[s for s in STAGES if any(c.stage == s for c in cases)],
                age_bands=AGE_BANDS, concerns=CONCERNS,
                filters=[(k, v) for k, v in q.multi_items()
                         if k in DUE_PARAMS and k != "limit" and v],
                link=lambda **kw: _query(request, **kw), feed=False)


async def feed(request: Request) -> Response:
    """The due list as iCalendar, through `due-reviews --format ics`'s own writer."""
    reader = reader_of(request)
    book = reader.book()
    if any(p.is_error for p in book.problems):
        return Response("casebook settings have errors\n", 500, media_type="text/plain")
    as_of = reader.as_of()
    try:
        within = request.query_params.get("within")
        window = parse_interval(within, allow_zero=True) if within else book.settings.due_soon
        days = interval_days(window, as_of)
    except (IntervalError, OverflowError, ValueError):
        return Response("not a window like 14d, 2w or 3m\n", 400, media_type="text/plain")
    report: DueReport
    report, _ = reader.due(book, as_of, days, DueFilter(), CaseFilter())
    return Response(render_ics(report), media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'inline; filename="prelude-due.ics"'})


# --- cases -----------------------------------------------------------------------------------
CASE_PARAMS = ("officer", "area", "stage")


async def cases_page(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book()
    refused = settings_refused(request, book)
    if refused:
        return refused
    rows = reader.case_rows(book, reader.as_of())
    q = request.query_params
    select = CaseFilter(areas=tuple(q.getlist("area")), officers=tuple(q.getlist("officer")),
                        stages=tuple(q.getlist("stage")))
    shown = [r for r in rows if select.keep(r)] if not select.empty else rows
    return page(request, "cases.html.j2", rows=shown, total=len(rows),
                officers=sorted({r["officer"] for r in rows if r["officer"]}, key=str.casefold),
                areas=sorted({r["area"] for r in rows if r["area"]}, key=str.casefold),
                stages=[s for s in STAGES if any(r["stage"] == s for r in rows)],
                filters=[(k, v) for k, v in q.multi_items() if k in CASE_PARAMS and v])


async def case_page(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book()
    case_id = case_id_of(request, book)
    if case_id is None:
        return not_found(request, "There is no case of that id in the casebook.")
    as_of = reader.as_of()
    report = build_case_report(book, case_id, as_of)
    result = load_case(book, case_id, as_of=as_of, view=True)
    by_path: dict[str, list[Any]] = {p: [] for p in result.paths}
    for p in sort_problems(result.problems):
        by_path.setdefault(p.path, []).append(p)
    return page(request, "case_page.html.j2", r=report, charts=_charts(case_charts(report)),
                partner_footer=PARTNER_FOOTER, documents=by_path,
                actions=forms.available(result.case), case_id=case_id)


def _charts(charts: dict[str, Any]) -> dict[str, Any]:
    from markupsafe import Markup

    return {name: Markup(svg(chart)) for name, chart in charts.items()}


# --- programme, problems, disclosures ------------------------------------------------------
async def programme_page(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book()
    refused = settings_refused(request, book)
    if refused:
        return refused
    q = request.query_params
    try:
        period = Period(date.fromisoformat(q["from"]) if q.get("from") else None,
                        date.fromisoformat(q["to"]) if q.get("to") else None)
    except ValueError:
        return page(request, "message.html.j2", 400, title="Not a date",
                    message="The period's first and last days are dates like 2026-01-01.")
    report = reader.programme(book, reader.as_of(), period)
    return page(request, "programme_page.html.j2", r=report, period=period,
                charts=_charts(programme_charts(report)), figure_charts=FIGURE_CHARTS,
                banner="", partner_footer=PARTNER_FOOTER)


async def problems_page(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book()
    result = validate(book, as_of=reader.as_of(), use_cache=True, jobs=reader.jobs)
    rows = []
    for p in result.problems:
        parts = p.path.split("/")
        rows.append((p, parts[1] if parts[0] == "cases" and len(parts) > 2 else None))
    return page(request, "problems.html.j2", result=result, rows=rows)


async def disclosures_page(request: Request) -> Response:
    book = reader_of(request).book()
    items, broken = disclosures.listing(book)
    return page(request, "disclosures.html.j2", rows=[disclosures.row(i) for i in items],
                broken=broken)


async def home(request: Request) -> Response:
    return RedirectResponse("/due", status_code=303)


async def no_icon(request: Request) -> Response:
    """Browsers ask for one; answering 404 would log a console error on every page."""
    return Response(status_code=204)


def create_app(reader: Reader, secrets_: Secrets, host: str, port: int) -> Any:
    """The application, guarded (`security.Guard`) for `host`:`port`."""
    routes = [
        Route("/", home),
        Route("/favicon.ico", no_icon),
        Route("/due", due_page),
        Route("/due.ics", feed),
        Route("/cases", cases_page),
        Route("/cases/{case_id}", case_page),
        Route("/cases/{case_id}/record/{form}", record_page, methods=["GET"]),
        Route("/cases/{case_id}/record/{form}", record_post, methods=["POST"]),
        Route("/programme", programme_page),
        Route("/problems", problems_page),
        Route("/disclosures", disclosures_page),
        Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"),
              name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.served = Served(reader, secrets_)
    return Guard(app, secrets_, allowed_hosts(host, port))
