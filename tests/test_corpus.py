"""The hostile documents corpus: every file is an error at its line, quickly, in bounded memory,
with nothing written, and the fast and reference paths report exactly the same problems.

`tests/corpus/expected.yaml` lists each committed file with the kind of document it is placed
as and the rule and line expected. What cannot be committed (files over the size limit, a
100 KB line, links, a FIFO, folder names) is made here at test time (`GENERATED`).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import AS_OF, CASE_DIR, CASE_ID, MINIMAL_CASE, write_casebook
from typer.testing import CliRunner

from prelude_cli.book.casebook import case_id_problems, open_casebook
from prelude_cli.book.settings import Settings
from prelude_cli.book.textsafe import one_line
from prelude_cli.checks.validation import validate
from prelude_cli.cli.main import app
from prelude_cli.files.yamlio import load_bytes

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = CORPUS / "expected.yaml"
PLACES = {
    "contact": f"{CASE_DIR}/contacts/2026-01-20-ab12.yaml",
    "assessment": f"{CASE_DIR}/assessments/2026-03-10.yaml",
    "plan": f"{CASE_DIR}/plan.yaml",
    "case": f"{CASE_DIR}/case.yaml",
    "identification": f"{CASE_DIR}/identification.yaml",
    "casebook": "casebook.yaml",
    "providers": "providers.yaml",
}
MAX_SECONDS = 2.0  # a sanity bound for one small hostile casebook, not a benchmark
MAX_PEAK_BYTES = 50 * 1024 * 1024
CONTACT = ("date: '2026-01-20'\nby: Youth worker T. Mensah\nmethod: home-visit\n"
           "purpose: engage-and-explain\noutcome: no-contact\n")


@dataclass(frozen=True)
class Hostile:
    """One hostile input: how to plant it in a casebook, and the error expected."""

    name: str
    path: str  # casebook-relative path of the expected problem
    rule: str
    line: int
    plant: Callable[[Path], None]


def _manifest() -> dict[str, dict[str, object]]:
    loaded = load_bytes(MANIFEST.read_bytes(), "tests/corpus/expected.yaml")
    assert loaded.ok, loaded.problems
    return loaded.data


def _committed() -> list[Hostile]:
    out = []
    for name, entry in _manifest().items():
        path = PLACES[str(entry["kind"])]

        def plant(root: Path, name: str = name, path: str = path) -> None:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes((CORPUS / name).read_bytes())

        out.append(Hostile(name, path, str(entry["rule"]), int(entry["line"]), plant))  # type: ignore[call-overload]
    return out


# --- made at test time ------------------------------------------------------------------------

def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    def plant(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return plant


def _link(rel: str, make_target: Callable[[Path], Path]) -> Callable[[Path], None]:
    """Replace `rel` with a link to something outside the casebook."""
    def plant(root: Path) -> None:
        target = make_target(root.parent / "outside")
        link = root / rel
        if link.is_dir():
            import shutil

            shutil.copytree(link, target, dirs_exist_ok=True)
            shutil.rmtree(link)
        elif link.exists():
            target.write_bytes(link.read_bytes())
            link.unlink()
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            link.symlink_to(target, target_is_directory=target.is_dir())
        except (OSError, NotImplementedError):
            pytest.skip("this system cannot make symbolic links")
    return plant


def _outside_file(name: str) -> Callable[[Path], Path]:
    def make(outside: Path) -> Path:
        outside.mkdir(parents=True, exist_ok=True)
        (outside / name).write_text("notes: 'outside the casebook'\n", encoding="utf-8")
        return outside / name
    return make


def _outside_dir(name: str) -> Callable[[Path], Path]:
    def make(outside: Path) -> Path:
        (outside / name).mkdir(parents=True, exist_ok=True)
        return outside / name
    return make


def _fifo(rel: str) -> Callable[[Path], None]:
    def plant(root: Path) -> None:
        if not hasattr(os, "mkfifo"):
            pytest.skip("this system cannot make FIFOs")
        (root / rel).unlink()
        os.mkfifo(root / rel)
    return plant


def _case_folder(name: str) -> Callable[[Path], None]:
    def plant(root: Path) -> None:
        folder = root / "cases" / name
        try:
            folder.mkdir()
        except OSError:
            pytest.skip("this file system refuses the name")
        for doc in ("case.yaml", "identification.yaml"):
            (folder / doc).write_bytes((root / CASE_DIR / doc).read_bytes())
    return plant


CONTACT_PATH = PLACES["contact"]
GENERATED = [
    Hostile("oversize-2mib", CONTACT_PATH, "file-too-large", 0,
            _write(CONTACT_PATH, CONTACT.encode() + b"notes: '" + b"x" * (2 << 20) + b"'\n")),
    Hostile("line-100kb", CONTACT_PATH, "schema-length", 6,
            _write(CONTACT_PATH, CONTACT.encode() + b"notes: '" + b"x" * 100_000 + b"'\n")),
    Hostile("key-100kb", CONTACT_PATH, "yaml-syntax", 6,
            _write(CONTACT_PATH, CONTACT.encode() + b"k" * 100_000 + b": 'x'\n")),
    Hostile("linked-document", f"{CASE_DIR}/plan.yaml", "symlink", 0,
            _link(f"{CASE_DIR}/plan.yaml", _outside_file("plan.yaml"))),
    Hostile("linked-contacts-folder", f"{CASE_DIR}/contacts", "symlink", 0,
            _link(f"{CASE_DIR}/contacts", _outside_dir("contacts"))),
    Hostile("linked-case-folder", "cases/OP-AAAAAA", "symlink", 0,
            _link("cases/OP-AAAAAA", _outside_dir("case"))),
    Hostile("linked-cases-folder", "cases", "symlink", 0,
            _link("cases", _outside_dir("cases"))),
    Hostile("linked-casebook-file", "casebook.yaml", "symlink", 0,
            _link("casebook.yaml", _outside_file("casebook.yaml"))),
    Hostile("fifo-providers", "providers.yaml", "special-file", 0, _fifo("providers.yaml")),
    Hostile("case-folder-windows-reserved", "cases/CON", "case-id", 0, _case_folder("CON")),
    Hostile("case-folder-windows-reserved-ext", "cases/aux.OP-7K3M9Q", "case-id", 0,
            _case_folder("aux.OP-7K3M9Q")),
    Hostile("case-folder-letter-case", "cases/OP-7k3m9q", "case-id", 0,
            _case_folder("OP-7k3m9q")),
    Hostile("case-folder-escape", "cases/OP-\x1b[2J", "case-id", 0, _case_folder("OP-\x1b[2J")),
    Hostile("case-folder-colon", "cases/OP-7K3M9Q:x", "case-id", 0, _case_folder("OP-7K3M9Q:x")),
]

HOSTILE = [*_committed(), *GENERATED]


def _casebook(tmp_path: Path, hostile: Hostile) -> Path:
    root = write_casebook(tmp_path / "book", dict(MINIMAL_CASE))
    hostile.plant(root)
    return root


def _tree(root: Path) -> dict[str, object]:
    """Every entry under root and what it holds, without following links or opening FIFOs;
    the cache folder is prelude's own and left out."""
    out: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".prelude-cache"]
        for name in dirs + files:
            full = Path(folder, name)
            rel = full.relative_to(root).as_posix()
            st = full.lstat()
            if full.is_symlink():
                out[rel] = ("link", os.readlink(full))
            elif full.is_file() and not full.is_fifo():
                out[rel] = full.read_bytes()
            else:
                out[rel] = ("other", st.st_mode)
    return out


# --- the tests ------------------------------------------------------------------------------------

def test_the_corpus_is_complete_and_every_file_is_listed() -> None:
    files = {p.name for p in CORPUS.iterdir()} - {MANIFEST.name}
    assert files == set(_manifest())
    assert len(files) >= 40
    assert all(e["kind"] in PLACES for e in _manifest().values())


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_input_is_an_error_at_its_line(tmp_path: Path, hostile: Hostile) -> None:
    root = _casebook(tmp_path, hostile)
    before = _tree(root)
    args = ["validate", "-C", str(root), "--as-of", AS_OF.isoformat()]
    start = time.perf_counter()
    result = CliRunner().invoke(app, args)
    elapsed = time.perf_counter() - start
    # Memory in a second, uncached run (tracemalloc slows the first one down many times).
    tracemalloc.start()
    try:
        again = CliRunner().invoke(app, [*args, "--no-cache"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert again.stdout == result.stdout
    assert isinstance(result.exception, SystemExit), result.exception  # no crash of any kind
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    where = one_line(f"{hostile.path}:{hostile.line}:")
    lines = [line for line in result.stdout.splitlines() if line.startswith(where)]
    assert any(f" error {hostile.rule} " in line for line in lines), result.stdout
    assert elapsed < MAX_SECONDS, f"{elapsed:.2f} s"
    assert peak < MAX_PEAK_BYTES, f"{peak / 2**20:.1f} MiB"
    assert _tree(root) == before  # nothing written, moved or removed in the casebook


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_fast_and_reference_paths_report_the_same_problems(tmp_path: Path,
                                                           hostile: Hostile) -> None:
    if (CORPUS / hostile.name).is_file():
        raw = (CORPUS / hostile.name).read_bytes()
        fast = load_bytes(raw, hostile.path, fast=True)
        ref = load_bytes(raw, hostile.path, fast=False)
        assert fast.problems == ref.problems
        assert repr(fast.data) == repr(ref.data)  # repr: NaN never equals itself
    root = _casebook(tmp_path, hostile)
    book = open_casebook(root, fast=True)
    fast_result = validate(book, as_of=AS_OF, fast=True)
    ref_result = validate(open_casebook(root, fast=False), as_of=AS_OF, fast=False)
    assert fast_result.problems == ref_result.problems
    assert (hostile.path, hostile.line, hostile.rule) in {
        (p.path, p.line, p.rule) for p in ref_result.problems if p.is_error}


@pytest.mark.parametrize("case_id,reason", [
    ("../../etc/passwd", "a case id may not hold path separators, ':' or '..'"),
    ("..\\..\\Windows", "a case id may not hold path separators, ':' or '..'"),
    ("C:\\Windows", "a case id may not hold path separators, ':' or '..'"),
    ("/OP-7K3M9Q", "a case id may not hold path separators, ':' or '..'"),
    ("nul.txt", "that name is reserved on Windows"),
    ("Com1", "that name is reserved on Windows"),
    ("OP-\x1b[2J", "a case id may not hold control characters or any of <>\"|?*"),
    ("OP-7K3M9Q|x", "a case id may not hold control characters or any of <>\"|?*"),
    ("op-7k3m9q", "differs only in letter case from an existing case"),
])
def test_hostile_case_ids_are_refused(case_id: str, reason: str) -> None:
    assert reason in case_id_problems(case_id, Settings(), {CASE_ID})
