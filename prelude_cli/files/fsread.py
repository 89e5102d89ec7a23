"""Reading a file that may be anything: bounded, non-blocking, never through a link.

A casebook is a clone anyone may have pushed to, and a path on the command line may name
anything: a FIFO would block a plain `read()` forever, a device such as /dev/zero would fill
memory, a link could lead outside the casebook. Every read of a document, setting, register,
cache or `--from-file` (stdin included) goes through here or through `casebook.read_bytes`,
which follows the same steps: open with O_NOFOLLOW and O_NONBLOCK, fstat the open file,
refuse what is not a regular file, read at most the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a link"))


class ReadRefused(Exception):
    """The file cannot be read as a document; the message names it and says why."""


def describe_mode(mode: int) -> str | None:
    """What a file of this mode is, in words, when it is not a regular file; None when it is."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """What is at `path` when it exists and is not a regular file (a link counts)."""
    try:
        return describe_mode(os.lstat(path).st_mode)
    except OSError:
        return None


def open_no_follow(path: str | os.PathLike[str], flags: int = os.O_RDONLY) -> int:
    """An `opener` for open(): fails on a link, never blocks on a FIFO."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                   | getattr(os, "O_BINARY", 0))


def read_regular(path: str | os.PathLike[str], max_bytes: int, *,
                 name: str | None = None) -> bytes:
    """A regular file's bytes, at most `max_bytes`; ReadRefused (one line) for a link, a
    special file or a file over the limit. The disk's own errors (absent, unreadable, failing)
    pass through as OSError, for callers to whom absence is a normal state."""
    shown = name or str(path)
    try:
        fd = open_no_follow(path)
    except OSError:
        kind = special_kind(path)
        if kind is not None:
            raise ReadRefused(f"{shown} is {kind}, not a regular file") from None
        raise
    try:
        st = os.fstat(fd)
        kind = describe_mode(st.st_mode)
        if kind is not None:
            raise ReadRefused(f"{shown} is {kind}, not a regular file")
        if st.st_size > max_bytes:
            raise ReadRefused(f"{shown} is {st.st_size} bytes, over the {max_bytes}-byte limit")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return read_stream(fh, max_bytes, name=shown)
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, max_bytes: int, *, name: str = "standard input") -> bytes:
    """At most `max_bytes` from a stream (stdin, a pipe); more is refused, never buffered."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise ReadRefused(f"{name} holds more than the {max_bytes}-byte limit")


def read_optional(path: Path, max_bytes: int, *, name: str | None = None) -> bytes | None:
    """`read_regular`, with None for a file that is not there."""
    try:
        return read_regular(path, max_bytes, name=name)
    except FileNotFoundError:
        return None
