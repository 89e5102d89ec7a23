"""Rules about ids, file names and the order of events in a case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from ..book.problems import Pointer, Problem
from ..case.model import EXPLAIN_MESSAGES, EXPLAIN_PURPOSES, Record
from . import CheckContext, rule


@rule("case-id", "The case folder name, case.yaml's id and the casebook's id pattern agree.")
def case_id(ctx: CheckContext) -> Iterator[Problem]:
    case = ctx.case.case
    if case is None:
        return
    if case.data["id"] != ctx.folder_id:
        yield ctx.error(case, "case-id", "id does not match the case folder name", ("id",))
    elif not ctx.settings.id_pattern.match(ctx.folder_id):
        yield ctx.error(case, "case-id",
                        f"id does not follow the casebook's pattern ({ctx.settings.id_prefix} "
                        f"and {ctx.settings.id_random_length} characters): "
                        f"{ctx.settings.id_pattern_reason(ctx.folder_id)}", ("id",))


@rule("file-name-date", "A contact's or assessment's file name starts with its date.")
def file_name_date(ctx: CheckContext) -> Iterator[Problem]:
    for record in (*ctx.case.contacts, *ctx.case.assessments):
        name = record.path.rsplit("/", 1)[-1]
        if not name.startswith(record.data["date"]):
            yield ctx.error(record, "file-name-date",
                            f"date '{record.data['date']}' does not match the file name",
                            ("date",))


@rule("future-date", "No date records something after the as-of date (due dates excepted).")
def future_date(ctx: CheckContext) -> Iterator[Problem]:
    as_of = ctx.as_of.isoformat()
    if ctx.case.latest_recorded <= as_of:
        return
    for record, pointer, value in ctx.case.recorded_dates():
        if value > as_of:
            yield ctx.error(record, "future-date", f"date '{value}' is after {as_of}", pointer)


def _before(a: str | date | None, b: str | date | None) -> bool:
    """a is strictly before b (ISO strings and dates compare alike)."""
    if a is None or b is None:
        return False
    return str(a) < str(b)


@rule("date-order", "Events are in programme order: decision, contact, engagement, assessment, "
      "plan, exit; and within a document, nothing ends before it starts.")
def date_order(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    decisions = c.decisions
    for i in range(1, len(decisions)):
        if _before(decisions[i]["date"], decisions[i - 1]["date"]):
            yield ctx.error(c.identification, "date-order",  # type: ignore[arg-type]
                            "decisions must be listed oldest first", ("decisions", i, "date"))
    first = c.first_decision_date
    for contact in c.contacts:
        if _before(contact.date, first):
            yield ctx.error(contact, "date-order",
                            f"contact on {contact.data['date']} is before the identification "
                            f"decision ({first})", ("date",))
        elif decisions and not _included_by(decisions, contact.data["date"]):
            yield ctx.error(contact, "date-order",
                            "contact recorded while no include decision stands", ("date",))
    engaged = c.engaged_date
    for a in c.assessments:
        if engaged is None or _before(a.date, engaged):
            when = f"engagement ({engaged})" if engaged else "any contact where the person engaged"
            yield ctx.error(a, "date-order", f"assessment is before {when}", ("date",))
    if c.plan:
        first_a = c.first_assessment
        if first_a is None or _before(c.plan_agreed, first_a.date):
            yield ctx.error(c.plan, "date-order",
                            "plan agreed before the first needs assessment", ("agreed",))
        yield from _plan_order(ctx, c.plan)
    if c.disruption:
        yield from _disruption_order(ctx, c.disruption)
    if c.exit:
        yield from _exit_order(ctx, c.exit)


def _included_by(decisions: list[dict[str, Any]], when: str) -> bool:
    """Whether an include decision stood on `when` (the latest decision on or before it)."""
    standing = [d for d in decisions if d["date"] <= when]
    return bool(standing) and standing[-1]["decision"] == "include"


def _plan_order(ctx: CheckContext, plan: Record) -> Iterator[Problem]:
    data = plan.data
    mentor = data.get("mentor")
    if mentor and _before(mentor.get("ended"), mentor["assigned"]):
        yield ctx.error(plan, "date-order", "mentor ended before assigned", ("mentor", "ended"))
    for i, item in enumerate(data.get("interventions", [])):
        if _before(item.get("status_date"), item["referred"]):
            yield ctx.error(plan, "date-order", "intervention status date is before referral",
                            ("interventions", i, "status_date"))
    yield from _in_order(ctx, plan, data.get("reviews", []), ("reviews",), data["agreed"],
                         "programme review")


def _in_order(ctx: CheckContext, record: Record, items: list[dict[str, Any]], where: Pointer,
              start: str, what: str) -> Iterator[Problem]:
    previous = start
    for i, item in enumerate(items):
        if _before(item["date"], previous):
            yield ctx.error(record, "date-order",
                            f"{what} is before {'the start' if i == 0 else 'the one above it'}",
                            (*where, i, "date"))
        previous = max(previous, item["date"])


def _disruption_order(ctx: CheckContext, plan: Record) -> Iterator[Problem]:
    data = plan.data
    opened = data["opened"]
    for i, t in enumerate(data["tactics"]):
        if _before(t.get("to"), t["from"]):
            yield ctx.error(plan, "date-order", "tactic ends before it starts",
                            ("tactics", i, "to"))
    yield from _in_order(ctx, plan, data.get("reviews", []), ("reviews",), opened,
                         "proportionality review")
    closed = data.get("closed")
    if closed and _before(closed["date"], opened):
        yield ctx.error(plan, "date-order", "plan closed before it opened", ("closed", "date"))


def _exit_order(ctx: CheckContext, exit_: Record) -> Iterator[Problem]:
    c = ctx.case
    exit_date = exit_.data["date"]
    if _before(exit_date, c.first_decision_date):
        yield ctx.error(exit_, "date-order", "exit is before the identification decision",
                        ("date",))
    for part in ("feedback", "evaluation"):
        if part in exit_.data and _before(exit_.data[part]["date"], exit_date):
            yield ctx.error(exit_, "date-order", f"{part} is dated before the exit",
                            (part, "date"))
    later: list[tuple[Record, Pointer, str]] = []
    later += [(r, ("date",), r.data["date"]) for r in (*c.contacts, *c.assessments)]
    if c.plan:
        later.append((c.plan, ("agreed",), c.plan.data["agreed"]))
        later += [(c.plan, ("reviews", i, "date"), r["date"])
                  for i, r in enumerate(c.programme_reviews)]
    if c.disruption:
        later.append((c.disruption, ("opened",), c.disruption.data["opened"]))
        later += [(c.disruption, ("reviews", i, "date"), r["date"])
                  for i, r in enumerate(c.proportionality_reviews)]
    for record, pointer, when in later:
        if _before(exit_date, when):
            yield ctx.error(record, "date-order",
                            f"recorded on {when}, after the exit on {exit_date}", pointer)


@rule("disruption-without-decline", "A disruption plan opens only after the person declined.")
def disruption_without_decline(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    if not c.disruption:
        return
    opened = c.disruption.data["opened"]
    if not any(x.data["outcome"] == "declined" and x.data["date"] <= opened for x in c.contacts):
        yield ctx.error(c.disruption, "disruption-without-decline",
                        "disruption plan opened with no declined contact on or before it",
                        ("opened",))


@rule("disruption-open-after-engagement",
      "A disruption plan still open after the person engaged should be closed (warning).")
def disruption_open_after_engagement(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    if not c.disruption_open:
        return
    opened = c.disruption.data["opened"]  # type: ignore[union-attr]
    # Any engagement since the plan opened counts, not only the first ever: a person may
    # engage, decline later, and engage again while enforcement is open.
    since = [x.data["date"] for x in c.contacts
             if x.data["outcome"] == "engaged" and x.data["date"] >= opened]
    if since:
        yield ctx.warning(c.disruption, "disruption-open-after-engagement",  # type: ignore[arg-type]
                          f"the person engaged on {since[0]}; close the plan", ("opened",))


@rule("stop-without-closure",
      "A proportionality review that decided to stop enforcement closes the plan (warning).")
def stop_without_closure(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    reviews = c.proportionality_reviews
    if c.disruption_open and reviews and reviews[-1]["decision"] == "stop":
        yield ctx.warning(c.disruption, "stop-without-closure",  # type: ignore[arg-type]
                          "the latest review decided to stop; record the closure",
                          ("reviews", len(reviews) - 1, "decision"))


@rule("tag-consent", "A tag is fitted only with consent recorded before fitting; for under-18s, "
      "who was present; tag dates in order.")
def tag_consent(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    tag = c.tag
    if not tag or not c.plan:
        return
    consent = tag["consent"]
    fitted = tag.get("fitted")
    where: Pointer = ("tag",)
    if fitted and _before(fitted, consent["date"]):
        yield ctx.error(c.plan, "tag-consent", "tag fitted before consent was recorded",
                        (*where, "fitted"))
    if fitted and consent.get("withdrawn") and not _before(fitted, consent["withdrawn"]):
        yield ctx.error(c.plan, "tag-consent", "tag fitted after consent was withdrawn",
                        (*where, "fitted"))
    if c.age_band == "under-18" and not consent.get("present"):
        yield ctx.error(c.plan, "tag-consent",
                        "under-18: record who was present when consent was given",
                        (*where, "consent"))
    if consent.get("withdrawn") and fitted and not tag.get("removed"):
        yield ctx.warning(c.plan, "tag-consent", "consent withdrawn but the tag is not removed",
                          (*where, "consent", "withdrawn"))
    if tag.get("removed") and not fitted:
        yield ctx.error(c.plan, "tag-consent", "tag removed but never fitted",
                        (*where, "removed"))
    if fitted and _before(tag.get("removed"), fitted):
        yield ctx.error(c.plan, "tag-consent", "tag removed before it was fitted",
                        (*where, "removed"))
    reviews = tag.get("reviews", [])
    if reviews and not fitted:
        yield ctx.error(c.plan, "tag-consent", "tag reviewed but never fitted", (*where, "reviews"))
    elif fitted:
        yield from _in_order(ctx, c.plan, reviews, (*where, "reviews"), fitted, "tag review")


@rule("explain-messages", "An engage-and-explain conversation delivers all four messages "
      "(warning).")
def explain_messages(ctx: CheckContext) -> Iterator[Problem]:
    for contact in ctx.case.contacts:
        d = contact.data
        if d["purpose"] in EXPLAIN_PURPOSES and d["outcome"] != "no-contact":
            missing = [m for m in EXPLAIN_MESSAGES
                       if m not in d.get("messages", [])]
            if missing:
                yield ctx.warning(contact, "explain-messages",
                                  f"messages not recorded as delivered: {', '.join(missing)}",
                                  ("messages",) if "messages" in d else ())


