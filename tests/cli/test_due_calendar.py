"""`due-reviews --format ics`: a calendar that stays right when it is imported again or
subscribed to: one UID per outstanding item, SEQUENCE that grows as the due date moves, and
DTSTAMP the time the file was made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from prelude_cli.cli.main import app

runner = CliRunner()
CID = "OP-7K3M9Q"
DISRUPTION = f"cases/{CID}/disruption.yaml"
DECLINED = {
    f"cases/{CID}/contacts/2026-01-20-ab12.yaml": """
        date: '2026-01-20'
        by: Youth worker T. Mensah
        method: in-person
        purpose: engage-and-explain
        outcome: declined
        messages: [concern, consequences, police-priority, offer]
    """,
    DISRUPTION: """
        opened: '2026-01-22'
        lead: DS 1190 Okafor
        tactics:
          - {tactic: bail-checks, agency: police, from: '2026-01-22'}
        reviews:
          - {date: '2026-02-19', reviewer: Insp 602 Rowe, decision: continue, rationale: r}
    """,
}
REVIEWED_AGAIN = DECLINED[DISRUPTION].rstrip(" ") + (
    "          - {date: '2026-03-15', reviewer: Insp 602 Rowe, decision: continue, "
    "rationale: r}\n")


def events(root: Path, as_of: str) -> dict[str, object]:
    result = runner.invoke(app, ["due-reviews", "-C", str(root), "--as-of", as_of, "--within", "6w",
                                 "--format", "ics"])
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_a_review_done_moves_the_same_event(casebook: Callable[..., Path]) -> None:
    before = events(casebook(DECLINED), "2026-03-16")
    uid = f"{CID}-proportionality-review@prelude"
    assert before[uid].decoded("dtstart").isoformat() == "2026-03-19"
    after = events(casebook({**DECLINED, DISRUPTION: REVIEWED_AGAIN}), "2026-03-16")
    # the same UID, so an imported calendar updates the event rather than keeping a stale copy
    assert after[uid].decoded("dtstart").isoformat() == "2026-04-12"
    assert int(after[uid]["sequence"]) > int(before[uid]["sequence"])
    assert set(after) == set(before)


def test_dtstamp_is_when_the_file_was_made(casebook: Callable[..., Path]) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    made = events(casebook(DECLINED), "2026-03-10")
    end = datetime.now(UTC) + timedelta(seconds=1)
    for event in made.values():
        stamp = event.decoded("dtstamp")  # type: ignore[attr-defined]
        assert start <= stamp <= end, stamp  # not the as-of date at midnight
        assert stamp.utcoffset() == timedelta(0)


def test_the_calendar_docs_say_how_to_subscribe_and_how_to_import() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "due-reviews.md").read_text(
        encoding="utf-8")
    assert "Subscribe" in text and "Import" in text
    assert "SEQUENCE" in text and "DTSTAMP" in text
