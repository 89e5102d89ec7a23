"""`prelude due-reviews`: every format carries the same items; the CI gate; usage errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from prelude_cli.cli.main import app

runner = CliRunner()
CID = "OP-7K3M9Q"
DECLINED = {
    f"cases/{CID}/contacts/2026-01-20-ab12.yaml": """
        date: '2026-01-20'
        by: Youth worker T. Mensah
        method: in-person
        purpose: engage-and-explain
        outcome: declined
        messages: [concern, consequences, police-priority, offer]
    """,
    f"cases/{CID}/disruption.yaml": """
        opened: '2026-01-22'
        lead: DS 1190 Okafor
        tactics:
          - {tactic: bail-checks, agency: police, from: '2026-01-22'}
        reviews:
          - {date: '2026-02-19', reviewer: Insp 602 Rowe, decision: continue, rationale: r}
    """,
}


def invoke(root, *args: str):
    return runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", "2026-03-10", *args])


@pytest.fixture
def root(casebook):
    return casebook(DECLINED)


def items_json(root, *args: str) -> list[dict]:
    result = invoke(root, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2026-03-10"
    return payload["items"]


def test_json_contract_and_order(root) -> None:
    items = items_json(root, "--within", "4w")
    assert [(i["kind"], i["due"], i["status"]) for i in items] == [
        ("revisit", "2026-02-17", "overdue"),
        ("proportionality-review", "2026-03-19", "due-soon"),
    ]
    assert list(items[0]) == ["case", "kind", "due", "status", "days_overdue", "officer",
                              "stage", "detail", "source", "incomplete"]
    assert items[0]["days_overdue"] == 21
    assert items[1]["days_overdue"] == -9
    assert items[0]["source"] == f"cases/{CID}/contacts/2026-01-20-ab12.yaml"


def test_window_default_is_the_casebook_setting(root) -> None:
    assert [i["kind"] for i in items_json(root)] == ["revisit", "proportionality-review"]
    assert [i["kind"] for i in items_json(root, "--within", "1d")] == ["revisit"]


def test_all_formats_carry_the_same_items(root) -> None:
    from icalendar import Calendar

    expected = [(i["case"], i["kind"], i["due"]) for i in items_json(root)]
    rows = list(csv.DictReader(io.StringIO(invoke(root, "--format", "csv").stdout)))
    assert [(r["case"], r["kind"], r["due"]) for r in rows] == expected
    cal = Calendar.from_ical(invoke(root, "--format", "ics").stdout)
    events = list(cal.walk("VEVENT"))
    assert [(str(e["uid"]).split("-")[0] + "-" + str(e["uid"]).split("-")[1],
             e.decoded("dtstart").isoformat()) for e in events] == [(c, d) for c, _, d in expected]
    assert [str(e["categories"].cats[0]) for e in events] == [k for _, k, _ in expected]
    md = invoke(root, "--format", "md").stdout
    for case, kind, due in expected:
        assert f"| {case} | {kind} | {due} |" in md
    table = invoke(root).stdout
    for _, _kind, due in expected:
        assert due in table


def test_ics_uids_are_stable(root) -> None:
    def without_stamp(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if not line.startswith("DTSTAMP"))

    first = invoke(root, "--format", "ics").stdout
    second = invoke(root, "--format", "ics").stdout
    assert without_stamp(first) == without_stamp(second)
    assert f"UID:{CID}-revisit@prelude" in first


def test_fail_on_overdue(root) -> None:
    assert invoke(root, "--fail-on-overdue", "--format", "json").exit_code == 1
    assert invoke(root, "--fail-on-overdue", "--kind", "proportionality-review").exit_code == 0
    assert invoke(root, "--format", "csv").exit_code == 0


def test_filters(root) -> None:
    assert items_json(root, "--overdue-only")[0]["kind"] == "revisit"
    assert len(items_json(root, "--overdue-only")) == 1
    assert items_json(root, "--officer", "nobody") == []
    assert len(items_json(root, "--case", CID)) == 2
    assert items_json(root, "--stage", "support") == []


@pytest.mark.parametrize("args", [["--within", "soon"], ["--kind", "nap"],
                                  ["--as-of", "2026-02-30"]])
def test_usage_errors_exit_2(root, args: list[str]) -> None:
    result = runner.invoke(app, ["due-reviews", "-C", str(root), *args])
    assert result.exit_code == 2


def test_document_text_cannot_break_markdown_or_csv(casebook) -> None:
    root = casebook({f"cases/{CID}/case.yaml": f"""
        id: {CID}
        officer: "=HYPERLINK(1)|[bold]x"
        area: Slough
        concerns: [knife-crime]
        age_band: under-18
    """})
    md = runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", "2026-11-26",
                             "--format", "md"]).stdout
    assert "=HYPERLINK(1)\\|\\[bold\\]x" in md
    out = runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", "2026-11-26",
                              "--format", "csv"]).stdout
    assert next(csv.DictReader(io.StringIO(out)))["officer"].startswith("'=")


def test_broken_settings_are_refused_not_replaced_by_defaults(tmp_path, capsys) -> None:  # noqa: ANN001
    """With an error in casebook.yaml the review intervals are unknown: listing due dates from
    the defaults could show a review as not yet due, so due-reviews, report and export stop."""
    import shutil
    from pathlib import Path

    from prelude_cli.cli.main import main

    root = tmp_path / "book"
    sample = Path(__file__).resolve().parents[2] / "sample_casebook"
    shutil.copytree(sample, root, ignore=shutil.ignore_patterns(".prelude-cache"))
    with open(root / "casebook.yaml", "a", encoding="utf-8") as fh:
        fh.write("review_policy: {first-contact: 'one day'}\n")
    for args in (["due-reviews"], ["report", "programme"], ["export", "--format", "jsonl",
                                                            "--out", str(tmp_path / "x")]):
        with pytest.raises(SystemExit) as raised:
            main([*args, "-C", str(root), "--as-of", "2026-11-26"])
        assert raised.value.code == 1, args
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "casebook.yaml:" in captured.err and "free of errors" in captured.err
    assert not (tmp_path / "x").exists()


def test_an_unknown_case_is_a_usage_error_not_nothing_due(capsys) -> None:  # noqa: ANN001
    from pathlib import Path

    from prelude_cli.cli.main import main

    sample = Path(__file__).resolve().parents[2] / "sample_casebook"
    with pytest.raises(SystemExit) as raised:
        main(["due-reviews", "-C", str(sample), "--case", "OP-NOPE00", "--as-of", "2026-11-26"])
    assert raised.value.code == 2
    assert "no case OP-NOPE00" in capsys.readouterr().err
