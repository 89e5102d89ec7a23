"""The identity register and the personal-data detectors: what `validate` says about them, and
that it never repeats what it found."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AS_OF, CASE_DIR, CASE_ID
from hypothesis import example, given, settings
from hypothesis import strategies as st

from prelude_cli.book.casebook import open_casebook
from prelude_cli.checks import pii
from prelude_cli.checks.validation import validate
from prelude_cli.privacy import identities
from prelude_cli.read import cache

ROOT = Path(__file__).resolve().parents[2]

# --- detectors ---------------------------------------------------------------------------------

FOUND = {
    "call 07700 900123 later": ["phone"],
    "ring +44 7700 900123": ["phone"],
    "landline (0118) 496 0000.": ["phone"],
    "020 7946 0958": ["phone"],
    "mail jo.bloggs@example.org": ["email"],
    "lives at SL1 2AB": ["postcode"],
    "lives near rg1 8dn now": ["postcode"],
    "NHS 943 476 5919": ["nhs-number"],
    "nhs 943-476-5919": ["nhs-number"],
    "nhs 9434765919": ["nhs-number"],
    "PNC 08/123456A": ["police-reference"],
    "DOB 02/03/2008": ["date-of-birth"],
    "d.o.b. 2/3/08": ["date-of-birth"],
    "born on 2 March 2008": ["date-of-birth"],
    "he was born in 2008": ["date-of-birth"],
    "date of birth: 2008-03-02": ["date-of-birth"],
    "Mum on 07700 900123, born 2008": ["phone", "date-of-birth"],
}
NOT_FOUND = [
    "remanded on 2026-01-09", "after 6pm, back at 16:00", "attendance 38%", "PC 4471 Hart",
    "Level 2 music technology course", "943 476 5910", "24/7 support", "2026-01-20 10:30",
    "rank 13 of 200, score 71.5", "reference 12345678901", "stabbed in 2025",
    "first born child", "Northgate Boxing Club", "KCPO application withdrawn",
]


@pytest.mark.parametrize("text", FOUND)
def test_detectors_find(text: str) -> None:
    assert pii.findings(text) == FOUND[text]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_detectors_leave_alone(text: str) -> None:
    assert pii.findings(text) == []


PIECES = [*FOUND, *NOT_FOUND, "07700", "900123", "born", "2008", "+44", "SL1", "2AB", "@",
          "jo@example.org", "Jordan", "(0118)", "943 476", "5919", "08/", "123456A", "", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map(" ".join), max_size=5))
def test_one_look_at_joined_fields_misses_nothing(texts: list[str]) -> None:
    """pii-in-text looks at a document's fields joined by NUL first and skips the document
    when that finds nothing: it must find at least what the fields find one by one."""
    names = pii.name_tokens("Jordan Marr")
    each = {kind for text in texts for kind in pii.findings(text, names)}
    assert each <= set(pii.findings("\0".join(texts), names))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("0123456789 ab"))))
@example("born \u0663\u0660")  # Arabic-Indic digits: not ASCII, still digits
@example("no digits at all")
def test_the_digit_shortcut_agrees_with_the_expression(text: str) -> None:
    """Every detector but two needs a digit; ASCII text is looked at by substring search, any
    other by the regular expression, which knows every script's digits (`\\d`)."""
    assert pii._has_digit(text) == (pii._DIGIT.search(text) is not None)


def test_nhs_check_digit() -> None:
    assert pii.nhs_check_digit_ok("9434765919")
    assert not pii.nhs_check_digit_ok("9434765918")
    assert not pii.nhs_check_digit_ok("943476591")


def test_names_are_whole_words_of_three_letters_or_more() -> None:
    tokens = identities.name_tokens({"name": "Jordan Ellis-Marr", "other_names": ["J", "Jay"]})
    assert tokens == ("jordan", "ellis", "marr", "jay")
    assert pii.findings("Met JORDAN today", tokens) == ["name"]
    assert pii.findings("Jay came; Marr's mum too", tokens) == ["name"]
    assert pii.findings("the jordanian jays", tokens) == []
    assert pii.findings("J was late", tokens) == []


def test_reviewed_mark_on_the_line_or_alone_above() -> None:
    raw = b"a: 1\nnotes: x  # prelude: reviewed\n# prelude: reviewed\nb: y\nc: z\n"
    assert pii.reviewed(raw, 2)
    assert pii.reviewed(raw, 4)
    assert not pii.reviewed(raw, 5)
    assert not pii.reviewed(raw, 1)
    assert not pii.reviewed(b"a: '# prelude: reviewed, no'\n", 1)


# --- the register in validate ----------------------------------------------------------------

REGISTER = f"""\
{CASE_ID}:
  name: Jordan Quillby
  other_names: [Quills]
  date_of_birth: '2009-02-30'
  pnc_id: 09/123456Z
"""


def problems(root: Path):
    return validate(open_casebook(root), as_of=AS_OF).problems


def test_register_schema_problems_never_quote_a_value(casebook: Callable[..., Path]) -> None:
    found = problems(casebook({"identities.yaml": REGISTER}))
    assert [(p.path, p.line, p.rule) for p in found] == [
        ("identities.yaml", 4, "schema-format")]
    assert "2009" not in found[0].message and "Quill" not in found[0].message


def test_register_entry_for_an_unknown_case(casebook: Callable[..., Path]) -> None:
    found = problems(casebook({"identities.yaml": "OP-NOSUCH:\n  name: A. Person\n"}))
    assert [(p.path, p.line, p.severity, p.rule) for p in found] == [
        ("identities.yaml", 1, "warning", "identity-unknown-case")]


def test_names_in_free_text_only_with_the_register(casebook: Callable[..., Path]) -> None:
    notes = {f"{CASE_DIR}/contacts/2026-01-20-ab12.yaml": (
        "date: '2026-01-20'\nby: T. Mensah\nmethod: in-person\npurpose: engage-and-explain\n"
        "outcome: no-contact\nnotes: Quills was not in.\n")}
    assert problems(casebook(notes)) == []
    found = problems(casebook({**notes, "identities.yaml": "OP-7K3M9Q:\n  name: J. Quillby\n"
                                                          "  other_names: [Quills]\n"}))
    assert [(p.line, p.rule) for p in found] == [(6, "pii-in-text")]
    assert "Quill" not in found[0].message


def test_a_changed_register_is_seen_through_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "sample_casebook", root, ignore=shutil.ignore_patterns(".prelude-*"))
    book = open_casebook(root)
    assert validate(book, as_of=AS_OF, use_cache=True).problems == []
    contact = sorted((root / "cases").glob("*/contacts/*.yaml"))[0]
    case_id = contact.parts[-3]
    text = contact.read_text()
    assert text.count("\nnotes: ") == 1
    contact.write_text(text.replace("\nnotes: ", "\nnotes: Seen with Dakarai. "))
    assert validate(open_casebook(root), as_of=AS_OF, use_cache=True).problems == []
    (root / "identities.yaml").write_text(f"{case_id}:\n  name: Dakarai Test\n")
    found = validate(open_casebook(root), as_of=AS_OF, use_cache=True).problems
    assert [p.rule for p in found] == ["pii-in-text"]
    assert cache.global_key(root) != cache.global_key(tmp_path)


def test_a_locked_register_is_left_alone(casebook: Callable[..., Path]) -> None:
    root = casebook({"identities.yaml": identities.GIT_CRYPT_MAGIC + b"\x00\x01binary"})
    assert problems(root) == []
    assert identities.load_register(root).state == identities.LOCKED


# --- git must never commit it ----------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args],
                   cwd=cwd, env=env, check=True, capture_output=True)


def tracked_rules(root: Path) -> list[tuple[str, str]]:
    return [(p.rule, p.message.split(":")[0]) for p in problems(root)
            if p.rule == "identity-register-tracked"]


@needs_git
def test_register_not_ignored_or_tracked_is_an_error(casebook: Callable[..., Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = casebook({"identities.yaml": "OP-7K3M9Q:\n  name: A. Person\n"})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(root.parent))
    assert tracked_rules(root) == []  # not a repository: nothing to say
    git(root, "init", "-q")
    assert tracked_rules(root) == [("identity-register-tracked",
                                    "the identity register is not ignored by git, so it could "
                                    "be committed")]
    (root / ".gitignore").write_text("identities.yaml\n")
    assert tracked_rules(root) == []
    git(root, "add", "-f", "identities.yaml")
    assert [r for r, _ in tracked_rules(root)] == ["identity-register-tracked"]
    (root / ".gitattributes").write_text("identities.yaml filter=git-crypt diff=git-crypt\n")
    assert tracked_rules(root) == []  # git-crypt encrypts it in the repository


# --- changing it ---------------------------------------------------------------------------------

def test_set_keeps_comments_and_other_fields_then_remove(tmp_path: Path) -> None:
    (tmp_path / "identities.yaml").write_text(
        "# kept encrypted, see docs\nOP-AAAAAA:\n  name: A. Person  # as known to YJS\n")
    identities.write(tmp_path, identities.set_entry(tmp_path, "OP-AAAAAA",
                                                    {"date_of_birth": "2009-01-02"}))
    identities.write(tmp_path, identities.set_entry(tmp_path, "OP-BBBBBB",
                                                    {"name": "B. Person", "other_names": ["Bee"]}))
    text = (tmp_path / "identities.yaml").read_text()
    assert text == ("# kept encrypted, see docs\nOP-AAAAAA:\n  name: A. Person  # as known to "
                    "YJS\n  date_of_birth: '2009-01-02'\nOP-BBBBBB:\n  name: B. Person\n"
                    "  other_names:\n    - Bee\n")
    if os.name == "posix":
        assert (tmp_path / "identities.yaml").stat().st_mode & 0o077 == 0
    identities.write(tmp_path, identities.remove_entry(tmp_path, "OP-AAAAAA"))
    assert identities.remove_entry(tmp_path, "OP-AAAAAA") is None
    assert "A. Person" not in (tmp_path / "identities.yaml").read_text()


def test_an_entry_without_a_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(identities.IdentityError, match="name"):
        identities.set_entry(tmp_path, "OP-AAAAAA", {"address": "somewhere"})
    assert not (tmp_path / "identities.yaml").exists()
