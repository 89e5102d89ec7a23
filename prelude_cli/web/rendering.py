"""What every page of `prelude serve` shares: the served casebook and secrets, the Jinja
environment (the reports' own, with this package's templates first) and the page frame."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..book.casebook import Casebook
from ..book.problems import sort_problems
from ..privacy.markings import marking_of
from .reading import Reader
from .security import Secrets


@dataclass(frozen=True, slots=True)
class Served:
    """What the application serves and with which secrets."""

    reader: Reader
    secrets: Secrets


@cache
def environment() -> Any:
    """The reports' Jinja environment (its filters, autoescaping), with this package's
    templates first: its `base.html.j2` frames the reports' own templates in the site."""
    import jinja2

    from ..reports.templating import environment as reports_environment

    return reports_environment().overlay(loader=jinja2.ChoiceLoader([
        jinja2.PackageLoader("prelude_cli.web", "templates"),
        jinja2.PackageLoader("prelude_cli.reports", "templates")]))


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    served: Served = request.app.state.served
    html = environment().get_template(template).render(
        request=request, csrf=served.secrets.csrf(), as_of=served.reader.as_of(),
        root_name=served.reader.root.name,
        marking=marking_of(served.reader.book().settings).text, **context)
    return HTMLResponse(html, status_code=status)


def reader_of(request: Request) -> Reader:
    return request.app.state.served.reader  # type: ignore[no-any-return]


def not_found(request: Request, what: str) -> HTMLResponse:
    return page(request, "message.html.j2", 404, title="Not found", message=what)


def settings_refused(request: Request, book: Casebook) -> HTMLResponse | None:
    """As on the command line: no figures from settings with errors (a review interval
    fallen back to its default could list a review as not yet due)."""
    errors = [p for p in book.problems if p.is_error]
    if not errors:
        return None
    return page(request, "message.html.j2", 500, title="Settings have errors",
                message="casebook.yaml or providers.yaml has errors, so what falls due cannot "
                "be worked out. Fix them first: the validation problems page lists them.",
                problems=sort_problems(errors))


def case_id_of(request: Request, book: Casebook) -> str | None:
    case_id = request.path_params["case_id"]
    return case_id if case_id in book.case_ids() else None
