"""Shared test helpers: casebooks written from inline text, so a test reads like its data."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

CASE_ID = "OP-7K3M9Q"
CASE_DIR = f"cases/{CASE_ID}"
AS_OF = date(2026, 11, 26)
"""The as-of date tests validate at: after every date in the test data."""

MINIMAL_CASE = {
    "casebook.yaml": "format: 1\n",
    "providers.yaml": """
        providers:
          - id: housing-advice
            name: Housing Advice Service
            category: housing
            statutory: true
          - id: boxing-club
            name: Community Boxing Club
            category: enrichment
            statutory: false
    """,
    f"cases/{CASE_ID}/case.yaml": f"""
        id: {CASE_ID}
        officer: PC 4471 Hart
        area: Slough
        concerns: [knife-crime]
        age_band: under-18
    """,
    f"cases/{CASE_ID}/identification.yaml": """
        decisions:
          - date: '2026-01-12'
            decision: include
            forum: Slough Serious Violence tasking
            rationale: Dashboard rank and partner concerns.
            sources:
              dashboard: {score: 71.5, rank: 4, date: '2026-01-05'}
            approach: {role: youth-worker-lived-experience, by: '2026-01-26'}
    """,
}


def flat(text: str) -> str:
    """Inline YAML as it is written to disk: dedented, without the leading newline."""
    return textwrap.dedent(text).lstrip("\n")


MINIMAL_FLAT: dict[str, str] = {k: flat(v) for k, v in MINIMAL_CASE.items()}
"""MINIMAL_CASE as written, so tests can extend its files as text or write them as bytes."""


def write_casebook(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> YAML text, dedented) under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(flat(text), encoding="utf-8", newline="\n")
    return root


@pytest.fixture
def casebook(tmp_path: Path) -> Callable[..., Path]:
    """`casebook(extra_files, base=MINIMAL_CASE)` writes a casebook and returns its root."""

    def make(files: dict[str, str | bytes] | None = None,
             base: dict[str, str | bytes] | None = None) -> Path:
        root = tmp_path / "book"
        merged = dict(MINIMAL_CASE if base is None else base)
        merged.update(files or {})
        write_casebook(root, {k: v for k, v in merged.items() if v is not None})
        return root

    return make


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never depend on the developer's terminal or casebook."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("PRELUDE_CASEBOOK", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """prelude's wheel, built once per test run from this working tree (tests/wheelkit.py)."""
    from wheelkit import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))
