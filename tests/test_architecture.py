"""docs/architecture.md stays true to the code: every module of the package is on it, the
core never imports the CLI's libraries, and imports run from higher layers to lower ones."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "prelude_cli"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
ORDER = ("foundations", "storage", "casebook", "the case model", "checks", "what falls due",
         "the read path", "writing")


def layers() -> dict[str, int]:
    """Module name -> rank, from the doc's table (lower rows may import upper ones only)."""
    out: dict[str, int] = {}
    for line in DOC.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[1] in ORDER:
            for name in re.findall(r"`([a-z_]+)/?`", cells[2]):
                out[name] = ORDER.index(cells[1])
    return out


def top_level_imports(path: Path) -> list[tuple[str, int]]:
    """Package modules imported at module level (not inside functions), by module name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            if node.module:
                out.append((node.module.split(".")[-1], node.lineno))
            out += [(a.name, node.lineno) for a in node.names]
    return out


def test_every_module_is_on_the_page() -> None:
    """Every folder, and every module outside the per-command ones (cli/, records/,
    reports/, export/, reporters/, whose folder stands for them)."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name in ("__init__.py", "__main__.py"):
            continue
        folder = rel.parts[0] if len(rel.parts) > 1 else ""
        if folder and f"`{folder}/`" not in DOC:
            missing.append(f"{folder}/")
        elif folder not in ("cli", "records", "reports", "export", "reporters") \
                and f"`{rel.stem}`" not in DOC:
            missing.append(str(rel))
    assert missing == [], f"docs/architecture.md does not mention: {missing}"


def module_path(name: str) -> Path | None:
    """The core module of that name (the command line's modules share some names)."""
    found = [p for p in PACKAGE.rglob(f"{name}.py") if "cli" not in p.relative_to(PACKAGE).parts]
    return found[0] if len(found) == 1 else None


def test_the_core_never_imports_typer_or_rich() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if {"cli", "reporters"} & set(path.relative_to(PACKAGE).parts):
            continue  # the command line and its writers for people
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from) (typer|rich)\b", text, re.M):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_imports_run_downwards() -> None:
    rank = layers()
    assert len(rank) > 20, "the layer table of docs/architecture.md could not be read"
    upward = []
    for name, own in rank.items():
        path = module_path(name)
        if path is None:
            continue
        for dep, line in top_level_imports(path):
            if dep in rank and rank[dep] > own:
                upward.append(f"{name}.py:{line} imports {dep}")
    assert upward == []
