"""Anything unforeseen ends in one line on stderr and exit 70: no traceback, no local
variables, no document text; `--debug` shows the traceback for whoever is fixing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from prelude_cli.cli.main import EXIT_UNEXPECTED, main
from prelude_cli.read import engine

# Built at run time so that no source line of the traceback can show it.
SECRET = "".join(["Jane", " Doe", " of 4 Elm Street"])


def explode(*args: Any, **kwargs: Any) -> None:
    local_case_data = SECRET  # noqa: F841 - a local a careless boundary would print
    raise RuntimeError(f"cannot handle {SECRET}")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_.value.code or 0), captured.out, captured.err


@pytest.fixture
def broken(casebook: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A casebook whose reading fails deep inside the engine."""
    monkeypatch.setattr(engine, "load_case", explode)
    return casebook()


@pytest.mark.parametrize("command", [["validate"], ["due-reviews"]])
def test_an_unexpected_failure_is_one_line_and_exit_70(broken: Path, command: list[str],
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    code, out, err = run([*command, "-C", str(broken), "--no-cache"], capsys)
    assert code == EXIT_UNEXPECTED
    assert out == ""
    assert err == ("prelude: unexpected failure in read.engine.summarise: RuntimeError "
                   "(run with --debug for details)\n")
    assert SECRET not in err  # neither the exception's text nor the local variable


def test_with_debug_the_traceback_is_shown(broken: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--debug", "validate", "-C", str(broken), "--no-cache"], capsys)
    assert code == EXIT_UNEXPECTED
    assert err.startswith("Traceback (most recent call last):")
    assert "prelude_cli/read/engine.py" in err.replace("\\", "/")
    assert "RuntimeError" in err
    assert "local_case_data" not in err  # frames and lines, never local variables:
    assert err.count(SECRET) == 1  # the text appears only in the exception's own message


def test_an_operating_system_error_names_the_file_and_the_reason(
        casebook: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def denied(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", "/casebook/cases/OP-7K3M9Q")

    monkeypatch.setattr(engine, "load_case", denied)
    code, _, err = run(["validate", "-C", str(casebook()), "--no-cache"], capsys)
    assert code == EXIT_UNEXPECTED
    assert err == ("prelude: unexpected failure in read.engine.summarise: PermissionError: "
                   "[Errno 13] Permission denied: '/casebook/cases/OP-7K3M9Q' (run with --debug "
                   "for details)\n")


def test_a_usage_error_keeps_exit_2(tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["validate", "-C", str(tmp_path / "none")], capsys)
    assert (code, err.count("\n")) == (2, 1)
    assert err.startswith("prelude: no casebook.yaml in ")
