"""Protective markings: every report, partner report and export carries the casebook's
marking (with its caveat) at its top and bottom, in every format; none is ever unmarked."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from prelude_cli.book.settings import settings_from_data
from prelude_cli.cli.main import main
from prelude_cli.privacy.markings import Marking, html, markdown, marking_of

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-26"
CASE = "OP-PGN0T7"
MARK = "OFFICIAL-SENSITIVE - PERSONAL <b>&"
VRU = ["--audience", "partner", "--recipient", "violence-reduction-unit", "--purpose",
       "quarterly board"]


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    settings = root / "casebook.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(
        "case_ids:", "protective_marking:\n  marking: OFFICIAL-SENSITIVE\n"
        "  caveat: PERSONAL <b>&\ncase_ids:", 1), encoding="utf-8")
    monkeypatch.setenv("PRELUDE_USER", "A. Analyst")
    monkeypatch.chdir(tmp_path)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


REPORTS = [
    ("report", "case", CASE),
    ("report", "programme"),
    ("report", "programme", *VRU),
]


@pytest.mark.parametrize("report", REPORTS, ids=["case", "programme", "partner-programme"])
def test_markdown_reports_start_and_end_with_the_marking(capsys, book: Path,
                                                         report: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *report, "-C", book, "--as-of", AS_OF, "-f", "md")
    assert code == 0, err
    lines = out.rstrip("\n").split("\n")
    line = r"**OFFICIAL-SENSITIVE - PERSONAL \<b>&**"
    assert (lines[0], lines[-1]) == (line, line)
    # Rendered, it is the marking in bold, as written.
    from markdown_it import MarkdownIt

    assert MarkdownIt("commonmark").render(line) == \
        "<p><strong>OFFICIAL-SENSITIVE - PERSONAL &lt;b&gt;&amp;</strong></p>\n"


@pytest.mark.parametrize("report", REPORTS, ids=["case", "programme", "partner-programme"])
def test_html_reports_carry_it_on_screen_and_on_every_printed_page(
        capsys, book: Path, report: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *report, "-C", book, "--as-of", AS_OF, "-f", "html")
    assert code == 0, err
    escaped = "OFFICIAL-SENSITIVE - PERSONAL &lt;b&gt;&amp;"
    body = out.split("<body>", 1)[1]
    assert body.lstrip().startswith(f'<div class="marking marking-top" role="note">{escaped}')
    assert body.rstrip().endswith(
        f'<div class="marking marking-bottom" role="note">{escaped}</div>\n</body>\n</html>')
    assert "<b>" not in out  # the caveat never becomes markup
    # Printed: the page-margin boxes repeat it at the top and bottom of every page.
    assert "@top-center" in out and "@bottom-center" in out
    assert out.count("content: \"OFFICIAL\\2d SENSITIVE") == 2


@pytest.mark.parametrize("report", REPORTS, ids=["case", "programme", "partner-programme"])
def test_json_reports_name_it(capsys, book: Path, report: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *report, "-C", book, "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    assert json.loads(out)["protective_marking"] == {
        "marking": "OFFICIAL-SENSITIVE", "caveat": "PERSONAL <b>&", "text": MARK}


@pytest.mark.parametrize("audience", [(), VRU], ids=["internal", "partner"])
def test_every_export_format_carries_it(capsys, book: Path, tmp_path: Path,
                                        audience: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    for fmt in ("csv", "jsonl", "sqlite", "xlsx"):
        code, _, err = run(capsys, "export", "-C", book, "--as-of", AS_OF, "--format", fmt,
                           "--out", out / f"prelude.{fmt}", *audience)
        assert code == 0, err
    readme = (out / "prelude.csv" / "README.txt").read_bytes().decode("utf-8").split("\r\n")
    assert (readme[0], readme[-2]) == (MARK, MARK)
    with open(out / "prelude.csv" / "export_info.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["protective_marking"] == MARK
    info = json.loads((out / "prelude.jsonl" / "export_info.jsonl").read_text(encoding="utf-8"))
    assert info["protective_marking"] == MARK
    with sqlite3.connect(out / "prelude.sqlite") as db:
        assert db.execute("SELECT protective_marking FROM export_info").fetchall() == [(MARK,)]
    workbook = openpyxl.load_workbook(out / "prelude.xlsx")
    assert len(workbook.worksheets) > 1
    for sheet in workbook.worksheets:
        # Excel header codes start with '&': a literal one is doubled.
        assert sheet.oddHeader.center.text == MARK.replace("&", "&&"), sheet.title
        assert sheet.oddFooter.center.text == MARK.replace("&", "&&"), sheet.title
        assert sheet.evenHeader.center.text == sheet.firstFooter.center.text


def test_the_default_is_official_sensitive_and_an_error_never_unmarks() -> None:
    assert marking_of(settings_from_data({"format": 2})) == Marking("OFFICIAL-SENSITIVE", "")
    assert marking_of(settings_from_data(None)).text == "OFFICIAL-SENSITIVE"
    official = settings_from_data({"format": 2, "protective_marking": {"marking": "OFFICIAL"}})
    assert marking_of(official).text == "OFFICIAL"


def test_the_sample_report_is_marked_by_default(capsys) -> None:
    code, out, err = run(capsys, "report", "programme", "-C", ROOT / "sample_casebook",
                         "--as-of", AS_OF, "-f", "md", "--no-cache")
    assert code == 0, err
    assert out.startswith("**OFFICIAL-SENSITIVE**\n") and out.endswith(
        "**OFFICIAL-SENSITIVE**\n")


def test_a_bad_marking_is_a_validation_problem(capsys, book: Path) -> None:
    settings = book / "casebook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "marking: OFFICIAL-SENSITIVE", "marking: RESTRICTED"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "-C", book, "--as-of", AS_OF)
    assert code == 1 and "casebook.yaml:13:3: error schema-enum protective_marking.marking" in out


def test_wrappers_keep_the_document_whole() -> None:
    mark = Marking("OFFICIAL")
    assert markdown("# Title\n\ntext\n", mark) == (
        "**OFFICIAL**\n\n# Title\n\ntext\n\n**OFFICIAL**\n")
    page = html("<html><head><style>p {}</style></head><body>\n<p>x</p>\n</body>\n</html>\n",
                mark)
    assert page.count("OFFICIAL</div>") == 2 and page.endswith("</body>\n</html>\n")
    top, bottom = page.index("marking-top\""), page.index("marking-bottom\"")
    assert top < page.index("<p>x</p>") < bottom
