"""Document text is data, never markup: escaping for each place text ends up.

Text in documents comes from many hands. Printed to a terminal it must not carry escape
sequences; in a spreadsheet it must not start a formula; in Markdown it must not break a table
or start a heading. Every writer of document text goes through one of these.
"""

from __future__ import annotations

import re

# C0 and C1 controls (ESC starts ANSI and OSC 8 sequences), bidi overrides, zero-width
# characters and line separators; lone surrogates (a file name that is not UTF-8, as Python
# reads it) and the noncharacters XML refuses. Tabs and newlines are handled by the callers
# that allow them.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(text: str) -> str:
    """Make text safe to print: control and invisible characters become U+FFFD."""
    return _TERMINAL_UNSAFE.sub("\ufffd", text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LINE_UNSAFE = re.compile(_TERMINAL_UNSAFE.pattern[:-1] + "\t\n]")


def one_line(text: str) -> str:
    """Text for a line of output that scripts and people parse (`path:line:col: ...`, the
    summary): nothing in it can end the line or start a new one. A line break or tab is shown
    as `\\n`, `\\r` or `\\t` and any other control or invisible character as `\\xNN` or
    `\\uNNNN`, so a file named to look like a clean summary cannot pass for one."""
    def escape(m: re.Match[str]) -> str:
        c = m.group()
        if c in _ESCAPES:
            return _ESCAPES[c]
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return _LINE_UNSAFE.sub(escape, text)


def json_text(serialized: str) -> str:
    """JSON text with every unsafe character written as a `\\uXXXX` escape: the data a script
    reads back is unchanged, but nothing reaches a terminal raw when the JSON is printed."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", serialized)


def spreadsheet(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula (OWASP advice):
    prefix it with a single quote. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# What CommonMark, GitHub or GitLab Markdown would read as markup anywhere in a line: emphasis
# (`*`, and `_` unless between two letters or digits, where it cannot open or close), code,
# links and images (`[`, `]`: `![x](y)` needs both), raw HTML and autolinks (`<`), a
# backslash, strikethrough (`~`), math (`$`), table pipes, an entity (`&` only before `name;`
# or `#123;`), a mention (`@` before a name), an issue reference (`#` before a digit), an
# emoji or URL scheme (`:` before a name, a sign or `//`; not in `10:30`), GitLab's inline diff
# (`{+`, `{-`). A report's source is read too, so nothing else is escaped: `decision: include`,
# `(in person)`, `A & E`, `16+`, `a > b`, `dashboard_id` and `Great!` stay as written.
_MD_PUNCT = re.compile(
    r"([\\`*\[\]<|~$]"
    r"|(?<![^\W_])_|_(?![^\W_])"
    r"|&(?=#?[A-Za-z0-9]+;)|@(?=\w)|#(?=\d)|:(?=[A-Za-z_+/-]|\d+:)|\{(?=[+-]))"
)
# What means something only at the start of a line, and only in its own form: a list item
# (`- `, `+ `, `1. `, `2) `), a quote (`>`), a heading (`# `), a setext underline or rule (a
# line of `=` or `-`); fences (`` ` ``, `~`) are escaped above. `-5`, `+1` and `#b` stay.
_MD_LINE_START = re.compile(
    r"^(#{1,6}(?=\s|$)|[-+](?=\s|$)|[-=]+\s*$|>|[0-9]{1,9}(?=[.)](?:\s|$)))")


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell: literal, on one line, no markup."""
    return _MD_PUNCT.sub(r"\\\1", terminal(" ".join(_lines(text))))


def markdown_text(text: str) -> str:
    """Text for a Markdown paragraph: literal, its line breaks kept as hard breaks.

    Leading spaces go (four would start a code block), blank lines stay paragraph breaks, and
    whatever would start a list, heading, quote, rule or fence at a line start is escaped.
    """
    out: list[str] = []
    for line in _lines(text):
        line = _MD_PUNCT.sub(r"\\\1", terminal(line.strip()))
        m = _MD_LINE_START.match(line)
        if m:
            line = (line[: m.end()] + "\\" + line[m.end():]) if m.group(1)[0].isdigit() \
                else "\\" + line
        out.append(line)
    return _join_lines(out)


def _lines(text: str) -> list[str]:
    """Split on any newline convention before control characters are replaced (a CR is one)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _join_lines(lines: list[str]) -> str:
    """Join lines with a CommonMark hard break (a trailing backslash) inside a paragraph;
    an empty line stays a paragraph break."""
    parts = [("\\\n" if prev and line else "\n") + line
             for prev, line in zip(["", *lines], lines, strict=False)]
    return "".join(parts).strip("\n")
