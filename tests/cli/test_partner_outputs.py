"""Partner outputs hold nothing outside the allowlist.

A copy of the sample casebook gets a distinctive marker in every free-text field and every
field a partner may not see (every text without a fixed vocabulary or form, and every number);
each marker must then appear in some internal output and in no partner output: case reports
(md, html, json), the programme report (md, html, json) and exports (csv, jsonl, xlsx, sqlite).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prelude_cli.book import schemas
from prelude_cli.book.casebook import kind_of, open_casebook
from prelude_cli.book.schemawalk import deref
from prelude_cli.checks.validation import validate
from prelude_cli.export import export_casebook
from prelude_cli.files.roundtrip import new_document
from prelude_cli.files.yamlio import load_bytes
from prelude_cli.privacy.sharing import CASE_KINDS, PARTNER, is_shared
from prelude_cli.reports.case import build_case_report
from prelude_cli.reports.figures import Period
from prelude_cli.reports.programme import FIGURE_INPUTS, build_programme_report
from prelude_cli.reports.render import render

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)
# Fields no internal report or export shows either (the case report's timeline gives only a
# retention review's decision), so their markers are looked for in partner outputs alone.
NOT_IN_INTERNAL = {("case", ("retention_reviews", "*", "reviewer")),
                   ("case", ("retention_reviews", "*", "rationale"))}


def _plantable(node: dict[str, Any]) -> bool:
    if node.get("type") == "string":
        return not ({"enum", "pattern", "format", "$ref"} & set(node))
    return node.get("type") in ("integer", "number") and "enum" not in node


def _plant(value: Any, node: dict[str, Any], root: dict[str, Any], kind: str,
           path: tuple[str, ...], markers: list[tuple[str, str, tuple[str, ...]]]) -> Any:
    node = deref(node, root)
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        return {k: _plant(v, props.get(k) or extra or {}, root, kind,
                          (*path, k if k in props else "*"), markers)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_plant(v, node.get("items", {}), root, kind, (*path, "*"), markers)
                for v in value]
    if is_shared(kind, path) or not _plantable(node):
        return value
    if node.get("type") == "string":
        markers.append((f"Zqx{len(markers):04d}Mk", kind, path))
        return markers[-1][0]
    markers.append((str(97001 + len(markers)), kind, path))
    return int(markers[-1][0])


Planted = tuple[Path, list[tuple[str, str, tuple[str, ...]]]]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    root = tmp_path_factory.mktemp("planted") / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    markers: list[tuple[str, str, tuple[str, ...]]] = []
    for path in sorted((root / "cases").rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        kind = kind_of(rel)
        assert kind in CASE_KINDS
        data = load_bytes(path.read_bytes(), rel).data
        schema = schemas.schema(kind)
        path.write_bytes(new_document(_plant(data, schema, schema, kind, (), markers), kind))
    result = validate(open_casebook(root), as_of=AS_OF)
    assert result.errors == 0, [p for p in result.problems if p.is_error][:5]
    assert len(markers) > 300
    return root, markers


def _export_text(book: Any, out: Path, fmt: str, **kw: Any) -> str:
    export_casebook(book, out, fmt=fmt, as_of=AS_OF, **kw)
    if fmt in ("csv", "jsonl"):
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    if fmt == "sqlite":
        with sqlite3.connect(out) as db:
            return "\n".join(db.iterdump())
    from openpyxl import load_workbook

    wb = load_workbook(out, read_only=True)
    return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def _reports(root: Path, audience: str) -> Iterator[tuple[str, str]]:
    book = open_casebook(root)
    for case_id in book.case_ids():
        report = build_case_report(book, case_id, AS_OF, audience)
        for fmt in ("md", "html", "json"):
            rendered = render(report, fmt, "case.md")
            yield f"case {case_id} {fmt}", rendered.text + "".join(rendered.beside.values())
    programme = build_programme_report(book, AS_OF, Period(), audience)
    for fmt in ("md", "html", "json"):
        yield f"programme {fmt}", render(programme, fmt, "p.md").text


def test_markers_reach_internal_outputs_and_no_partner_output(planted: Planted,
                                                              tmp_path: Path) -> None:
    root, planted_markers = planted
    markers = [m for m, _, _ in planted_markers]
    book = open_casebook(root)
    internal = "\n".join(text for _, text in _reports(root, "internal"))
    internal += _export_text(book, tmp_path / "all.sqlite", "sqlite", include_text=True)
    assert [(m, k, p) for m, k, p in planted_markers
            if m not in internal and (k, p) not in NOT_IN_INTERNAL] == []
    assert {(k, p) for _, k, p in planted_markers} >= NOT_IN_INTERNAL
    partner = dict(_reports(root, PARTNER))
    for fmt, name in (("csv", "p-csv"), ("jsonl", "p-jsonl"), ("xlsx", "p.xlsx"),
                      ("sqlite", "p.sqlite")):
        partner[f"export {fmt}"] = _export_text(book, tmp_path / name, fmt, audience=PARTNER)
    for where, text in partner.items():
        leaked = [m for m in markers if m in text]
        assert leaked == [], (where, leaked[:5])


def test_partner_json_withholds_whole_sections(planted: Planted) -> None:
    book = open_casebook(planted[0])
    for case_id in book.case_ids():
        data = build_case_report(book, case_id, AS_OF, PARTNER).as_dict()
        assert data["audience"] == PARTNER and data["due"] is None and data["person"] is None
        assert data["disruption"] is None
        assert data["case"]["officer"] is None and data["case"]["concerns"] == []
        for d in data["decisions"]:
            assert d["dashboard"] is None and d["partners"] == [] and d["approach"] is None
        for c in data["contacts"]:
            assert c["messages"] == [] and c["by"] is None and c["role"] is None
        if data["plan"]:
            assert data["plan"]["tag"] is None
            assert all(g["text"] is None for g in data["plan"]["goals"])
        if data["exit"]:
            assert data["exit"]["signposting"] == []
        assert not any(e["kind"] in ("disruption", "proportionality-review", "tag",
                                     "retention-review") for e in data["timeline"])
        internal = build_case_report(book, case_id, AS_OF).as_dict()
        assert data["case"]["stage"] == internal["case"]["stage"]
        assert data["case"]["key_dates"] == internal["case"]["key_dates"]


def test_partner_programme_report_leaves_out_figures_on_withheld_fields() -> None:
    book = open_casebook(ROOT / "sample_casebook")
    internal = build_programme_report(book, AS_OF, Period())
    partner = build_programme_report(book, AS_OF, Period(), PARTNER)
    assert set(FIGURE_INPUTS) == {f.key for f in internal.figures}
    left_out = {f.key for f in internal.figures} - {f.key for f in partner.figures}
    assert left_out == {"disruption_flow", "proportionality_reviews_on_time"}
    for f in partner.figures:  # the shared figures are the internal ones, unchanged
        assert f == internal.figure(f.key)
    assert partner.case_ids == book.case_ids()


def test_partner_export_tables_and_columns(tmp_path: Path) -> None:
    book = open_casebook(ROOT / "sample_casebook")
    export_casebook(book, tmp_path / "p", fmt="jsonl", as_of=AS_OF, audience=PARTNER)
    tables = {p.stem: [json.loads(line) for line in p.read_text().splitlines()]
              for p in (tmp_path / "p").iterdir()}
    assert set(tables) == {"cases", "decisions", "contacts", "assessments", "milestones",
                           "interventions", "exits", "export_info"}
    assert list(tables["contacts"][0]) == ["case_id", "contact_id", "contact_seq", "date",
                                           "method", "purpose", "outcome"]
    assert list(tables["decisions"][0]) == ["case_id", "decision_seq", "date", "decision",
                                            "is_latest"]
    assert "officer" not in tables["cases"][0] and "stage" in tables["cases"][0]
    assert tables["export_info"][0]["audience"] == PARTNER
    with pytest.raises(Exception, match="free text"):
        export_casebook(book, tmp_path / "q", fmt="csv", as_of=AS_OF, audience=PARTNER,
                        include_text=True)
