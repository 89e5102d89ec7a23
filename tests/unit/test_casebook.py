"""Finding and opening a casebook, its settings, case ids, and classifying a case folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AS_OF, CASE_ID, MINIMAL_CASE
from conftest import CASE_DIR as C
from dateutil.relativedelta import relativedelta

from prelude_cli import FORMAT_VERSION
from prelude_cli.book.casebook import (
    CasebookError,
    case_id_problems,
    find_root,
    new_case_id,
    open_casebook,
    scan_case,
)
from prelude_cli.book.problems import ERROR, WARNING, Problem
from prelude_cli.book.settings import (
    DEFAULT_DOMAINS,
    DEFAULT_POLICY,
    ID_ALPHABET,
    REVIEW_KINDS,
    IntervalError,
    Settings,
    parse_interval,
    settings_from_data,
)
from prelude_cli.checks.validation import validate
from prelude_cli.files.storage import temp_path
from prelude_cli.files.yamlio import DEFAULT_MAX_BYTES

# --- find_root -----------------------------------------------------------------------------


def test_find_root_explicit_folder(casebook: Callable[..., Path], tmp_path: Path) -> None:
    root = casebook()
    assert find_root(root, env={}, cwd=tmp_path) == root.resolve()


def test_find_root_explicit_casebook_yaml_file(casebook: Callable[..., Path]) -> None:
    root = casebook()
    assert find_root(root / "casebook.yaml", env={}) == root.resolve()


def test_find_root_explicit_wins_over_env(casebook: Callable[..., Path],
                                          tmp_path: Path) -> None:
    root = casebook()
    with pytest.raises(CasebookError, match="--casebook"):
        find_root(tmp_path, env={"PRELUDE_CASEBOOK": str(root)})
    assert find_root(root, env={"PRELUDE_CASEBOOK": str(tmp_path)}) == root.resolve()


def test_find_root_from_env(casebook: Callable[..., Path], tmp_path: Path) -> None:
    root = casebook()
    assert find_root(None, env={"PRELUDE_CASEBOOK": str(root)}, cwd=tmp_path) == root.resolve()


def test_find_root_env_without_casebook_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CasebookError, match="PRELUDE_CASEBOOK"):
        find_root(None, env={"PRELUDE_CASEBOOK": str(tmp_path)}, cwd=tmp_path)


def test_find_root_reads_the_real_environment(casebook: Callable[..., Path], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = casebook()
    monkeypatch.setenv("PRELUDE_CASEBOOK", str(root))
    assert find_root(cwd=tmp_path) == root.resolve()


def test_find_root_walks_upward_from_a_nested_folder(casebook: Callable[..., Path]) -> None:
    root = casebook()
    nested = root / C / "contacts" / "deeper"
    nested.mkdir(parents=True)
    assert find_root(None, env={}, cwd=nested) == root.resolve()


def test_find_root_walks_upward_from_the_process_cwd(casebook: Callable[..., Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = casebook()
    monkeypatch.chdir(root / C)
    assert find_root(None, env={}) == root.resolve()


def test_find_root_not_found(tmp_path: Path) -> None:
    empty = tmp_path / "a" / "b"
    empty.mkdir(parents=True)
    with pytest.raises(CasebookError, match="no casebook found"):
        find_root(None, env={}, cwd=empty)


def test_find_root_explicit_without_casebook_yaml(tmp_path: Path) -> None:
    with pytest.raises(CasebookError, match="no casebook.yaml in"):
        find_root(tmp_path, env={})


def test_a_folder_named_casebook_yaml_is_not_a_casebook(tmp_path: Path) -> None:
    (tmp_path / "casebook.yaml").mkdir()
    with pytest.raises(CasebookError):
        find_root(None, env={}, cwd=tmp_path)


# --- open_casebook -------------------------------------------------------------------------


def test_open_casebook_refuses_a_newer_format(casebook: Callable[..., Path]) -> None:
    root = casebook({"casebook.yaml": f"format: {FORMAT_VERSION + 1}\n"})
    with pytest.raises(CasebookError, match=f"format {FORMAT_VERSION + 1}, newer"):
        open_casebook(root)


def test_open_casebook_reads_the_current_format(casebook: Callable[..., Path]) -> None:
    book = open_casebook(casebook({"casebook.yaml": f"format: {FORMAT_VERSION}\n"}))
    assert book.settings.format == FORMAT_VERSION
    assert book.problems == []
    assert set(book.providers) == {"housing-advice", "boxing-club"}
    assert book.case_ids() == [CASE_ID]


def test_open_casebook_with_invalid_settings_uses_defaults(casebook: Callable[..., Path]) -> None:
    book = open_casebook(casebook({"casebook.yaml": "format: 1\ndue_soon: soon\n"}))
    assert book.settings == Settings()
    assert [p.rule for p in book.problems] == ["schema-pattern"]


def test_open_casebook_reports_duplicate_providers_and_domains(
        casebook: Callable[..., Path]) -> None:
    book = open_casebook(casebook({
        "casebook.yaml": "format: 1\nneeds:\n  scale: {min: 5, max: 5}\n  domains:\n"
                         "    - {id: work, label: Work}\n    - {id: work, label: Jobs}\n",
        "providers.yaml": "providers:\n"
                          "  - {id: gym, name: Gym, category: enrichment, statutory: false}\n"
                          "  - {id: gym, name: Gym 2, category: enrichment, statutory: false}\n",
    }))
    assert sorted((p.path, p.rule) for p in book.problems) == [
        ("casebook.yaml", "duplicate-id"), ("casebook.yaml", "settings"),
        ("providers.yaml", "duplicate-id")]


# --- settings ------------------------------------------------------------------------------


def test_settings_defaults() -> None:
    for data in (None, {}, {"format": 1}):
        s = settings_from_data(data)
        assert s == Settings()
    s = Settings()
    assert s.id_prefix == "OP-" and s.id_random_length == 6
    assert (s.scale_min, s.scale_max) == (1, 10)
    assert len(s.domains) == 12 and s.domains == DEFAULT_DOMAINS
    assert s.max_document_bytes == DEFAULT_MAX_BYTES
    assert s.due_soon == relativedelta(days=14)
    assert s.interval("needs-review") == relativedelta(weeks=6)
    assert s.interval("programme-review") == relativedelta(months=12)
    assert s.interval("retention-review") == relativedelta(years=6)


def test_default_policy_covers_every_review_kind_but_milestones() -> None:
    # A milestone is due on its own date, fix-documents on the as-of date; every other kind
    # has an interval.
    assert set(REVIEW_KINDS) - set(DEFAULT_POLICY) == {"milestone", "fix-documents"}


def test_settings_overrides() -> None:
    s = settings_from_data({
        "format": 1,
        "programme": "Operation Prelude - North",
        "case_ids": {"prefix": "NP-", "random_length": 8},
        "review_policy": {"needs-review": "4 weeks"},
        "due_soon": "7 days",
        "needs": {"scale": {"min": 0, "max": 5},
                  "domains": [{"id": "housing", "label": "Housing", "description": "Home."},
                              {"id": "work", "label": "Work"}]},
        "limits": {"max_document_bytes": 2048},
    })
    assert s.programme == "Operation Prelude - North"
    assert (s.id_prefix, s.id_random_length) == ("NP-", 8)
    assert s.interval("needs-review") == relativedelta(weeks=4)
    assert s.interval("first-contact") == relativedelta(days=14)  # untouched default
    assert s.due_soon == relativedelta(days=7)
    assert (s.scale_min, s.scale_max) == (0, 5)
    assert s.domain_ids == ("housing", "work")
    assert s.domains[0].description == "Home." and s.domains[1].description == ""
    assert s.max_document_bytes == 2048
    assert s.id_pattern.match("NP-7K3M9QAB")
    assert not s.id_pattern.match("OP-7K3M9Q")


def test_settings_policy_override_does_not_leak_into_defaults() -> None:
    settings_from_data({"format": 1, "review_policy": {"plan": "1 day"}})
    assert Settings().interval("plan") == relativedelta(days=14)
    assert DEFAULT_POLICY["plan"] == "14 days"


@pytest.mark.parametrize(("text", "expected"), [
    ("6 weeks", relativedelta(weeks=6)),
    ("12 months", relativedelta(months=12)),
    ("2w", relativedelta(weeks=2)),
    ("1m", relativedelta(months=1)),
    ("14 days", relativedelta(days=14)),
    ("1 day", relativedelta(days=1)),
    ("6 years", relativedelta(years=6)),
    (" 3 months ", relativedelta(months=3)),
])
def test_parse_interval(text: str, expected: relativedelta) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "weeks", "six weeks", "0 days", "-1 days", "6 fortnights",
                                  "1.5 weeks", "10000 days", "6 WEEKS", "6 weeks ago"])
def test_parse_interval_refuses_bad_input(text: str) -> None:
    with pytest.raises(IntervalError, match="not an interval"):
        parse_interval(text)


def test_a_month_follows_the_calendar() -> None:
    from datetime import date

    assert date(2026, 1, 31) + parse_interval("1 month") == date(2026, 2, 28)


# --- case ids ------------------------------------------------------------------------------

SETTINGS = Settings()


def test_a_good_case_id_has_no_problems() -> None:
    assert case_id_problems("OP-7K3M9Q", SETTINGS) == []
    assert case_id_problems("OP-7K3M9Q", SETTINGS, {"OP-AAAAAA"}) == []


@pytest.mark.parametrize(("case_id", "why"), [
    ("OP-7K3M9", "it has 5 characters after OP-, not 6"),
    ("OP-7K3M9QQ", "it has 7 characters after OP-, not 6"),
    ("op-7k3m9q", "it does not start with OP-"),
    ("OP-7K3M9I", "'I' is not an id character"),
    ("OP-7K3M9O", "'O' is not an id character"),
    ("OP-7k3M9Q", "'k' is not an id character"),
    ("XX-7K3M9Q", "it does not start with OP-"),
    ("OP-7K3M9Q ", "' ' is not an id character"),
])
def test_off_pattern_ids(case_id: str, why: str) -> None:
    """The reason names what is wrong: with 6 characters, the character outside the
    alphabet, not just "OP- followed by 6"."""
    [reason] = case_id_problems(case_id, SETTINGS)
    assert reason.startswith("does not match the casebook's id pattern (OP- followed by 6 of "
                             f"{ID_ALPHABET}): {why}")


@pytest.mark.parametrize("case_id", ["../x", "a/b", "a\\b", "..", "C:x", "/etc/passwd", ""])
def test_path_like_ids_are_refused(case_id: str) -> None:
    reasons = case_id_problems(case_id, SETTINGS)
    assert "a case id may not hold path separators, ':' or '..'" in reasons


def test_reserved_windows_names_even_when_the_pattern_allows_them() -> None:
    # A prefix of `CO` with one random character admits `CON`; Windows still cannot make it.
    settings = Settings(id_prefix="CO", id_random_length=1)
    assert settings.id_pattern.match("CON")
    assert case_id_problems("CON", settings) == ["that name is reserved on Windows"]
    assert case_id_problems("COM1", Settings(id_prefix="COM", id_random_length=1)) == [
        "that name is reserved on Windows"]
    assert "that name is reserved on Windows" in case_id_problems("aux.yaml", settings)
    assert case_id_problems("COB", settings) == []


def test_existing_id_and_case_only_difference() -> None:
    assert case_id_problems("OP-7K3M9Q", SETTINGS, {"OP-7K3M9Q"}) == [
        "a case with this id already exists"]
    assert case_id_problems("OP-7K3M9Q", SETTINGS, {"op-7k3m9q"}) == [
        "differs only in letter case from an existing case"]


def test_new_case_id_matches_the_pattern_and_avoids_existing() -> None:
    ids = {new_case_id(SETTINGS, set()) for _ in range(200)}
    assert all(SETTINGS.id_pattern.match(i) for i in ids)
    assert len(ids) > 190  # random, not sequential
    custom = Settings(id_prefix="NP-", id_random_length=10)
    minted = new_case_id(custom, set())
    assert re.fullmatch(r"NP-[0-9A-HJKMNP-TV-Z]{10}", minted)
    assert case_id_problems(minted, custom) == []


def test_new_case_id_skips_ids_taken_in_any_letter_case(monkeypatch: pytest.MonkeyPatch) -> None:
    from prelude_cli.book import casebook as casebook_module

    draws = iter("AAAA" + "BBBB")
    monkeypatch.setattr(casebook_module.secrets, "choice", lambda _alphabet: next(draws))
    settings = Settings(id_prefix="OP-", id_random_length=4)
    assert new_case_id(settings, {"op-aaaa"}) == "OP-BBBB"


# --- scan_case -----------------------------------------------------------------------------


def scan(make: Callable[..., Path], files: dict[str, str | bytes | None]) -> list[Problem]:
    return scan_case(make(files), CASE_ID).problems


def by_path(problems: list[Problem]) -> dict[str, tuple[str, str, int]]:
    return {p.path.removeprefix(C + "/"): (p.severity, p.rule, p.line) for p in problems}


def test_a_clean_case_folder(casebook: Callable[..., Path]) -> None:
    files = scan_case(casebook({f"{C}/contacts/2026-01-20-ab12.yaml": "x: 1\n",
                                f"{C}/assessments/2026-03-10.yaml": "x: 1\n",
                                f"{C}/contacts/.gitkeep": "",
                                f"{C}/.gitkeep": ""}), CASE_ID)
    assert files.problems == []
    assert sorted(files.documents) == [
        (f"{C}/assessments/2026-03-10.yaml", "assessment"),
        (f"{C}/case.yaml", "case"),
        (f"{C}/contacts/2026-01-20-ab12.yaml", "contact"),
        (f"{C}/identification.yaml", "identification"),
    ]


def test_unexpected_files_are_warnings(casebook: Callable[..., Path]) -> None:
    problems = scan(casebook, {f"{C}/notes.txt": "x", f"{C}/.DS_Store": "x",
                               f"{C}/contacts/notes.txt": "x",
                               f"{C}/contacts/.hidden.yaml": "x: 1\n",
                               f"{C}/extra/thing.yaml": "x: 1\n",
                               f"{C}/Plan.yaml": "x: 1\n"})
    assert by_path(problems) == {
        "notes.txt": (WARNING, "unexpected-file", 0),
        ".DS_Store": (WARNING, "unexpected-file", 0),
        "contacts/notes.txt": (WARNING, "unexpected-file", 0),
        "contacts/.hidden.yaml": (WARNING, "unexpected-file", 0),
        "extra": (WARNING, "unexpected-file", 0),
        "Plan.yaml": (WARNING, "unexpected-file", 0),
    }


def test_leftover_temp_files_are_warnings(casebook: Callable[..., Path]) -> None:
    problems = scan(casebook, {f"{C}/.plan.yaml.tmp": "x",
                               f"{C}/contacts/.2026-01-20-ab12.yaml.tmp": "x"})
    assert by_path(problems) == {
        ".plan.yaml.tmp": (WARNING, "leftover-temp-file", 0),
        "contacts/.2026-01-20-ab12.yaml.tmp": (WARNING, "leftover-temp-file", 0),
    }


def test_leftover_temp_files_of_the_casebook_files_are_warnings(
        casebook: Callable[..., Path]) -> None:
    root = casebook()
    for name in ("casebook.yaml", "providers.yaml"):
        temp_path(root / name).write_bytes(b"format: 1\n")
    (root / ".notes.tmp").write_text("another tool's file", encoding="utf-8")
    result = validate(open_casebook(root), as_of=AS_OF)
    assert [(p.path[:15], p.severity, p.rule) for p in result.problems] == [
        (".casebook.yaml.", WARNING, "leftover-temp-file"),
        (".providers.yaml", WARNING, "leftover-temp-file")]


@pytest.mark.parametrize("name", [
    "contacts/2026-01-20.yaml", "contacts/20-01-2026-ab12.yaml", "contacts/2026-01-20-AB12.yaml",
    "contacts/2026-01-20-ab.yaml", "contacts/2026-01-20-ab12.yml.yaml", "contacts/case.yaml",
    "assessments/2026-3-10.yaml", "assessments/2026-03-10-ab12.yaml",
    "assessments/latest.yaml",
])
def test_badly_named_contacts_and_assessments_are_errors(casebook: Callable[..., Path],
                                                         name: str) -> None:
    problems = scan(casebook, {f"{C}/{name}": "x: 1\n"})
    assert by_path(problems) == {name: (ERROR, "file-name", 0)}
    kind = "contact" if name.startswith("contacts/") else "assessment"
    assert problems[0].message.startswith(f"a {kind} file is named like")


@pytest.mark.parametrize("missing", ["case.yaml", "identification.yaml"])
def test_missing_required_documents(casebook: Callable[..., Path], missing: str) -> None:
    problems = scan(casebook, {f"{C}/{missing}": None})
    assert by_path(problems) == {missing: (ERROR, "missing-document", 0)}
    assert problems[0].message == f"every case needs {missing}"


def test_a_contact_named_like_a_case_document_does_not_stand_in_for_it(
        casebook: Callable[..., Path]) -> None:
    problems = scan(casebook, {f"{C}/case.yaml": None, f"{C}/identification.yaml": None,
                               f"{C}/contacts/case.yaml": "x: 1\n",
                               f"{C}/assessments/identification.yaml": "x: 1\n"})
    assert by_path(problems) == {
        "case.yaml": (ERROR, "missing-document", 0),
        "identification.yaml": (ERROR, "missing-document", 0),
        "contacts/case.yaml": (ERROR, "file-name", 0),
        "assessments/identification.yaml": (ERROR, "file-name", 0),
    }


def test_an_empty_case_folder_misses_both_documents(casebook: Callable[..., Path]) -> None:
    root = casebook()
    (root / "cases" / "OP-AAAAAA").mkdir()
    problems = scan_case(root, "OP-AAAAAA").problems
    assert sorted((p.path, p.rule) for p in problems) == [
        ("cases/OP-AAAAAA/case.yaml", "missing-document"),
        ("cases/OP-AAAAAA/identification.yaml", "missing-document"),
    ]


def test_minimal_case_is_what_conftest_says(casebook: Callable[..., Path]) -> None:
    """The fixture's base really is a valid one-case casebook."""
    root = casebook()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml")) == sorted(
        MINIMAL_CASE)
    assert scan_case(root, CASE_ID).problems == []
