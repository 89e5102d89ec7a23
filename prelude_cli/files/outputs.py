"""The one place prelude writes a file outside the casebook's documents: reports, exports,
meeting packs, drafts. Case documents and records go through `storage.write_atomic` instead.

    write_output(path, writer, *, force, casebook_root)  # the whole API, for most callers

`writer(tmp)` makes the output at `tmp`, a fresh name in the target's folder (a file, or a
folder when `folder=True`); it is then fsynced and renamed over the target in one step. The
rules, checked before any work and again just before the rename:

- the target must be absent or a regular file (a folder for a folder output): a device,
  FIFO, socket or folder is refused, and a link at the target is never followed;
- an existing target is replaced only with `force`, and only if `replaceable` (when given)
  says it looks like an earlier output of the same kind;
- inside the casebook, a path that holds or could hold a document, a record or a setting
  (`cases/`, `disclosures/`, `casebook.yaml`, `.git/`...) is refused even with `force`; any
  other path inside is allowed under a top-level folder the casebook's .gitignore lists (such
  as `reports/`), or with `force_inside`;
- whatever fails, the target holds what it held before and every temporary file or folder is
  removed; a disk error (full, read-only, permission, I/O) is raised as `OutputError`, whose
  message is one line (the CLI exits 1); a refused target is `OutputRefused` (exit 2).

`before_publish()` runs once the output is complete and durable, just before the rename: the
disclosure log records the output there, and `on_failure()` withdraws that record if the
rename then fails.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .fsread import ReadRefused, describe_mode, read_regular
from .storage import StorageError, sync_folder

PROTECTED_TOP = frozenset({"cases", "disclosures", "disposals", "schemas", ".git",
                           ".prelude-cache", ".prelude-journal"})
"""Top-level folders of a casebook that hold documents, records or its machinery."""
PROTECTED_SUFFIXES = (".yaml", ".yml", ".json")
"""At the casebook's root, any such file is (or could become) a setting or the register."""
PROTECTED_NAMES = frozenset({".gitignore", ".gitattributes", ".pre-commit-config.yaml",
                             ".pre-commit-hooks.yaml", "README.md"})

class OutputRefused(Exception):
    """The target cannot be written as asked; nothing was written (a usage error)."""


class OutputError(StorageError):
    """The disk refused the output (full, read-only, no permission, failing); nothing was
    written, no temporary file is left. The message is one line."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.path = path
        self.errno = exc.errno
        reason = exc.strerror or os.strerror(exc.errno or 0) or type(exc).__name__
        super().__init__(f"could not write {path}: {reason}; nothing was written")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a file where a folder should be, a folder we may not read
        raise OutputError(path, exc) from None


@dataclass(frozen=True, slots=True)
class Target:
    """A checked output path; `write` makes the output there."""

    path: Path
    folder: bool
    force: bool
    casebook_root: Path | None
    force_inside: bool = False
    replaceable: Callable[[Path], str | None] | None = None

    def check(self) -> bool:
        """Refuse what may not be replaced; True when something is there to replace."""
        st = _lstat(self.path)
        if st is None:
            return False
        if stat.S_ISLNK(st.st_mode):
            raise OutputRefused(f"{self.path} is a link; prelude never writes through a "
                                "link: give the path it points to")
        wanted = stat.S_ISDIR if self.folder else stat.S_ISREG
        if not wanted(st.st_mode):
            what = describe_mode(st.st_mode) or "a file"
            need = "a folder" if self.folder else "a regular file"
            hint = "; give a file name inside it" if stat.S_ISDIR(st.st_mode) else ""
            raise OutputRefused(f"{self.path} is {what}, not {need}; not writing there{hint}")
        if self.folder and not any(os.scandir(self.path)):
            return True  # an empty folder is as good as nothing
        if not self.force:
            raise OutputRefused(f"{self.path} exists; pass --force to replace it")
        if self.replaceable is not None:
            why = self.replaceable(self.path)
            if why:
                raise OutputRefused(f"{self.path} {why}; not replacing it, even with --force")
        return True

    def write(self, writer: Callable[[Path], None], *,
              before_publish: Callable[[], None] | None = None,
              on_failure: Callable[[], None] | None = None) -> Path:
        """Make the output under a temporary name, then rename it into place."""
        parent = self.path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(parent, exc) from None
        tmp = parent / f".{self.path.name}.{secrets.token_hex(4)}.tmp"
        published = False
        try:
            writer(tmp)
            _sync(tmp)
            existing = self.check()  # nothing swapped in meanwhile
            if before_publish is not None:
                before_publish()
            _publish(tmp, self.path, existing)
            published = True
        except BaseException as exc:
            discard(tmp)
            if on_failure is not None:
                with contextlib.suppress(Exception):
                    on_failure()
            if isinstance(exc, OSError):
                raise OutputError(self.path, exc) from None
            raise
        finally:
            if not published:
                discard(tmp)
        sync_folder(parent)
        return self.path


def check_target(path: Path | str, *, force: bool, casebook_root: Path | None,
                 folder: bool = False, force_inside: bool = False,
                 replaceable: Callable[[Path], str | None] | None = None) -> Target:
    """Check an output path before any work is done; raises OutputRefused."""
    given = Path(path)
    if not given.name or given.name in (".", ".."):
        raise OutputRefused(f"{path} names a folder; give a file name")
    # The folder is resolved (links on the way are the user's own layout); the last part
    # never is, so a link there is seen and refused.
    try:
        parent = Path(os.path.abspath(given)).parent.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputRefused(f"{path}: cannot resolve its folder ({exc})") from None
    target = Target(parent / given.name, folder, force, casebook_root, force_inside,
                    replaceable)
    if casebook_root is not None:
        _check_inside(target, given, casebook_root)
    target.check()
    return target


def write_output(path: Path | str, writer: Callable[[Path], None], *, force: bool,
                 casebook_root: Path | None, folder: bool = False,
                 force_inside: bool = False,
                 replaceable: Callable[[Path], str | None] | None = None,
                 before_publish: Callable[[], None] | None = None,
                 on_failure: Callable[[], None] | None = None) -> Path:
    """Check `path` and write it with `writer(tmp)`; see the module docstring."""
    return check_target(path, force=force, casebook_root=casebook_root, folder=folder,
                        force_inside=force_inside, replaceable=replaceable).write(
        writer, before_publish=before_publish, on_failure=on_failure)


def write_bytes(path: Path | str, data: bytes, **kwargs: object) -> Path:
    """`write_output` for content already in memory."""

    def writer(tmp: Path) -> None:
        with open(tmp, "xb") as fh:
            fh.write(data)

    return write_output(path, writer, **kwargs)  # type: ignore[arg-type]


def _inside(path: Path, root: Path) -> Path | None:
    """`path` relative to `root` when inside it (case-blind on Windows), else None."""
    norm, base = Path(os.path.normcase(str(path))), Path(os.path.normcase(str(root)))
    return norm.relative_to(base) if norm.is_relative_to(base) else None


def _check_inside(target: Target, given: Path, casebook_root: Path) -> None:
    root = casebook_root.resolve()
    rel = _inside(target.path, root)
    if rel is None:
        return
    parts = rel.parts
    top = parts[0] if parts else ""
    if (not parts or top.lower() in PROTECTED_TOP
            or (len(parts) == 1 and (top.lower().endswith(PROTECTED_SUFFIXES)
                                     or top in PROTECTED_NAMES))):
        raise OutputRefused(f"{given} is inside the casebook where its documents, records or "
                            "settings live; not writing there, even with --force-inside")
    if target.force_inside or (len(parts) > 1 and ignored_folder(root, top)):
        return
    raise OutputRefused(
        f"{given} is inside the casebook, where it could be committed by accident: write it "
        "elsewhere, under a folder the casebook's .gitignore lists (such as reports/), or "
        "pass --force-inside")


def ignored_folder(root: Path, name: str) -> bool:
    """Whether the casebook's .gitignore has a line ignoring the top-level folder `name`."""
    try:
        raw = read_regular(root / ".gitignore", 1024 * 1024)
    except (OSError, ReadRefused):
        return False
    wanted = {name, f"{name}/", f"/{name}", f"/{name}/"}
    return any(line.strip() in wanted for line in raw.decode("utf-8", "replace").splitlines())


def _sync(path: Path) -> None:
    """fsync what the writer made (each file of a folder), so the rename publishes it whole."""
    if path.is_dir():
        for entry in os.scandir(path):
            _sync_file(entry.path)
        sync_folder(path / "x")
    else:
        _sync_file(str(path))


def _sync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(tmp: Path, path: Path, existing: bool) -> None:
    """Rename into place; a folder being replaced is moved aside first and restored if the
    rename fails (a folder cannot be renamed over a non-empty one)."""
    if not (existing and tmp.is_dir()):
        os.replace(tmp, path)
        return
    old = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
    os.replace(path, old)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.replace(old, path)
        raise
    discard(old)


def discard(path: Path) -> None:
    """Remove a temporary output, quietly: it is ours, and may be half-made."""
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)
