"""Outcomes that must rest on what the contacts record: a plan closed because the person
engaged, an exit as a completion, a tag still worn at exit.

Without these, `disruption close --reason engaged` on someone who never engaged left the case
with nothing due, and `exit record --route completed` counted a completion that never began.
Recording commands refuse what these rules call errors (they check the case as it would be).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..book.problems import Problem
from . import CheckContext, rule


@rule("closed-engaged-without-contact",
      "A disruption plan closed because the person engaged needs an engaged contact on or "
      "before the closing date.")
def closed_engaged_without_contact(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    if not c.disruption or "closed" not in c.disruption.data:
        return
    closed = c.disruption.data["closed"]
    if closed.get("reason") != "engaged":
        return
    if not any(x.data["outcome"] == "engaged" and x.data["date"] <= closed["date"]
               for x in c.contacts):
        yield ctx.error(c.disruption, "closed-engaged-without-contact",
                        f"closed as engaged on {closed['date']}, but no contact on or before "
                        "it records the person engaging; record that contact first",
                        ("closed", "reason"))


@rule("completed-without-engagement",
      "An exit by the route `completed` needs an engaged contact: a programme never begun "
      "cannot be completed.")
def completed_without_engagement(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    if c.exit and c.exit.data.get("route") == "completed" and not c.engaged_date:
        yield ctx.error(c.exit, "completed-without-engagement",
                        "route 'completed', but no contact records the person engaging; "
                        "use the route that happened (for example 'other')", ("route",))


@rule("tag-fitted-at-exit", "A tag still fitted at exit (no removal recorded) (warning).")
def tag_fitted_at_exit(ctx: CheckContext) -> Iterator[Problem]:
    c = ctx.case
    tag = c.tag
    if c.exit and c.plan and tag and tag.get("fitted") and not tag.get("removed"):
        yield ctx.warning(c.plan, "tag-fitted-at-exit",
                          f"the tag fitted on {tag['fitted']} has no removal recorded, and the "
                          f"case exited on {c.exit.data['date']}; record the removal",
                          ("tag", "fitted"))
