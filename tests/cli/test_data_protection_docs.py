"""docs/data-protection.md lists exactly the partner allowlist the schemas carry, and the
README points to it."""

from __future__ import annotations

import re
from pathlib import Path

from prelude_cli.privacy.sharing import DERIVED, allowlist_lines

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "data-protection.md").read_text(encoding="utf-8")


def test_the_doc_lists_exactly_the_allowlist() -> None:
    block = re.search(r"<!-- allowlist:[^>]*-->\n(.*?)\n<!-- /allowlist -->", DOC, re.S)
    assert block, "the allowlist block is missing from docs/data-protection.md"
    assert block.group(1).splitlines() == allowlist_lines(), (
        "docs/data-protection.md is out of step with the schemas' x-share annotations; "
        "replace its allowlist block with:\n" + "\n".join(allowlist_lines()))


def test_derived_values_are_named_in_the_doc() -> None:
    for name in DERIVED:
        assert f"**{name}**" in DOC


def test_readme_links_the_doc() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Data protection" in readme
    assert "(docs/data-protection.md)" in readme


def test_the_agreement_example_runs_as_documented(tmp_path, monkeypatch) -> None:
    """The worked example's commands, run against a copy of the sample casebook: the pack
    holds exactly the cases and columns the text says."""
    import csv
    import shlex
    import shutil

    import pytest

    from prelude_cli.cli.main import main

    block = re.search(r"<!-- agreement-example -->\n```\n(.*?)```\n<!-- /agreement-example -->",
                      DOC, re.S)
    assert block, "the worked example is missing from docs/data-protection.md"
    book = tmp_path / "sample_casebook"
    shutil.copytree(ROOT / "sample_casebook", book,
                    ignore=shutil.ignore_patterns(".prelude-*", "disclosures"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRELUDE_USER", "A. Analyst")
    commands = [shlex.split(line)[1:] for line in block.group(1).splitlines() if line]
    assert len(commands) == 3
    for args in commands:
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert not exc.value.code, args
    with open(tmp_path / "yj-pack" / "cases.csv", encoding="utf-8-sig", newline="") as fh:
        assert [r["id"] for r in csv.DictReader(fh)] == ["OP-2N4RJP", "OP-959KQ3", "OP-PGN0T7"]
    with open(tmp_path / "yj-pack" / "contacts.csv", encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert "date" in header and "outcome" in header
    assert "method" not in header and "purpose" not in header
    board = (tmp_path / "yj-board.md").read_text(encoding="utf-8")
    assert "1 case in the period, of 1 selected by the filters" in board
