"""Where an export goes: checked before anything is written, built under a temporary name
beside it, and renamed into place only once complete, so a failed export leaves nothing
half-written and a previous export stays whole until the new one replaces it.

An export holds case data: it never lands inside the casebook (a git repository, shared and
pushed) unless the user says so explicitly, and `--force` replaces only what looks like a
previous export, never an arbitrary folder or file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError

MAGIC = {"sqlite": b"SQLite format 3\x00", "xlsx": b"PK\x03\x04"}
"""How a previous export of each file format starts."""


@dataclass(frozen=True, slots=True)
class Destination:
    path: Path
    folder: bool
    existing: bool
    """Something is there now (an empty folder or a previous export) and will be replaced."""


def _inside(path: Path, root: Path) -> bool:
    """`path` is `root` or below it, comparing as the platform does (case-blind on Windows)."""
    norm = Path(os.path.normcase(str(path)))
    return norm.is_relative_to(Path(os.path.normcase(str(root))))


def check_destination(out: Path, *, fmt: str, folder: bool, casebook_root: Path,
                      force: bool = False, force_inside: bool = False,
                      export_names: frozenset[str] = frozenset()) -> Destination:
    """Refuse a destination inside the casebook, or one holding something that is not a
    previous export; `export_names` are the file names a folder export may hold."""
    path = Path(os.path.abspath(out))
    if _inside(path.resolve(), casebook_root.resolve()) and not force_inside:
        raise ExportError(
            f"{out} is inside the casebook; an export holds case data and must not be "
            "committed: write it outside (for example ../exports/) or pass --force-inside")
    if path.is_symlink():
        raise ExportError(f"{out} is a link; give the path it points to")
    if not path.exists():
        return Destination(path, folder, False)
    if folder:
        if not path.is_dir():
            raise ExportError(f"{out} exists and is not a folder; a {fmt} export is a folder")
        entries = list(path.iterdir())
        if not entries:
            return Destination(path, True, True)
        if not force:
            raise ExportError(f"{out} is not empty; pass --force to replace a previous export")
        for entry in entries:
            if entry.name not in export_names or entry.is_symlink() or not entry.is_file():
                raise ExportError(f"{out} holds {entry.name!r}, which is not part of a {fmt} "
                                  "export; not replacing it, even with --force")
        return Destination(path, True, True)
    if path.is_dir():
        raise ExportError(f"{out} is a folder; give a file name, for example "
                          f"{Path(out) / ('prelude.' + fmt)}")
    if not force:
        raise ExportError(f"{out} exists; pass --force to replace it")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not head.startswith(MAGIC[fmt]):
        raise ExportError(f"{out} is not a {fmt} file; not replacing it, even with --force")
    return Destination(path, False, True)


def staging_path(dest: Destination) -> Path:
    """A fresh temporary name in the destination's folder, so the final rename is atomic."""
    parent = dest.path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {parent}: {exc.strerror}") from None
    return parent / f".{dest.path.name}.{secrets.token_hex(4)}.tmp"


def publish(staged: Path, dest: Destination) -> None:
    """Move the finished export into place; a replaced one is moved aside first and restored
    if the move fails (a folder cannot be renamed over a non-empty one)."""
    if not dest.existing:
        os.replace(staged, dest.path)
        return
    old = dest.path.with_name(f".{dest.path.name}.{secrets.token_hex(4)}.old")
    os.replace(dest.path, old)
    try:
        os.replace(staged, dest.path)
    except BaseException:
        os.replace(old, dest.path)
        raise
    discard(old)


def discard(path: Path) -> None:
    """Remove a staged or replaced export, quietly: it is ours, and may be half-made."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
