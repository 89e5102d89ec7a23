"""The sample casebook's HTML reports in headless Chromium: every page loads without a
console message (a CSP violation or an error would log one) and its charts are drawn.

Skipped, with the reason shown, only when no Chromium is installed (`.ci/run` installs
Debian's `chromium`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.charts import BAR_COLOUR, LATEST_COLOUR
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import build_programme_report
from prelude_cli.reports.render_html import case_html, programme_html

from .browser import CHROMIUM, MISSING, Run, chromium
from .png import count_colour

SAMPLE = Path(__file__).resolve().parents[2] / "sample_casebook"
AS_OF = date(2026, 11, 26)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)


def console_lines(stderr: str) -> list[str]:
    """What the page logged to its console (Chromium prefixes these with CONSOLE)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


STAGES_OPENED = ("identified", "disruption", "support", "exited")
"""One case of each of these stages is opened: no chart, enforcement, a plan and a star chart,
an exit. Each page costs a browser start, so not all seventeen."""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path, Run]]:
    """name: (stage, page, Chromium's run). The programme report and the first support case
    are screenshot (to see their charts painted); the other pages have their DOM dumped."""
    out = tmp_path_factory.mktemp("html")
    book = open_casebook(SAMPLE)
    pages = {"programme": ("programme", out / "programme.html",
                           programme_html(build_programme_report(book, AS_OF, Period())))}
    for case_id in book.case_ids():
        report = build_case_report(book, case_id, AS_OF)
        stage = report.case["stage"]
        if stage in STAGES_OPENED and stage not in {s for s, _, _ in pages.values()}:
            pages[case_id] = (stage, out / f"{case_id}.html", case_html(report))
    for _, path, html in pages.values():
        path.write_text(html, encoding="utf-8")

    def open_page(name: str) -> Run:
        stage, path, _ = pages[name]
        if stage in ("programme", "support"):
            return chromium(path, f"--screenshot={out / (name + '.png')}",
                            "--window-size=900,5000")
        return chromium(path, "--dump-dom")

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(pages, pool.map(open_page, pages), strict=True))
    return {name: (stage, path, done[name]) for name, (stage, path, _) in pages.items()}


def test_every_page_loads_without_a_console_message(runs: dict[str, tuple[str, Path, Run]]) -> None:
    assert {stage for stage, _, _ in runs.values()} == {"programme", *STAGES_OPENED}
    for name, (_, _, run) in runs.items():
        assert run.returncode == 0, (name, run.stderr[-2000:])
        assert console_lines(run.stderr) == [], name


def test_dumped_pages_are_whole(runs: dict[str, tuple[str, Path, Run]]) -> None:
    for name, (stage, _, run) in runs.items():
        if stage in ("programme", "support"):
            continue
        dom = run.stdout
        assert dom.lstrip().lower().startswith("<!doctype html>") and "</html>" in dom, name
        assert "<footer>" in dom, name


def test_charts_are_painted(runs: dict[str, tuple[str, Path, Run]]) -> None:
    """The programme report's bars and the orange outline of the latest assessment in a
    case's star chart (the only places those colours are used) show in the screenshots."""
    for name, (stage, path, _) in runs.items():
        if stage not in ("programme", "support"):
            continue
        colour, enough = (BAR_COLOUR, 10_000) if stage == "programme" else (LATEST_COLOUR, 500)
        shot = path.with_suffix(".png")
        assert shot.exists(), name
        assert count_colour(shot.read_bytes(), colour, enough) >= enough, name


def test_the_detector_sees_console_errors(tmp_path: Path) -> None:
    """The check above would catch a page that breaks its own policy."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><meta http-equiv='Content-Security-Policy' "
                   "content=\"default-src 'none'\"><script>console.log(1)</script>",
                   encoding="utf-8")
    assert console_lines(chromium(bad, "--dump-dom").stderr)
