"""Small wording and consistency items a person meets: an empty due window, refused values,
Ctrl-C, a decision with no sources."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prelude_cli.cli import export as export_cli
from prelude_cli.cli.main import app, main

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


def due(root: Path, as_of: str, *args: str) -> list[tuple[str, str]]:
    result = runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", as_of,
                                 "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [(i["kind"], i["status"]) for i in json.loads(result.stdout)["items"]]


def test_within_0d_lists_what_is_due_today_or_overdue(casebook: Callable[..., Path]) -> None:
    root = casebook(DECLINED)
    # the proportionality review falls due on 2026-03-19; the revisit was due 2026-02-17
    assert due(root, "2026-03-19", "--within", "0d") == [
        ("revisit", "overdue"), ("proportionality-review", "due-soon")]
    assert due(root, "2026-03-18", "--within", "0 days") == [("revisit", "overdue")]


def test_a_review_interval_of_zero_is_still_refused() -> None:
    from prelude_cli.book.settings import IntervalError, parse_interval

    with pytest.raises(IntervalError):
        parse_interval("0d")
    assert parse_interval("0d", allow_zero=True).days == 0


def test_a_refused_choice_reads_plainly(casebook: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["due-reviews", "-C", str(casebook()), "--kind", "nonsense"])
    assert result.exit_code == 2
    assert "'nonsense' is not one of 'fix-documents'" in " ".join(result.output.split())
    assert "Value error" not in result.output


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_.value.code or 0), captured.out, captured.err


def test_ctrl_c_is_one_line_and_exit_130(casebook: Callable[..., Path],
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from prelude_cli.read import engine

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "load_case", interrupted)
    code, out, err = run_main(["validate", "-C", str(casebook()), "--no-cache"], capsys)
    assert (code, out, err) == (130, "", "prelude: interrupted\n")


def test_an_export_interrupted_once_complete_is_kept_and_exits_0(
        casebook: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C just as the summary is printed: the export is in place, so the command says so
    and exits 0, rather than printing "exported" and returning 130."""
    printed = export_cli.out

    def out_then_ctrl_c(text: str = "") -> None:
        printed(text)
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(export_cli, "out", out_then_ctrl_c)
    target = tmp_path / "exports" / "book.sqlite"
    code, out, err = run_main(["export", "-C", str(casebook()), "--out", str(target),
                               "--as-of", "2026-03-10"], capsys)
    assert code == 0, err
    assert out.startswith("exported 1 cases")
    assert target.is_file()
    assert err == f"prelude: interrupted after the export was complete; it is kept at {target}\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_export_interrupted_before_it_is_complete_leaves_nothing(
        casebook: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def ctrl_c_while_reading(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(export_cli, "export_casebook", ctrl_c_while_reading)
    target = tmp_path / "exports" / "book.sqlite"
    code, out, err = run_main(["export", "-C", str(casebook()), "--out", str(target)], capsys)
    assert (code, out, err) == (130, "", "prelude: interrupted\n")
    assert not target.exists()
