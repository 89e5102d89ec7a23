"""Document text is data, never markup, in every format of both reports.

Hostile text (HTML, a script, a javascript: link, Markdown table pipes, a heading, rich
markup, an entity) sits in free-text fields of the case and in the casebook's settings and
providers. Markdown is rendered with markdown-it-py (CommonMark, tables, raw HTML allowed as
on GitHub and GitLab) to check what a reader would see.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report
from prelude_cli.reports.render import render

from .conftest import FULL, FULL_ID, HEADING, HOSTILE, PROGRAMME

AS_OF = date(2026, 11, 26)
SETTINGS = f"""
format: 1
programme: '{HOSTILE}'
needs:
  domains:
    - {{id: accommodation, label: '{HOSTILE}'}}
    - {{id: finances, label: '# Money | debts'}}
"""


class Seen(HTMLParser):
    """The tags of a page, and its text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def seen(html: str) -> Seen:
    parser = Seen()
    parser.feed(html)
    return parser


def markdown_html(md: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(md)


@pytest.fixture
def case_report(casebook):
    root = casebook({**FULL, "casebook.yaml": SETTINGS}, base={})
    return build_case_report(open_casebook(root), FULL_ID, AS_OF)


@pytest.fixture
def programme_report(casebook):
    root = casebook({**PROGRAMME, "casebook.yaml": SETTINGS}, base={})
    return build_programme_report(open_casebook(root), AS_OF, Period())


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_case_report_shows_hostile_text_literally(case_report, fmt: str) -> None:
    out = render(case_report, fmt, f"r.{fmt}").text
    html = out if fmt == "html" else markdown_html(out)
    page = seen(html)
    assert not [t for t, _ in page.tags if t in ("script", "a")]
    # The only image is our chart, linked beside the Markdown file.
    assert [a.get("src") for t, a in page.tags if t == "img"] == (["r-radar.svg"] if fmt == "md"
                                                                   else [])
    assert not [a for _, a in page.tags if any("javascript:" in (v or "") for v in a.values())]
    text = "".join(page.text)
    assert HOSTILE in text
    assert HEADING in text
    # Only the report's own headings: "# not a heading" and "# Money | debts" stay text.
    headings = [t for t, _ in page.tags if t in ("h1", "h2", "h3")]
    assert headings.count("h1") == 1
    assert "# Money | debts" in text


def test_markdown_table_cells_keep_their_pipes(case_report) -> None:
    html = markdown_html(render(case_report, "md").text)
    # The contacts table has 7 columns whatever pipes the notes hold.
    start = html.index("<th>Date</th>\n<th>By</th>")
    table = html[start:html.index("</table>", start)]
    rows = table.split("<tr>")[1:]
    assert all(row.count("<td") == 7 for row in rows[1:])
    assert "Known to YOS | missed appointments" in markdown_html(render(case_report, "md").text)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_programme_report_shows_hostile_settings_literally(programme_report, fmt: str) -> None:
    out = render(programme_report, fmt, f"r.{fmt}").text
    html = out if fmt == "html" else markdown_html(out)
    page = seen(html)
    assert not [t for t, _ in page.tags if t in ("script", "a")]
    text = "".join(page.text)
    assert f"{HOSTILE}: programme report" in text
    assert "# Money | debts" in text


def test_svg_beside_markdown_escapes_labels(programme_report) -> None:
    rendered = render(programme_report, "md", "q1.md")
    assert set(rendered.beside) == {"q1-caseload.svg", "q1-distance.svg"}
    svg = rendered.beside["q1-distance.svg"]
    assert "<script" not in svg and "&lt;script&gt;" in svg


@pytest.mark.parametrize("which", ["case_report", "programme_report"])
def test_json_holds_the_text_exactly(request: pytest.FixtureRequest, which: str) -> None:
    data = json.loads(render(request.getfixturevalue(which), "json").text)
    assert data["programme"] == HOSTILE
    if which == "case_report":
        assert data["decisions"][0]["rationale"] == f"{HEADING}\n{HOSTILE}"
        assert data["contacts"][0]["notes"] == HOSTILE


SAMPLE = Path(__file__).resolve().parents[2] / "sample_casebook"
GFM = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
ESCAPE = re.compile(r"\\(?=[^\n])")  # a backslash escape (one before a newline is a line break)
EXTENSIONS = set("@#:${")
"""Escaped for GitHub's and GitLab's own readings (mentions, issue references, emoji, math,
inline diffs), which the renderer here does not have."""


def sample_markdown() -> dict[str, str]:
    """Every report of the sample casebook, in Markdown."""
    book = open_casebook(SAMPLE)
    out = {cid: render(build_case_report(book, cid, AS_OF), "md").text for cid in book.case_ids()}
    out["programme"] = render(build_programme_report(book, AS_OF, Period()), "md").text
    return out


def test_sample_reports_escape_only_what_would_be_markup() -> None:
    """Each backslash in a report's source changes what a reader sees when it is taken out:
    none is there for nothing (`\\+1`, `decision\\: include`)."""
    needless: list[tuple[str, str]] = []
    for name, md in sample_markdown().items():
        html = GFM.render(md)
        for m in ESCAPE.finditer(md):
            char = md[m.end()]
            if char in EXTENSIONS:
                continue
            if GFM.render(md[:m.start()] + md[m.end():]) == html:
                needless.append((name, md[max(0, m.start() - 20):m.end() + 20]))
        page = seen(html)
        # What a reader sees holds no stray backslash, and no markup the report did not write.
        assert "\\" not in "".join(page.text), name
        assert not {t for t, _ in page.tags} & {"a", "code", "s", "del", "blockquote", "ol"}, name
    assert needless == []
