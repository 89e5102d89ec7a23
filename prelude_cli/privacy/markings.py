"""Protective markings: the Government Security Classifications line every output carries.

A police document is marked at the top and bottom of every page (`OFFICIAL-SENSITIVE`, with
an optional handling caveat such as `PERSONAL`). The marking is a casebook setting
(`protective_marking` in casebook.yaml, default `OFFICIAL-SENSITIVE`), and this module is its
one home: each output format asks here how to carry it, so no report, pack or export can
leave it out by forgetting. A casebook.yaml with errors falls back to the default, never to
no marking.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..book.settings import DEFAULT_MARKING, Settings

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")
"""The GSC markings casebook.yaml may name (its schema holds the same list)."""


@dataclass(frozen=True, slots=True)
class Marking:
    marking: str = DEFAULT_MARKING
    caveat: str = ""

    @property
    def text(self) -> str:
        """The line as printed: `OFFICIAL-SENSITIVE` or `OFFICIAL-SENSITIVE - PERSONAL`."""
        return f"{self.marking} - {self.caveat}" if self.caveat else self.marking

    def as_dict(self) -> dict[str, str | None]:
        return {"marking": self.marking, "caveat": self.caveat or None, "text": self.text}


def marking_of(settings: Settings) -> Marking:
    return Marking(settings.marking, settings.marking_caveat)


def markdown(body: str, marking: Marking) -> str:
    """A Markdown document with the marking as its first and last line (bold, escaped)."""
    from ..book.textsafe import markdown_cell

    line = f"**{markdown_cell(marking.text)}**"
    return f"{line}\n\n{body.rstrip()}\n\n{line}\n"


def plain(body: str, marking: Marking) -> str:
    """Plain text with the marking as its first and last line."""
    return f"{marking.text}\n\n{body.rstrip()}\n\n{marking.text}\n"


def html_style(marking: Marking) -> str:
    """CSS for the marking: on screen a line at the top and bottom of the page; printed, also
    in the top and bottom margin of every page (CSS page-margin boxes), so a page torn from
    the middle of a report still says how to handle it."""
    # Every character but letters, digits and spaces as a CSS escape: a caveat can never
    # close the string, the rule or the <style> element.
    quoted = '"' + "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):x} "
                           for c in marking.text) + '"'
    return f"""
.marking {{ text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: 0 0 8px; }}
.marking-bottom {{ margin: 12px 0 0; }}
@page {{
  @top-center {{ content: {quoted}; font: bold 9pt Arial, Helvetica, sans-serif; }}
  @bottom-center {{ content: {quoted}; font: bold 9pt Arial, Helvetica, sans-serif; }}
}}
"""


def html(page: str, marking: Marking) -> str:
    """An HTML page with the marking at the top and bottom of its body (and, printed, of
    every page); the marking's text is escaped, the style added to the page's own."""
    from markupsafe import escape

    text = escape(marking.text)
    top = f'<div class="marking marking-top" role="note">{text}</div>'
    bottom = f'<div class="marking marking-bottom" role="note">{text}</div>'
    page = page.replace("</style>", html_style(marking) + "</style>", 1)
    head, body_tag, rest = page.partition("<body>")
    if not body_tag:
        raise ValueError("an HTML page without <body>")
    rest, end_tag, tail = rest.rpartition("</body>")
    return f"{head}<body>\n{top}{rest}{bottom}\n</body>{tail}" if end_tag else \
        f"{head}<body>\n{top}{rest}{bottom}\n"


def readme(marking: Marking, what: str) -> str:
    """README.txt for a folder of files that cannot carry a marking themselves (CSV)."""
    return plain(
        f"{what}\n\n"
        "Every file in this folder is under this protective marking: handle, store and share "
        "them as the marking and your information-sharing agreement require.", marking,
    ).replace("\n", "\r\n")
