"""Markdown reports that render the same on GitHub and GitLab.

Every piece of text goes through `textsafe`: `markdown_cell` in tables, `markdown_text` in
paragraphs, so document text never becomes a heading, link, table column or HTML. Charts are
images linked by file name (written beside the report); without them the tables still carry
every number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from ..book.textsafe import markdown_cell, markdown_text
from . import phrases as ph
from .case import CaseReport
from .charts import FIGURE_CHARTS, programme_charts
from .partner import PARTNER_FOOTER, banner, partner_sections
from .programme import ProgrammeReport

CHART_NOTE = ("*The chart is written as an SVG file beside the report when the report is "
              "saved to a file; the table gives the same figures.*")


class Escaped(str):
    """Cell text already made literal, with markup of our own (a strike-through)."""


def cell(value: object) -> str:
    return value if isinstance(value, Escaped) else markdown_cell(ph.blank(value))


def table(headers: Iterable[str], rows: Iterable[Iterable[object]],
          numeric: Iterable[bool] | None = None) -> list[str]:
    headers = list(headers)
    right = list(numeric) if numeric is not None else [False] * len(headers)
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def kv(rows: Iterable[tuple[str, object]]) -> list[str]:
    """A two-column table of the fields that have a value."""
    kept = [(k, v) for k, v in rows if v not in (None, "", [])]
    return table(("Field", "Value"), kept) if kept else []


def text(label: str, value: str | None) -> list[str]:
    """A labelled paragraph of free text, kept as written (line breaks included)."""
    if not value:
        return []
    return [f"**{markdown_cell(label)}**", "", markdown_text(value), ""]


def image(alt: str, target: str | None) -> list[str]:
    if not target:
        return [CHART_NOTE, ""]
    return [f"![{markdown_cell(alt)}]({quote(target)})", ""]


def case_markdown(r: CaseReport, chart_files: dict[str, str] | None = None) -> str:
    """The case report; `chart_files` maps a chart's name to the file it was written to."""
    files = chart_files or {}
    c = r.case
    k = c["key_dates"]
    out = [f"# Case {markdown_cell(c['id'])}", "",
           f"{markdown_cell(r.programme)} · case report as of {r.as_of} · stage "
           f"**{markdown_cell(ph.label(c['stage']))}**", ""]
    if r.problems:
        out += [f"> {r.problems} problem(s) in this case's documents: their invalid parts were "
                "left out of this report, which may be incomplete; run `prelude validate`.", ""]
    if r.person:
        out += [f"> **{markdown_cell(r.person['name'])}** (from the identity register: "
                "handle this report as identifiable)", ""]
    out += ["## Summary", ""]
    out += kv([("Officer in the Case", c["officer"]), ("Area", c["area"]),
               ("Age band", c["age_band"]), ("Concerns", ph.words(c["concerns"])),
               ("First identification decision", k["first_decision"]),
               ("First contact", k["first_contact"]), ("Declined", k["declined"]),
               ("Engaged", k["engaged"]), ("First needs assessment", k["first_assessment"]),
               ("Plan agreed", k["plan_agreed"]), ("Exited", k["exited"])])
    if c.get("officer_history"):
        out += ["Earlier Officers in the Case:", ""]
        out += [f"- {markdown_cell(h['officer'])}"
                + (f" from {h['from']}" if h["from"] else "")
                + f" to {h['to']}: {markdown_cell(h['reason'])}" for h in c["officer_history"]]
        out += [""]
    out += [f"## Due: overdue and within {r.due_window_days} days", ""]
    out += table(("Due", "Kind", "Status", "Detail"),
                 [(i["due"], ph.label(i["kind"]), ph.due_status(i), i["detail"]) for i in r.due]
                 ) if r.due else [f"Nothing overdue or due within {r.due_window_days} days.", ""]
    out += ["## Timeline", ""]
    out += table(("Date", "Event"), [(e["date"], _event(e)) for e in r.timeline])
    out += _identification(r) + _contacts(r) + _disruption(r)
    out += _needs(r, files.get("radar")) + _plan(r) + _exit(r)
    out += _footer(r)
    return "\n".join(out)


def _event(e: dict[str, Any]) -> str:
    """A timeline cell; a withdrawn record struck through, with the withdrawal."""
    w = e.get("withdrawn")
    if not w:
        return str(e["text"])
    return Escaped(f"~~{markdown_cell(str(e['text']))}~~ withdrawn "
                   + markdown_cell(f"{w['date']} by {w['by']}: {w['reason']}"))


def _identification(r: CaseReport) -> list[str]:
    out = ["## Identification", ""]
    for d in r.decisions:
        out += [f"### {d['date']}: {markdown_cell(ph.label(d['decision']))}", ""]
        out += kv([("Forum", d["forum"]), ("Agencies present", ph.words(d["attendees"])),
                   ("Dashboard", ph.dashboard(d["dashboard"])),
                   ("Approach", ph.approach(d["approach"])),
                   ("Relationship", d["approach"]["relationship"] if d["approach"] else None),
                   ("Recorded by", d["recorded_by"])])
        out += text("Rationale", d["rationale"])
        if d["partners"]:
            out += table(("Partner agency", "Summary"),
                         [(ph.label(p["agency"]), p["summary"]) for p in d["partners"]])
    return out if r.decisions else out + ["No identification decision recorded.", ""]


def _contacts(r: CaseReport) -> list[str]:
    out = ["## Contacts", ""]
    if not r.contacts:
        return out + ["No contact recorded.", ""]
    return out + table(
        ("Date", "By", "How", "Purpose", "Outcome", "Messages", "Notes"),
        [(x["date"], x["by"] + (f" ({ph.label(x['role'])})" if x["role"] else ""),
          ph.label(x["method"]), ph.label(x["purpose"]), ph.label(x["outcome"]),
          ph.words(x["messages"]), x["notes"]) for x in r.contacts])


def _disruption(r: CaseReport) -> list[str]:
    p = r.disruption
    if not p:
        return []
    out = ["## Disruption plan", ""]
    out += kv([("Opened", p["opened"]), ("Lead", p["lead"]), ("Status", ph.closure(p))])
    out += text("Reason", p["reason"])
    out += text("Closure notes", p["closed"]["notes"] if p["closed"] else None)
    out += ["### Tactics", ""]
    out += table(("Tactic", "Agency", "Lead", "From", "To", "Notes"),
                 [(ph.label(t["tactic"]), ph.label(t["agency"]), t["lead"], t["from"], t["to"],
                   t["notes"]) for t in p["tactics"]])
    out += ["### Proportionality reviews", ""]
    if not p["reviews"]:
        return out + ["No proportionality review recorded yet.", ""]
    return out + table(("Date", "Was due", "On time", "Reviewer", "Decision", "Rationale"),
                       [(v["date"], v["due"], v["on_time"], v["reviewer"],
                         ph.label(v["decision"]), v["rationale"]) for v in p["reviews"]])


def _needs(r: CaseReport, radar_file: str | None) -> list[str]:
    a, dist = r.assessments, r.distance
    if not a or not dist:
        return []
    out = ["## Needs assessments", "",
           f"Scores by domain, {a['scale']['min']} to {a['scale']['max']}, higher is better.", ""]
    out += table(["Domain", *a["dates"]], [[row["label"], *row["scores"]] for row in a["rows"]],
                 [False] + [True] * len(a["dates"]))
    out += ["### Distance travelled", ""]
    out += image("Star chart: first against latest needs assessment", radar_file)
    if dist["latest"]:
        out += table(("Domain", f"First {dist['first']}", f"Latest {dist['latest']}", "Change"),
                     [(x["label"], x["first"], x["latest"], ph.signed(x["change"]))
                      for x in dist["rows"]], (False, True, True, True))
    else:
        out += table(("Domain", f"First {dist['first']}"),
                     [(x["label"], x["first"]) for x in dist["rows"]], (False, True))
    if a["own_words"]:
        out += ["### In their own words", ""]
        out += table(("Date", "Aspirations", "Enjoys", "Strengths"),
                     [(w["date"], w["aspirations"], w["enjoys"], w["strengths"])
                      for w in a["own_words"]])
    return out


def _plan(r: CaseReport) -> list[str]:
    p = r.plan
    if not p:
        return []
    out = ["## Diversionary plan", ""]
    out += kv([("Agreed", f"{p['agreed']} by {p['agreed_by']}"), ("Target end", p["target_end"]),
               ("Mentor", ph.mentor(p["mentor"])),
               ("Mentor assigned", p["mentor"]["assigned"] if p["mentor"] else None),
               ("Mentoring ended", p["mentor"]["ended"] if p["mentor"] else None)])
    out += ["### Goals", ""]
    out += table(("Goal", "Id", "Domains"),
                 [(g["text"], g["id"], ", ".join(g["domains"])) for g in p["goals"]])
    out += ["### Milestones", "", f"{ph.milestones(p['milestone_counts'])}.", ""]
    if p["milestones"]:
        out += table(("Milestone", "Id", "Goal", "Due", "Status", "Status date"),
                     [(m["text"], m["id"], m["goal"], m["due"], ph.label(m["state"]),
                       m["status_date"]) for m in p["milestones"]])
    out += ["### Interventions", ""]
    out += table(("Provider", "Category", "Statutory", "Referred", "Status", "Notes"),
                 [(i["provider_name"] or i["provider"],
                   ph.label(i["category"] or "not in providers.yaml"), i["statutory"],
                   i["referred"], ph.label(i["status"]) + (f" {i['status_date']}"
                                                             if i["status_date"] else ""),
                   i["notes"]) for i in p["interventions"]]
                 ) if p["interventions"] else ["No intervention recorded.", ""]
    t = p["tag"]
    if t:
        out += ["### Electronic tag", ""]
        out += kv([("Consent recorded", f"{t['consent']['date']} by {t['consent']['recorded_by']}"),
                   ("Present at consent", ", ".join(t["consent"]["present"])),
                   ("Consent withdrawn", t["consent"]["withdrawn"]), ("Fitted", t["fitted"]),
                   ("Removed", ph.removal(t))])
        if t["reviews"]:
            out += table(("Tag review", "Reviewer", "Decision", "Notes"),
                         [(v["date"], v["reviewer"], ph.label(v["decision"]), v["notes"])
                          for v in t["reviews"]])
    if p["reviews"]:
        out += ["### Programme reviews", ""]
        out += table(("Date", "Reviewer", "Decision", "Notes"),
                     [(v["date"], v["reviewer"], ph.label(v["decision"]), v["notes"])
                      for v in p["reviews"]])
    return out


def _exit(r: CaseReport) -> list[str]:
    x = r.exit
    if not x:
        return []
    out = ["## Exit, feedback and evaluation", ""]
    out += kv([("Exited", x["date"]), ("Route", ph.label(x["route"]))])
    out += text("Exit plan", x["exit_plan"])
    if x["signposting"]:
        out += table(("Signposted to", "For"), [(s["provider_name"] or s["to"], s["for"])
                                                   for s in x["signposting"]])
    fb, ev = x["feedback"], x["evaluation"]
    out += ["### Their feedback", ""]
    if not fb:
        out += ["No feedback recorded yet.", ""]
    elif fb["declined"]:
        out += [f"{fb['date']}: declined to give feedback.", ""]
    else:
        out += text(f"Feedback of {fb['date']}", fb["text"] or "")
    out += ["### Review and evaluation", ""]
    if not ev:
        return out + ["No evaluation recorded yet.", ""]
    return out + text(f"Evaluation of {ev['date']} by {ev['by']}", ev["summary"] or "(no summary)")


def partner_case_markdown(r: CaseReport, chart_files: dict[str, str] | None = None) -> str:
    """A case's partner pack: the shared sections only, columns that hold nothing left out."""
    files = chart_files or {}
    c = r.case
    out = [f"# Case {markdown_cell(c['id'])}: partner pack", "",
           f"{markdown_cell(r.programme)} · as of {r.as_of} · stage "
           f"**{markdown_cell(ph.label(c['stage']))}**", "",
           f"> {markdown_text(banner(r.disclosure))}", ""]
    for section in partner_sections(r):
        out += [f"## {markdown_cell(section.title)}", ""]
        if section.chart:
            out += image("Star chart: first against latest needs assessment",
                         files.get(section.chart))
        out += kv(section.fields)
        for g in section.grids:
            out += [f"**{markdown_cell(g.caption)}**", ""] if g.caption else []
            out += table(g.headers, g.rows, g.numeric)
        if not section.fields and not section.grids and section.empty:
            out += [section.empty, ""]
    return "\n".join(out + _footer(r))


def _footer(r: Any) -> list[str]:
    if getattr(r, "audience", "internal") == "partner":
        return ["---", "", f"Made by prelude from the casebook as of {r.as_of}. "
                f"{PARTNER_FOOTER}", ""]
    return ["---", "",
            f"Made by prelude from the casebook as of {r.as_of}. A pseudonymous record: it "
            "carries a case reference, never a name. Handle it under your information-sharing "
            "agreement; keep it out of the casebook repository.", ""]


def programme_markdown(r: ProgrammeReport, chart_files: dict[str, str] | None = None) -> str:
    files = chart_files or {}
    drawn = programme_charts(r)
    out = [f"# {markdown_cell(r.programme)}: programme report", "",
           f"As of {r.as_of} · period: {r.period.describe()} · {r.cases} case"
           f"{'' if r.cases == 1 else 's'} in the period, of {r.cases_read} "
           f"{'selected by the filters' if r.filters else 'in the casebook'}", "",
           f"*Period:* {markdown_text(r.period.definition())}", ""]
    if r.filters:
        out += [f"*Filters:* {markdown_text('; '.join(r.filters))}. Every figure counts only "
                "the cases these select.", ""]
    if r.audience == "partner":
        out += [f"> {markdown_text(banner(r.disclosure))}", ""]
    if r.problems:
        out += [f"> {r.problems} problem(s) in documents: their invalid parts were left out of "
                "these figures, which may be incomplete; run `prelude validate`.", ""]
    for f in r.figures:
        out += [f"## {markdown_cell(f.title)}", "", f"*Definition:* {markdown_text(f.definition)}",
                ""]
        over = f"over {f.cases} case{'' if f.cases == 1 else 's'}"
        extra = f"; {ph.counts(f.counts)}" if f.counts else ""
        out += [f"**{markdown_cell(ph.figure_value(f.value, f.unit))}** "
                f"({markdown_cell(over + extra)})" if f.unit
                else markdown_cell(f"{over.capitalize()}{extra}."), ""]
        chart = FIGURE_CHARTS.get(f.key)
        if chart in drawn:
            out += image(drawn[chart].title, files.get(chart))
        if f.rows:
            out += table([c.label for c in f.columns],
                         [[ph.cell(row[c.key], c) for c in f.columns] for row in f.rows],
                         [c.numeric for c in f.columns])
    return "\n".join(out + _footer(r))

