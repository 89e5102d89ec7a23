"""Drafts of documents edited with `--edit` that could not be written, so no typing is lost.

When a recording command's `--edit` ends without writing (the editor failed, or the edited
document was refused: an error it would leave, personal data, a duplicate), what the editor
held is kept under `.prelude-cache/drafts/` (ignored by git, owner-only permissions) and its
path printed. `--resume PATH` opens it again instead of a fresh document.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from ..book.casebook import CASES_DIR
from ..files.storage import snapshot, write_atomic
from ..read.cache import CACHE_DIR, cache_folder

DRAFTS = "drafts"
_HEADER = "# prelude draft of "


def save(root: Path, relpath: str, data: bytes) -> Path | None:
    """Keep `data`, the edited form of `relpath`, as a draft; its path (None if the cache
    folder cannot be used: the caller says the draft is lost)."""
    folder = cache_folder(root, create=True)
    if folder is None or (folder / DRAFTS).is_symlink():
        return None
    try:
        (folder / DRAFTS).mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = relpath.rsplit("/", 1)[-1].removesuffix(".yaml")
    path = folder / DRAFTS / f"{stamp}-{name}-{secrets.token_hex(2)}.yaml"
    header = f"{_HEADER}{relpath}\n".encode()
    write_atomic(path, header + data, snapshot(path), mode=0o600)
    return path


def load(path: Path) -> tuple[str | None, bytes]:
    """(the document the draft was of, its content without the draft's header line)."""
    raw = path.read_bytes()
    first, sep, rest = raw.partition(b"\n")
    if sep and first.decode("utf-8", "replace").startswith(_HEADER):
        return first.decode("utf-8")[len(_HEADER):].strip(), rest
    return None, raw


def drafts_folder(root: Path) -> Path:
    return root / CACHE_DIR / DRAFTS


def drop_case(root: Path, case_id: str) -> None:
    """Remove the drafts of a case's documents (after its disposal)."""
    folder = drafts_folder(root)
    if folder.is_symlink() or not folder.is_dir():
        return
    prefix = f"{CASES_DIR}/{case_id}/"
    for path in folder.iterdir():
        if path.is_symlink() or not path.is_file():
            continue
        try:
            of, _ = load(path)
            if of is not None and of.startswith(prefix):
                path.unlink()
        except OSError:
            continue
