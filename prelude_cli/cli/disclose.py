"""Options every report and export shares for partner outputs and the disclosure log.

`--audience partner` builds the output from the allowlist only and always records a
disclosure; `--record-disclosure` records any other output. A recorded disclosure needs
`--recipient` and `--purpose` (exit 2 without them); `--by` defaults to $PRELUDE_USER or
git's user.name.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..book.casebook import Casebook
from ..files.storage import StorageError
from ..privacy import agreements, disclosures
from ..privacy.agreements import AgreementError, Partner
from ..privacy.disclosures import Disclosure, DisclosureError
from ..privacy.sharing import AUDIENCES, INTERNAL, PARTNER, Fields
from ..read.selection import CaseFilter
from .options import UsageError
from .output import err

Audience = StrEnum("Audience", {a: a for a in AUDIENCES})  # type: ignore[misc]

AudienceOpt = Annotated[Audience, typer.Option(  # type: ignore[valid-type]
    "--audience", help="internal: everything the output holds; partner: only the fields a "
    "partner agency may see (docs/data-protection.md), recorded as a disclosure.")]
RecipientOpt = Annotated[str | None, typer.Option(
    "--recipient", metavar="AGENCY", help="The agency the output is for. With --audience "
    "partner, a partner id from casebook.yaml's partners (its agreement then applies); with "
    "--record-disclosure, any agency.", show_default=False)]
PurposeOpt = Annotated[str | None, typer.Option(
    "--purpose", metavar="TEXT", help="Why it is shared, for example \"quarterly board\"; for "
    "a partner, one of its agreement's purposes. Required with --recipient.",
    show_default=False)]
LawfulBasisOpt = Annotated[str | None, typer.Option(
    "--lawful-basis", metavar="TEXT", help="The lawful basis or information-sharing agreement "
    "it is shared under (recorded with the disclosure).", show_default=False)]
ByOpt = Annotated[str | None, typer.Option(
    "--by", metavar="NAME", help="Who makes the output, for the disclosure record. Default: "
    "$PRELUDE_USER, else git's user.name.", show_default=False)]
RecordOpt = Annotated[bool, typer.Option(
    "--record-disclosure", help="Record this output in disclosures/ (always done for "
    "--audience partner).")]

KEEP = frozenset({"audience", "format", "as_of", "start", "end", "recipient", "case_id",
                  "jobs", "include_text", "record_disclosure", "force", "force_inside", "case",
                  "stage", "age_band", "concern", "since"})
"""Parameters whose values the recorded command line keeps; others are written <value>."""


@dataclass(slots=True)
class Request:
    """What the command line asked for, checked: to whom, why, by whom, and whether to record."""

    audience: str = INTERNAL
    record: bool = False
    recipient: str = ""
    purpose: str = ""
    lawful_basis: str | None = None
    by: str = ""
    partner: Partner | None = None  # the agreement a partner output is made under

    def scope(self, asked: CaseFilter) -> tuple[CaseFilter, bool, Fields]:
        """The filters, strictness and fields of this output: for a partner, its agreement's
        scope narrowed by the command line (exit 2 when asked for more)."""
        if self.partner is None:
            return asked, False, None
        try:
            return self.partner.case_filter(asked), True, self.partner.fields
        except AgreementError as exc:
            raise UsageError(f"{exc}; nothing was made") from None


def request(book: Casebook, audience: Any, recipient: str | None, purpose: str | None,
            lawful_basis: str | None, by: str | None, record: bool,
            on: date | None = None) -> Request:
    """Check the sharing options; a partner output without a recipient or purpose is exit 2,
    and so is one that its agreement (casebook.yaml's partners) does not allow `on` the
    output's as-of date."""
    chosen = audience.value if hasattr(audience, "value") else str(audience)
    recording = record or chosen == PARTNER
    recipient, purpose = (recipient or "").strip(), (purpose or "").strip()
    if not recording:
        if recipient or purpose or lawful_basis or by:
            raise UsageError("--recipient, --purpose, --lawful-basis and --by describe a "
                             "recorded disclosure: add --record-disclosure, or --audience "
                             "partner")
        return Request(chosen)
    why = "a partner output" if chosen == PARTNER else "a recorded disclosure"
    if not recipient or not purpose:
        raise UsageError(f"{why} needs --recipient AGENCY and --purpose TEXT; nothing was made")
    who = (by or "").strip() or disclosures.default_user(book.root)
    if not who:
        raise UsageError(f"{why} needs --by NAME (or $PRELUDE_USER, or git's user.name)")
    basis = (lawful_basis or "").strip() or None
    partner = None
    if chosen == PARTNER:
        try:
            partner = agreements.find(book.partners, recipient)
            partner.check(purpose, on or date.today())
        except AgreementError as exc:
            raise UsageError(f"{exc}; nothing was made") from None
        if basis and basis != partner.lawful_basis:
            raise UsageError(f"the agreement with {partner.id} ({partner.agreement}) names its "
                             "lawful basis; leave out --lawful-basis; nothing was made")
        basis, recipient = partner.lawful_basis, partner.id
    return Request(chosen, True, recipient, purpose, basis, who, partner)


def command_line(ctx: typer.Context) -> str:
    """The command as given, with the values of free-text and path options left out."""
    words = ["prelude", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        name = param.name or ""
        source = ctx.get_parameter_source(name)
        if source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params.get(name)
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if param.param_type_name == "argument":
            words += [_shown(v, name) for v in values]
            continue
        opt = max(param.opts, key=len)
        if getattr(param, "is_flag", False):
            words += [opt] if value else []
            continue
        for v in values:
            words += [opt, _shown(v, name)]
    return " ".join(shlex.quote(w) if w != "<value>" else w for w in words)


def _shown(value: Any, name: str) -> str:
    if name not in KEEP or isinstance(value, Path):
        return "<value>"
    return str(value.value if hasattr(value, "value") else value)


def prepare(ctx: typer.Context, book: Casebook, req: Request, *, output: str, fmt: str,
            cases: list[str], as_of: date, period: dict[str, str] | None = None,
            include_text: bool | None = None,
            filters: CaseFilter | None = None) -> tuple[Disclosure, bytes]:
    """The disclosure record for this output, checked, not yet written: for a partner, with
    its agreement's reference and version and the filters applied."""
    agreement = ({"reference": req.partner.reference, "version": req.partner.version}
                 if req.partner else {})
    disclosure = Disclosure(date.today(), req.by, req.recipient, req.purpose, output, fmt,
                            req.audience, cases, command_line(ctx), as_of=as_of,
                            lawful_basis=req.lawful_basis, include_text=include_text,
                            period=period or {}, agreement=agreement,
                            filters=filters.as_dict() if filters else {})
    try:
        data = disclosures.prepare(book, disclosure)
    except DisclosureError as exc:
        raise UsageError(f"{exc}; nothing was made") from None
    return disclosure, data


def summary(disclosure: Disclosure) -> dict[str, Any]:
    """What an output says about the record it is made under (its id to cite)."""
    data = disclosure.data()
    return {"id": disclosure.id, **{k: data.get(k) for k in (
        "date", "by", "recipient", "purpose", "lawful_basis")}}


def write(book: Casebook, disclosure: Disclosure, data: bytes) -> None:
    """Record the disclosure before the output is released; refuse the output if it fails.
    A failure here is the disk's or the casebook's, not the command line's: exit 1."""
    try:
        path = disclosures.record(book, disclosure, data)
    except (OSError, StorageError, DisclosureError) as exc:
        raise StorageError(f"cannot record the disclosure ({exc}); nothing was made") from None
    err(f"recorded disclosure {path.relative_to(book.root).as_posix()}")
