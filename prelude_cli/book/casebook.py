"""Finding and opening a casebook, its settings and case ids; reading and scanning are in
`documents`, `scan` and `layout`, re-exported here.

A casebook is a folder holding `casebook.yaml`; cases live in `cases/<ID>/`. Everything here
returns values: documents with their problems, never printed output.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import FORMAT_VERSION
from ..files.fsread import describe_mode
from .documents import (  # noqa: F401 - re-exported: callers import them from here
    Document,
    iter_case_documents,
    open_no_follow,
    parse_document,
    read_bytes,
    read_document,
    special_file,
)
from .layout import (  # noqa: F401 - re-exported
    ASSESSMENT_NAME,
    CASEBOOK_FILE,
    CASES_DIR,
    CONTACT_NAME,
    ENV_VAR,
    IDENTITIES_FILE,
    MULTI_DOCUMENTS,
    PROVIDERS_FILE,
    RECORD_FOLDERS,
    RECORD_NAME,
    REGISTER_COPY_NAME,
    REQUIRED_DOCUMENTS,
    ROOT_TEMP_NAME,
    SINGLE_DOCUMENTS,
    SUFFIX_ALPHABET,
    SYSTEM_FILES,
    TEMP_NAME,
    WINDOWS_RESERVED,
    folder_name_problems,
    kind_of,
    new_suffix,
)
from .problems import Problem, error
from .scan import CaseFiles, root_temp_files, scan_case, scan_records  # noqa: F401
from .settings import ID_ALPHABET, Settings, settings_from_data

if TYPE_CHECKING:
    from ..privacy.agreements import Partner


class CasebookError(Exception):
    """The casebook cannot be used at all (not found, or too new for this prelude)."""


def find_root(explicit: str | os.PathLike[str] | None = None,
              env: Mapping[str, str] | None = None,
              cwd: Path | None = None) -> Path:
    """`--casebook`, else `$PRELUDE_CASEBOOK`, else the nearest folder upward with casebook.yaml."""
    env = os.environ if env is None else env
    given = explicit or env.get(ENV_VAR) or None
    if given:
        root = Path(given).expanduser()
        if root.name == CASEBOOK_FILE and (root.is_file() or _special(root)):
            root = root.parent
        if not (root / CASEBOOK_FILE).is_file():
            _refuse_special(root)
            source = "--casebook" if explicit else ENV_VAR
            raise CasebookError(f"no {CASEBOOK_FILE} in {root} (from {source})")
        return root.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CASEBOOK_FILE).is_file():
            return folder
        _refuse_special(folder)
    raise CasebookError(
        f"no casebook found: no {CASEBOOK_FILE} here or in any folder above; "
        f"use --casebook PATH or set {ENV_VAR}"
    )


def _special(path: Path) -> str | None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISLNK(mode) else describe_mode(mode)


def _refuse_special(folder: Path) -> None:
    """A casebook.yaml that is a FIFO, device or folder: say so, not "no casebook.yaml"."""
    what = _special(folder / CASEBOOK_FILE)
    if what:
        raise CasebookError(f"{folder / CASEBOOK_FILE} is {what}, not a regular file; "
                            "put the casebook's settings back as a regular file")


@dataclass(slots=True)
class Casebook:
    """An opened casebook: where it is, its settings and providers, and their problems."""

    root: Path
    settings: Settings
    providers: dict[str, dict[str, Any]]
    documents: list[Document] = field(default_factory=list)
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Entries of the identity register, only once a command that needs them has read it."""

    @property
    def problems(self) -> list[Problem]:
        return [p for d in self.documents for p in d.problems]

    @property
    def partners(self) -> tuple[Partner, ...]:
        """The partner agencies casebook.yaml configures (none when it has errors)."""
        from ..privacy.agreements import partners_from_data  # agreements builds on the model

        doc = next((d for d in self.documents if d.kind == "casebook"), None)
        return partners_from_data(doc.data if doc is not None and doc.valid else None)

    @property
    def cases_dir(self) -> Path:
        return self.root / CASES_DIR

    def case_dir(self, case_id: str) -> Path:
        return self.cases_dir / case_id

    def case_ids(self) -> list[str]:
        """Case folders, sorted; links and files in `cases/` are left to the validator, and
        a `cases` that is itself a link holds no cases (it could lead anywhere)."""
        if self.cases_dir.is_symlink():
            return []
        try:
            entries = list(os.scandir(self.cases_dir))
        except OSError:
            return []
        return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))


def open_casebook(root: Path, *, fast: bool = True) -> Casebook:
    """Read settings and providers; refuse a casebook written for a newer prelude."""
    book_doc = read_document(root, CASEBOOK_FILE, "casebook", max_bytes=1024 * 1024, fast=fast)
    data = book_doc.data or {}
    fmt = data.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT_VERSION:
        raise CasebookError(
            f"{CASEBOOK_FILE} is format {fmt}, newer than this prelude reads "
            f"(format {FORMAT_VERSION}); upgrade prelude"
        )
    settings = settings_from_data(data if book_doc.valid else None)
    settings_problems = _settings_problems(data if book_doc.valid else None)
    book_doc.problems.extend(settings_problems)
    documents = [book_doc]
    providers: dict[str, dict[str, Any]] = {}
    if (root / PROVIDERS_FILE).exists() or (root / PROVIDERS_FILE).is_symlink():
        prov_doc = read_document(root, PROVIDERS_FILE, "providers",
                                 max_bytes=settings.max_document_bytes, fast=fast)
        documents.append(prov_doc)
        if prov_doc.valid:
            for i, p in enumerate(prov_doc.data["providers"]):  # type: ignore[index]
                if p["id"] in providers:
                    prov_doc.problems.append(error(
                        PROVIDERS_FILE, "duplicate-id", f"provider id '{p['id']}' is listed twice",
                        pointer=("providers", i, "id")))
                providers[p["id"]] = p
    return Casebook(root, settings, providers, documents)


def _settings_problems(data: dict[str, Any] | None) -> list[Problem]:
    """What the schema cannot say about settings: a sane scale, unique domains."""
    if not data:
        return []
    out: list[Problem] = []
    scale = (data.get("needs") or {}).get("scale")
    if scale and scale["min"] >= scale["max"]:
        out.append(error(CASEBOOK_FILE, "settings", "needs.scale.min must be below max",
                         pointer=("needs", "scale")))
    seen: set[str] = set()
    for i, d in enumerate((data.get("needs") or {}).get("domains") or []):
        if d["id"] in seen:
            out.append(error(CASEBOOK_FILE, "duplicate-id",
                             f"domain id '{d['id']}' is listed twice",
                             pointer=("needs", "domains", i, "id")))
        seen.add(d["id"])
    from ..privacy.agreements import partner_problems  # agreements builds on the model and sharing

    return out + partner_problems(data)


def new_case_id(settings: Settings, existing: set[str]) -> str:
    """A random id from the casebook's pattern: two clones never mint the same one."""
    while True:
        suffix = "".join(secrets.choice(ID_ALPHABET) for _ in range(settings.id_random_length))
        case_id = settings.id_prefix + suffix
        if case_id.upper() not in {e.upper() for e in existing}:
            return case_id


def case_id_problems(case_id: str, settings: Settings,
                     existing: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Why `case_id` cannot name a case folder, if it cannot: portable, safe and on-pattern."""
    reasons = folder_name_problems(case_id)
    if not settings.id_pattern.match(case_id):
        reasons.append(
            f"does not match the casebook's id pattern ({settings.id_prefix} followed by "
            f"{settings.id_random_length} of {ID_ALPHABET}): "
            f"{settings.id_pattern_reason(case_id)}"
        )
    clash = [e for e in existing if e.upper() == case_id.upper()]
    if case_id in existing:
        reasons.append("a case with this id already exists")
    elif clash:
        reasons.append("differs only in letter case from an existing case")
    return reasons
