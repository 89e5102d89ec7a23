"""Fitting a casebook to the team's tools: CI workflows and editor schema mappings.

`prelude init` writes these into a new casebook, and `prelude init --ci ...` or
`prelude schemas export` add them to an existing one. Returned as text; `init.py` writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .casebook import CASEBOOK_FILE, PROVIDERS_FILE
from .doctor import EXPORTED_SCHEMAS

CI_SYSTEMS = ("github", "gitlab")
CI_FILES = {"github": ".github/workflows/prelude.yml", "gitlab": ".gitlab-ci.yml"}

# How CI installs prelude: change this one line to your own package index or repository.
INSTALL = f"prelude-cli=={__version__}"

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
  PRELUDE_INSTALL: "{INSTALL}"   # or a URL of your own package index or repository
  NO_COLOR: "1"

jobs:
  validate:
    if: github.event_name != 'schedule'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "$PRELUDE_INSTALL"
      - name: Validate (problems appear as annotations on the files)
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
      - run: pip install "$PRELUDE_INSTALL"
      - name: Due reviews into the run summary
        run: prelude due-reviews --format md >> "$GITHUB_STEP_SUMMARY"
      - name: Fail when anything is overdue
        run: prelude due-reviews --overdue-only --fail-on-overdue --format md
"""

GITLAB_CI = f"""\
# Checks the casebook on every push and merge request; a pipeline schedule (CI/CD >
# Schedules, weekdays at 06:00) lists overdue reviews and fails when anything is overdue.
# Written by prelude init.
variables:
  PRELUDE_INSTALL: "{INSTALL}"   # or a URL of your own package index or repository
  NO_COLOR: "1"

default:
  image: python:3.12-slim
  before_script:
    - pip install --quiet "$PRELUDE_INSTALL"

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
