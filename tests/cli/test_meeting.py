"""`prelude meeting pack` against the sample casebook counted by hand, and `prelude meeting
record`: every decision of a filled sheet written, or (one bad entry) nothing at all."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from prelude_cli.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_casebook"
AS_OF = "2026-11-26"
MEETING = "2026-12-03"
NEXT = "2027-01-07"
SLOUGH = "Slough Serious Violence tasking"
MK = "Milton Keynes Exploitation and Serious Violence panel"
READING = "Reading Violence Reduction partnership meeting"
OXFORD = "Oxford Serious Violence Duty tasking"
WYCOMBE = "Wycombe Community Safety Partnership tasking"

# Counted from the sample's files, for a meeting on 2026-12-03 with the next on 2027-01-07:
# - OP-1ZPNFX (Slough): disruption plan open, last review 2026-10-20, due 2026-11-17.
# - OP-G4CZVY (MK): plan open, last review 2026-11-10, due 2026-12-08: before the next meeting.
# - OP-959KQ3 (MK): exited 2026-11-06, no evaluation yet.
# - OP-83ADME (Reading): deferred, review_by 2026-11-17.
# - OP-S0WF2J (Oxford): not included 2026-05-12; 3 months have passed.
# The other exits are evaluated; OP-NTK6Z3 (Wycombe) was deferred, then included.
EXPECTED = {
    SLOUGH: [("proportionality-review", "OP-1ZPNFX")],
    MK: [("proportionality-review", "OP-G4CZVY"), ("exit-evaluation", "OP-959KQ3")],
    READING: [("deferral-review", "OP-83ADME")],
    OXFORD: [("re-presentation", "OP-S0WF2J")],
    WYCOMBE: [],
}


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".prelude-*"))
    monkeypatch.setenv("PRELUDE_USER", "A. Analyst")
    monkeypatch.chdir(tmp_path)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def pack(capsys, root: Path, forum: str, *extra: str, as_of: str = AS_OF) -> dict:
    code, out, err = run(capsys, "meeting", "pack", "-C", root, "--forum", forum, "--date",
                         MEETING, "--as-of", as_of, "-f", "json", *extra)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("forum", list(EXPECTED))
def test_the_pack_holds_exactly_the_hand_counted_items(capsys, forum: str) -> None:
    data = pack(capsys, SAMPLE, forum, "--next", NEXT)
    assert [(i["kind"], i["case"]) for i in data["items"]] == EXPECTED[forum]
    assert [i["item"] for i in data["items"]] == list(range(1, len(EXPECTED[forum]) + 1))
    assert data["protective_marking"]["text"] == "OFFICIAL-SENSITIVE"


def test_without_next_only_what_is_due_by_the_meeting(capsys) -> None:
    data = pack(capsys, SAMPLE, MK.upper())  # the forum's name in any letter case
    assert [(i["kind"], i["case"]) for i in data["items"]] == [
        ("exit-evaluation", "OP-959KQ3")]


def test_facts_only_no_free_text(capsys) -> None:
    data = pack(capsys, SAMPLE, READING, "--next", NEXT)
    item = data["items"][0]
    assert item["allowed"] == ["include", "not-include", "defer"]
    assert item["facts"]["latest_decision"] == {"date": "2026-05-19", "decision": "defer",
                                                "review_by": "2026-11-17"}
    ident = yaml.safe_load((SAMPLE / "cases/OP-83ADME/identification.yaml").read_text("utf-8"))
    text = json.dumps(data)
    for decision in ident["decisions"]:
        assert decision["rationale"] not in text


def test_an_area_filter_narrows_the_pack(capsys) -> None:
    data = pack(capsys, SAMPLE, MK, "--next", NEXT, "--area", "Slough")
    assert data["items"] == [] and data["filters"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_pack_formats_are_marked(capsys, fmt: str) -> None:
    code, out, err = run(capsys, "meeting", "pack", "-C", SAMPLE, "--forum", MK, "--date",
                         MEETING, "--next", NEXT, "--as-of", AS_OF, "-f", fmt)
    assert code == 0, err
    assert "OP-G4CZVY" in out and "OP-959KQ3" in out
    if fmt == "md":
        assert out.startswith("**OFFICIAL-SENSITIVE**\n") and out.endswith(
            "**OFFICIAL-SENSITIVE**\n")
    else:
        assert out.count('role="note">OFFICIAL-SENSITIVE</div>') == 2 and "@top-center" in out


def sheet(capsys, root: Path, tmp_path: Path, forum: str) -> tuple[Path, dict]:
    path = tmp_path / "sheet.yaml"
    code, _, err = run(capsys, "meeting", "pack", "-C", root, "--forum", forum, "--date",
                       MEETING, "--next", NEXT, "--as-of", AS_OF, "--sheet", path, "--force")
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# OFFICIAL-SENSITIVE\n") and text.endswith("# OFFICIAL-SENSITIVE\n")
    return path, yaml.safe_load(text)


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".prelude-cache" not in p.parts}


def fill(path: Path, data: dict, **items: dict) -> None:
    data["recorded_by"] = "A. Analyst"
    data["attendees"] = ["police", "youth-justice"]
    for entry in data["items"]:
        entry.update(items.get(entry["case"], {}))
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_a_filled_sheet_is_recorded_in_one_go(capsys, book: Path, tmp_path: Path) -> None:
    path, data = sheet(capsys, book, tmp_path, MK)
    fill(path, data,
         **{"OP-G4CZVY": {"decision": "continue", "rationale": "Partners agree it stays "
                          "proportionate"},
            "OP-959KQ3": {"decision": "evaluated", "rationale": "Short time on the "
                          "programme; the exit plan signposted support"}})
    code, out, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING,
                         "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["written"] and [(r["case"], r["decision"]) for r in result["recorded"]] == [
        ("OP-G4CZVY", "continue"), ("OP-959KQ3", "evaluated")]
    plan = yaml.safe_load((book / "cases/OP-G4CZVY/disruption.yaml").read_text("utf-8"))
    assert plan["reviews"][-1] | {"id": None} == {
        "id": None, "date": MEETING, "reviewer": "A. Analyst", "decision": "continue",
        "rationale": "Partners agree it stays proportionate"}
    exit_doc = yaml.safe_load((book / "cases/OP-959KQ3/exit.yaml").read_text("utf-8"))
    assert exit_doc["evaluation"]["by"] == "A. Analyst"
    assert run(capsys, "validate", "-C", book, "--as-of", MEETING)[0] == 0
    # The evaluation is off the agenda; the plan's next review (28 days on, 2026-12-31)
    # still falls before the next meeting.
    after = pack(capsys, book, MK, "--next", NEXT, as_of=MEETING)["items"]
    assert [(i["kind"], i["case"], i["due"]) for i in after] == [
        ("proportionality-review", "OP-G4CZVY", "2026-12-31")]


def test_one_bad_entry_writes_nothing(capsys, book: Path, tmp_path: Path) -> None:
    path, data = sheet(capsys, book, tmp_path, MK)
    fill(path, data,
         **{"OP-G4CZVY": {"decision": "continue", "rationale": "Still proportionate"},
            "OP-959KQ3": {"decision": "evaluated", "rationale": ""}})  # no rationale
    before = tree(book)
    code, _, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    assert code == 1
    assert "sheet.yaml:" in err and "meeting-sheet a rationale is required" in err
    assert "nothing written" in err
    assert tree(book) == before


def test_a_decision_outside_the_vocabulary_is_refused_with_its_line(
        capsys, book: Path, tmp_path: Path) -> None:
    path, data = sheet(capsys, book, tmp_path, MK)
    fill(path, data, **{"OP-G4CZVY": {"decision": "maybe", "rationale": "x"}})
    before = tree(book)
    code, _, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "decision: maybe" in text)
    assert code == 1 and f"sheet.yaml:{line}:" in err and "continue, amend, stop" in err
    assert tree(book) == before


def test_an_entry_that_would_leave_an_error_writes_nothing(capsys, book: Path,
                                                           tmp_path: Path) -> None:
    """An include needs an approach role (as `case decide` does): the builder refuses."""
    path, data = sheet(capsys, book, tmp_path, READING)
    fill(path, data, **{"OP-83ADME": {"decision": "include", "rationale": "Now ready"}})
    before = tree(book)
    code, _, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    assert code == 1 and "approach role" in err
    assert tree(book) == before


def test_defer_again_with_a_review_date_and_carry_over(capsys, book: Path,
                                                       tmp_path: Path) -> None:
    path, data = sheet(capsys, book, tmp_path, READING)
    fill(path, data, **{"OP-83ADME": {"decision": "defer", "rationale": "Awaiting the YJS "
                                      "assessment", "review_by": "2027-01-07"}})
    code, _, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    assert code == 0, err
    ident = yaml.safe_load((book / "cases/OP-83ADME/identification.yaml").read_text("utf-8"))
    latest = ident["decisions"][-1]
    assert (latest["decision"], latest["forum"], latest["review_by"], latest["attendees"]) == (
        "defer", READING, "2027-01-07", ["police", "youth-justice"])
    # Left undecided, an item is carried over and nothing is written for it.
    path, data = sheet(capsys, book, tmp_path, MK)
    before = tree(book)
    fill(path, data)
    code, out, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    assert code == 0, err
    assert out.count("carried over") == 2 and tree(book) == before


def test_an_unknown_case_is_a_problem(capsys, book: Path, tmp_path: Path) -> None:
    path, data = sheet(capsys, book, tmp_path, MK)
    fill(path, data, **{"OP-G4CZVY": {"case": "OP-ZZZZZZ", "decision": "continue",
                                      "rationale": "x"}})
    code, _, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    assert code == 1 and "no case 'OP-ZZZZZZ'" in err


def test_the_documented_meeting_runs_as_written(capsys, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/meeting.md's walk-through, in an empty folder: init --sample, the intake, the pack
    and sheet (holding the items the filled sheet shown there answers), recording that sheet,
    a case opened from the intake, and a clean validate."""
    import re
    import shlex

    doc = (ROOT / "docs" / "meeting.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- meeting-example -->\n```\n(.*?)```\n", doc, re.S)
    filled = re.search(r"<!-- filled-sheet -->\n```yaml\n(.*?)```\n", doc, re.S)
    assert block and filled, "docs/meeting.md lost its worked example"
    monkeypatch.chdir(tmp_path)
    commands = [shlex.split(line)[1:] for line in block.group(1).splitlines() if line]
    assert [c[:2] for c in commands] == [
        ["init", "--sample"], ["intake", "try-prelude/extracts/dashboard-2026-11.csv"],
        ["meeting", "pack"], ["meeting", "record"], ["case", "new"], ["validate", "-C"]]
    for command in commands[:3]:
        code, out, err = run(capsys, *command)
        assert code == 0, err
    made = yaml.safe_load((tmp_path / "mk-2026-12-03.yaml").read_text(encoding="utf-8"))
    shown = yaml.safe_load(filled.group(1))
    keys = ("item", "case", "row", "key", "kind", "question", "allowed")
    assert [{k: i.get(k) for k in keys} for i in made["items"]] == [
        {k: i.get(k) for k in keys} for i in shown["items"]]
    assert "SVD-3101" in (tmp_path / "mk-2026-12-03.md").read_text(encoding="utf-8")
    (tmp_path / "mk-2026-12-03.yaml").write_text(filled.group(1), encoding="utf-8")
    code, out, err = run(capsys, *commands[3])
    assert code == 0, err
    new_id = re.compile(r"OP-[0-9A-Z]{6}(?=\S* \(row|/)")
    shown_lines = {new_id.sub("OP-NEW", line) for line in doc.splitlines()}
    for line in out.splitlines():
        assert new_id.sub("OP-NEW", line) in shown_lines, line
    code, out, err = run(capsys, *commands[4])
    assert code == 0, err
    code, out, err = run(capsys, *commands[5])
    assert code == 0, out + err
    code, out, err = run(capsys, "intake", "try-prelude/extracts/dashboard-2026-11.csv", "-C",
                         "try-prelude", "--as-of", "2026-12-10", "-f", "json")
    assert json.loads(out)["counts"] == {"new": 0, "on-programme": 4, "deferred": 2,
                                         "not-included": 1, "exited": 1}


def test_a_decline_comes_back_and_an_include_is_recorded_with_its_approach(
        capsys, book: Path, tmp_path: Path) -> None:
    """OP-2N4RJP (Slough, included) declines on 2026-11-30 and no plan opens: 28 days on it
    is on the Slough agenda as a decision review; the meeting includes them again."""
    code, _, err = run(capsys, "contact", "add", "OP-2N4RJP", "-C", book, "--as-of",
                       "2026-11-30", "--by", "T. Mensah", "--role",
                       "youth-worker-lived-experience", "--method", "in-person", "--purpose",
                       "engage-and-explain", "--outcome", "declined", "--all-messages")
    assert code == 0, err
    path = tmp_path / "slough.yaml"
    code, out, err = run(capsys, "meeting", "pack", "-C", book, "--forum", SLOUGH, "--date",
                         "2026-12-28", "--as-of", "2026-12-28", "-f", "json", "--sheet", path)
    assert code == 0, err
    items = [(i["kind"], i["case"], i["due"]) for i in json.loads(out)["items"]]
    assert ("decision-review", "OP-2N4RJP", "2026-12-28") in items
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"] = [i for i in data["items"] if i["case"] == "OP-2N4RJP"]
    fill(path, data, **{"OP-2N4RJP": {
        "decision": "include", "rationale": "A new approach through the youth worker",
        "approach_role": "youth-worker-lived-experience", "approach_by": "2027-01-11"}})
    code, _, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", "2026-12-28")
    assert code == 0, err
    ident = yaml.safe_load((book / "cases/OP-2N4RJP/identification.yaml").read_text("utf-8"))
    latest = ident["decisions"][-1]
    assert (latest["decision"], latest["date"], latest["approach"]["by"],
            latest["recorded_by"]) == ("include", "2026-12-28", "2027-01-11", "A. Analyst")


def test_a_misspelt_forum_is_warned_about(capsys) -> None:
    code, out, err = run(capsys, "meeting", "pack", "-C", SAMPLE, "--forum", "Slough tasking",
                         "--date", MEETING, "--as-of", AS_OF, "-f", "json")
    assert code == 0 and json.loads(out)["forum_cases"] == 0
    assert "warning: no case's latest decision was taken by 'Slough tasking'" in err
    code, out, err = run(capsys, "meeting", "pack", "-C", SAMPLE, "--forum", WYCOMBE,
                         "--date", MEETING, "--as-of", AS_OF, "-f", "json")
    assert code == 0 and err == "" and json.loads(out)["forum_cases"] > 0


def test_next_must_follow_the_meeting(capsys) -> None:
    code, _, err = run(capsys, "meeting", "pack", "-C", SAMPLE, "--forum", MK, "--date",
                       MEETING, "--next", MEETING)
    assert code == 2 and "--next must be after --date" in err


# --- with the dashboard intake, exits proposed, free text only when asked ------------------

def intake_book(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sample with init --sample's fictional register, and its extract."""
    from prelude_cli.tools.templates import SAMPLE_EXTRACT, SAMPLE_REGISTER

    root = tmp_path / "book"
    if not root.exists():
        shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".prelude-*"))
    (root / "identities.yaml").write_text(SAMPLE_REGISTER, encoding="utf-8")
    extract = tmp_path / "extract.csv"
    extract.write_text(SAMPLE_EXTRACT, encoding="utf-8")
    return root, extract


def test_an_intake_adds_nominations_and_the_dashboard_now(capsys, book: Path,
                                                          tmp_path: Path) -> None:
    """The sample's extract, counted by hand: new rows SVD-3101 and SVD-3102 (Milton Keynes),
    SVD-3103 (Slough); OP-S0WF2J (not included by Oxford on 2026-05-12) is on it again."""
    root, extract = intake_book(tmp_path)
    data = pack(capsys, root, MK, "--next", NEXT, "--intake", str(extract), "--area",
                "Milton Keynes")
    assert [(i["kind"], i["case"], i.get("key")) for i in data["items"]] == [
        ("proportionality-review", "OP-G4CZVY", None),
        ("nomination", None, "SVD-3101"), ("nomination", None, "SVD-3102"),
        ("exit-evaluation", "OP-959KQ3", None)]
    nomination = data["items"][1]
    assert nomination["row"] == 2 and nomination["facts"]["dashboard_now"] == {
        "rank": 1, "score": 948.5, "date": "2026-11-20"}
    assert data["items"][0]["facts"]["dashboard_now"]["rank"] == 2
    assert "Quillfeather" not in json.dumps(data)  # names never in the pack
    everywhere = pack(capsys, root, MK, "--next", NEXT, "--intake", str(extract))
    assert [(i["kind"], i["case"] or i["key"]) for i in everywhere["items"]
            if i["kind"] in ("nomination", "re-presentation")] == [
        ("nomination", "SVD-3101"), ("nomination", "SVD-3102"), ("nomination", "SVD-3103"),
        ("re-presentation", "OP-S0WF2J")]
    code, out, err = run(capsys, "meeting", "pack", "-C", root, "--forum", MK, "--date",
                         MEETING, "--as-of", AS_OF, "--intake", extract, "-f", "html")
    assert code == 0, err
    assert "Nominations from the dashboard" in out and "SVD-3101" in out
    assert out.count('role="note">OFFICIAL-SENSITIVE</div>') == 2


def test_exit_proposals_and_text_only_when_asked(capsys, book: Path) -> None:
    """OP-PGN0T7 (Milton Keynes, support): a programme review that plans exit puts it on
    the agenda; its notes appear only with --include-text."""
    code, _, err = run(capsys, "plan", "review", "OP-PGN0T7", "-C", book, "--as-of",
                       "2026-11-20", "--reviewer", "PC 2096 Lindqvist", "--decision",
                       "plan-exit", "--notes", "Goals met; ready to move on")
    assert code == 0, err
    data = pack(capsys, book, MK, "--next", NEXT)
    item = next(i for i in data["items"] if i["kind"] == "exit-proposal")
    assert (item["case"], item["due"], item["allowed"]) == ("OP-PGN0T7", "2026-11-20",
                                                            ["exit", "continue"])
    assert item["facts"]["proposed"]["why"] == "programme review: plan exit"
    assert "Goals met" not in json.dumps(data) and "text" not in item["facts"]
    data = pack(capsys, book, MK, "--next", NEXT, "--include-text")
    item = next(i for i in data["items"] if i["kind"] == "exit-proposal")
    assert item["facts"]["text"]["programme_review"] == "Goals met; ready to move on"
    code, out, _ = run(capsys, "meeting", "pack", "-C", book, "--forum", MK, "--date",
                       MEETING, "--as-of", AS_OF, "--include-text")
    assert "| Text |" in out and "Goals met" in out
    path, sheet_data = sheet(capsys, book, tmp_path := book.parent, MK)
    fill(path, sheet_data, **{"OP-PGN0T7": {"decision": "exit", "rationale": "Signposted "
                                            "to the youth centre and the college"}})
    code, out, err = run(capsys, "meeting", "record", "-C", book, path, "--as-of", MEETING)
    assert code == 0, err
    exited = yaml.safe_load((book / "cases/OP-PGN0T7/exit.yaml").read_text("utf-8"))
    assert (exited["route"], exited["date"]) == ("completed", MEETING)
    assert exited["exit_plan"].startswith("Signposted")
    assert tmp_path == book.parent


def fill_nominations(path: Path, data: dict, **by_key: dict) -> None:
    data["recorded_by"] = "A. Analyst"
    data["attendees"] = ["police", "youth-justice"]
    for entry in data["items"]:
        entry.update(copy.deepcopy(by_key.get(entry.get("key") or entry.get("case"), {})))
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


NOMINATE = {"officer": "PC 2096 Lindqvist", "concerns": ["knife-crime"],
            "age_band": "under-18", "approach_role": "youth-worker-lived-experience"}


def nomination_sheet(capsys, tmp_path: Path) -> tuple[Path, Path, Path, dict]:
    """The Milton Keynes pack with the dashboard's rows: the casebook, the extract, and the
    decision sheet written with it, as written."""
    root, extract = intake_book(tmp_path)
    path = tmp_path / "sheet.yaml"
    code, _, err = run(capsys, "meeting", "pack", "-C", root, "--forum", MK, "--date",
                       MEETING, "--next", NEXT, "--as-of", AS_OF, "--intake", extract,
                       "--area", "Milton Keynes", "--sheet", path)
    assert code == 0, err
    return root, extract, path, yaml.safe_load(path.read_text(encoding="utf-8"))


def test_nominations_are_recorded_with_the_register_all_or_nothing(capsys, book: Path,
                                                                   tmp_path: Path) -> None:
    root, extract, path, data = nomination_sheet(capsys, tmp_path)
    assert data["intake"] == str(extract.resolve())
    # One bad nomination (no age band): nothing at all is written, the register neither.
    fill_nominations(path, data, **{
        "SVD-3101": {"decision": "include", "rationale": "Top of the dashboard", **NOMINATE},
        "SVD-3102": {"decision": "defer", "rationale": "More from education",
                     **NOMINATE, "age_band": None, "approach_role": None},
        "OP-G4CZVY": {"decision": "continue", "rationale": "Still proportionate"}})
    before = tree(root)
    code, _, err = run(capsys, "meeting", "record", "-C", root, path, "--as-of", MEETING)
    assert code == 1 and "age_band is required to open a case" in err
    assert tree(root) == before
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"][2]["age_band"] = "18-24"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, out, err = run(capsys, "meeting", "record", "-C", root, path, "--as-of", MEETING,
                         "--json")
    assert code == 0, err
    summary = json.loads(out)
    made = {r["row"]: r["case"] for r in summary["recorded"] if r["kind"] == "nomination"}
    assert sorted(made) == [2, 4] and summary["register"] == "identities.yaml"
    register = yaml.safe_load((root / "identities.yaml").read_text("utf-8"))
    assert register[made[2]] == {"name": "Zebedee Quillfeather", "dashboard_id": "SVD-3101"}
    ident = yaml.safe_load((root / "cases" / made[4] / "identification.yaml").read_text(
        "utf-8"))
    assert ident["decisions"][0]["decision"] == "defer"
    assert ident["decisions"][0]["sources"]["dashboard"]["rank"] == 3
    # Recorded twice: the rows' people now have cases, so nothing more is written.
    before = tree(root)
    code, _, err = run(capsys, "meeting", "record", "-C", root, path, "--as-of", MEETING)
    assert code == 1 and f"is case {made[2]}" in err and tree(root) == before


def test_a_sheet_with_nominations_needs_its_extract(capsys, book: Path, tmp_path: Path) -> None:
    root, extract = intake_book(tmp_path)
    path = tmp_path / "sheet.yaml"
    run(capsys, "meeting", "pack", "-C", root, "--forum", MK, "--date", MEETING, "--as-of",
        AS_OF, "--intake", extract, "--sheet", path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["intake"]
    fill_nominations(path, data, **{"SVD-3103": {"decision": "not-include",
                                                 "rationale": "Not this forum's area",
                                                 **NOMINATE}})
    code, _, err = run(capsys, "meeting", "record", "-C", root, path, "--as-of", MEETING)
    assert code == 1 and "give it with --intake FILE" in err
    code, out, err = run(capsys, "meeting", "record", "-C", root, path, "--as-of", MEETING,
                         "--intake", extract)
    assert code == 0, err
    assert "(row 6) nomination: not-include" in out


def test_two_nominations_never_share_a_drawn_case_id(capsys, book: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Case ids are random: when a second row of one sheet draws the id the first drew, it
    draws again rather than writing both people into one folder."""
    from prelude_cli.records import case as case_records

    draws = iter(["OP-AAAAAA", "OP-AAAAAA", "OP-BBBBBB"])
    monkeypatch.setattr(case_records, "new_case_id", lambda settings, existing: next(draws))
    root, extract, path, data = nomination_sheet(capsys, tmp_path)
    fill_nominations(path, data, **{
        "SVD-3101": {"decision": "include", "rationale": "Top of the dashboard", **NOMINATE},
        "SVD-3102": {"decision": "defer", "rationale": "More from education", **NOMINATE},
        "OP-G4CZVY": {"decision": "continue", "rationale": "Still proportionate"}})
    code, out, err = run(capsys, "meeting", "record", "-C", root, path, "--as-of", MEETING,
                         "--json")
    assert code == 0, err
    made = {r["row"]: r["case"] for r in json.loads(out)["recorded"]
            if r["kind"] == "nomination"}
    assert made == {2: "OP-AAAAAA", 4: "OP-BBBBBB"}
    register = yaml.safe_load((root / "identities.yaml").read_text("utf-8"))
    assert register["OP-AAAAAA"]["dashboard_id"] == "SVD-3101"
    assert register["OP-BBBBBB"]["dashboard_id"] == "SVD-3102"
