"""Markdown escaping: what a CommonMark renderer shows is the text as written."""

from __future__ import annotations

from html import unescape

import pytest
from markdown_it import MarkdownIt

from prelude_cli.book.textsafe import markdown_cell, markdown_text

MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def shown(md: str) -> str:
    """The text a reader sees, and the tags it was wrapped in."""
    return MD.render(md)


@pytest.mark.parametrize("text", [
    "# heading", "- item", "+ item", "* item", "1. item", "2) item", "> quote", "===",
    "---", "```", "~~~", "    code", "<script>alert(1)</script>", "[x](javascript:alert(1))",
    "![x](http://example.org/x.png)", "*em* _em_ **strong**", "`code`", "&lt; &amp;",
    "a | b", "[x]: http://example.org", "<http://example.org>", "\\", "trailing \\",
])
def test_paragraph_text_is_literal(text: str) -> None:
    html = shown(markdown_text(text))
    assert html.startswith("<p>") and html.count("<") == 2, html
    assert unescape(html[3:-5]) == text.strip()


def test_line_breaks_are_kept_and_blank_lines_split_paragraphs() -> None:
    html = shown(markdown_text("one\r\ntwo\n\n# three"))
    assert html == "<p>one<br />\ntwo</p>\n<p># three</p>\n"


def test_cell_stays_one_cell() -> None:
    html = shown("| a | b |\n|---|---|\n| " + markdown_cell("x | y\r\nz") + " | 2 |\n")
    assert "<td>x | y z</td>" in html and html.count("<td>") == 2


def test_control_characters_are_replaced() -> None:
    assert markdown_text("a\x1b[31mb") == "a\ufffd\\[31mb"
    assert markdown_cell("a\rb") == "a b"


@pytest.mark.parametrize("text", [
    "decision: include", "(engage-and-explain, in-person):", "offer made (in person)",
    "Reviewed 2026-01-20: continue", "about 3 (approx)", "A & E at 10:30", "age 16+",
    "+1", "score > 5", "Great!", "room #b", "dashboard_id and needs_review", "x @ y",
    "{x}", "a = b", "-5 on last time", "2026.11 release", "#b",
])
def test_ordinary_punctuation_is_not_escaped(text: str) -> None:
    """Only what Markdown would read as markup is escaped: the source reads as written."""
    assert markdown_text(text) == text and markdown_cell(text) == text
    html = shown(markdown_text(text))
    assert unescape(html[3:-5]) == text


@pytest.mark.parametrize("text", [":fire: emoji", "see https://example.org", "a:b",
                                  "[x](y)", "a](b)", ":+1:", "&copy; &#169;", "_lead_",
                                  "__init__", "see #12", "ask @hart", "{+ added +}",
                                  "~~gone~~", "$x$", "*x*"])
def test_what_could_become_markup_stays_escaped(text: str) -> None:
    html = shown(markdown_text(text))
    assert html.count("<") == 2 and unescape(html[3:-5]) == text
    assert "\\" in markdown_text(text)


@pytest.mark.parametrize("text", ["+ item", "> quote", "# heading", "## heading", "- item",
                                  "===", "--", "2) item", "10. item"])
def test_what_starts_a_block_is_escaped_only_at_a_line_start(text: str) -> None:
    html = shown(markdown_text(text))
    assert html.startswith("<p>") and unescape(html[3:-5]) == text
    assert markdown_cell(text) == text  # a table cell holds no blocks
