"""The installed distribution: its name, version, where it was installed from, and the sample
casebook it ships.

A force installs prelude from its own copy (a git URL with a release tag, a wheel on its own
package index, a wheel file); `prelude doctor` says which, from the metadata the installer
recorded (PEP 610's `direct_url.json`), so a wrong or stale install is easy to spot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlparse

DIST_NAME = "prelude-casebook"
"""The distribution's name (pip install ..., pip show ...): the command is `prelude`, the import
package `prelude_cli`."""

FOREIGN_NAMES = ("prelude-cli", "prelude")
"""Names this project used before, or that belong to unrelated projects on the public index: a
distribution installed under one of them beside prelude is a leftover or a stranger."""

SAMPLE_DIR = "sample_casebook"
LEFT_BEHIND = frozenset({".prelude-cache", "identities.yaml"})
"""What running prelude on the sample may leave in it: never copied out of it."""


@dataclass(frozen=True, slots=True)
class Installed:
    name: str
    version: str
    source: str  # where it was installed from, in words
    location: str  # the folder it is installed in


def installed(name: str = DIST_NAME) -> Installed | None:
    """The installed distribution `name`, or None (running from a source tree, not installed)."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    direct = dist.read_text("direct_url.json")
    installer = (dist.read_text("INSTALLER") or "").strip()
    source = describe_source(json.loads(direct) if direct else None)
    if installer:
        source += f" (by {installer})"
    return Installed(dist.metadata["Name"], dist.version, source,
                     str(Path(str(dist.locate_file(""))).resolve()))


def describe_source(direct_url: dict | None) -> str:
    """Where a distribution came from, in words, given its `direct_url.json` (PEP 610), which
    installers write for everything not installed by name from a package index."""
    if not direct_url:
        return "a package index (installed by name)"
    url = str(direct_url.get("url", ""))
    if "vcs_info" in direct_url:
        vcs = direct_url["vcs_info"]
        rev = vcs.get("requested_revision")
        commit = str(vcs.get("commit_id", ""))[:12]
        return (f"{vcs.get('vcs', 'vcs')} {url}" + (f" at {rev}" if rev else "")
                + (f" (commit {commit})" if commit else ""))
    if "dir_info" in direct_url:
        kind = "editable install of" if direct_url["dir_info"].get("editable") else "folder"
        return f"{kind} {_local(url)}"
    if "archive_info" in direct_url:
        return f"file {_local(url)}"
    return url or "unknown"


def _local(url: str) -> str:
    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" else url


def foreign_installed() -> list[tuple[str, str]]:
    """(name, version) of distributions installed under a foreign name (see FOREIGN_NAMES)."""
    found = []
    for name in FOREIGN_NAMES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return found


def sample_dir() -> Path:
    """The sample casebook: shipped inside the wheel; a source checkout reads the top-level
    `sample_casebook/`."""
    packaged = resources.files("prelude_cli") / SAMPLE_DIR
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / SAMPLE_DIR


def sample_files() -> list[str]:
    """The sample's files, as relative POSIX paths, sorted; what prelude leaves in it is not."""
    root = sample_dir()
    out = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not LEFT_BEHIND.intersection(rel.parts):
            out.append(rel.as_posix())
    return sorted(out)
