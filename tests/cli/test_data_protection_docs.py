"""docs/data-protection.md lists exactly the partner allowlist the schemas carry, and the
README points to it."""

from __future__ import annotations

import re
from pathlib import Path

from prelude_cli.sharing import DERIVED, allowlist_lines

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
