"""Where things are in a casebook and what they are called: file and folder names, the
document kinds they hold, case-id and file-name patterns, names that cannot exist on Windows."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from .settings import ID_ALPHABET

CASEBOOK_FILE = "casebook.yaml"
PROVIDERS_FILE = "providers.yaml"
CASES_DIR = "cases"
IDENTITIES_FILE = "identities.yaml"
"""The identity register: names and identifiers, kept out of git (see identities.py)."""
ENV_VAR = "PRELUDE_CASEBOOK"

SINGLE_DOCUMENTS = {
    "case.yaml": "case",
    "identification.yaml": "identification",
    "disruption.yaml": "disruption",
    "plan.yaml": "plan",
    "exit.yaml": "exit",
}
MULTI_DOCUMENTS = {"contacts": "contact", "assessments": "assessment"}
REQUIRED_DOCUMENTS = ("case.yaml", "identification.yaml")
RECORD_FOLDERS = {"disclosures": "disclosure", "disposals": "disposal"}
"""Folders at the root holding one file per record about the casebook itself."""

CONTACT_NAME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-([0-9a-z]{4,8})\.yaml$")
ASSESSMENT_NAME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})\.yaml$")
RECORD_NAME = CONTACT_NAME  # DATE-SUFFIX.yaml, like a contact
TEMP_NAME = re.compile(r"^\..+\.tmp$")
ROOT_TEMP_NAME = re.compile(r"^\.(?:casebook|providers)\.yaml\.[0-9a-f]+\.tmp$")
"""Temporary files an interrupted write of casebook.yaml or providers.yaml leaves behind."""
REGISTER_COPY_NAME = re.compile(r"^(?:\.identities\.yaml\..+\.tmp|\.?identities\.yaml\..+)$")
"""Copies of the identity register: an interrupted write's temporary file, a backup
(`identities.yaml.bak`), an editor's swap file. Each holds names."""
SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
SUFFIX_ALPHABET = ID_ALPHABET.lower()

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


def kind_of(relpath: str) -> str | None:
    """The document kind a casebook-relative path holds, from where it sits."""
    parts = relpath.split("/")
    if len(parts) == 3 and parts[0] == CASES_DIR:
        return SINGLE_DOCUMENTS.get(parts[2])
    if len(parts) == 4 and parts[0] == CASES_DIR and parts[3].endswith(".yaml"):
        return MULTI_DOCUMENTS.get(parts[2])
    if len(parts) == 2 and parts[1].endswith(".yaml"):
        return RECORD_FOLDERS.get(parts[0])
    return {CASEBOOK_FILE: "casebook", PROVIDERS_FILE: "providers",
            IDENTITIES_FILE: "identities"}.get(relpath)


def new_suffix(length: int = 4) -> str:
    """The random part of a contact file name or a plan item id."""
    return "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(length))


_WINDOWS_FORBIDDEN = re.compile(r'[<>"|?*\x00-\x1f]')


def folder_name_problems(name: str) -> list[str]:
    """Why `name` cannot name a folder safely on every platform the casebook is used on."""
    reasons: list[str] = []
    if not name or "/" in name or "\\" in name or ".." in name or ":" in name:
        reasons.append("a case id may not hold path separators, ':' or '..'")
    elif Path(name).is_absolute():
        reasons.append("a case id may not be an absolute path")
    if _WINDOWS_FORBIDDEN.search(name):
        reasons.append("a case id may not hold control characters or any of <>\"|?*")
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        reasons.append("that name is reserved on Windows")
    return reasons
