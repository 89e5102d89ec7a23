"""The benchmark casebook generator: same seed, same bytes; and what it writes is valid.

Benchmarks are only comparable between runs and machines if the casebook is the same, and
only meaningful if prelude accepts it: a generator drifting into invalid documents would time
the error path instead of the real one.
"""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks.validation import validate
from prelude_cli.files.yamlio import load_text

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def generate(out: Path, seed: int, cases: int = 30) -> Path:
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--quiet", "--cases",
                    str(cases), "--seed", str(seed), str(out)], check=True)
    return out


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("bench")
    return (generate(base / "a", seed=1), generate(base / "b", seed=1),
            generate(base / "c", seed=2))


def test_same_seed_gives_identical_bytes(books: tuple[Path, Path, Path]) -> None:
    a, b, _ = books
    assert tree(a) == tree(b)


def test_another_seed_gives_another_casebook(books: tuple[Path, Path, Path]) -> None:
    a, _, c = books
    assert tree(a) != tree(c)
    assert len(list((a / "cases").iterdir())) == 30


@pytest.mark.parametrize("which", [0, 2])
def test_generated_casebook_is_clean(books: tuple[Path, Path, Path], which: int) -> None:
    book = open_casebook(books[which])
    result = validate(book, as_of=date(2026, 11, 26))
    assert result.cases == 30
    assert [str(p) for p in result.problems] == []


def test_every_document_kind_is_generated(books: tuple[Path, Path, Path]) -> None:
    names = {parts[2] if parts[0] == "cases" else parts[0]
             for parts in (rel.split("/") for rel in tree(books[0]))}
    assert {"casebook.yaml", "providers.yaml", "case.yaml", "identification.yaml", "contacts",
            "assessments", "plan.yaml", "disruption.yaml", "exit.yaml"} <= names


def test_plain_scalars_read_back_as_the_same_text() -> None:
    """Random item ids like `1e40` or `0x1f` must be quoted, or YAML reads a number."""
    sys.path.insert(0, str(BENCH))
    try:
        from generate import SUFFIX, scalar
    finally:
        sys.path.remove(str(BENCH))
    rng = random.Random(7)
    samples = ["1e40", "0x1f", "0o17", "1234", "yes", "no", "2026-01-01", ".nan", "a: b"]
    samples += ["".join(rng.choices(SUFFIX, k=4)) for _ in range(3000)]
    for text in samples:
        loaded = load_text(f"k: {scalar(text)}\n", "t.yaml")
        assert loaded.data == {"k": text}, text
        assert not loaded.problems, text


def test_targets_are_judged_from_the_rows_measured() -> None:
    """The report's verdicts come from the figures of the same run, never from hand."""
    sys.path.insert(0, str(BENCH))
    try:
        from run import Row, targets
    finally:
        sys.path.remove(str(BENCH))

    def row(label: str, cases: int, wall: float, mb: int = 80) -> Row:
        return Row(label, cases, walls=[wall], peaks_kb=[mb * 1024])

    rows = [row("prelude validate --no-cache", 1000, 2.0),
            row("prelude validate (warm)", 1000, 0.5),
            row("check-jsonschema (all kinds)", 1000, 46.0),
            row("prelude validate --no-cache", 10000, 15.0),
            row("prelude validate (warm)", 10000, 1.2),
            row("prelude due-reviews (warm)", 10000, 1.6, mb=310),
            row("prelude case list (warm)", 10000, 1.5),
            row("prelude case show (warm)", 10000, 0.6),
            row("prelude report programme (warm)", 10000, 1.9),
            row("prelude export --format sqlite (warm)", 10000, 4.5),
            row("check-jsonschema (all kinds)", 10000, 445.0)]
    verdicts = {line.split(" | ")[0].lstrip("| "): line.rsplit(" | ", 1)[1].rstrip(" |")
                for line in targets(rows) if line.startswith("| ") and "---" not in line}
    assert verdicts == {
        "10,000 cases: `validate --no-cache` at least 30x faster than check-jsonschema": "no",
        "10,000 cases: `validate (warm)` at most 2 s": "yes",
        "10,000 cases: `due-reviews (warm)` at most 1.5 s": "no",
        "10,000 cases: `case list (warm)` at most 1.5 s": "yes",
        "10,000 cases: `case show (warm)` at most 0.5 s": "no",
        "10,000 cases: `report programme (warm)` at most 2 s": "yes",
        "10,000 cases: `export --format sqlite (warm)` at most 4 s": "no",
        "1,000 cases: `validate --no-cache` at least 20x faster than check-jsonschema": "yes",
        "1,000 cases: `validate (warm)` at least 60x faster than check-jsonschema": "yes",
        "peak memory of every prelude command under 300 MB": "no",
        "time linear in the number of cases (`validate --no-cache`, 1,000 to 10,000 cases: "
        "at most 11x)": "yes",
        "target": "met",
    }
    assert targets([Row("prelude validate (warm)", 1000)]) == []  # nothing measured


def test_the_instruction_count_harness_reads_the_cases_asked(
        books: tuple[Path, Path, Path]) -> None:
    """benchmarks/percase.py reads as a cold run's worker does, in one process: it must read
    the cases asked for and find the generated casebook clean, or its counts mean nothing."""
    done = subprocess.run([sys.executable, str(BENCH / "percase.py"), str(books[0]),
                           "--cases", "7", "--due"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("7 cases read, 0 problems, ")
