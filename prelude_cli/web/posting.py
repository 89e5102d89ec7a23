"""The recording forms' routes: show a form, and post it through the command's builder and
the command line's write path (`records.commit`) under the case's lock."""

from __future__ import annotations

import shlex
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..book.casebook import Casebook
from ..book.problems import sort_problems
from ..checks.validation import load_case
from ..files.locks import case_lock
from ..files.storage import StorageError
from ..records import RecordError
from ..records import commit as committing
from . import forms
from .rendering import Served, case_id_of, not_found, page, reader_of


def _form_for(request: Request, book: Casebook, case_id: str) -> forms.Form | None:
    make = forms.FORMS.get(request.path_params["form"])
    if make is None:
        return None
    case = load_case(book, case_id, as_of=reader_of(request).as_of(), view=True).case
    return make(book, case)


async def record_page(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book()
    case_id = case_id_of(request, book)
    form = _form_for(request, book, case_id) if case_id else None
    if case_id is None or form is None:
        return not_found(request, "There is no such case, or no such form.")
    values = {k: v for k, v in form.start.items() if v is not None}
    return page(request, "record.html.j2", form=form, case_id=case_id, values=values,
                errors={}, general=[], problems=[], offer=None)


async def record_post(request: Request) -> Response:
    reader = reader_of(request)
    book = reader.book(for_writing=True)
    case_id = case_id_of(request, book)
    form = _form_for(request, book, case_id) if case_id else None
    if case_id is None or form is None:
        return not_found(request, "There is no such case, or no such form.")
    posted = await request.form()
    served: Served = request.app.state.served
    csrf = posted.get("csrf")
    if not served.secrets.csrf_ok(csrf if isinstance(csrf, str) else None):
        return page(request, "message.html.j2", 403, title="Refused",
                    message="The form's security token is missing or out of date (was prelude "
                    "serve restarted?). Open the form again and re-enter the record.")
    boxes = {f.name for f in form.fields if f.kind == "checkboxes"}
    typed: dict[str, Any] = {k: v for k, v in posted.items() if isinstance(v, str)}
    typed.update({k: [v for v in posted.getlist(k) if isinstance(v, str)] for k in boxes})

    def again(status: int, **context: Any) -> HTMLResponse:
        context.setdefault("errors", {})
        context.setdefault("general", [])
        context.setdefault("problems", [])
        context.setdefault("offer", None)
        return page(request, "record.html.j2", status, form=form, case_id=case_id,
                    values=typed, **context)

    today = reader.as_of()
    try:
        values = forms.read(form, posted, posted.getlist, today)
    except forms.FieldErrors as exc:
        return again(400, errors=exc.errors)
    reviewed = posted.get("reviewed") == "yes"
    allow_duplicate = posted.get("allow_duplicate") == "yes"
    try:
        with case_lock(book.root, case_id):
            draft = form.build(book, case_id, values, today)
            outcome = committing.write(book, draft, today, reviewed=reviewed,
                                       allow_duplicate=allow_duplicate)
    except forms.FieldErrors as exc:
        return again(400, errors=exc.errors)
    except RecordError as exc:
        return again(400, general=[str(exc)])
    except StorageError as exc:  # a file changed meanwhile, the case is busy, the disk failed
        return again(409, general=[str(exc)])
    problems = sort_problems(outcome.result.problems)
    if outcome.refusal:
        errors: dict[str, str] = {}
        general = []
        for p in problems:
            name = forms.field_of(form, p)
            if name and p.is_error or name and outcome.refusal != committing.REFUSED_ERRORS:
                errors.setdefault(name, f"{p.message} ({p.rule})")
        general.append(_refusal_text(outcome, case_id))
        return again(400, errors=errors, general=general, problems=problems,
                     offer=outcome.refusal if outcome.refusal in (
                         committing.REFUSED_PII, committing.REFUSED_DUPLICATE) else None)
    reader.changed()
    paths = [c.relpath for c in outcome.changes]
    message = f"{case_id}: {form.title.lower()}"
    return page(request, "written.html.j2", form=form, case_id=case_id, paths=paths,
                problems=problems,
                git=[f"git add -- {' '.join(shlex.quote(p) for p in paths)}",
                     f"git commit -m {shlex.quote(message)}"])


def _refusal_text(outcome: committing.Outcome, case_id: str) -> str:
    if outcome.refusal == committing.REFUSED_PII:
        return ("Nothing was written: free text may hold personal data (the field and kind are "
                "named below). Rewrite it without; or, if it is right to keep (a worker's work "
                "number, a youth centre's postcode), tick 'Reviewed' to write it marked as "
                "reviewed.")
    if outcome.refusal == committing.REFUSED_DUPLICATE:
        return (f"Nothing was written: the record looks like one already in case {case_id}. "
                "Tick 'Write it anyway' if it is a second, separate record.")
    errors = outcome.errors
    return (f"Nothing was written: the record would leave {errors} error"
            f"{'s' if errors != 1 else ''} in case {case_id}.")
