"""`prelude contact`: record a contact or attempted contact with the person."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..book.casebook import Casebook
from ..book.schemas import choices
from ..case.model import EXPLAIN_MESSAGES
from ..records.contact import Contact, add_contact
from .options import AsOfOpt, CasebookOpt
from .recording import (
    AllowDuplicateOpt,
    CaseArg,
    DateOpt,
    DryRunOpt,
    EditOpt,
    NotesOpt,
    ResumeOpt,
    ReviewedOpt,
    choice_enum,
    commit,
    day,
    open_book,
    recording,
)

contact_app = typer.Typer(no_args_is_help=True)

Role = choice_enum("ContactRole", choices("contact", "role"))
Method = choice_enum("Method", choices("contact", "method"))
Purpose = choice_enum("Purpose", choices("contact", "purpose"))
Outcome = choice_enum("Outcome", choices("contact", "outcome"))
Message = choice_enum("Message", choices("contact", "messages"))

ByOpt = Annotated[str, typer.Option("--by", help="Who made the contact.", show_default=False)]
MethodOpt = Annotated[Method, typer.Option(  # type: ignore[valid-type]
    "--method", help="How the contact was made.", show_default=False)]
OutcomeOpt = Annotated[Outcome, typer.Option(  # type: ignore[valid-type]
    "--outcome", help="What the person decided, or that no contact was made.",
    show_default=False)]
RoleOpt = Annotated[Role | None, typer.Option(  # type: ignore[valid-type]
    "--role", help="The role of whoever made the contact.", show_default=False)]
MessageOpt = Annotated[list[Message] | None, typer.Option(  # type: ignore[valid-type]
    "--message", help="A message delivered (engage-and-explain). Repeatable.",
    show_default=False)]
AllMessagesOpt = Annotated[bool, typer.Option(
    "--all-messages", help="All four messages were delivered: concern, consequences, "
    "police priority, the offer.")]


@contact_app.callback()
def contact_group() -> None:
    """Record contacts: engage-and-explain, follow-ups, support.

    Example: prelude contact add OP-7FM7H9 --by "T. Mensah" --method in-person \\
      --purpose engage-and-explain --outcome declined --all-messages
    """


def record_contact(book: Casebook, today: date, case_id: str, *, when: str | None, by: str,
                   method: StrEnum, purpose: str, outcome: StrEnum, role: StrEnum | None,
                   messages: list[StrEnum] | None, all_messages: bool, notes: str | None,
                   dry_run: bool, edit: bool, allow_duplicate: bool = False,
                   reviewed: bool = False, resume: Path | None = None) -> None:
    """Shared by `contact add` and `disruption revisit`."""
    delivered = list(EXPLAIN_MESSAGES) if all_messages else [m.value for m in messages or []]
    contact = Contact(date=day(when, "--date", today), by=by, method=method.value,
                      purpose=purpose, outcome=outcome.value,
                      role=role.value if role else None, messages=delivered, notes=notes)
    with recording(book, case_id, dry_run=dry_run):
        draft = add_contact(book, case_id, contact)
        commit(book, draft, today, dry_run=dry_run, edit=edit, resume=resume,
               allow_duplicate=allow_duplicate, reviewed=reviewed)


@contact_app.command("add")
def add_command(
    case_id: CaseArg,
    by: ByOpt,
    method: MethodOpt,
    purpose: Annotated[Purpose, typer.Option(  # type: ignore[valid-type]
        "--purpose", help="engage-and-explain for the first conversation, revisit during a "
        "disruption plan; the others once engaged.", show_default=False)],
    outcome: OutcomeOpt,
    when: DateOpt = None,
    role: RoleOpt = None,
    message: MessageOpt = None,
    all_messages: AllMessagesOpt = False,
    notes: NotesOpt = None,
    casebook: CasebookOpt = None,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    reviewed: ReviewedOpt = False,
    edit: EditOpt = False,
    resume: ResumeOpt = None,
    allow_duplicate: AllowDuplicateOpt = False,
) -> None:
    """Record a contact in its own file (contacts/DATE-SUFFIX.yaml). Prints its path.

    Example: prelude contact add OP-7FM7H9 --date 2026-01-20 --by "T. Mensah" \\
      --role youth-worker-lived-experience --method in-person \\
      --purpose engage-and-explain --outcome declined --all-messages
    """
    book, today = open_book(casebook, as_of)
    record_contact(book, today, case_id, when=when, by=by, method=method,
                   purpose=purpose.value, outcome=outcome, role=role, messages=message,
                   all_messages=all_messages, notes=notes, reviewed=reviewed,
                   dry_run=dry_run, edit=edit, resume=resume, allow_duplicate=allow_duplicate)
