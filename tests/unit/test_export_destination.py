"""Where an export may go, what --force may replace, and that a failure leaves nothing behind."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import prelude_cli.export as export_module
from prelude_cli.book.casebook import open_casebook
from prelude_cli.cli.main import app
from prelude_cli.cli.options import UsageError
from prelude_cli.export import ExportError, export_casebook
from prelude_cli.files.outputs import OutputError

AS_OF = date(2026, 11, 26)
TARGET = {"csv": "out", "jsonl": "out", "sqlite": "out.sqlite", "xlsx": "out.xlsx"}


def run(book: Path, out: Path, fmt: str, **kw: bool) -> export_module.ExportResult:
    return export_casebook(open_casebook(book), out, fmt=fmt, as_of=AS_OF, **kw)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "sqlite", "xlsx"])
def test_writes_then_refuses_to_overwrite_without_force(casebook, tmp_path: Path,
                                                        fmt: str) -> None:
    book = casebook()
    out = tmp_path / "exports" / TARGET[fmt]
    result = run(book, out, fmt)
    assert out.exists() and result.counts["cases"] == 1
    with pytest.raises(ExportError, match="--force"):
        run(book, out, fmt)
    run(book, out, fmt, force=True)
    assert out.exists() and leftovers(out.parent) == []


@pytest.mark.parametrize("use_cache", [True, False])
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "sqlite", "xlsx"])
def test_a_failure_leaves_nothing_and_keeps_the_previous_export(casebook, tmp_path: Path,
                                                                monkeypatch, fmt: str,
                                                                use_cache: bool) -> None:
    """The disk fills as the last table is written, after every case's rows (from the row
    store, or read afresh without it)."""
    book = casebook()
    out = tmp_path / "exports" / TARGET[fmt]
    run(book, out, fmt, use_cache=use_cache)
    before = sorted(p.name for p in out.iterdir()) if out.is_dir() else out.read_bytes()
    real = export_module.writer_class

    def failing(name: str) -> type:
        class Failing(real(name)):  # type: ignore[misc]
            def write(self, table, rows) -> None:  # type: ignore[no-untyped-def]
                if table.name == "export_info":
                    raise OSError(28, "No space left on device")
                super().write(table, rows)
        return Failing

    monkeypatch.setattr(export_module, "writer_class", failing)
    with pytest.raises(OutputError, match="No space left on device"):
        run(book, out, fmt, force=True, use_cache=use_cache)
    after = sorted(p.name for p in out.iterdir()) if out.is_dir() else out.read_bytes()
    assert after == before
    assert leftovers(out.parent) == []
    fresh = tmp_path / "exports" / ("new-" + TARGET[fmt])
    with pytest.raises(OutputError):
        run(book, fresh, fmt, use_cache=use_cache)
    assert not fresh.exists() and leftovers(out.parent) == []


def test_an_empty_folder_is_a_fine_destination(casebook, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    run(casebook(), out, "csv")
    assert (out / "cases.csv").is_file()


def test_never_inside_the_casebook_unless_asked(casebook) -> None:
    book = casebook()
    with pytest.raises(ExportError, match="inside the casebook"):
        run(book, book / "exports" / "p.sqlite", "sqlite")
    with pytest.raises(ExportError, match="inside the casebook"):
        run(book, book, "csv", force=True)
    run(book, book / "exports" / "p.sqlite", "sqlite", force_inside=True)
    assert (book / "exports" / "p.sqlite").is_file()


def test_force_never_replaces_what_is_not_an_export(casebook, tmp_path: Path) -> None:
    book = casebook()
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cases.csv").write_text("x")
    (folder / "thesis.docx").write_text("precious")
    with pytest.raises(ExportError, match="thesis.docx"):
        run(book, folder, "csv", force=True)
    notes = tmp_path / "notes.xlsx"
    notes.write_text("not a workbook")
    with pytest.raises(ExportError, match="not a xlsx file"):
        run(book, notes, "xlsx", force=True)
    with pytest.raises(ExportError, match="not a sqlite file"):
        run(book, notes, "sqlite", force=True)
    assert (folder / "thesis.docx").read_text() == "precious"
    assert notes.read_text() == "not a workbook"


def test_file_formats_want_a_file_and_folder_formats_a_folder(casebook, tmp_path: Path) -> None:
    book = casebook()
    with pytest.raises(ExportError, match="give a file name"):
        run(book, tmp_path, "sqlite")
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        run(book, tmp_path / "f.txt", "csv", force=True)


def test_cli_refuses_and_writes_nothing(casebook, tmp_path: Path) -> None:
    book = casebook()
    runner = CliRunner()
    result = runner.invoke(app, ["export", "-C", str(book), "--out", str(book / "x.sqlite")])
    assert isinstance(result.exception, UsageError)  # main() turns it into exit 2
    assert not (book / "x.sqlite").exists()
    result = runner.invoke(app, ["export", "-C", str(book), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "--format" in result.output


def test_main_reports_a_refused_destination_on_one_line(casebook, capsys) -> None:
    from prelude_cli.cli.main import main

    book = casebook()
    with pytest.raises(SystemExit) as exit_:
        main(["export", "-C", str(book), "--out", str(book / "x.sqlite")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("prelude: ") and "inside the casebook" in err
    assert err.strip().endswith("nothing was exported") and err.count("\n") == 1
