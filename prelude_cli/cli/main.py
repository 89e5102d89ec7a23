"""The `prelude` application: command registration, global options, and the error boundary.

Exit codes: 0 clean, 1 problems found (or a write refused or failed), 2 usage error or no
casebook, 70 unexpected failure.
"""

from __future__ import annotations

import functools
import importlib
import sys
import traceback
from typing import Annotated, Any

import typer

from .. import __version__
from ..storage import StorageError
from .options import UsageError
from .output import err

EXIT_USAGE = 2
EXIT_UNEXPECTED = 70

COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "init_command"),
    "case": ("case", "case_app"),
    "contact": ("contact", "contact_app"),
    "disruption": ("disruption", "disruption_app"),
    "assess": ("assess", "assess_command"),
    "plan": ("plan", "plan_app"),
    "exit": ("exit", "exit_app"),
    "withdraw": ("lifecycle", "withdraw_command"),
    "amend": ("lifecycle", "amend_command"),
    "history": ("history", "history_command"),
    "validate": ("validate", "validate_command"),
    "due-reviews": ("due", "due_reviews_command"),
    "fmt": ("fmt", "fmt_command"),
    "report": ("report", "report_app"),
    "intake": ("intake", "intake_command"),
    "meeting": ("meeting", "meeting_app"),
    "doctor": ("doctor", "doctor_command"),
    "schemas": ("doctor", "schemas_app"),
    "export": ("export", "export_command"),
    "identity": ("identity", "identity_app"),
    "disclosures": ("disclosures", "disclosures_command"),
    "retention": ("retention", "retention_app"),
}
"""Each top-level command: the module under `prelude_cli.cli` that defines it, and its name
there (a Typer app is a group of subcommands). In this order in `prelude --help`."""

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prelude {__version__}")
        raise typer.Exit(0)


def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug",
                                        help="Show a traceback on unexpected failures.")] = False,
) -> None:
    """The Operation Prelude casebook: record cases, validate them, list due reviews.

    Example: prelude validate -C sample_casebook
    """
    _state["debug"] = debug


def build_app(only: str | None = None) -> typer.Typer:
    """The application with every command, or with the one command `only` names.

    A run imports just the command it runs: the others' modules (reports, exports, the
    editor) would cost every `prelude validate` about a quarter of a second to load.
    """
    app = typer.Typer(
        name="prelude",
        help="The Operation Prelude casebook: record cases, validate them, list due reviews, "
             "report.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for name, (module, attribute) in COMMANDS.items():
        if only is None or name == only:
            target = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
            if isinstance(target, typer.Typer):
                app.add_typer(target, name=name)
            else:
                app.command(name)(target)
    return app


def __getattr__(name: str) -> Any:
    """`app`: the full application, built on first use (tests, the reference docs)."""
    if name == "app":
        return _full_app()
    raise AttributeError(name)


@functools.cache
def _full_app() -> typer.Typer:
    return build_app()


def command_named(args: list[str]) -> str | None:
    """The command a command line runs, when the one-command application can run it: not
    for `--help`, `--version` or completion before any command, nor for an unknown name."""
    for arg in args:
        if arg == "--debug":
            continue
        return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point: one line and a stable exit code for anything that goes wrong."""
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        build_app(command_named(args))(args=args, prog_name="prelude", standalone_mode=True)
    except UsageError as exc:
        err(f"prelude: {exc}")
        sys.exit(EXIT_USAGE)
    except StorageError as exc:  # the disk is full, the file changed, the case is busy
        err(f"prelude: {_one_line(exc)}")
        sys.exit(1)
    except KeyboardInterrupt:
        err("prelude: interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # the boundary: nothing unforeseen escapes as a traceback
        if _state["debug"]:
            traceback.print_exc()  # frames and lines only: never local variables
        else:
            err(f"prelude: unexpected failure {_what_failed(exc)} "
                "(run with --debug for details)")
        sys.exit(EXIT_UNEXPECTED)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else "no details"


def _what_failed(exc: BaseException) -> str:
    """`in validation.load_case: KeyError`: where in prelude it failed and what kind of
    failure. The exception's own text is left out (it may quote a document's content), except
    for the operating system's errors, which name a file and a reason."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        _, found, module = frame.filename.replace("\\", "/").rpartition("/prelude_cli/")
        if found:
            where = f"in {module.removesuffix('.py').replace('/', '.')}.{frame.name}: "
    if isinstance(exc, OSError):
        return f"{where}{type(exc).__name__}: {_one_line(exc)}"
    return f"{where}{type(exc).__name__}"
