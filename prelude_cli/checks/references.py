"""Rules about references between documents and to the casebook's settings."""

from __future__ import annotations

from collections.abc import Iterator

from ..book.problems import Problem, field_name
from . import CheckContext, rule


@rule("unknown-provider", "Every intervention names a provider listed in providers.yaml.")
def unknown_provider(ctx: CheckContext) -> Iterator[Problem]:
    plan = ctx.case.plan
    if not plan:
        return
    for i, item in enumerate(plan.data.get("interventions", [])):
        if item["provider"] not in ctx.providers:
            yield ctx.error(plan, "unknown-provider",
                            f"provider '{item['provider']}' is not in providers.yaml",
                            ("interventions", i, "provider"))


@rule("unknown-domain", "Assessments and goals use the needs domains of casebook.yaml.")
def unknown_domain(ctx: CheckContext) -> Iterator[Problem]:
    known = set(ctx.settings.domain_ids)
    for a in ctx.case.assessments:
        for domain in a.data["scores"]:
            if domain not in known:
                yield ctx.error(a, "unknown-domain",
                                f"'{field_name(domain)}' is not a needs domain of this casebook",
                                ("scores", domain))
    plan = ctx.case.plan
    if plan:
        for i, goal in enumerate(plan.data["goals"]):
            for j, domain in enumerate(goal.get("domains", [])):
                if domain not in known:
                    yield ctx.error(plan, "unknown-domain", f"'{field_name(domain)}' is not "
                                    "a needs domain of this casebook",
                                    ("goals", i, "domains", j))


@rule("score-range", "Every score is on the casebook's scale.")
def score_range(ctx: CheckContext) -> Iterator[Problem]:
    lo, hi = ctx.settings.scale_min, ctx.settings.scale_max
    for a in ctx.case.assessments:
        for domain, entry in a.data["scores"].items():
            if not lo <= entry["score"] <= hi:
                yield ctx.error(a, "score-range", f"score for {domain} is off the {lo}-{hi} scale",
                                ("scores", domain, "score"))


@rule("assessment-incomplete", "An assessment scores every domain of the form (warning).")
def assessment_incomplete(ctx: CheckContext) -> Iterator[Problem]:
    for a in ctx.case.assessments:
        missing = [d for d in ctx.settings.domain_ids if d not in a.data["scores"]]
        if missing:
            yield ctx.warning(a, "assessment-incomplete",
                              f"{len(missing)} domain(s) not scored: {', '.join(missing)}",
                              ("scores",))


@rule("plan-references", "Plan item ids are unique and milestones and interventions name goals "
      "that exist.")
def plan_references(ctx: CheckContext) -> Iterator[Problem]:
    plan = ctx.case.plan
    if not plan:
        return
    seen: set[str] = set()
    for section in ("goals", "milestones", "interventions"):
        for i, item in enumerate(plan.data.get(section, [])):
            if item["id"] in seen:
                yield ctx.error(plan, "plan-references", f"id '{item['id']}' is used twice",
                                (section, i, "id"))
            seen.add(item["id"])
    goals = {g["id"] for g in plan.data["goals"]}
    for section in ("milestones", "interventions"):
        for i, item in enumerate(plan.data.get(section, [])):
            if "goal" in item and item["goal"] not in goals:
                yield ctx.error(plan, "plan-references",
                                f"goal '{item['goal']}' is not a goal of this plan",
                                (section, i, "goal"))
