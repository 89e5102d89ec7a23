"""`prelude intake`: a fictional dashboard extract sorted against a copy of the sample, every
category and every kind of bad row (each a problem naming its row)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from prelude_cli.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-26"
INTAKE = """\
intake:
  key: Nominal ID
  key_kind: dashboard_id
  rank: Rank
  score: Harm score
  area: Area
  date: Extract date
  name: Name
"""
REGISTER = """\
OP-2N4RJP: {name: Alpha Fictional, dashboard_id: SVD-1001}
OP-83ADME: {name: Bravo Fictional, dashboard_id: SVD-1002}
OP-S0WF2J: {name: Charlie Fictional, dashboard_id: SVD-1003}
OP-959KQ3: {name: Delta Fictional, dashboard_id: SVD-1004}
OP-G4CZVY: {name: Echo Fictional, police_references: [TV-111, TV-222]}
"""
EXTRACT = [
    ["Nominal ID", "Rank", "Harm score", "Area", "Extract date", "Name"],
    ["SVD-1001", "1", "912.5", "Slough", "2026-11-20", "Alpha Fictional"],
    ["SVD-1002", "2", "850", "Reading", "20/11/2026", "Bravo Fictional"],
    ["SVD-1003", "3", "800", "Oxford", "2026-11-20", "Charlie Fictional"],
    ["SVD-1004", "4", "780", "Milton Keynes", "2026-11-20", "Delta Fictional"],
    ["SVD-9999", "5", "760", "Slough", "2026-11-20", "Foxtrot Fictional"],
    ["", "6", "700", "Slough", "2026-11-20", "Golf Fictional"],
    ["svd-1001", "7", "690", "Slough", "2026-11-20", "Alpha Fictional"],
    ["SVD-1005", "8", "650", "Reading", "2026-13-45", "Hotel Fictional"],
]


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    assert INTAKE in (root / "casebook.yaml").read_text(encoding="utf-8")  # the sample's
    (root / "identities.yaml").write_text(REGISTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding="utf-8-sig")
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append([int(v) if v.isdigit() else v for v in r])
    wb.save(path)
    return path


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_every_category_and_every_bad_row(capsys, book: Path, tmp_path: Path, writer) -> None:
    extract = writer(tmp_path / f"extract.{'csv' if writer is write_csv else 'xlsx'}",
                     EXTRACT)
    code, out, err = run(capsys, "intake", extract, "-C", book, "--as-of", AS_OF, "-f", "json")
    assert code == 1  # rows that cannot be read are problems
    data = json.loads(out)
    got = {r["key"]: (r["category"], r["case"]) for r in data["rows"]}
    assert got == {"SVD-1001": ("on-programme", "OP-2N4RJP"),
                   "SVD-1002": ("deferred", "OP-83ADME"),
                   "SVD-1003": ("not-included", "OP-S0WF2J"),
                   "SVD-1004": ("exited", "OP-959KQ3"),
                   "SVD-9999": ("new", None)}
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["SVD-1002"]["forum"] == "Reading Violence Reduction partnership meeting"
    assert rows["SVD-1002"]["date"] == "2026-11-20"  # DD/MM/YYYY read as UK dates are
    assert rows["SVD-1003"]["eligible"] == "2026-08-12"  # 3 months after 2026-05-12
    assert rows["SVD-1004"]["route"] == "disengaged"
    assert rows["SVD-1001"]["stage"] == "identified" and rows["SVD-1001"]["rank"] == 1
    assert "name" not in rows["SVD-1001"] and "Fictional" not in out
    assert [p["line"] for p in data["problems"]] == [7, 8, 9]
    assert "row 7: no person key in column 'Nominal ID'" in err
    assert "row 8: the same person as row 2 (a duplicated row)" in err
    assert "row 9: the date is not a date" in err
    assert data["counts"] == {"new": 1, "on-programme": 1, "deferred": 1, "not-included": 1,
                              "exited": 1}


def test_names_only_with_reveal_and_top(capsys, book: Path, tmp_path: Path) -> None:
    extract = write_csv(tmp_path / "extract.csv", EXTRACT[:4])
    code, out, _ = run(capsys, "intake", extract, "-C", book, "--as-of", AS_OF, "-f", "json",
                       "--reveal", "--top", "2")
    assert code == 0
    rows = json.loads(out)["rows"]
    assert [(r["rank"], r["name"]) for r in rows] == [(1, "Alpha Fictional"),
                                                      (2, "Bravo Fictional")]


def test_a_person_with_two_police_references(capsys, book: Path, tmp_path: Path) -> None:
    settings = book / "casebook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "key_kind: dashboard_id", "key_kind: police_reference"), encoding="utf-8")
    extract = write_csv(tmp_path / "extract.csv", [EXTRACT[0], ["TV-222", "1", "", "", "", ""],
                                                   ["tv-111", "2", "", "", "", ""]])
    code, out, err = run(capsys, "intake", extract, "-C", book, "--as-of", AS_OF, "-f", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("row,key,category,case")
    assert lines[1].startswith("2,TV-222,on-programme,OP-G4CZVY")
    assert lines[2].startswith("3,tv-111,on-programme,OP-G4CZVY")


def test_markdown_is_marked_and_nothing_is_written(capsys, book: Path, tmp_path: Path) -> None:
    extract = write_csv(tmp_path / "extract.csv", EXTRACT[:3])
    before = sorted(p.relative_to(book) for p in book.rglob("*"))
    code, out, _ = run(capsys, "intake", extract, "-C", book, "--as-of", AS_OF, "-f", "md")
    assert code == 0
    assert out.startswith("**OFFICIAL-SENSITIVE**")
    assert out.rstrip().endswith("**OFFICIAL-SENSITIVE**")
    assert "| 2 | SVD-1001 | on-programme | OP-2N4RJP |" in out
    after = sorted(p.relative_to(book) for p in book.rglob("*")
                   if ".prelude-cache" not in p.parts)
    assert after == [p for p in before if ".prelude-cache" not in p.parts]


def test_without_settings_it_is_a_usage_error(capsys, book: Path, tmp_path: Path) -> None:
    settings = book / "casebook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(INTAKE, ""),
                        encoding="utf-8")
    extract = write_csv(tmp_path / "extract.csv", EXTRACT[:2])
    code, _, err = run(capsys, "intake", extract, "-C", book)
    assert code == 2 and "no `intake:` settings" in err


def test_a_missing_key_column_is_named(capsys, book: Path, tmp_path: Path) -> None:
    extract = write_csv(tmp_path / "extract.csv", [["Id", "Rank"], ["SVD-1001", "1"]])
    code, _, err = run(capsys, "intake", extract, "-C", book, "--as-of", AS_OF)
    assert code == 1 and "no column 'Nominal ID'" in err


def test_identity_set_keeps_a_dashboard_id(capsys, book: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "identity", "set", "OP-BA8M92", "-C", book, "--name",
                       "India Fictional", "--dashboard-id", "SVD-2001")
    assert code == 0, err
    extract = write_csv(tmp_path / "extract.csv", [EXTRACT[0], ["SVD-2001", "1", "", "", "",
                                                                ""]])
    code, out, err = run(capsys, "intake", extract, "-C", book, "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    assert [(r["case"], r["category"]) for r in json.loads(out)["rows"]] == [
        ("OP-BA8M92", "on-programme")]
