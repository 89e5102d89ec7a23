"""The CI workflows `prelude init` writes, run for real: every shell step of every job, parsed
from the written YAML, in a new casebook, with the install line pointed at the freshly built
wheel. And the install line's placeholder stops the run with a readable message until a team
sets it. (Steps that use a hosted action, such as checkout, are the CI service's own.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from wheelkit import fresh_env, run

from prelude_cli import integrations
from prelude_cli.init import create_casebook

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

PLACEHOLDER_LINE = f'PRELUDE_INSTALL: "{integrations.INSTALL_PLACEHOLDER}"'


def github_jobs(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(workflow env, job -> its shell steps in order)."""
    flow = yaml.safe_load(text)
    jobs = {name: [s["run"] for s in job["steps"] if "run" in s]
            for name, job in flow["jobs"].items()}
    return {k: str(v) for k, v in flow["env"].items()}, jobs


def gitlab_jobs(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    pipeline = yaml.safe_load(text)
    before = pipeline["default"]["before_script"]
    jobs = {name: [*before, *job["script"]] for name, job in pipeline.items()
            if isinstance(job, dict) and "script" in job}
    return {k: str(v) for k, v in pipeline["variables"].items()}, jobs


PARSERS = {"github": github_jobs, "gitlab": gitlab_jobs}


@pytest.fixture
def book(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, str]:
    """A new casebook with the workflow `prelude init --ci SYSTEM` writes, and its text."""
    system = request.param
    root = tmp_path / "book"
    create_casebook(root, ci=system)
    return root, (root / integrations.CI_FILES[system]).read_text(encoding="utf-8")


@pytest.mark.parametrize("book", ["github", "gitlab"], indirect=True)
def test_every_shell_step_passes_with_prelude_installed_from_the_wheel(
        book: tuple[Path, str], built_wheel: Path, tmp_path: Path) -> None:
    root, text = book
    system = "github" if "jobs:" in text else "gitlab"
    assert text.count(PLACEHOLDER_LINE) == 1  # one clearly marked line to set
    pointed = text.replace(PLACEHOLDER_LINE, f'PRELUDE_INSTALL: "{built_wheel.as_posix()}"')
    variables, jobs = PARSERS[system](pointed)
    assert set(jobs) == {"validate", "due-reviews"}
    for job, steps in jobs.items():
        env = {**fresh_env(tmp_path / f"venv-{job}"), **variables}
        env["GITHUB_STEP_SUMMARY"] = str(tmp_path / f"summary-{job}.md")
        for step in steps:
            done = run(step, root, env)
            assert done.returncode == 0, f"{job}: {step}\n{done.stdout}\n{done.stderr}"
        doctor = run("prelude doctor --format json", root, env)
        checks = {c["name"]: c["detail"] for c in json.loads(doctor.stdout)}
        assert checks["installed from"].startswith(f"file {built_wheel.as_posix()}")
        assert checks["installed in"].startswith(str((tmp_path / f"venv-{job}").resolve()))
    if system == "gitlab":
        assert "<testsuites" in (root / "prelude-junit.xml").read_text(encoding="utf-8")
        report = (root / "due-reviews.md").read_text(encoding="utf-8")
    else:
        report = (tmp_path / "summary-due-reviews.md").read_text(encoding="utf-8")
    assert report.startswith("**Due reviews as of") and "nothing due" in report


@pytest.mark.parametrize("book", ["github", "gitlab"], indirect=True)
def test_an_unset_install_line_stops_the_run_saying_what_to_do(
        book: tuple[Path, str], tmp_path: Path) -> None:
    root, text = book
    variables, jobs = PARSERS["github" if "jobs:" in text else "gitlab"](text)
    env = {**fresh_env(tmp_path / "venv"), **variables}
    install = next(s for s in jobs["validate"] if "PRELUDE_INSTALL" in s)
    done = run(install, root, env)
    assert done.returncode == 1
    assert done.stderr.strip() == integrations.INSTALL_UNSET
    assert done.stdout == ""  # pip never ran


@pytest.mark.parametrize("system", ["github", "gitlab"])
def test_workflows_name_no_public_index_package(system: str) -> None:
    """The install line points at the team's own source; no `pip install NAME` of anything."""
    text = integrations.CI_TEXT[system]
    for line in text.splitlines():
        if "pip install" in line:
            assert line.strip().endswith("pip install $PRELUDE_INSTALL"), line
    for taken in ("prelude-cli", "pip install prelude"):
        assert taken not in text
