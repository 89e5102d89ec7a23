"""Examples that run: every README and docs example that names the sample casebook runs
against a copy of it, and every `--help` example names cases and providers the sample holds."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer

from prelude_cli.cli.main import app, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_casebook"
CASE_ID = re.compile(r"\bOP-[0-9A-Z]{6}\b")


def _doc_examples() -> list[tuple[str, str]]:
    """(file, command line) for each `prelude ...` line of a code block in README.md and docs/
    that runs against sample_casebook; continued lines joined, trailing comments dropped."""
    out: list[tuple[str, str]] = []
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for path in files:
        if path.name == "commands.md":  # generated from --help, checked below
            continue
        if path.name == "meeting.md":  # a walk-through in order: tests/cli/test_meeting.py
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line[:-1] + " " + lines[i].strip()
            i += 1
            if line.startswith("prelude serve"):  # serves until stopped: tests/web starts it
                continue
            if line.startswith("prelude ") and "-C sample_casebook" in line:
                out.append((path.name, re.sub(r"\s+#.*$", "", line)))
    return out


DOC_EXAMPLES = _doc_examples()


def test_there_are_examples_to_run() -> None:
    assert len(DOC_EXAMPLES) >= 8


@pytest.mark.parametrize(("doc", "line"), DOC_EXAMPLES)
def test_a_docs_example_runs_against_the_sample(doc: str, line: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "sample_casebook"
    shutil.copytree(SAMPLE, book)
    args = shlex.split(line)[1:]
    cwd = Path.cwd()
    os.chdir(tmp_path)  # --out files land beside the copy
    try:
        with pytest.raises(SystemExit) as exit_:
            main(args)
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert exit_.value.code in (0, None), f"{doc}: {line}\n{err}"


def _help_examples() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(cmd: object, prefix: str) -> None:
        for para in (getattr(cmd, "help", "") or "").split("\n\n"):
            if para.startswith("Example"):
                out.append((prefix, para.replace("\\\n", " ")))
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, f"{prefix} {name}".strip())

    walk(typer.main.get_command(app), "")
    return out


def _sample_providers() -> set[str]:
    text = (SAMPLE / "providers.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"^\s*- id: (\S+)$", text, re.M))


@pytest.mark.parametrize(("command", "example"), _help_examples())
def test_help_examples_name_cases_and_providers_the_sample_holds(command: str,
                                                                  example: str) -> None:
    cases = {p.name for p in (SAMPLE / "cases").iterdir()}
    for case_id in CASE_ID.findall(example):
        assert case_id in cases, f"prelude {command} --help: no case {case_id} in the sample"
    for path in re.findall(r"\bcases/\S+?\.yaml", example):
        assert (SAMPLE / path).is_file(), f"prelude {command} --help: no {path} in the sample"
    for option in ("--provider", "--signpost"):
        for value in re.findall(rf"{option} (\S+)", example):
            provider = value.split(":")[0].strip('"')
            assert provider in _sample_providers(), \
                f"prelude {command} --help: no provider {provider} in the sample"
