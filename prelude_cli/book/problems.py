"""Problems are values: every check returns them, nothing raises them.

A problem names the file (relative to the casebook root, `/` separators), the line and column
(1-based; 0 when the problem concerns the whole file), a severity, a stable rule id that scripts
may rely on, and a message that never quotes free text from a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


Pointer = tuple[str | int, ...]
"""A path into a document: mapping keys and sequence indexes, outermost first."""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: str
    rule: str
    message: str
    # Where in the document the problem lies; used to find the line when it is not known yet.
    pointer: Pointer = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d.pop("pointer")
        return d

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def error(path: str, rule: str, message: str, line: int = 0, column: int = 0,
          pointer: Pointer = ()) -> Problem:
    return Problem(path, line, column, ERROR, rule, message, pointer)


def warning(path: str, rule: str, message: str, line: int = 0, column: int = 0,
            pointer: Pointer = ()) -> Problem:
    return Problem(path, line, column, WARNING, rule, message, pointer)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable order for every output: by file, then position, then rule."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.rule, p.message))


_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")


def field_name(key: object) -> str:
    """A key as a message may show it: field-name-like keys as they are, anything else
    (which could be free text typed as a key) as `<key>`."""
    return key if isinstance(key, str) and _FIELD_NAME.match(key) else "<key>"


def describe_pointer(pointer: Pointer) -> str:
    """`decisions[0].date` style, for messages: field names only, never values."""
    out = ""
    for part in pointer:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = field_name(part)
            out += f".{name}" if out else name
    return out or "the document"
