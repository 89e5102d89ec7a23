"""The wheel: what it holds (the package, the schemas, exactly the sample casebook), and that,
installed into a fresh environment, it writes its sample with `prelude init --sample` and lists
the same due reviews there as this working tree lists for sample_casebook/."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner
from wheelkit import fresh_env, run

from prelude_cli import __version__
from prelude_cli.cli.main import app
from prelude_cli.tools import distribution

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_casebook"
PACKAGED = "prelude_cli/sample_casebook/"
runner = CliRunner()


def tracked_sample() -> dict[str, bytes]:
    """The sample's files as committed (git's list when this is a checkout), with their bytes."""
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z", "sample_casebook"], cwd=ROOT,
                                check=True, capture_output=True, text=True).stdout
        rels = [p.removeprefix("sample_casebook/") for p in listed.split("\0") if p]
    else:
        rels = distribution.sample_files()
    return {rel: (SAMPLE / rel).read_bytes() for rel in rels}


def test_the_wheel_ships_exactly_the_sample_casebook(built_wheel: Path) -> None:
    with zipfile.ZipFile(built_wheel) as wheel:
        shipped = {name.removeprefix(PACKAGED): wheel.read(name)
                   for name in wheel.namelist() if name.startswith(PACKAGED)}
    expected = tracked_sample()
    assert sorted(shipped) == sorted(expected)
    assert shipped == expected


def test_the_wheel_is_prelude_casebook_with_its_schemas(built_wheel: Path) -> None:
    assert built_wheel.name == f"prelude_casebook-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(built_wheel) as wheel:
        names = wheel.namelist()
        meta = wheel.read(f"prelude_casebook-{__version__}.dist-info/METADATA").decode()
        entry = wheel.read(f"prelude_casebook-{__version__}.dist-info/entry_points.txt").decode()
    assert "Name: prelude-casebook\n" in meta and f"Version: {__version__}\n" in meta
    assert "prelude = prelude_cli.cli.main:main" in entry
    for schema in (ROOT / "schemas").glob("*.schema.json"):
        assert f"prelude_cli/schemas/{schema.name}" in names
    assert not [n for n in names if ".prelude-cache" in n or n.endswith("identities.yaml")]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_installed_wheel_writes_its_sample_and_lists_what_is_due(
        built_wheel: Path, tmp_path: Path) -> None:
    env = fresh_env(tmp_path / "venv")
    work = tmp_path / "work"
    work.mkdir()
    for cmd in (f'python -m pip install "{built_wheel}"',
                "prelude init --sample try-prelude",
                "prelude validate -C try-prelude --as-of 2026-11-26",
                "prelude due-reviews -C try-prelude --as-of 2026-11-26 --format json > due.json",
                "prelude doctor -C try-prelude --format json > doctor.json"):
        done = run(cmd, work, env)
        assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    assert (work / "try-prelude" / ".git").is_dir()
    here = runner.invoke(app, ["due-reviews", "-C", str(SAMPLE), "--as-of", "2026-11-26",
                               "--no-cache", "--format", "json"])
    assert json.loads((work / "due.json").read_text()) == json.loads(here.stdout)
    assert json.loads(here.stdout)["items"]  # the sample has something due
    checks = {c["name"]: c for c in json.loads((work / "doctor.json").read_text())}
    assert checks["distribution"]["detail"] == f"prelude-casebook {__version__}"
    assert checks["installed from"]["detail"].startswith(f"file {built_wheel.as_posix()}")


def test_init_sample_writes_the_sample_as_a_new_git_repository(tmp_path: Path) -> None:
    book = tmp_path / "try"
    result = runner.invoke(app, ["init", "--sample", str(book)])
    assert result.exit_code == 0, result.output
    for rel, data in tracked_sample().items():
        if rel != ".gitignore":  # which init may extend with its own lines
            assert (book / rel).read_bytes() == data, rel
    assert (book / "schemas" / "case.schema.json").is_file()
    assert (book / ".vscode" / "settings.json").is_file()
    assert not (book / ".github").exists()  # no CI workflow unless asked
    if shutil.which("git"):
        assert (book / ".git").is_dir()
    listed = runner.invoke(app, ["case", "list", "-C", str(book), "--format", "json"])
    assert len(json.loads(listed.stdout)) == len(list((SAMPLE / "cases").iterdir()))
    again = runner.invoke(app, ["init", "--sample", str(book)])
    assert again.exit_code == 2 and "already holds a casebook" in again.output


def test_init_sample_writes_its_fictional_extract_and_register_where_git_ignores_them(
        tmp_path: Path) -> None:
    """The example dashboard extract and identity register (docs/meeting.md uses both) hold
    identifiers, fictional as they are: written, read by intake, and never tracked."""
    book = tmp_path / "try"
    assert runner.invoke(app, ["init", "--sample", str(book)]).exit_code == 0
    extract = book / "extracts" / "dashboard-2026-11.csv"
    assert extract.is_file() and (book / "identities.yaml").is_file()
    assert (book / "identities.yaml").stat().st_mode & 0o077 == 0
    intake = runner.invoke(app, ["intake", str(extract), "-C", str(book), "--as-of",
                                 "2026-11-26", "-f", "json"])
    assert intake.exit_code == 0, intake.output
    assert json.loads(intake.stdout)["counts"] == {
        "new": 3, "on-programme": 2, "deferred": 1, "not-included": 1, "exited": 1}
    checked = runner.invoke(app, ["validate", "-C", str(book), "--as-of", "2026-11-26"])
    assert checked.exit_code == 0, checked.output
    if shutil.which("git"):
        import subprocess

        status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=book,
                                capture_output=True, text=True, check=True).stdout
        assert "!! extracts/" in status and "!! identities.yaml" in status


def test_init_sample_with_ci_adds_the_workflow(tmp_path: Path) -> None:
    book = tmp_path / "try"
    result = runner.invoke(app, ["init", "--sample", str(book), "--no-git", "--ci", "gitlab"])
    assert result.exit_code == 0, result.output
    assert (book / ".gitlab-ci.yml").is_file() and not (book / ".git").exists()
