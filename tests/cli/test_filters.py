"""Case filters on every reading command: each dimension keeps exactly the cases it should in
due-reviews, case list, report programme and export, and a filtered programme report has the
figures of a casebook holding only the selected cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from recordkit import run

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-26"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("filters") / "book"
    shutil.copytree(ROOT / "sample_casebook", root,
                    ignore=shutil.ignore_patterns(".prelude-cache"))
    return root


def facts(root: Path) -> dict[str, dict]:
    """Each case's area, officer, age band and concerns, read straight from case.yaml."""
    out = {}
    for folder in sorted((root / "cases").iterdir()):
        data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        out[folder.name] = data
    return out


def ok_json(*args: str) -> object:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def listed(root: Path, *filters: str) -> set[str]:
    return {r["case"] for r in ok_json("case", "list", "-C", root, "--as-of", AS_OF, "-f",
                                       "json", *filters)}


def due_cases(root: Path, *filters: str) -> set[str]:
    payload = ok_json("due-reviews", "-C", root, "--as-of", AS_OF, "--within", "10y", "-f",
                      "json", *filters)
    return {i["case"] for i in payload["items"]}


def exported(root: Path, tmp: Path, *filters: str) -> set[str]:
    out = tmp / "export"
    result = run("export", "-C", root, "--as-of", AS_OF, "--format", "jsonl", "--out", out,
                 "--force", *filters)
    assert result.exit_code == 0, result.output
    ids = {json.loads(line)["id"] for line in
           (out / "cases.jsonl").read_text(encoding="utf-8").splitlines()}
    due = {json.loads(line)["case_id"] for line in
           (out / "due_items.jsonl").read_text(encoding="utf-8").splitlines()}
    assert due <= ids  # nothing of an unselected case anywhere
    return ids


def reported(root: Path, *filters: str) -> set[str]:
    payload = ok_json("report", "programme", "-C", root, "--as-of", AS_OF, "--format", "json",
                      *filters)
    stages = payload["figures"]["caseload_by_stage"]["rows"]
    assert sum(r["cases"] for r in stages) == payload["cases"]
    return payload


CASES = [
    (["--area", "slough"], lambda c: c["area"] == "Slough"),
    (["--area", "Slough", "--area", "OXFORD"], lambda c: c["area"] in ("Slough", "Oxford")),
    (["--officer", "pc 4471 hart"], lambda c: c["officer"] == "PC 4471 Hart"),
    (["--age-band", "under-18"], lambda c: c["age_band"] == "under-18"),
    (["--concern", "county-lines"], lambda c: "county-lines" in c["concerns"]),
    (["--area", "Slough", "--age-band", "under-18"],
     lambda c: c["area"] == "Slough" and c["age_band"] == "under-18"),
]


@pytest.mark.parametrize(("filters", "expect"), CASES, ids=[" ".join(f) for f, _ in CASES])
def test_each_filter_keeps_exactly_its_cases_everywhere(sample: Path, tmp_path: Path,
                                                        filters: list[str], expect) -> None:
    wanted = {cid for cid, data in facts(sample).items() if expect(data)}
    assert wanted, "a filter that keeps nothing proves nothing"
    assert listed(sample, *filters) == wanted
    assert due_cases(sample, *filters) <= wanted
    assert due_cases(sample, *filters) == due_cases(sample) & wanted
    assert exported(sample, tmp_path, *filters) == wanted
    assert reported(sample, *filters)["cases_in_casebook"] == len(wanted)


def test_stage_and_since(sample: Path) -> None:
    rows = ok_json("case", "list", "-C", sample, "--as-of", AS_OF, "-f", "json")
    support = {r["case"] for r in rows if r["stage"] == "support"}
    assert listed(sample, "--stage", "support") == support
    recent = {r["case"] for r in rows if r["last_activity"] >= "2026-11-01"}
    assert listed(sample, "--since", "2026-11-01") == recent
    assert 0 < len(recent) < len(rows)


def test_a_filtered_report_equals_the_report_of_only_those_cases(sample: Path,
                                                                 tmp_path: Path) -> None:
    """Filters apply before anything is counted: the figures are those of a casebook that
    holds only the selected cases, computed independently."""
    wanted = {cid for cid, data in facts(sample).items() if data["area"] == "Slough"}
    only = tmp_path / "only"
    shutil.copytree(sample, only, ignore=shutil.ignore_patterns(".prelude-cache"))
    for folder in (only / "cases").iterdir():
        if folder.name not in wanted:
            shutil.rmtree(folder)
    filtered = reported(sample, "--area", "Slough")
    alone = reported(only)
    assert filtered["filters"] == {"areas": ["Slough"]}
    assert filtered["figures"] == alone["figures"]
    assert filtered["cases"] == alone["cases"]
    md = run("report", "programme", "-C", sample, "--as-of", AS_OF, "--area", "Slough",
             "--format", "md").stdout
    assert "*Filters:* area: Slough" in md


def test_unknown_values_are_usage_errors(sample: Path) -> None:
    for args in (["--stage", "nowhere"], ["--age-band", "old"], ["--concern", "litter"],
                 ["--case", "OP-NOSUCH"], ["--since", "yesterday"]):
        result = run("case", "list", "-C", sample, "--as-of", AS_OF, *args)
        assert result.exit_code == 2, (args, result.output)
