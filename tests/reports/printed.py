"""Reading a report printed to PDF back, page by page, to check where its pages break.

The page's HTML says which texts are headings, which are the definitions and figures printed
under a heading, and which are the footer and the protective marking; pypdf gives each printed
page's text lines. A line is matched to an HTML text when it is a piece of it (a paragraph
printed over several lines gives several pieces).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADINGS = ("h1", "h2", "h3")
LEAD_CLASSES = {"definition", "value", "meta"}
"""Paragraphs printed between a heading and what it introduces (its table or chart)."""

BROKEN_DATE = re.compile(r"(?<![\d-])\d{4}-(\d\d-?)?$")
"""A date cut at one of its hyphens: `2026-` or `2026-01-` with the rest on the next line."""


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(slots=True)
class PageTexts:
    """The texts of an HTML report that matter to its printing."""

    headings: list[str] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)  # heading: its level (1 for h1)
    leads: list[str] = field(default_factory=list)
    footer: str = ""
    marking: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts = PageTexts()
        self.stack: list[tuple[str, str]] = []  # (what, tag) for the open elements we collect
        self.buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        what = ("heading" if tag in HEADINGS else "lead" if tag == "p" and classes & LEAD_CLASSES
                else "footer" if tag == "footer" else "marking" if "marking" in classes else "")
        if what and not self.stack:
            self.stack.append((what, tag))
            self.buffer = []

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1][1] == tag:
            what, _ = self.stack.pop()
            text = squash("".join(self.buffer))
            if what == "heading":
                self.texts.headings.append(text)
                self.texts.levels.setdefault(text, int(tag[1]))
            elif what == "lead":
                self.texts.leads.append(text)
            elif what == "footer":
                self.texts.footer = text
            else:
                self.texts.marking = text

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.buffer.append(data)


def page_texts(html: str) -> PageTexts:
    reader = _Reader()
    reader.feed(html)
    return reader.texts


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """Each printed page's non-blank text lines, top to bottom."""
    from pypdf import PdfReader

    return [[squash(line) for line in page.extract_text().splitlines() if line.strip()]
            for page in PdfReader(io.BytesIO(pdf)).pages]


def _piece_of(line: str, texts: list[str]) -> bool:
    return any(line in text for text in texts)


@dataclass(slots=True)
class PrintCheck:
    """What is wrong with one printed report (empty lists when nothing is)."""

    pages: int
    content_lines: int
    bare_pages: list[int]  # 1-based pages holding only the footer and the marking
    stranded: list[tuple[int, list[str]]]  # pages ending in a heading (and its definitions)
    broken_dates: list[tuple[int, str]]


def _level(line: str, texts: PageTexts) -> int | None:
    """The level of the heading `line` is a piece of (the highest, when several hold it)."""
    levels = [texts.levels[h] for h in texts.headings if line in h]
    return min(levels) if levels else None


def check_print(html: str, pdf: bytes) -> PrintCheck:
    texts = page_texts(html)
    pages = pdf_pages(pdf)
    contents = [[line for line in lines if line != texts.marking
                 and not (texts.footer and line in texts.footer)] for lines in pages]
    bare, stranded, broken = [], [], []
    for number, content in enumerate(contents, 1):
        if not content:
            bare.append(number)
            continue
        broken += [(number, line) for line in content
                   if any(BROKEN_DATE.search(token) for token in line.split())]
        # The lines closing the page that belong to a heading or the paragraphs under it...
        tail: list[str] = []
        for line in reversed(content):
            if _piece_of(line, texts.headings) or _piece_of(line, texts.leads):
                tail.insert(0, line)
            else:
                break
        levels = [lv for lv in (_level(line, texts) for line in tail) if lv is not None]
        if not levels:
            continue
        # ...are stranded unless what they introduce is not there at all: the next page opens
        # with a heading of the same or a higher level (a figure with no table), or there is
        # no next page.
        following = next((c for c in contents[number:] if c), [])
        opens = _level(following[0], texts) if following else 0
        if opens is None or opens > min(levels):
            stranded.append((number, tail))
    return PrintCheck(len(pages), sum(map(len, contents)), bare, stranded, broken)
