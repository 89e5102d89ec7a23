"""One read path, one answer: every reading command gives the same output cold (no cache),
warm (from the cache), with one worker process and with several, on the sample casebook and on
a generated one large enough to be read by workers, at a date after every record and at a
date in the middle of the casebook's life (where the view as at that date differs)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prelude_cli.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "--format", "json"],
    "due-reviews": ["due-reviews", "--format", "json", "--within", "8w"],
    "case list": ["case", "list", "--format", "json"],
    "report programme": ["report", "programme", "--format", "json"],
    "export": ["export", "--format", "jsonl", "--force"],
    "export csv": ["export", "--format", "csv", "--force"],
    "export sqlite": ["export", "--format", "sqlite", "--force"],
    "meeting pack": ["meeting", "pack", "--forum", "Slough Serious Violence tasking",
                     "--date", "2026-12-03", "--next", "2027-01-07", "--format", "json",
                     "--include-text"],
}
CACHE_FILE = {"validate": "cases.json", "due-reviews": "cases.json",
              "case list": "case-list.json", "report programme": "programme-facts.json",
              "export": "export-rows.sqlite", "export csv": "export-rows.sqlite",
              "export sqlite": "export-rows.sqlite", "meeting pack": "meeting-pack.json"}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("readpath")
    sample = base / "sample"
    shutil.copytree(ROOT / "sample_casebook", sample,
                    ignore=shutil.ignore_patterns(".prelude-cache"))
    generated = base / "generated"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--quiet",
                    "--cases", "240", "--seed", "5", str(generated)], check=True)
    return {"sample": sample, "generated": generated}


def output(name: str, root: Path, as_of: str, out_dir: Path, *extra: str) -> str:
    args = [*COMMANDS[name], "-C", str(root), "--as-of", as_of, *extra]
    if name.startswith("export"):
        args += ["--out", str(out_dir / "export")]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), (name, result.output)
    if not name.startswith("export"):
        return result.stdout
    if name == "export sqlite":  # the whole database as SQL: tables, rows, indexes, view
        db = sqlite3.connect(out_dir / "export")
        try:
            return "\n".join(db.iterdump())
        finally:
            db.close()
    folder = out_dir / "export"
    return "\n".join(f"== {p.name}\n{p.read_text(encoding='utf-8')}"
                     for p in sorted(folder.iterdir()))


@pytest.mark.parametrize("as_of", ["2026-11-26", "2024-06-30"])
@pytest.mark.parametrize("book", ["sample", "generated"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_cold_warm_and_workers_agree(books: dict[str, Path], tmp_path: Path, book: str,
                                     as_of: str, name: str) -> None:
    root = books[book]
    cold = output(name, root, as_of, tmp_path, "--no-cache", "--jobs", "1")
    assert cold.strip()
    shutil.rmtree(root / ".prelude-cache", ignore_errors=True)
    first = output(name, root, as_of, tmp_path, "--jobs", "2")  # cold, fills the cache
    warm = output(name, root, as_of, tmp_path, "--jobs", "2")  # from the cache
    assert (root / ".prelude-cache" / CACHE_FILE[name]).is_file()
    assert first == cold
    assert warm == cold
    warm_one = output(name, root, as_of, tmp_path, "--jobs", "1")
    assert warm_one == cold
