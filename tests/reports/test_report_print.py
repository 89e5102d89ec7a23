"""The HTML reports printed to PDF in headless Chromium, as a person prints them to file.

Each report of the sample casebook, and the largest of a generated one, is printed to A4 and
read back page by page (pypdf): no page holds only the footer and the protective marking, no
page ends with a section heading (or a heading and its definitions) cut off from the table or
chart it introduces, no date is broken at its hyphen, and the page count is in proportion to
what is printed.

Skipped, with the reason shown, only when no Chromium is installed (`.ci/run` installs
Debian's `chromium`).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import yaml

from prelude_cli.book.casebook import Casebook, open_casebook
from prelude_cli.meetings.meeting import build_pack
from prelude_cli.meetings.meeting_render import pack_html
from prelude_cli.privacy.markings import marking_of
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report
from prelude_cli.reports.render import render

from .browser import CHROMIUM, MISSING, print_to_pdf
from .printed import BROKEN_DATE, check_print, page_texts

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_casebook"
AS_OF = date(2026, 11, 26)
SAMPLE_FORUM = "Milton Keynes Exploitation and Serious Violence panel"
LINES_PER_PAGE = 15
"""A printed A4 page holds about 55 lines: on average at least this many, or pages are being
wasted (a block pushed whole onto a page of its own, a page of footer)."""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)


def _report_html(book: Casebook, report: object) -> str:
    return render(report, "html", marking=marking_of(book.settings)).text  # type: ignore[arg-type]


def _reports(book: Casebook, prefix: str, case_ids: list[str], forum: str,
             next_meeting: date) -> dict[str, str]:
    """name: HTML, for the programme report (internal and for a partner), the given cases
    (internal, and the first as a partner pack) and a meeting pack."""
    pages = {
        f"{prefix}-programme": _report_html(book, build_programme_report(
            book, AS_OF, Period(), use_cache=False)),
        f"{prefix}-programme-partner": _report_html(book, build_programme_report(
            book, AS_OF, Period(), "partner", use_cache=False)),
        f"{prefix}-meeting": pack_html(build_pack(
            book, forum=forum, meeting=AS_OF, next_meeting=next_meeting, as_of=AS_OF),
            marking_of(book.settings)),
    }
    for case_id in case_ids:
        pages[f"{prefix}-{case_id}"] = _report_html(book, build_case_report(book, case_id,
                                                                            AS_OF))
    pages[f"{prefix}-{case_ids[0]}-partner"] = _report_html(
        book, build_case_report(book, case_ids[0], AS_OF, "partner"))
    return pages


def _largest_cases(book: Casebook, n: int) -> list[str]:
    """The cases whose internal reports are longest: the most to lay out over pages."""
    size = {cid: len(_report_html(book, build_case_report(book, cid, AS_OF)))
            for cid in book.case_ids()}
    return sorted(size, key=lambda cid: (-size[cid], cid))[:n]


def _busiest_forum(book: Casebook) -> str:
    """The forum that took the most cases' latest decisions: the longest meeting pack."""
    forums: Counter[str] = Counter()
    for path in sorted(book.root.glob("cases/*/identification.yaml")):
        decisions = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("decisions")
        if decisions and decisions[-1].get("forum"):
            forums[decisions[-1]["forum"]] += 1
    return forums.most_common(1)[0][0]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, bytes]]:
    """name: (HTML, PDF) for every report printed."""
    out = tmp_path_factory.mktemp("print")
    sample = open_casebook(SAMPLE)
    pages = _reports(sample, "sample", _largest_cases(sample, 6), SAMPLE_FORUM,
                     date(2027, 1, 7))
    generated = out / "generated"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--quiet",
                    "--cases", "80", "--seed", "3", str(generated)], check=True)
    book = open_casebook(generated)
    pages |= _reports(book, "generated", _largest_cases(book, 3), _busiest_forum(book),
                      date(2027, 2, 25))
    for name, html in pages.items():
        (out / f"{name}.html").write_text(html, encoding="utf-8")

    def pdf(name: str) -> bytes:
        run = print_to_pdf(out / f"{name}.html", out / f"{name}.pdf")
        assert run.returncode == 0, (name, run.stderr[-2000:])
        return (out / f"{name}.pdf").read_bytes()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(pages, zip(pages.values(), pool.map(pdf, pages), strict=True),
                        strict=True))


def test_reports_of_every_kind_are_printed(printed: dict[str, tuple[str, bytes]]) -> None:
    assert len(printed) == 2 * 4 + 6 + 3
    multi = [name for name, (html, pdf) in printed.items() if check_print(html, pdf).pages > 2]
    # The long reports do run over several pages: the checks below see page breaks.
    assert any(n.startswith("generated-OP-") for n in multi), multi
    assert "sample-programme" in multi


def test_no_page_holds_only_the_footer(printed: dict[str, tuple[str, bytes]]) -> None:
    bare = {name: check_print(html, pdf).bare_pages for name, (html, pdf) in printed.items()}
    assert {name: pages for name, pages in bare.items() if pages} == {}


def test_no_heading_is_cut_off_from_what_follows(printed: dict[str, tuple[str, bytes]]) -> None:
    stranded = {name: check_print(html, pdf).stranded for name, (html, pdf) in printed.items()}
    assert {name: pages for name, pages in stranded.items() if pages} == {}


def test_dates_are_never_broken_at_a_hyphen(printed: dict[str, tuple[str, bytes]]) -> None:
    broken = {name: check_print(html, pdf).broken_dates for name, (html, pdf) in printed.items()}
    assert {name: lines for name, lines in broken.items() if lines} == {}


def test_page_count_is_in_proportion(printed: dict[str, tuple[str, bytes]]) -> None:
    for name, (html, pdf) in printed.items():
        check = check_print(html, pdf)
        assert check.pages == 1 or check.content_lines >= LINES_PER_PAGE * check.pages, \
            (name, check.pages, check.content_lines)


def test_the_checks_see_what_they_look_for() -> None:
    """The page reader finds the headings, definitions, footer and marking of a report."""
    html = render(build_programme_report(open_casebook(SAMPLE), AS_OF, Period(),
                                         use_cache=False), "html").text
    texts = page_texts(html)
    assert "Caseload by stage" in texts.headings
    assert any(t.startswith("Every case in the period, counted once") for t in texts.leads)
    assert texts.marking == "OFFICIAL-SENSITIVE"
    assert texts.footer.startswith("Made by prelude from the casebook as of 2026-11-26.")
    assert BROKEN_DATE.search("2026-") and BROKEN_DATE.search("2026-01-")
    assert not BROKEN_DATE.search("2026-01-20") and not BROKEN_DATE.search("16-")
