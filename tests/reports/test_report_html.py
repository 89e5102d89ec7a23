"""HTML reports: one self-contained page that fetches nothing and prints on A4."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report
from prelude_cli.reports.render_html import case_html, programme_html

from .conftest import FULL_ID

AS_OF = date(2026, 11, 26)
CSP = ("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
       "form-action 'none'")


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def case_page(full_book: Path) -> str:
    return case_html(build_case_report(open_casebook(full_book), FULL_ID, AS_OF))


@pytest.fixture
def programme_page(programme_book: Path) -> str:
    return programme_html(build_programme_report(open_casebook(programme_book), AS_OF,
                                                 Period()))


@pytest.fixture(params=["case", "programme"])
def page(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_page")


def test_self_contained_and_locked_down(page: str) -> None:
    found = tags(page)
    metas = {a.get("http-equiv"): a.get("content") for t, a in found if t == "meta"}
    assert metas["Content-Security-Policy"] == CSP
    assert not [t for t, _ in found if t in ("script", "link", "img", "iframe", "object")]
    assert not [a for _, a in found if {"src", "href", "srcset"} & set(a)]
    assert not [a for _, a in found if any(k.startswith("on") for k in a)]
    assert "url(" not in page and "@import" not in page
    # The only URL is the SVG namespace, which is a name, not a request.
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_print_friendly_on_a4(page: str) -> None:
    assert "@page { size: A4; margin: 15mm; }" in page
    assert "break-inside: avoid" in page


def test_tables_have_scoped_headers(page: str) -> None:
    found = tags(page)
    headers = [a for t, a in found if t == "th"]
    assert headers and all(a.get("scope") in ("col", "row") for a in headers)
    assert sum(1 for t, _ in found if t == "table") >= 4


def test_case_page_draws_the_star_chart_inline(case_page: str) -> None:
    found = tags(case_page)
    svgs = [a for t, a in found if t == "svg"]
    assert [a.get("role") for a in svgs] == ["img"]
    assert svgs[0]["aria-labelledby"] == "radar-title radar-desc"
    assert '<title id="radar-title">Distance travelled' in case_page
    assert "First against latest assessment" in case_page  # the text alternative, a table


def test_programme_page_has_every_figure_with_its_definition(programme_page: str) -> None:
    for key in ("caseload_by_stage", "days_to_first_contact", "distance_travelled", "feedback"):
        assert f'<section id="{key}">' in programme_page
    assert programme_page.count('class="definition"') == 13  # the period, and 12 figures
    assert programme_page.count("<svg") == 2
    assert "12.5 days" in programme_page
