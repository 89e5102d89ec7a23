"""Document text is data, never markup: escaping for each place text ends up.

Text in documents comes from many hands. Printed to a terminal it must not carry escape
sequences; in a spreadsheet it must not start a formula; in Markdown it must not break a table
or start a heading. Every writer of document text goes through one of these.
"""

from __future__ import annotations

import re

# C0 and C1 controls (ESC starts ANSI and OSC 8 sequences), bidi overrides and zero-width
# characters. Tabs and newlines are handled by the callers that allow them.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(text: str) -> str:
    """Make text safe to print: control and invisible characters become U+FFFD."""
    return _TERMINAL_UNSAFE.sub("\ufffd", text)


def spreadsheet(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula (OWASP advice):
    prefix it with a single quote. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell: literal, on one line, no markup."""
    text = terminal(text).replace("\r\n", "\n").replace("\n", " ")
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text)
