"""Fitting a casebook to the team's tools: CI workflows and editor schema mappings.

`prelude init` writes these into a new casebook, and `prelude init --ci ...` or
`prelude schemas export` add them to an existing one. Returned as text; `init.py` writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..book.casebook import CASEBOOK_FILE, PROVIDERS_FILE
from .doctor import EXPORTED_SCHEMAS

CI_SYSTEMS = ("github", "gitlab")
CI_FILES = {"github": ".github/workflows/prelude.yml", "gitlab": ".gitlab-ci.yml"}

# How CI installs prelude: from the force's own copy, never by a bare name from a public index
# (other projects own `prelude` and `prelude-cli` there). The workflow carries this placeholder
# until the team sets it; the install step stops with INSTALL_UNSET's message until then.
INSTALL_PLACEHOLDER = "REPLACE-ME"
INSTALL_UNSET = ("PRELUDE_INSTALL is not set: put where your force keeps prelude on the "
                 "PRELUDE_INSTALL line near the top of this file (a git URL with a release tag, "
                 "or prelude-casebook==VERSION from your own package index; see prelude's "
                 "docs/ci.md)")
INSTALL_EXAMPLES = (
    f"git+https://git.example.police.uk/tools/prelude.git@v{__version__}",
    f"prelude-casebook=={__version__} --index-url https://pypi.example.police.uk/simple",
)
_INSTALL_VARIABLE = f"""\
  # >>> Where prelude is installed from: your force's own copy. Set this line. <<<
  # A git URL and release tag:  {INSTALL_EXAMPLES[0]}
  # Your own package index:     {INSTALL_EXAMPLES[1]}
  PRELUDE_INSTALL: "{INSTALL_PLACEHOLDER}"
"""
INSTALL_COMMANDS = (
    f'[ "$PRELUDE_INSTALL" != "{INSTALL_PLACEHOLDER}" ] || {{ echo "{INSTALL_UNSET}" >&2; '
    "exit 1; }",
    "python -m pip install $PRELUDE_INSTALL",
)
"""The install step's shell lines: refuse the placeholder in words, then install (the value is
left unquoted so that it may carry pip options such as --index-url)."""

_GITHUB_INSTALL = "".join(f"          {line}\n" for line in INSTALL_COMMANDS)

GITHUB_WORKFLOW = f"""\
# Checks the casebook on every push and pull request, and lists overdue reviews every weekday
# morning (the run fails when anything is overdue, so it shows up red). Written by prelude init.
name: prelude

on:
  push:
  pull_request:
  schedule:
    - cron: "0 6 * * 1-5"   # 06:00 UTC, Monday to Friday
  workflow_dispatch:

env:
{_INSTALL_VARIABLE}  NO_COLOR: "1"

jobs:
  validate:
    if: github.event_name != 'schedule'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install prelude (from PRELUDE_INSTALL above)
        run: |
{_GITHUB_INSTALL}      - name: Validate (problems appear as annotations on the files)
        run: prelude validate --format github
      - name: Canonical layout
        run: prelude fmt --check

  due-reviews:
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install prelude (from PRELUDE_INSTALL above)
        run: |
{_GITHUB_INSTALL}      - name: Due reviews into the run summary
        run: prelude due-reviews --format md >> "$GITHUB_STEP_SUMMARY"
      - name: Fail when anything is overdue
        run: prelude due-reviews --overdue-only --fail-on-overdue --format md
"""

_GITLAB_INSTALL = "".join(f"    - |\n      {line}\n" for line in INSTALL_COMMANDS)

GITLAB_CI = f"""\
# Checks the casebook on every push and merge request; a pipeline schedule (CI/CD >
# Schedules, weekdays at 06:00) lists overdue reviews and fails when anything is overdue.
# Written by prelude init.
variables:
{_INSTALL_VARIABLE}  NO_COLOR: "1"

default:
  image: python:3.12-slim
  before_script:   # install prelude (from PRELUDE_INSTALL above)
{_GITLAB_INSTALL}
validate:
  rules:
    - if: $CI_PIPELINE_SOURCE != "schedule"
  script:
    - prelude fmt --check
    - prelude validate --format junit > prelude-junit.xml || (prelude validate; exit 1)
  artifacts:
    when: always
    reports:
      junit: prelude-junit.xml

due-reviews:
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - prelude due-reviews --format md | tee due-reviews.md
    - prelude due-reviews --overdue-only --fail-on-overdue
  artifacts:
    when: always
    paths:
      - due-reviews.md
"""

CI_TEXT = {"github": GITHUB_WORKFLOW, "gitlab": GITLAB_CI}

# The casebook's file patterns, by document kind, for editors' schema mappings.
DOCUMENT_GLOBS: dict[str, list[str]] = {
    "casebook": [CASEBOOK_FILE],
    "providers": [PROVIDERS_FILE],
    "case": ["cases/*/case.yaml"],
    "identification": ["cases/*/identification.yaml"],
    "contact": ["cases/*/contacts/*.yaml"],
    "disruption": ["cases/*/disruption.yaml"],
    "assessment": ["cases/*/assessments/*.yaml"],
    "plan": ["cases/*/plan.yaml"],
    "exit": ["cases/*/exit.yaml"],
    "disclosure": ["disclosures/*.yaml"],
    "disposal": ["disposals/*.yaml"],
    "identities": ["identities.yaml"],
}
VSCODE_SETTINGS = ".vscode/settings.json"


def yaml_schemas_mapping() -> dict[str, list[str]]:
    """`yaml.schemas` for yaml-language-server: exported schema file -> the globs it checks."""
    return {f"./{EXPORTED_SCHEMAS}/{kind}.schema.json": globs
            for kind, globs in DOCUMENT_GLOBS.items()}


def vscode_settings(existing: str | None) -> str:
    """VS Code settings with prelude's schema mapping merged in (other settings kept)."""
    settings = json.loads(existing) if existing and existing.strip() else {}
    if not isinstance(settings, dict):
        raise ValueError(f"{VSCODE_SETTINGS} is not a JSON object")
    mapping = settings.get("yaml.schemas") if isinstance(settings.get("yaml.schemas"),
                                                         dict) else {}
    mapping.update(yaml_schemas_mapping())
    settings["yaml.schemas"] = mapping
    settings.setdefault("files.eol", "\n")
    return json.dumps(settings, indent=2) + "\n"


def ci_path(root: Path, system: str) -> Path:
    return root / CI_FILES[system]
