"""`prelude init`'s core: a new casebook folder, ready to validate and to commit.

A folder that already holds a casebook is refused. Any other folder is fine, even one with
files in it: files already there are kept (ignore and attribute files get the missing lines
appended), so `init` can be run in an existing repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..book.casebook import CASEBOOK_FILE, CASES_DIR, IDENTITIES_FILE, PROVIDERS_FILE
from ..files.fsread import read_optional, read_regular
from ..files.storage import snapshot, write_atomic
from . import distribution, integrations, templates
from .doctor import EXPORTED_SCHEMAS, export_schemas


class InitError(Exception):
    """The folder cannot become a casebook (it already is one, or it is a file)."""


@dataclass(slots=True)
class InitResult:
    root: Path
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there, left as they were
    updated: list[str] = field(default_factory=list)  # lines appended
    git: str = ""  # what happened about git, in a sentence


def create_casebook(folder: Path, *, git: bool = True, ci: str | None = "github") -> InitResult:
    """A new casebook in `folder`, with a CI workflow (`ci`: github, gitlab or None) and the
    schema mapping that lets VS Code check documents as they are typed."""
    _refuse(folder)
    folder.mkdir(parents=True, exist_ok=True)
    result = InitResult(folder.resolve())
    _write(result, CASEBOOK_FILE, templates.casebook_yaml())
    _write(result, PROVIDERS_FILE, templates.PROVIDERS_YAML)
    _write(result, "README.md", templates.README_MD)
    _lines(result, ".gitignore", templates.GITIGNORE_LINES)
    _lines(result, ".gitattributes", templates.GITATTRIBUTES_LINES)
    (folder / CASES_DIR).mkdir(exist_ok=True)
    _write(result, f"{CASES_DIR}/.gitkeep", "")
    add_editor_support(result)
    if ci:
        _write(result, integrations.CI_FILES[ci], integrations.CI_TEXT[ci])
    result.git = init_git(folder) if git else "git skipped (--no-git)"
    return result


def create_sample(folder: Path, *, git: bool = True, ci: str | None = None) -> InitResult:
    """The fictional sample casebook in `folder`, to try every command on (it ships inside
    the package, so this works after a pipx install), set up as `create_casebook` sets up a
    new one; a CI workflow only when asked (`ci`)."""
    _refuse(folder)
    folder.mkdir(parents=True, exist_ok=True)
    result = InitResult(folder.resolve())
    source = distribution.sample_dir()
    for rel in distribution.sample_files():
        _write(result, rel, (source / rel).read_text(encoding="utf-8"))
    _lines(result, ".gitignore", templates.GITIGNORE_LINES)
    # Fictional, but identifiers all the same: both are ignored by the .gitignore above, so
    # the sample shows where such files belong.
    _write(result, templates.SAMPLE_EXTRACT_PATH, templates.SAMPLE_EXTRACT)
    _write(result, IDENTITIES_FILE, templates.SAMPLE_REGISTER, mode=0o600)
    _lines(result, ".gitattributes", templates.GITATTRIBUTES_LINES)
    add_editor_support(result)
    if ci:
        _write(result, integrations.CI_FILES[ci], integrations.CI_TEXT[ci])
    result.git = init_git(folder) if git else "git skipped (--no-git)"
    return result


def _refuse(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder")
    if (folder / CASEBOOK_FILE).exists():
        raise InitError(f"{folder} already holds a casebook ({CASEBOOK_FILE})")


def add_ci(folder: Path, system: str) -> InitResult:
    """Add a CI workflow to an existing casebook (an existing one is kept, not overwritten)."""
    if not (folder / CASEBOOK_FILE).is_file():
        raise InitError(f"{folder} holds no casebook ({CASEBOOK_FILE}); run prelude init first")
    result = InitResult(folder.resolve())
    _write(result, integrations.CI_FILES[system], integrations.CI_TEXT[system])
    return result


def add_editor_support(result: InitResult) -> None:
    """Export the schemas into the casebook and map them to its files for VS Code."""
    for written in export_schemas(result.root / EXPORTED_SCHEMAS):
        result.created.append(written.relative_to(result.root).as_posix())
    settings = result.root / integrations.VSCODE_SETTINGS
    raw = read_optional(settings, 1024 * 1024)  # bounded, never a FIFO's endless wait
    existing = raw.decode("utf-8", "replace") if raw is not None else None
    try:
        text = integrations.vscode_settings(existing)
    except ValueError:  # a settings file we cannot read as JSON (comments): leave it alone
        result.kept.append(integrations.VSCODE_SETTINGS)
        return
    if text != existing:
        settings.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(settings, text.encode("utf-8"), snapshot(settings))
        (result.updated if existing is not None else result.created).append(
            integrations.VSCODE_SETTINGS)


def _write(result: InitResult, relpath: str, text: str, mode: int = 0o666) -> None:
    path = result.root / relpath
    if path.exists():
        result.kept.append(relpath)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags, mode), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    result.created.append(relpath)


def _lines(result: InitResult, relpath: str, lines: tuple[str, ...]) -> None:
    """Create the file, or append the lines it lacks."""
    path = result.root / relpath
    if not path.exists():
        _write(result, relpath, "\n".join(lines) + "\n")
        return
    text = read_regular(path, 1024 * 1024, name=relpath).decode("utf-8", "replace")
    have = {line.strip() for line in text.splitlines()}
    missing = [line for line in lines if line.strip() not in have and not line.startswith("#")]
    if not missing:
        result.kept.append(relpath)
        return
    with open(path, "a", encoding="utf-8", newline="\n") as fh:
        fh.write(("" if text.endswith("\n") or not text else "\n") + "\n".join(missing) + "\n")
    result.updated.append(relpath)


def init_git(folder: Path) -> str:
    """`git init`, unless the folder is already inside a work tree or git is not installed."""
    git = shutil.which("git")
    if git is None:
        return "git not found: the casebook was not put under version control"
    inside = subprocess.run([git, "rev-parse", "--is-inside-work-tree"], cwd=folder,
                            capture_output=True, text=True, check=False)
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return "already inside a git work tree: git init skipped"
    done = subprocess.run([git, "init", "-q"], cwd=folder, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["unknown error"])[0]
        return f"git init failed: {reason}"
    return "initialised a git repository"
