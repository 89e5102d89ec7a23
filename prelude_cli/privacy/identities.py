"""The identity register, `identities.yaml`: the one place a name or identifier may live.

Case documents carry a case reference only. Who a case is about (name, other names, date of
birth, address, PNC id and police references) sits in an optional register at the casebook
root, keyed by case id, which git ignores; where it must be shared it is kept encrypted
(git-crypt, or sops beside an ignored decrypted copy). Nothing reads it unless a command needs
it: `validate` (its schema, whether git could commit it, names in free text), `--reveal`, and
the `identity` and `retention` commands.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..book.casebook import IDENTITIES_FILE, Casebook, Document, parse_document, read_bytes
from ..book.problems import Problem, error, warning
from ..checks import pii
from ..files.fsread import ReadRefused, read_regular
from ..files.storage import Snapshot, snapshot_of, write_atomic

if TYPE_CHECKING:  # the editor is loaded only by commands that change the register
    from ruamel.yaml.comments import CommentedMap

GIT_CRYPT_MAGIC = b"\x00GITCRYPT"
"""How a file git-crypt has not decrypted (a locked checkout, such as CI) begins."""
MAX_REGISTER_BYTES = 64 * 1024 * 1024
FIELDS = ("name", "other_names", "date_of_birth", "address", "pnc_id", "police_references",
          "dashboard_id", "notes")
ABSENT, LOCKED, PRESENT = "absent", "locked", "present"


class IdentityError(Exception):
    """The register cannot be changed as asked; nothing was written."""


@dataclass(slots=True)
class Register:
    """The register as read: absent, locked (still encrypted), or present with its entries."""

    state: str
    document: Document | None = None
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        return self.state == PRESENT


def load_register(root: Path, *, fast: bool = True) -> Register:
    """Read and schema-check the register. Entries are kept even when another entry is broken,
    so one mistake does not hide every name (`validate` reports the mistake)."""
    path = root / IDENTITIES_FILE
    if not path.exists() and not path.is_symlink():
        return Register(ABSENT)
    # One bounded, non-blocking read without following a link (a FIFO here must not hang
    # validate or --reveal): its problem, if any, is the register's problem.
    raw = read_bytes(root, IDENTITIES_FILE, MAX_REGISTER_BYTES)
    if isinstance(raw, bytes) and raw.startswith(GIT_CRYPT_MAGIC):
        return Register(LOCKED)
    doc = (Document(IDENTITIES_FILE, "identities", None, [raw]) if not isinstance(raw, bytes)
           else parse_document(raw, IDENTITIES_FILE, "identities", fast=fast))
    doc.problems = [dataclasses.replace(p, message=unquoted(p.message)) for p in doc.problems]
    data = doc.data if isinstance(doc.data, dict) else {}
    entries = {k: v for k, v in data.items() if isinstance(v, dict) and isinstance(k, str)}
    return Register(PRESENT, doc, entries)


_QUOTED = re.compile(r"'([^']*)'")


def unquoted(message: str) -> str:
    """A problem message about the register with every quoted value left out: everything in
    the register is personal data (a `Y` initial, a date of birth that is not a real date),
    so only its field names are ever shown."""
    return _QUOTED.sub(lambda m: m.group(0) if m.group(1) in FIELDS else "a value", message)


def read_into(book: Casebook) -> Register:
    """Load the register and hand its entries to the casebook, for the rules that use names."""
    register = load_register(book.root)
    book.identities = register.entries
    return register


def name_tokens(entry: dict[str, Any] | None) -> tuple[str, ...]:
    """The words of a person's name and other names worth looking for in free text."""
    if not entry:
        return ()
    names = [entry.get("name")] + list(entry.get("other_names") or [])
    return pii.name_tokens(*(n for n in names if isinstance(n, str)))


def display_name(entry: dict[str, Any] | None) -> str | None:
    name = (entry or {}).get("name")
    return name if isinstance(name, str) else None


def git_problems(root: Path, *, assume_present: bool = False) -> list[Problem]:
    """`identity-register-tracked`: the register must be ignored by git and never tracked,
    unless git-crypt encrypts it. Nothing to say outside a git work tree or without git.
    `assume_present` asks before the register is first written."""
    path = root / IDENTITIES_FILE
    git = shutil.which("git")
    if git is None or not (assume_present or path.exists() or path.is_symlink()):
        return []

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([git, *args], cwd=root, capture_output=True, text=True,
                              check=False)

    try:
        if run("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
            return []
        tracked = run("ls-files", "--error-unmatch", "--", IDENTITIES_FILE).returncode == 0
        if tracked:
            attr = run("check-attr", "filter", "--", IDENTITIES_FILE).stdout
            if attr.strip().endswith(": git-crypt"):
                return []
            return [error(IDENTITIES_FILE, "identity-register-tracked",
                          "the identity register is tracked by git and not encrypted: remove "
                          f"it from the index (git rm --cached {IDENTITIES_FILE}), list it in "
                          ".gitignore, and see docs/data-protection.md on its history")]
        if run("check-ignore", "-q", "--", IDENTITIES_FILE).returncode != 0:
            return [error(IDENTITIES_FILE, "identity-register-tracked",
                          "the identity register is not ignored by git, so it could be "
                          f"committed: add {IDENTITIES_FILE} to .gitignore")]
    except OSError:
        return []
    return []


def unknown_entries(register: Register, case_ids: set[str]) -> list[Problem]:
    """`identity-unknown-case`: an entry for a case the casebook does not hold (a typo, or a
    case disposed of whose entry was left behind)."""
    return [warning(IDENTITIES_FILE, "identity-unknown-case",
                    "an entry of the identity register names a case that is not in cases/",
                    pointer=(case_id,))
            for case_id in register.entries if case_id not in case_ids]


# --- changing the register -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RegisterChange:
    data: bytes
    expect: Snapshot


def _current(root: Path) -> tuple[bytes | None, CommentedMap]:
    from ruamel.yaml.comments import CommentedMap

    from ..files import roundtrip

    path = root / IDENTITIES_FILE
    if path.is_symlink():
        raise IdentityError(f"{IDENTITIES_FILE} is a link; links are not allowed in a casebook")
    try:
        raw = read_regular(path, MAX_REGISTER_BYTES, name=IDENTITIES_FILE)
    except FileNotFoundError:
        return None, CommentedMap()
    except ReadRefused as exc:
        raise IdentityError(str(exc)) from None
    if raw.startswith(GIT_CRYPT_MAGIC):
        raise IdentityError(f"{IDENTITIES_FILE} is still encrypted (git-crypt unlock first)")
    doc = parse_document(raw, IDENTITIES_FILE, "identities")
    if doc.data is None:
        raise IdentityError(f"{IDENTITIES_FILE} cannot be read; fix it first (prelude validate)")
    return raw, roundtrip.load(raw) if doc.data else CommentedMap()


def set_entry(root: Path, case_id: str, values: dict[str, Any]) -> RegisterChange:
    """The register with `case_id`'s entry updated: given fields replace, others are kept."""
    return set_entries(root, {case_id: values})


def set_entries(root: Path, entries: dict[str, dict[str, Any]]) -> RegisterChange:
    """The register with several entries updated at once (the new cases of one meeting), as
    one change to write in the same transaction as their case documents."""
    from ruamel.yaml.comments import CommentedMap

    from ..files import roundtrip

    raw, doc = _current(root)
    for case_id, values in entries.items():
        entry = doc.get(case_id)
        if not isinstance(entry, CommentedMap):
            entry = CommentedMap()
        for name in FIELDS:
            if values.get(name) not in (None, "", []):
                entry[name] = roundtrip.styled(values[name])
        ordered = CommentedMap((k, entry[k]) for k in [*FIELDS, *entry] if k in entry)
        ordered.ca.items.update(entry.ca.items)
        doc[case_id] = ordered
    return _checked(root, raw, doc)


def remove_entry(root: Path, case_id: str) -> RegisterChange | None:
    """The register without `case_id`'s entry; None when it has none."""
    raw, doc = _current(root)
    if case_id not in doc:
        return None
    del doc[case_id]
    return _checked(root, raw, doc)


def _checked(root: Path, raw: bytes | None, doc: CommentedMap) -> RegisterChange:
    from ..files import roundtrip

    data = roundtrip.dump(doc)
    problems = [p for p in parse_document(data, IDENTITIES_FILE, "identities").problems
                if p.is_error]
    if problems:
        raise IdentityError(f"the entry would not be valid: {unquoted(problems[0].message)}")
    return RegisterChange(data, snapshot_of(root / IDENTITIES_FILE, raw))


def write(root: Path, change: RegisterChange) -> None:
    """Write atomically, readable by its owner only."""
    write_atomic(root / IDENTITIES_FILE, change.data, change.expect, mode=0o600)
