"""`prelude serve` in a real browser: Chromium driven by Playwright opens the due list,
follows a case, records a contact through the form with the keyboard and the labels alone,
and the file is on disk and the casebook valid; no page logs a console message (a CSP
violation would). Then axe-core checks every page, and every HTML report, for WCAG 2.2 AA.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prelude_cli.book.casebook import open_casebook
from prelude_cli.cli.main import app as cli_app
from prelude_cli.privacy.markings import marking_of
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report
from prelude_cli.reports.render import render

from .conftest import AS_OF, SAMPLE, Server

CASE = "OP-7FM7H9"
DISRUPTION = "OP-1ZPNFX"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def signed_in(browser: Any, server: Server, *, bypass_csp: bool = False) -> Any:
    """A fresh context that has opened the printed URL (and so holds the cookie)."""
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    page.goto(f"{server.url}/?token={server.token}")
    return page


def test_due_list_to_a_case_to_a_written_contact(browser: Any, server: Server) -> None:
    page = signed_in(browser, server)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"error: {e}"))
    assert page.url == f"{server.url}/due"  # the token was dropped from the address
    assert page.locator("h1").inner_text() == "Due list"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"

    page.locator(f'table a[href="/cases/{CASE}"]').first.click()
    assert page.locator("h1").inner_text() == f"Case {CASE}"
    page.get_by_role("link", name="Add a contact").click()

    page.get_by_label("Date").fill("2026-11-25")
    page.get_by_label("Who made the contact").fill("T. Mensah")
    page.get_by_label("Their role").select_option("youth-worker")
    page.get_by_label("How").select_option("phone")
    page.get_by_label("Purpose").select_option("support")
    page.get_by_label("Outcome").select_option("engaged")
    page.get_by_label("Notes (no names)").fill("Talked through the college application.")
    contacts = server.root / "cases" / CASE / "contacts"
    before = set(contacts.iterdir())
    page.get_by_label("Notes (no names)").focus()
    page.keyboard.press("Tab")  # to the button: the form works with the keyboard alone
    assert page.evaluate("document.activeElement.textContent") == "Check and write"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Written"), page.content()[-3000:]
    (new,) = set(contacts.iterdir()) - before
    assert "method: phone" in new.read_text(encoding="utf-8")
    assert new.relative_to(server.root).as_posix() in page.content()
    assert "Not committed yet" in page.content()
    result = CliRunner().invoke(cli_app, ["validate", "-C", str(server.root), "--as-of",
                                          AS_OF.isoformat()])
    assert result.exit_code == 0, result.stdout

    # the case page shows the new contact at once, without a restart
    page.get_by_role("link", name=f"Back to case {CASE}").click()
    assert "Contact (support, phone): engaged" in page.content()
    assert messages == []
    page.context.close()


def test_an_edit_on_disk_shows_without_a_restart(browser: Any, server: Server) -> None:
    page = signed_in(browser, server)
    page.goto(f"{server.url}/cases")
    case_file = server.root / "cases" / DISRUPTION / "case.yaml"
    text = case_file.read_text(encoding="utf-8")
    case_file.write_text(text.replace("area: ", "area: Renamed ", 1), encoding="utf-8")
    try:
        for _ in range(50):  # the file event arrives within moments
            page.goto(f"{server.url}/cases")
            if "Renamed" in page.content():
                break
            page.wait_for_timeout(100)
        assert "Renamed" in page.content()
    finally:
        case_file.write_text(text, encoding="utf-8")
    page.context.close()


def axe_violations(page: Any, source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=source)
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))", AXE_TAGS)
    return found  # type: ignore[no-any-return]


PAGES = ["/due", "/due?overdue=1", "/cases", f"/cases/{CASE}", f"/cases/{DISRUPTION}",
         "/programme", "/programme?from=2026-06-01", "/problems", "/disclosures",
         f"/cases/{CASE}/record/contact",
         f"/cases/{CASE}/record/assessment", f"/cases/{CASE}/record/milestone",
         f"/cases/{DISRUPTION}/record/proportionality-review",
         f"/cases/{CASE}/record/programme-review"]


def test_every_page_meets_wcag_22_aa(browser: Any, server: Server, axe_source: str) -> None:
    page = signed_in(browser, server, bypass_csp=True)  # only so the test can load axe
    found = {}
    for path in PAGES:
        page.goto(server.url + path)
        found[path] = axe_violations(page, axe_source)
    # a refused form, its errors shown by the fields
    page.goto(f"{server.url}/cases/{CASE}/record/contact")
    with page.expect_navigation():
        page.get_by_role("button", name="Check and write").click()
    assert "there is a problem" in page.content()
    found["refused contact form"] = axe_violations(page, axe_source)
    assert {p: v for p, v in found.items() if v} == {}
    page.context.close()


def test_every_html_report_meets_wcag_22_aa(browser: Any, axe_source: str,
                                            tmp_path: Path) -> None:
    book = open_casebook(SAMPLE)
    marking = marking_of(book.settings)
    reports = {"programme": build_programme_report(book, AS_OF, Period())}
    reports.update({c: build_case_report(book, c, AS_OF) for c in book.case_ids()})
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found = {}
    for name, report in reports.items():
        path = tmp_path / f"{name}.html"
        path.write_text(render(report, "html", path.name, marking).text, encoding="utf-8")
        page.goto(path.as_uri())
        found[name] = axe_violations(page, axe_source)
    assert {n: v for n, v in found.items() if v} == {}
    context.close()


def test_the_checker_finds_a_violation(browser: Any, axe_source: str, tmp_path: Path) -> None:
    """An input without a label is caught: the checks above are not vacuous."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><main>"
                   "<input type='text'></main></body></html>", encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(bad.as_uri())
    assert [v["id"] for v in axe_violations(page, axe_source)] == ["label"]
    context.close()


@pytest.mark.parametrize("path", ["/due", f"/cases/{CASE}"])
def test_screenshots(browser: Any, server: Server, path: str, tmp_path: Path) -> None:
    """Each page painted (looked at by eye once; the README's screenshot is made so)."""
    page = signed_in(browser, server)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(server.url + path)
    shot = page.screenshot(full_page=True)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 10_000
    page.context.close()
