"""What `prelude doctor` reports: versions, fast paths, git, and whether a casebook is current.

Returns checks as values; the CLI prints them.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import FORMAT_VERSION, __version__
from ..book import schemas
from ..book.casebook import CASEBOOK_FILE, Casebook
from ..files import yamlio
from ..files.fsread import ReadRefused, read_regular
from ..files.storage import snapshot, snapshot_of, write_atomic
from . import distribution

SCHEMA_LIMIT = 4 * 1024 * 1024

DEPENDENCIES = ("typer", "rich", "ruamel.yaml", "jsonschema", "python-dateutil", "PyYAML",
                "icalendar", "filelock", "jsonschema-rs", "openpyxl", "starlette", "uvicorn",
                "python-multipart", "watchfiles")
EXPORTED_SCHEMAS = "schemas"
"""Where `prelude schemas export` puts copies inside a casebook, for editors."""

OK, WARN, FAIL, INFO = "ok", "warn", "fail", "info"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: str
    detail: str


def environment() -> list[Check]:
    checks = [Check("python", OK if sys.version_info >= (3, 11) else FAIL,
                    sys.version.split()[0]),
              Check("prelude", INFO, __version__)]
    checks += installation_checks()
    for dist in DEPENDENCIES:
        try:
            checks.append(Check(dist, INFO, version(dist)))
        except PackageNotFoundError:
            optional = dist == "jsonschema-rs"
            checks.append(Check(dist, WARN if optional else FAIL, "not installed"))
    checks.append(Check("fast YAML parser (libyaml)", OK if yamlio.HAVE_LIBYAML else WARN,
                        "active" if yamlio.HAVE_LIBYAML else
                        "missing: reading is several times slower"))
    fast = schemas.fast_validator("case") is not None
    checks.append(Check("compiled schema validator (jsonschema-rs)", OK if fast else WARN,
                        "active" if fast else "missing: validation is slower"))
    git = shutil.which("git")
    checks.append(Check("git", OK if git else WARN, "found" if git else
                        "not found: prelude init cannot create a repository"))
    return checks


def installation_checks() -> list[Check]:
    """Which distribution is installed, its version, and where it was installed from."""
    found = distribution.installed()
    if found is None:
        checks = [Check("distribution", WARN, f"{distribution.DIST_NAME} is not installed: "
                        "running from a source tree")]
    elif found.version != __version__:
        checks = [Check("distribution", WARN, f"{found.name} {found.version} is recorded as "
                        f"installed, but the code is {__version__}: reinstall it")]
    else:
        checks = [Check("distribution", INFO, f"{found.name} {found.version}")]
    if found is not None:
        checks += [Check("installed from", INFO, found.source),
                   Check("installed in", INFO, found.location)]
    for name, ver in distribution.foreign_installed():
        checks.append(Check(f"{name} (other distribution)", WARN,
                            f"{name} {ver} is installed too: an old name of prelude or an "
                            f"unrelated package; pip uninstall {name}, then reinstall "
                            f"{distribution.DIST_NAME}"))
    return checks


def casebook_checks(book: Casebook) -> list[Check]:
    checks = [Check("casebook", INFO, str(book.root))]
    errors = [p for d in book.documents for p in d.problems if p.is_error]
    checks.append(Check(f"{CASEBOOK_FILE} format", OK if book.settings.format == FORMAT_VERSION
                        else WARN, f"format {book.settings.format}; this prelude writes "
                        f"format {FORMAT_VERSION}"))
    checks.append(Check("settings and providers", FAIL if errors else OK,
                        f"{len(errors)} error(s): run prelude validate" if errors else "valid"))
    checks.append(exported_schemas_check(book.root))
    return checks


def stale_schemas(folder: Path) -> list[str]:
    """Kinds whose exported copy differs from the installed schema (or is missing)."""
    stale = []
    for kind in schemas.KINDS:
        name = f"{kind}.schema.json"
        try:
            if read_regular(folder / name, SCHEMA_LIMIT) != \
                    (schemas.schema_dir() / name).read_bytes():
                stale.append(kind)
        except (OSError, ReadRefused):
            stale.append(kind)
    return stale


def exported_schemas_check(root: Path) -> Check:
    folder = root / EXPORTED_SCHEMAS
    if not folder.is_dir():
        return Check("editor schemas", INFO, f"none in {EXPORTED_SCHEMAS}/ (prelude schemas "
                     "export adds them)")
    stale = stale_schemas(folder)
    if stale:
        return Check("editor schemas", WARN, f"out of step with this prelude: {', '.join(stale)}"
                     "; run prelude schemas export")
    return Check("editor schemas", OK, f"{EXPORTED_SCHEMAS}/ matches this prelude")


def export_schemas(folder: Path) -> list[Path]:
    """Copy the installed schemas into `folder` (for editors); returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in schemas.KINDS:
        name = f"{kind}.schema.json"
        target = folder / name
        data = (schemas.schema_dir() / name).read_bytes()
        if snapshot(target).digest != snapshot_of(target, data).digest:
            write_atomic(target, data, snapshot(target))
            written.append(target)
    return written
