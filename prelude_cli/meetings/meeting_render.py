"""The meeting pack as Markdown, HTML or JSON, and its decision sheet as YAML.

Every format carries the protective marking (markings.py). The pack holds case references and
facts, never names or free text; document values still go through `textsafe` (Markdown) or
autoescaping (HTML), as in every report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..book.textsafe import markdown_cell
from ..privacy.markings import Marking
from ..privacy.markings import html as marked_html
from ..privacy.markings import markdown as marked_markdown
from .meeting import ALLOWED, QUESTION, SECTION, AgendaItem, MeetingPack

FORMATS = ("md", "html", "json")

ABOUT = ("The cases this forum decided last that need its decision at this meeting, from the "
         "casebook: case references and facts only, no names and no free text. Decisions are "
         "recorded in one go from the filled decision sheet with `prelude meeting record`.")
ABOUT_INTAKE = (" Nominations are the rows of the dashboard extract {source} whose person has "
                "no case (by their key; names are not shown), and people not included before "
                "whose re-presentation date has passed.")
ABOUT_TEXT = (" Free text (the latest rationale, review or plan notes) is included, as asked: "
              "share this pack no further than the meeting.")


def about(pack: MeetingPack, escape: Callable[[str], str] = str) -> str:
    """What the pack holds, in words; `escape` makes the extract's file name safe."""
    text = ABOUT
    if pack.include_text:
        text = text.replace(" and no free text", "")
    if pack.intake:
        text += ABOUT_INTAKE.format(source=escape(pack.intake))
    return text + (ABOUT_TEXT if pack.include_text else "")


SHEET_NOTE = ("Write the decision sheet with `prelude meeting pack ... --sheet FILE.yaml`, "
              "fill in each item's decision and rationale during the meeting (leave an item's "
              "decision empty to carry it over), then record it with "
              "`prelude meeting record FILE.yaml`.")

_BASE = ("Item", "Case", "Due", "Area", "Age band", "Stage", "Officer", "Latest decision",
         "Dashboard then", "Dashboard now")


def _latest(f: dict[str, Any]) -> str:
    d = f["latest_decision"]
    text = f"{d['decision']} {d['date']}" if d["decision"] else ""
    return f"{text}, review by {d['review_by']}" if d.get("review_by") else text


def _dashboard(f: dict[str, Any]) -> str:
    d = f.get("dashboard")
    if not d:
        return ""
    parts = [f"rank {d['rank']}" if d.get("rank") is not None else "",
             f"score {_num(d['score'])}" if d.get("score") is not None else "",
             f"({d['date']})" if d.get("date") else ""]
    return " ".join(p for p in parts if p)


def _num(value: Any) -> str:
    """A score as people write it: 901, not 901.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _now(f: dict[str, Any]) -> str:
    return _dashboard({"dashboard": f.get("dashboard_now")})


def _text(f: dict[str, Any]) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in (f.get("text") or {}).items())


def _row(item: AgendaItem, include_text: bool = False) -> list[str]:
    f = item.facts
    if item.kind == "nomination":
        now = f.get("dashboard_now") or {}
        return [str(item.number), str(item.row), item.key or "", f.get("area") or "",
                "" if now.get("rank") is None else str(now["rank"]),
                "" if now.get("score") is None else _num(now["score"]), now.get("date") or "",
                " / ".join(item.allowed)]
    row = [str(item.number), item.case or "", item.due.isoformat() if item.due else "",
           f["area"] or "", f["age_band"] or "", f["stage"], f["officer"] or "",
           _latest(f), _dashboard(f), _now(f)]
    if item.kind == "exit-proposal":
        d = f["proposed"]
        ms = d["milestones"]
        row += [d["why"], d["engaged"] or "", d["target_end"] or "",
                ", ".join(f"{n} {s}" for s, n in ms.items() if n) or "none"]
    if item.kind == "proportionality-review":
        d = f["disruption"]
        last = d["last_review"]
        row += [d["opened"] or "", ", ".join(d["tactics_running"]) or "none",
                f"{last['decision']} {last['date']}" if last else "none yet"]
    if item.kind == "exit-evaluation":
        e = f["exit"]
        row += [e["exited"] or "", e["route"] or "", e["feedback"]]
    return row + ([_text(f)] if include_text else []) + [" / ".join(item.allowed)]


def _headers(kind: str, include_text: bool = False) -> list[str]:
    if kind == "nomination":
        return ["Item", "Row", "Key", "Area", "Rank", "Score", "Extract date", "Decisions"]
    extra = {"proportionality-review": ["Plan opened", "Tactics running", "Last review"],
             "exit-proposal": ["Proposed because", "Engaged", "Target end", "Milestones"],
             "exit-evaluation": ["Exited", "Route", "Feedback"]}.get(kind, [])
    return [*_BASE, *extra, *(["Text"] if include_text else []), "Decisions"]


def sections(pack: MeetingPack) -> list[dict[str, Any]]:
    """One section per kind of item; nominations only when the pack was made with an
    intake (without one, the casebook cannot know who is new on the dashboard)."""
    return [{"kind": kind, "title": SECTION[kind], "question": QUESTION[kind],
             "headers": _headers(kind, pack.include_text),
             "rows": [_row(i, pack.include_text) for i in pack.items if i.kind == kind]}
            for kind in ALLOWED if kind != "nomination" or pack.intake]


def pack_markdown(pack: MeetingPack, marking: Marking) -> str:
    c = markdown_cell
    out = [f"# {c(pack.forum)}: meeting pack", "",
           f"{c(pack.programme)} · meeting {pack.date}"
           + (f" · next meeting {pack.next}" if pack.next else "")
           + f" · casebook as of {pack.as_of} · {len(pack.items)} item"
           + ("" if len(pack.items) == 1 else "s"), "", about(pack, c), ""]
    if pack.filters:
        out += [f"Filters: {c('; '.join(pack.filters))}.", ""]
    if pack.incomplete:
        out += [f"> Cases of this forum whose documents have errors (the agenda may miss "
                f"something about them; run `prelude validate`): {c(', '.join(pack.incomplete))}.",
                ""]
    for s in sections(pack):
        out += [f"## {s['title']}", "", s["question"], ""]  # our own text, no markup
        if not s["rows"]:
            out += ["None.", ""]
            continue
        out += ["| " + " | ".join(c(h) for h in s["headers"]) + " |",
                "|" + "|".join("---" for _ in s["headers"]) + "|"]
        out += ["| " + " | ".join(c(v) for v in row) + " |" for row in s["rows"]]
        out.append("")
    out += ["## Decision sheet", "", SHEET_NOTE, ""]
    return marked_markdown("\n".join(out), marking)


def pack_html(pack: MeetingPack, marking: Marking) -> str:
    from ..reports.render_html import keep_dates_whole
    from ..reports.templating import render

    data = pack.as_dict() | {"audience": "internal", "incomplete_cases": pack.incomplete}
    page = keep_dates_whole(render("meeting.html.j2", r=data, sections=sections(pack),
                                   about=about(pack), sheet_note=SHEET_NOTE))
    return marked_html(page, marking)


def pack_json(pack: MeetingPack, marking: Marking) -> str:
    data = {"protective_marking": marking.as_dict(), **pack.as_dict()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_pack(pack: MeetingPack, fmt: str, marking: Marking) -> str:
    if fmt == "md":
        return pack_markdown(pack, marking)
    if fmt == "html":
        return pack_html(pack, marking)
    if fmt == "json":
        return pack_json(pack, marking)
    raise ValueError(f"unknown meeting pack format {fmt!r}")


def _fields(kind: str) -> list[str]:
    """The lines an item of `kind` leaves to fill, with what each takes."""
    if kind in ("deferral-review", "decision-review", "re-presentation"):
        return ["decision:        # " + " | ".join(ALLOWED[kind]),
                "rationale:       # required: why (no names)",
                "approach_role:   # include: who makes the approach (their role)",
                "relationship:    # include, optional: their relationship with the person",
                "approach_by:     # include, optional: by when (YYYY-MM-DD)",
                "review_by:       # defer, optional: the meeting it comes back to (YYYY-MM-DD)"]
    if kind == "nomination":
        return ["decision:        # " + " | ".join(ALLOWED[kind]),
                "rationale:       # required: why (no names)",
                "officer:         # required: the Officer in the Case",
                "area:            # optional: the area, if not the row's",
                "concerns: []     # required: for example [knife-crime, county-lines]",
                "age_band:        # required: under-18, 18-24 or 25-plus",
                "approach_role:   # include: who makes the approach (their role)",
                "relationship:    # include, optional: their relationship with the person",
                "approach_by:     # include, optional: by when (YYYY-MM-DD)",
                "review_by:       # defer, optional: the meeting it comes back to (YYYY-MM-DD)"]
    if kind == "proportionality-review":
        return ["decision:        # " + " | ".join(ALLOWED[kind]),
                "rationale:       # required: why continued enforcement is (not) proportionate"]
    if kind == "exit-proposal":
        return ["decision:        # " + " | ".join(ALLOWED[kind]),
                "rationale:       # required: exit: the exit plan; continue: why (no names)",
                "route:           # exit, optional: completed (default), disengaged, custody, "
                "moved-away or other"]
    return ["decision:        # evaluated (or leave empty to carry over)",
            "rationale:       # required: the evaluation's summary (no names)"]


def sheet_yaml(pack: MeetingPack, marking: Marking, intake_path: str | None = None) -> str:
    """The decision sheet: one entry per agenda item, to fill in during the meeting. A pack
    made with an intake names its extract (`intake_path`), where `meeting record` finds the
    nominations' rows again."""
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    lines = [f"# {marking.text}",
             f"# Decision sheet for the meeting of {pack.date}. Fill in each item's decision",
             "# and rationale (leave the decision empty to carry the item over), the",
             "# agencies present and who records it, then: prelude meeting record FILE.yaml",
             "# Nothing is written unless every entry can be recorded.",
             "sheet: 1",
             f"forum: {q(pack.forum)}",
             f"date: {q(pack.date.isoformat())}",
             "attendees: []     # agencies present, for example [police, youth-justice, housing]",
             "recorded_by:      # who records the decisions (also the reviewer and evaluator)",
             *([f"intake: {q(intake_path)}   # the dashboard extract of the nominations"]
               if intake_path else []),
             "items:"]
    if not pack.items:
        lines[-1] = "items: []"
    for item in pack.items:
        lines += [f"  - item: {item.number}",
                  f"    row: {item.row}" if item.key is not None else f"    case: {q(item.case)}",
                  *([f"    key: {q(item.key)}"] if item.key is not None else []),
                  f"    kind: {item.kind}",
                  f"    question: {q(QUESTION[item.kind])}",
                  f"    allowed: [{', '.join(item.allowed)}]"]
        lines += [f"    {field}" for field in _fields(item.kind)]
    lines.append(f"# {marking.text}")
    return "\n".join(lines) + "\n"
