"""The strict YAML reader: every structural fault is a problem at its line, on both parsers."""

from __future__ import annotations

import pytest

from prelude_cli.files.yamlio import load_bytes, locate

CASES = {
    "alias-bomb": (b"a: &a ['x','x']\nb: &b [*a,*a]\nc: [*b,*b]\n", "yaml-anchor", 1),
    "alias": (b"a: 'x'\nb: *x\n", "yaml-alias", 2),
    "python-tag": (b"a: !!python/object/apply:os.system ['ls']\n", "yaml-tag", 1),
    "custom-tag": (b"a: !secret 'x'\n", "yaml-tag", 1),
    # The bare non-specific tag: a tag to libyaml, nothing to PyYAML (found by the properties).
    "bare-tag": (b"a: 'x'\nb: !\n", "yaml-tag", 2),
    "bare-tag-on-text": (b"a: ! 12\n", "yaml-tag", 1),
    "yaml-directive": (b"%YAML 1.1\n---\na: 'x'\n", "yaml-directive", 1),
    "tag-directive": (b"%TAG !e! tag:example.com,2000:\n---\na: 'x'\n", "yaml-directive", 1),
    "duplicate-key": (b"a: 'x'\nb: 'y'\na: 'z'\n", "yaml-duplicate-key", 3),
    "multi-document": (b"a: 'x'\n---\nb: 'y'\n", "yaml-multiple-documents", 2),
    "empty": (b"", "empty-document", 1),
    "comment-only": (b"# nothing here\n", "empty-document", 1),
    "list-root": (b"- 'x'\n", "not-a-mapping", 1),
    "unquoted-date": (b"a: 'x'\nb: 2026-05-01\n", "unquoted-date", 2),
    "yaml11-bool": (b"a: no\n", "ambiguous-value", 1),
    "nan": (b"a: .nan\n", "not-a-number", 1),
    "huge-int": (b"a: 123456789012345678901234567\n", "number-too-large", 1),
    # Beyond the digits we convert, a number is kept as text: still reported, never accepted.
    "huge-int-as-text": (b"a: 'x'\nb: " + b"7" * 40 + b"\n", "number-too-large", 2),
    # A giant hex number once crashed the schema messages (int to text has a digit limit).
    "huge-hex": (b"a: 0x" + b"f" * 10000 + b"\n", "number-too-large", 1),
    "non-string-key": (b"1: 'x'\n", "yaml-key", 1),
    "complex-key": (b"? [a, b]\n: 'x'\n", "yaml-key", 1),
    "utf16": ("a: 'x'\n".encode("utf-16"), "encoding", 1),
    "bad-utf8": (b"a: 'x'\nb: '\xff'\n", "encoding", 2),
    "nul": (b"a: 'x'\nb: 'y\x00'\n", "control-character", 2),
    "escape-in-text": (b"a: \"red\\e[31m\"\n", "hidden-character", 1),
    "bidi": ("a: 'abc\u202edef'\n".encode(), "hidden-character", 1),
    # PyYAML breaks lines at NEL and U+2028/9, git and GitHub do not: hidden keys.
    "line-separator": ("a: x\u2028b: 'y'\n".encode(), "hidden-character", 1),
    "next-line": (b"a: 'x'\nb: 'x\xc2\x85y'\n", "hidden-character", 2),
    # A BOM after the start: libyaml skips some, PyYAML reads them (found by the properties).
    "bom-at-end": (b"a: 'x'\n\xef\xbb\xbf", "hidden-character", 2),
    "bom-after-document-start": (b"---\n\xef\xbb\xbf", "hidden-character", 2),
    "zero-width-key": ("a\u200b: 'x'\n".encode(), "hidden-character", 1),
    "tab-indent": (b"a:\n\tb: 'x'\n", "yaml-syntax", 2),
    # libyaml alone accepted these (found by the property tests); ruamel refuses them too.
    "trailing-tab": (b"a: 'x'\nb: x\t\n", "yaml-syntax", 2),
    "tab-after-colon": (b"a:\t'x'\n", "yaml-syntax", 1),
    "tab-after-item": (b"a:\n  - 'x'\t\n", "yaml-syntax", 2),
    "comment-on-block-indicator": (b"a: 'x'\nb: |# c\n  y\n", "yaml-syntax", 2),
    "unclosed-quote": (b"a: 'x\nb: 'y'\n", "yaml-syntax", 2),
    "deep": (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "yaml-too-deep", 1),
    "malformed": (b"a: [1, 2\nb: 'x'\n", "yaml-syntax", 2),
}


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "reference"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_a_problem_at_its_line(name: str, fast: bool) -> None:
    raw, rule, line = CASES[name]
    loaded = load_bytes(raw, "f.yaml", fast=fast)
    rules = [p.rule for p in loaded.problems]
    assert rule in rules, (name, loaded.problems)
    problem = next(p for p in loaded.problems if p.rule == rule)
    assert problem.line == line
    assert problem.path == "f.yaml"
    assert not loaded.ok


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_and_reference_parsers_agree(name: str) -> None:
    raw = CASES[name][0]
    fast = load_bytes(raw, "f.yaml", fast=True)
    ref = load_bytes(raw, "f.yaml", fast=False)
    assert fast.problems == ref.problems
    assert fast.data == ref.data or (fast.data != fast.data)  # NaN never equals itself


def test_tabs_inside_text_are_fine_on_both_paths() -> None:
    raw = b"a: 'one\ttwo'\nb: |\n  x\ty\n# c\td\n"
    for fast in (True, False):
        assert load_bytes(raw, "f.yaml", fast=fast).data == {"a": "one\ttwo", "b": "x\ty\n"}


def test_bom_and_crlf_are_fine() -> None:
    loaded = load_bytes(b"\xef\xbb\xbfa: 'x'\r\nb: 2\r\n", "f.yaml")
    assert loaded.ok
    assert loaded.data == {"a": "x", "b": 2}


def test_yaml12_scalars_and_quoted_strings() -> None:
    loaded = load_bytes(b"a: true\nb: null\nc: 0x1F\nd: '2026-01-01'\ne: 1.5\nf: text\n", "f")
    assert loaded.data == {"a": True, "b": None, "c": 31, "d": "2026-01-01", "e": 1.5,
                           "f": "text"}


def test_positions_point_at_keys_and_items() -> None:
    loaded = load_bytes(b"a: 'x'\nb:\n  - c: 'd'\n    e: 'f'\n", "f", positions=True)
    pos = loaded.positions
    assert pos is not None
    assert locate(pos, ("b", 0, "e")) == (4, 5)
    assert locate(pos, ("b", 0, "missing")) == (3, 5)
    assert locate(pos, ("nowhere",)) == (1, 1)


@pytest.mark.parametrize("raw", [
    b"a: 'x'\nb: no\nc: 2026-01-01\nd: [1, .nan]\n",
    b"a: 'x\\ty'\n",  # a backslash: values are scanned for hidden characters
    b"a: \"\\e[31m\"\n",
    b"a: x\t\n",  # a tab: libyaml alone accepts it, so the reference parser decides
    b"a: |# c\n  y\n",
    b"a: 'x\x1b'\n",
    b"a: 'x\x7f'\n",
    b"a: 'x'\r\nb: 'y'\r\n",
])
def test_plain_ascii_shortcut_reads_as_the_general_path(raw: bytes) -> None:
    """ASCII files skip decode's separate scans; what they report must not change."""
    from prelude_cli.files.yamlio import decode, load_text

    text, problems = decode(raw, "f.yaml")
    general = load_text(text, "f.yaml") if text is not None else None
    shortcut = load_bytes(raw, "f.yaml")
    if general is None:
        assert shortcut.problems == problems and shortcut.data is None
    else:
        assert shortcut.problems == general.problems
        assert repr(shortcut.data) == repr(general.data)
