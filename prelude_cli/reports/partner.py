"""The partner pack for one case: the case report's sections, holding only what was shared.

A partner case report is built from the filtered case (`sharing.partner_case`), so withheld
fields are None. Rather than print empty columns (which would read as "not recorded"), the
sections here drop every column and field that holds nothing. They list every column the
internal report has: a field the allowlist one day shares shows up without a code change.
Markdown and HTML render these sections the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import phrases as ph
from .case import CaseReport

NOTHING = (None, "", [])


@dataclass(slots=True)
class Grid:
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    numeric: list[bool]


@dataclass(slots=True)
class Section:
    title: str
    fields: list[tuple[str, Any]] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    chart: str | None = None  # a case chart's name, drawn at the top of the section
    empty: str = ""  # said when the section holds nothing


def grid(caption: str, columns: Sequence[tuple[str, bool]], rows: list[list[Any]]) -> Grid | None:
    """A table without the columns no row fills; None when no row is left."""
    if not rows:
        return None
    keep = [i for i in range(len(columns)) if any(r[i] not in NOTHING for r in rows)]
    return Grid(caption, [columns[i][0] for i in keep],
                [[r[i] for i in keep] for r in rows], [columns[i][1] for i in keep])


def _fields(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in pairs if v not in NOTHING]


def _section(title: str, pairs: list[tuple[str, Any]], grids: list[Grid | None],
             chart: str | None = None, empty: str = "") -> Section:
    return Section(title, _fields(pairs), [g for g in grids if g], chart, empty)


def partner_sections(r: CaseReport) -> list[Section]:
    c, k = r.case, r.case["key_dates"]
    out = [_section("Summary", [
        ("Officer in the Case", c["officer"]), ("Area", c["area"]), ("Age band", c["age_band"]),
        ("Concerns", ph.words(c["concerns"])),
        ("First identification decision", k["first_decision"]),
        ("First contact", k["first_contact"]), ("Declined", k["declined"]),
        ("Engaged", k["engaged"]), ("First needs assessment", k["first_assessment"]),
        ("Plan agreed", k["plan_agreed"]), ("Exited", k["exited"])], [])]
    out.append(_section("Timeline", [], [grid("", [("Date", False), ("Event", False)],
                                              [[e["date"], e["text"]] for e in r.timeline])],
                        empty="Nothing recorded."))
    out.append(_section("Identification", [], [grid("", [
        ("Date", False), ("Decision", False), ("Forum", False), ("Recorded by", False),
        ("Rationale", False)], [[d["date"], ph.label(d["decision"]), d["forum"],
                                 d["recorded_by"], d["rationale"]] for d in r.decisions])],
        empty="No identification decision recorded."))
    out.append(_section("Contacts", [], [grid("", [
        ("Date", False), ("By", False), ("Role", False), ("How", False), ("Purpose", False),
        ("Outcome", False), ("Messages", False), ("Notes", False)],
        [[x["date"], x["by"], ph.label(x["role"]), ph.label(x["method"]),
          ph.label(x["purpose"]), ph.label(x["outcome"]), ph.words(x["messages"]), x["notes"]]
         for x in r.contacts])], empty="No contact recorded."))
    out += _needs(r) + _plan(r) + _exit(r)
    return out


def _needs(r: CaseReport) -> list[Section]:
    a, dist = r.assessments, r.distance
    if not a or not dist:
        return []
    scores = grid(f"Scores by domain, {a['scale']['min']} to {a['scale']['max']}, higher is "
                  "better", [("Domain", False)] + [(d, True) for d in a["dates"]],
                  [[row["label"], *row["scores"]] for row in a["rows"]])
    cols = [("Domain", False), (f"First {dist['first']}", True)]
    if dist["latest"]:
        cols += [(f"Latest {dist['latest']}", True), ("Change", True)]
    rows = [[x["label"], x["first"]] + ([x["latest"], ph.signed(x["change"])]
                                        if dist["latest"] else []) for x in dist["rows"]]
    return [_section("Needs assessments", [("Assessed by", ", ".join(
        x for x in a["assessors"] if x))], [scores, grid("Distance travelled", cols, rows)],
        chart="radar")]


def _plan(r: CaseReport) -> list[Section]:
    p = r.plan
    if not p:
        return []
    m = p["mentor"] or {}
    return [_section("Diversionary plan", [
        ("Agreed", p["agreed"]), ("Agreed by", p["agreed_by"]), ("Target end", p["target_end"]),
        ("Mentor", m.get("name")), ("Mentor's organisation", m.get("organisation")),
        ("Mentor assigned", m.get("assigned")), ("Mentoring ended", m.get("ended")),
        ("Milestones", ph.milestones(p["milestone_counts"]))], [
        grid("Goals", [("Id", False), ("Goal", False), ("Domains", False)],
             [[g["id"], g["text"], ", ".join(g["domains"])] for g in p["goals"]]),
        grid("Milestones", [("Id", False), ("Goal", False), ("Milestone", False),
                            ("Due", False), ("Status", False), ("Status date", False)],
             [[x["id"], x["goal"], x["text"], x["due"], ph.label(x["state"]),
               x["status_date"]] for x in p["milestones"]]),
        grid("Interventions", [("Provider", False), ("Category", False), ("Goal", False),
                               ("Referred", False), ("Status", False), ("Status date", False),
                               ("Notes", False)],
             [[i["provider_name"] or i["provider"], ph.label(i["category"]), i["goal"],
               i["referred"], ph.label(i["status"]), i["status_date"], i["notes"]]
              for i in p["interventions"]]),
        grid("Programme reviews", [("Date", False), ("Reviewer", False), ("Decision", False),
                                   ("Notes", False)],
             [[v["date"], v["reviewer"], ph.label(v["decision"]), v["notes"]]
              for v in p["reviews"]])])]


def _exit(r: CaseReport) -> list[Section]:
    x = r.exit
    if not x:
        return []
    fb, ev = x["feedback"] or {}, x["evaluation"] or {}
    return [_section("Exit", [
        ("Exited", x["date"]), ("Route", ph.label(x["route"])), ("Exit plan", x["exit_plan"]),
        ("Feedback", fb.get("date") and (f"{fb['date']}: declined" if fb.get("declined")
                                          else f"{fb['date']}: given")),
        ("Their feedback", fb.get("text")),
        ("Evaluated", ev.get("date")), ("Evaluated by", ev.get("by")),
        ("Evaluation", ev.get("summary"))], [
        grid("Signposting", [("To", False), ("For", False)],
             [[s["provider_name"] or s["to"], s["for"]] for s in x["signposting"]])])]


def banner(disclosure: dict[str, Any] | None) -> str:
    """The line at the top of every partner output: for whom, why, under which record."""
    if not disclosure:
        return ("Partner pack: only the fields a partner agency may see "
                "(docs/data-protection.md).")
    return (f"Partner pack for {disclosure['recipient']}: {disclosure['purpose']}. "
            f"Disclosure {disclosure['id']}, made {disclosure['date']} by {disclosure['by']}. "
            "It holds only the fields a partner agency may see (docs/data-protection.md): "
            "no enforcement or intelligence detail, no names, no free text.")


PARTNER_FOOTER = ("A pseudonymous partner pack: a case reference, never a name. Shared under "
                  "an information-sharing agreement: use it only for the purpose given, keep it "
                  "secure, and do not pass it on.")
