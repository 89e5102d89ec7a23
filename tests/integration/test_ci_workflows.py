"""The CI workflows `prelude init` writes, and docs/ci.md's Azure DevOps pipeline, run for real:
every shell step of every job, parsed from the YAML, in a new casebook, with the install line
pointed at the freshly built wheel. And the install line's placeholder stops the run with a
readable message until a team sets it. (Steps that use a hosted action or task, such as
checkout, are the CI service's own.)"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from wheelkit import fresh_env, run

from prelude_cli.tools import integrations
from prelude_cli.tools.init import create_casebook

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

ROOT = Path(__file__).resolve().parents[2]
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


def azure_jobs(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """docs/ci.md's Azure pipeline: one job; its condition (schedule only) is not simulated."""
    pipeline = yaml.safe_load(text)
    steps = [s["script"] for s in pipeline["steps"] if "script" in s]
    return {k: str(v) for k, v in pipeline["variables"].items()}, {"pipeline": steps}


PARSERS = {"github": github_jobs, "gitlab": gitlab_jobs, "azure": azure_jobs}
JOBS = {"github": {"validate", "due-reviews"}, "gitlab": {"validate", "due-reviews"},
        "azure": {"pipeline"}}


def azure_example() -> str:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = docs[docs.index("### Azure DevOps"):]
    return re.search(r"```yaml\n(.*?)```", section, re.S)[1]


@pytest.fixture
def book(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, str, str]:
    """A new casebook with the workflow `prelude init --ci SYSTEM` writes (or docs/ci.md's
    Azure pipeline), the system and the workflow's text."""
    system = request.param
    root = tmp_path / "book"
    if system == "azure":
        create_casebook(root, ci=None)
        return root, system, azure_example()
    create_casebook(root, ci=system)
    return root, system, (root / integrations.CI_FILES[system]).read_text(encoding="utf-8")


@pytest.mark.parametrize("book", ["github", "gitlab", "azure"], indirect=True)
def test_every_shell_step_passes_with_prelude_installed_from_the_wheel(
        book: tuple[Path, str, str], built_wheel: Path, tmp_path: Path) -> None:
    root, system, text = book
    assert text.count(PLACEHOLDER_LINE) == 1  # one clearly marked line to set
    pointed = text.replace(PLACEHOLDER_LINE, f'PRELUDE_INSTALL: "{built_wheel.as_posix()}"')
    variables, jobs = PARSERS[system](pointed)
    assert set(jobs) == JOBS[system]
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
    if system != "github":
        assert "<testsuites" in (root / "prelude-junit.xml").read_text(encoding="utf-8")
    if system != "azure":
        report = (root / "due-reviews.md" if system == "gitlab"
                  else tmp_path / "summary-due-reviews.md").read_text(encoding="utf-8")
        assert report.startswith("**Due reviews as of") and "nothing due" in report


@pytest.mark.parametrize("book", ["github", "gitlab", "azure"], indirect=True)
def test_an_unset_install_line_stops_the_run_saying_what_to_do(
        book: tuple[Path, str, str], tmp_path: Path) -> None:
    root, system, text = book
    variables, jobs = PARSERS[system](text)
    env = {**fresh_env(tmp_path / "venv"), **variables}
    first_job = sorted(jobs)[-1]  # validate, or the one pipeline
    install = next(s for s in jobs[first_job] if "PRELUDE_INSTALL" in s)
    done = run(install, root, env)
    assert done.returncode == 1
    assert done.stderr.strip() == integrations.INSTALL_UNSET
    assert done.stdout == ""  # pip never ran


@pytest.mark.parametrize("system", ["github", "gitlab", "azure"])
def test_workflows_name_no_public_index_package(system: str) -> None:
    """The install line points at the team's own source; no `pip install NAME` of anything."""
    text = azure_example() if system == "azure" else integrations.CI_TEXT[system]
    for line in text.splitlines():
        if "pip install" in line:
            assert line.strip().endswith("pip install $PRELUDE_INSTALL"), line
    for taken in ("prelude-cli", "pip install prelude"):
        assert taken not in text
