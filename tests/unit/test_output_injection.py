"""Text from documents and names from the file system never reach a terminal, a CI log, a
spreadsheet or a calendar as markup or escape sequences.

Document text that passes validation can still hold rich markup, formula starts and
Markdown; file and folder names can hold anything a clone carries (escape sequences, bidi
overrides, bytes that are not UTF-8). Both are tried through every output format that exists,
and the renderers are also fed hostile strings directly (validation refuses most of them in
document text, so only a direct call reaches them).
"""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import CASE_DIR as C
from conftest import CASE_ID, MINIMAL_FLAT
from rich.console import Console
from typer.testing import CliRunner

from prelude_cli.book import textsafe
from prelude_cli.book.problems import Problem, error
from prelude_cli.checks.validation import ValidationResult
from prelude_cli.cli.main import app, main
from prelude_cli.due.reviews import DueItem, DueReport
from prelude_cli.reporters import REPORTERS, GithubReporter
from prelude_cli.reporters import due as due_reporters

runner = CliRunner()

CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;http://x.invalid/\x1b\\click\x1b]8;;\x1b\\"
BIDI = "abc\u202edcba"
MARKUP = "[bold red]x[/]"
NOT_UTF8 = "\udcff"  # how Python reads a file name byte that is not UTF-8
HOSTILE = (CLEAR, OSC8, BIDI, "\x07bell", "\x9bC1", "zero\u200bwidth", "\u2028sep", NOT_UTF8)
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b", "\u2028", "\udcff")
"""Characters that must never appear raw in any output."""


def assert_clean(text: str) -> None:
    for ch in RAW:
        assert ch not in text, f"U+{ord(ch):04X} reached the output raw"


# --- textsafe -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_replaces_every_dangerous_character(text: str) -> None:
    safe = textsafe.terminal(text)
    assert_clean(safe)
    assert "\ufffd" in safe


def test_terminal_keeps_tabs_newlines_and_ordinary_text() -> None:
    assert textsafe.terminal("PC 4471 Hart\tSlough\nCafé – ✓ [b]x[/b]") == \
        "PC 4471 Hart\tSlough\nCafé – ✓ [b]x[/b]"


@pytest.mark.parametrize("text", HOSTILE)
def test_json_text_escapes_without_changing_the_data(text: str) -> None:
    out = textsafe.json_text(json.dumps({"k": text}, ensure_ascii=False))
    assert_clean(out)
    assert json.loads(out)["k"] == text


@pytest.mark.parametrize("text", [*HOSTILE, MARKUP, "# heading", "a|b", "<b>x</b>", "`x`",
                                  "line\nbreak"])
def test_markdown_cell_is_literal_and_on_one_line(text: str) -> None:
    cell = textsafe.markdown_cell(text)
    assert_clean(cell)
    assert "\n" not in cell
    # What is markup anywhere in a line is escaped wherever it stands; `>` and `#` start a
    # quote or heading only at a line's start, which a table cell has not (rendered in
    # tests/unit/test_textsafe_markdown.py).
    for ch in "|[]<`":
        assert cell.count(ch) == cell.count("\\" + ch)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_spreadsheet_formulas_are_neutralised(text: str) -> None:
    assert textsafe.spreadsheet(text) == "'" + text
    assert textsafe.spreadsheet(3) == 3


# --- validate: hostile names from the file system ---------------------------------------------

def hostile_names(root: Path) -> list[str]:
    """Stray files whose names carry escape sequences, a bidi override and a non-UTF-8 byte."""
    folder = root / C
    made = []
    for name in (f"{CLEAR}.yaml", f"{BIDI}.txt", "osc\x1b]8;;http:\x1b\\.md"):
        try:
            (folder / name).write_text("x", encoding="utf-8")
            made.append(name)
        except (OSError, UnicodeEncodeError):
            pass
    if os.name == "posix":
        try:
            with open(os.path.join(os.fsencode(folder), b"\xff.yaml"), "wb") as fh:
                fh.write(b"x")
            made.append(os.fsdecode(b"\xff.yaml"))
        except OSError:
            pass
    if not made:
        pytest.skip("this file system refuses every hostile name")
    return made


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_validate_output_is_safe_whatever_the_file_names(casebook: Callable[..., Path],
                                                         fmt: str) -> None:
    root = casebook()
    names = hostile_names(root)
    result = runner.invoke(app, ["validate", "-C", str(root), "--as-of", "2026-11-26",
                                 "--no-cache", "--format", fmt])
    assert result.exit_code == 0, result.output  # stray files are warnings
    assert_clean(result.stdout)
    assert "Traceback" not in result.output
    if fmt == "json":  # lossless: a script reads back the real names
        paths = {p["path"] for p in json.loads(result.stdout)["problems"]}
        assert paths == {f"{C}/{n}" for n in names}
    elif fmt == "junit":
        ET.fromstring(result.stdout)  # still well-formed XML
    elif fmt == "text":
        assert result.stdout.count("unexpected-file") == len(names)


def test_reporters_fed_hostile_problems_directly() -> None:
    problems = [error(f"cases/{text}/case.yaml", "yaml-syntax", f"msg {text}", 1, 1)
                for text in HOSTILE]
    result = ValidationResult(problems, 1, [p.path for p in problems])
    for name, reporter in REPORTERS.items():
        out = (GithubReporter("sub") if name == "github" else reporter()).render(result)
        assert_clean(out)
        if name == "json":
            assert [p["message"] for p in json.loads(out)["problems"]] == [
                f"msg {t}" for t in HOSTILE]
        if name == "junit":
            ET.fromstring(out)
        if name == "github":  # one workflow command per problem: no newline smuggled in
            assert len(out.strip().splitlines()) == len(problems) + 1


# --- due-reviews: document text that passes validation ------------------------------------------

def markup_case(casebook: Callable[..., Path]) -> Path:
    """A valid case whose officer and area hold rich markup, a formula and Markdown."""
    return casebook({f"{C}/case.yaml": MINIMAL_FLAT[f"{C}/case.yaml"]
                     .replace("PC 4471 Hart", f"'{MARKUP} =cmd|x'")
                     .replace("Slough", "'# [link](http://x.invalid) <b>'")})


def due(root: Path, fmt: str) -> str:
    result = runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", "2026-11-26",
                                 "--no-cache", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def test_the_markup_case_is_valid(casebook: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["validate", "-C", str(markup_case(casebook)), "--as-of",
                                 "2026-11-26", "--no-cache"])
    assert result.exit_code == 0, result.output


def test_rich_markup_in_document_text_is_printed_literally(casebook: Callable[..., Path]) -> None:
    table = due(markup_case(casebook), "table")
    assert MARKUP in table  # shown as typed, not turned into red bold text


def test_markup_in_document_text_through_every_due_format(casebook: Callable[..., Path]) -> None:
    root = markup_case(casebook)
    items = json.loads(due(root, "json"))["items"]
    assert items and items[0]["officer"] == f"{MARKUP} =cmd|x"
    rows = list(csv.DictReader(io.StringIO(due(root, "csv"))))
    assert rows[0]["officer"] == f"{MARKUP} =cmd|x"  # not a formula: starts with '['
    md = due(root, "md")
    assert "\\[bold red\\]x\\[/\\] =cmd\\|x" in md
    assert "[link](" not in md
    from icalendar import Calendar

    events = list(Calendar.from_ical(due(root, "ics")).walk("VEVENT"))
    assert f"Officer: {MARKUP} =cmd|x" in str(events[0]["description"])


def hostile_report() -> DueReport:
    items = [DueItem(f"OP-{i}{text}", "revisit", date(2026, 1, 1), f"=HYPERLINK(\"x\"){text}",
                     "declined", f"detail {text}", f"cases/{text}/x.yaml")
             for i, text in enumerate(HOSTILE)]
    return DueReport(date(2026, 11, 26), 14, items)


@pytest.mark.parametrize("fmt", sorted(due_reporters.TEXT_RENDERERS))
def test_due_renderers_fed_hostile_strings_directly(fmt: str) -> None:
    report = hostile_report()
    out = due_reporters.TEXT_RENDERERS[fmt](report)
    assert_clean(out)
    if fmt == "json":
        assert [i["detail"] for i in json.loads(out)["items"]] == [
            f"detail {t}" for t in HOSTILE]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == len(HOSTILE)
        assert all(r["officer"].startswith("'=") for r in rows)
    if fmt == "ics":
        from icalendar import Calendar

        assert len(list(Calendar.from_ical(out).walk("VEVENT"))) == len(HOSTILE)


def test_due_table_fed_hostile_strings_directly() -> None:
    buf = io.StringIO()
    Console(file=buf, width=200, no_color=True, force_terminal=False,
            markup=False).print(due_reporters.render_table(hostile_report()))
    assert_clean(buf.getvalue())
    assert "HYPERLINK" in buf.getvalue()


# --- doctor and messages on stderr -----------------------------------------------------------

def test_doctor_and_errors_print_hostile_paths_safely(casebook: Callable[..., Path],
                                                      tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    try:
        hostile = tmp_path / f"book{CLEAR}{BIDI}"
        hostile.mkdir()
    except OSError:
        pytest.skip("this file system refuses the name")
    root = casebook()
    for p in root.iterdir():
        p.rename(hostile / p.name)
    doctor = runner.invoke(app, ["doctor", "-C", str(hostile)])
    assert_clean(doctor.stdout)
    assert str(tmp_path) in doctor.stdout
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "-C", str(hostile / "nowhere")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "no casebook.yaml in" in err
    assert_clean(err)


def test_a_clean_problem_line_is_unchanged() -> None:
    p = Problem(f"{C}/case.yaml", 3, 5, "error", "schema-enum", "age_band is not one of …")
    out = REPORTERS["text"]().render(ValidationResult([p], 1, [p.path]))
    assert out.splitlines()[0] == (f"{C}/case.yaml:3:5: error schema-enum age_band is not one "
                                   "of …")
    assert CASE_ID in out
