"""`prelude case new --from-intake FILE --row KEY`: a case opened from a row of the sample's
fictional dashboard extract, the person's key and name put into the identity register (never
a case document), both written in one transaction or neither."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from prelude_cli.cli.main import main
from prelude_cli.files import transaction
from prelude_cli.tools.templates import SAMPLE_EXTRACT, SAMPLE_REGISTER

ROOT = Path(__file__).resolve().parents[2]
NEW_ID = "OP-4D7K2P"
MK = "Milton Keynes Exploitation and Serious Violence panel"
ARGS = ["--id", NEW_ID, "--officer", "PC 2096 Lindqvist", "--concern", "knife-crime",
        "--age-band", "under-18", "--forum", MK, "--rationale", "Top of the dashboard; "
        "partners share concerns", "--approach-role", "youth-worker-lived-experience",
        "--date", "2026-12-03", "--as-of", "2026-12-03"]


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    (root / "identities.yaml").write_text(SAMPLE_REGISTER, encoding="utf-8")
    (tmp_path / "extract.csv").write_text(
        SAMPLE_EXTRACT + ",10,500,Slough,2026-11-20,No Key\n"
        "SVD-3200,11,480,Slough,31/02/2026,Bad Date\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def run(capsys: pytest.CaptureFixture[str], book: Path, row: str, *extra: str
        ) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["case", "new", "-C", str(book), "--from-intake", "extract.csv", "--row", row,
              *ARGS, *extra])
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def files(book: Path) -> dict[str, bytes]:
    return {str(p.relative_to(book)): p.read_bytes() for p in sorted(book.rglob("*"))
            if p.is_file() and ".prelude-cache" not in p.parts}


def test_the_case_gets_the_dashboard_and_the_register_gets_the_person(capsys, book: Path
                                                                      ) -> None:
    code, out, err = run(capsys, book, "svd-3101")  # keys compared without letter case
    assert code == 0, err
    assert out.strip() == NEW_ID and f"added {NEW_ID}'s entry to identities.yaml" in err
    case = yaml.safe_load((book / "cases" / NEW_ID / "case.yaml").read_text("utf-8"))
    assert case["area"] == "Milton Keynes"  # from the row
    ident = yaml.safe_load((book / "cases" / NEW_ID / "identification.yaml").read_text("utf-8"))
    assert ident["decisions"][0]["sources"]["dashboard"] == {
        "score": 948.5, "rank": 1, "date": "2026-11-20"}
    register = yaml.safe_load((book / "identities.yaml").read_text("utf-8"))
    assert register[NEW_ID] == {"name": "Zebedee Quillfeather", "dashboard_id": "SVD-3101"}
    assert register["OP-G4CZVY"]["dashboard_id"] == "SVD-2004"  # the others are kept
    for path in (book / "cases" / NEW_ID).rglob("*.yaml"):
        text = path.read_text("utf-8")
        assert "SVD-3101" not in text and "Quillfeather" not in text
    assert (book / "identities.yaml").stat().st_mode & 0o077 == 0
    # The next intake knows the person: the same row is now on the programme.
    code, _, err = run(capsys, book, "SVD-3101")
    assert code == 1 and f"is case {NEW_ID}: the person is on the programme" in err


def test_an_area_given_wins_and_a_row_number_finds_the_row(capsys, book: Path) -> None:
    code, _, err = run(capsys, book, "4", "--area", "Bletchley")
    assert code == 0, err
    case = yaml.safe_load((book / "cases" / NEW_ID / "case.yaml").read_text("utf-8"))
    assert case["area"] == "Bletchley"
    register = yaml.safe_load((book / "identities.yaml").read_text("utf-8"))
    assert register[NEW_ID]["dashboard_id"] == "SVD-3102"


@pytest.mark.parametrize(("row", "code", "message"), [
    ("SVD-2004", 1, "row 3 (SVD-2004) is case OP-G4CZVY: the person is on the programme; "
                    "record a later decision with prelude case decide OP-G4CZVY"),
    ("SVD-2011", 1, "is case OP-83ADME: the person was deferred"),
    ("SVD-2017", 1, "is case OP-S0WF2J: the person was not included"),
    ("SVD-2005", 1, "is case OP-959KQ3: the person has exited"),
    ("SVD-9999", 1, "no row with the key or number 'SVD-9999' in extract.csv"),
    ("10", 1, "row 10 of extract.csv cannot be used: no person key in column 'Nominal ID'"),
    ("SVD-3200", 1, "row 11 of extract.csv cannot be used: the date is not a date"),
    ("", 2, "--row needs a person key or a row number"),
])
def test_refused_rows_write_nothing(capsys, book: Path, row: str, code: int,
                                    message: str) -> None:
    before = files(book)
    got, _, err = run(capsys, book, row)
    assert got == code and message in err, err
    assert files(book) == before


def test_a_key_listed_twice_is_refused(capsys, book: Path, tmp_path: Path) -> None:
    extract = tmp_path / "extract.csv"
    extract.write_text(SAMPLE_EXTRACT + "SVD-3101,12,400,Slough,2026-11-20,Z Q\n",
                       encoding="utf-8")
    before = files(book)
    code, _, err = run(capsys, book, "SVD-3101")
    assert code == 1 and "the key 'SVD-3101' is on rows 2 and 10 of extract.csv" in err
    assert files(book) == before


def test_dry_run_prints_the_documents_never_the_identifiers(capsys, book: Path) -> None:
    before = files(book)
    code, out, err = run(capsys, book, "SVD-3101", "--dry-run")
    assert code == 0, err
    assert "rank: 1" in out and "# identities.yaml: OP-4D7K2P's entry would be added" in out
    assert "Quillfeather" not in out + err and "SVD-3101" not in out
    assert files(book) == before


def test_figures_typed_by_hand_are_refused(capsys, book: Path) -> None:
    code, _, err = run(capsys, book, "SVD-3101", "--dashboard-rank", "2")
    assert code == 2 and "the extract gives the dashboard's figures" in err


def test_the_person_named_in_the_rationale_is_refused(capsys, book: Path) -> None:
    before = files(book)
    code, _, err = run(capsys, book, "SVD-3101", "--rationale", "Quillfeather carries a knife")
    assert code == 1 and "free text may hold personal data" in err
    assert files(book) == before


def test_a_register_entry_of_the_same_name_is_warned_about(capsys, book: Path,
                                                           tmp_path: Path) -> None:
    (tmp_path / "extract.csv").write_text(
        "Nominal ID,Rank,Area,Name\nSVD-7777,1,Milton Keynes,Cosmo  Pendlebury\n",
        encoding="utf-8")
    code, _, err = run(capsys, book, "SVD-7777")
    assert code == 0, err
    assert "the identity register gives OP-959KQ3 the same name as row 2" in err


def test_a_register_git_could_commit_is_never_written(capsys, book: Path) -> None:
    subprocess.run(["git", "init", "-q", str(book)], check=True)
    (book / ".gitignore").write_text(".prelude-cache/\n", encoding="utf-8")
    before = files(book)
    code, _, err = run(capsys, book, "SVD-3101")
    assert code == 1 and "nothing written: the identity register is not ignored" in err
    assert files(book) == before


def test_a_failure_between_the_two_writes_leaves_neither(capsys, book: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """The case folder is staged, then the register fails to stage (a full disk): nothing
    reaches the casebook, and no journal is left behind."""
    real = transaction._write_synced
    staged: list[str] = []

    def failing(path: Path, data: bytes, mode: int) -> None:
        if b"Quillfeather" in data:
            raise OSError(28, "No space left on device")
        staged.append(path.name)
        real(path, data, mode)

    monkeypatch.setattr(transaction, "_write_synced", failing)
    before = files(book)
    code, _, err = run(capsys, book, "SVD-3101")
    assert code != 0 and "identification.yaml" in staged  # the case was staged first
    assert files(book) == before and not (book / "cases" / NEW_ID).exists()
    assert transaction.pending(book) == []


def test_a_crash_after_the_case_is_moved_in_is_completed(capsys, book: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Killed after the case folder is in place and before the register is: the journal was
    committed, so the next command puts the register entry in too: both, never one."""
    real = transaction.os.replace

    class Killed(BaseException):
        pass

    def dying(src: object, dst: object) -> None:
        if str(dst).endswith("identities.yaml"):
            raise Killed
        real(src, dst)

    monkeypatch.setattr(transaction.os, "replace", dying)
    with pytest.raises(Killed):
        main(["case", "new", "-C", str(book), "--from-intake", "extract.csv", "--row",
              "SVD-3101", *ARGS])
    monkeypatch.undo()
    capsys.readouterr()
    assert (book / "cases" / NEW_ID).is_dir()
    assert "Quillfeather" not in (book / "identities.yaml").read_text("utf-8")
    with pytest.raises(SystemExit):
        main(["validate", "-C", str(book), "--as-of", "2026-12-03"])
    assert "completed an interrupted record" in capsys.readouterr().err
    register = yaml.safe_load((book / "identities.yaml").read_text("utf-8"))
    assert register[NEW_ID]["name"] == "Zebedee Quillfeather"
