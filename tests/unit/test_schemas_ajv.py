"""Every schema passes Ajv's strict mode, and Ajv agrees with prelude's own validators.

Ajv is the JavaScript validator behind many editors' and CI tools' schema checks; its strict
mode refuses unknown keywords (`x-` ones included), `required` names a schema does not define
(`strictRequired`) and loose typing. prelude's two annotations, `x-share` and `x-free-text`,
are declared for it by `schemas/prelude-keywords.cjs`. The documents of the sample casebook,
and broken copies of them, get the same verdict from Ajv, python-jsonschema and jsonschema-rs.

Ajv and ajv-formats are installed from the npm registry into pytest's cache folder (never
tracked) on first use; the tests are skipped, with the reason shown, when node or npm is
missing or the registry cannot be reached.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from prelude_cli.book import schemas
from prelude_cli.book.layout import kind_of
from prelude_cli.files.yamlio import load_text
from prelude_cli.privacy.sharing import SHARE_KEY

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
KEYWORDS = SCHEMAS / "prelude-keywords.cjs"
CHECK = Path(__file__).with_name("ajv_check.cjs")
SAMPLE = ROOT / "sample_casebook"
PACKAGES = {"ajv": "8.20.0", "ajv-formats": "3.0.1"}


def _installed(folder: Path) -> bool:
    for name, version in PACKAGES.items():
        manifest = folder / "node_modules" / name / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text())["version"] != version:
            return False
    return True


@pytest.fixture(scope="session")
def ajv_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to run Ajv: install Debian's nodejs and npm")
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("ajv") if cache else tmp_path_factory.mktemp("ajv")
    if not _installed(folder):
        try:
            run = subprocess.run(
                [npm, "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund",
                 "--ignore-scripts", "--loglevel=error",
                 *(f"{n}@{v}" for n, v in PACKAGES.items())],
                capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pytest.skip("npm could not install Ajv within 5 minutes (registry unreachable?)")
        if run.returncode or not _installed(folder):
            last = (run.stderr.strip().splitlines() or ["no message"])[-1]
            pytest.skip(f"npm could not install Ajv (registry unreachable?): {last}")
    return folder


def ajv(folder: Path, documents: list[tuple[str, Any]]) -> dict[str, Any]:
    payload = {"schemas": {kind: schemas.schema(kind) for kind in schemas.KINDS},
               "keywords": str(KEYWORDS), "documents": documents}
    run = subprocess.run(["node", str(CHECK)], input=json.dumps(payload), capture_output=True,
                         text=True, timeout=300, cwd=folder, check=False,
                         env={**os.environ, "NODE_PATH": str(folder / "node_modules")})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_schema_compiles_in_strict_mode(ajv_folder: Path) -> None:
    result = ajv(ajv_folder, [])
    assert result["compiled"] == {kind: "ok" for kind in schemas.KINDS}
    assert result["warnings"] == []
    # The check is not vacuous: undeclared, the annotations are refused.
    assert 'unknown keyword: "x-share"' in result["undeclared"]


def test_the_declared_keywords_are_the_ones_prelude_reads() -> None:
    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            used.update(k for k in node if k.startswith("x-"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for kind in schemas.KINDS:
        walk(schemas.schema(kind))
    declared = KEYWORDS.read_text(encoding="utf-8")
    assert used == {SHARE_KEY, "x-free-text"}
    assert all(f'keyword: "{k}"' in declared for k in used)


def sample_documents() -> list[tuple[str, str, Any]]:
    """(path, kind, data) of every document of the sample casebook."""
    out = []
    for path in sorted(SAMPLE.rglob("*.yaml")):
        rel = path.relative_to(SAMPLE).as_posix()
        kind = kind_of(rel)
        if kind:
            out.append((rel, kind, load_text(path.read_text(encoding="utf-8"), rel).data))
    return out


def broken_copies(kind: str, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The document with one field gone, an unknown field, and each top-level text value
    replaced by an impossible date and by a word outside any vocabulary."""
    out: list[tuple[str, Any]] = [(kind, {**data, "unexpected": 1})]
    for key, value in data.items():
        out.append((kind, {k: v for k, v in data.items() if k != key}))
        if isinstance(value, str):
            for bad in ("2026-02-30", "nonsense", ""):
                out.append((kind, {**data, key: bad}))
    return out


def test_ajv_agrees_with_prelude_on_every_verdict(ajv_folder: Path) -> None:
    documents: list[tuple[str, Any]] = []
    for _, kind, data in sample_documents():
        documents.append((kind, data))
        if isinstance(data, dict):
            documents += broken_copies(kind, data)
    # An include decision needs an approach (the if/then strict mode complained about).
    ident = next(d for _, k, d in sample_documents() if k == "identification"
                 and d["decisions"][0]["decision"] == "include")
    no_approach = copy.deepcopy(ident)
    del no_approach["decisions"][0]["approach"]
    documents.append(("identification", no_approach))

    verdicts = ajv(ajv_folder, documents)["verdicts"]
    python = [schemas.validator(kind).is_valid(data) for kind, data in documents]
    assert python[-1] is False and python.count(True) > 50 and python.count(False) > 500
    disagree = [(kind, data) for (kind, data), a, p in zip(documents, verdicts, python,
                                                           strict=True) if a != p]
    assert disagree == []
    fast = [schemas.fast_validator(kind) for kind, _ in documents]
    if all(fast):
        assert [v.is_valid(data) for v, (_, data) in zip(fast, documents, strict=True)] == python
