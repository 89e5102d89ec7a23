"""Helpers for the fault-injection suite: special files, small full disks, before/after hashes,
and running prelude in a child process with a timeout (a hang is a failure, not a stuck run)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TIMEOUT = 60
"""Seconds a command may take before it is taken to hang (they take about one)."""
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def prelude(*args: object, stdin: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run prelude in a child process; fail the test (not hang) if it does not finish."""
    try:
        return subprocess.run([sys.executable, "-m", "prelude_cli", *map(str, args)],
                              input=stdin.decode() if stdin is not None else None,
                              capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd,
                              env={**os.environ, "NO_COLOR": "1", **(env or {})},
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"prelude {' '.join(map(str, args))} hung for {TIMEOUT}s")


def tree_hashes(root: Path) -> dict[str, str]:
    """Every entry under `root`: a file's sha256, or what kind of special file it is."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".prelude-cache"]
        for name in [*dirs, *files]:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISDIR(mode):
                out[rel] = "dir"
            else:
                out[rel] = f"special {stat.S_IFMT(mode):o}"
    return out


SPECIALS = ("fifo", "device", "folder")


def make_special(path: Path, kind: str) -> None:
    """A FIFO, a character device like /dev/zero (root only) or a folder at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        if not IS_ROOT:
            pytest.skip("making a device file needs root (CI runs as root)")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero: endless bytes
    elif kind == "folder":
        path.mkdir()
    else:  # pragma: no cover - a typo in a test
        raise ValueError(kind)


@contextlib.contextmanager
def small_disk(where: Path, size: str = "256k") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (root only; skipped with the reason otherwise)."""
    if not IS_ROOT:
        pytest.skip("a full disk needs a tmpfs mount, which needs root (CI runs as root)")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system holding `folder`, leaving about `leave` bytes free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize - leave
    with open(folder / "filler", "wb") as fh:
        chunk = b"\0" * 4096
        with contextlib.suppress(OSError):
            while free > 0:
                fh.write(chunk[: min(4096, free)])
                free -= 4096
            fh.flush()
