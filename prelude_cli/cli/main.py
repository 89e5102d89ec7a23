"""The `prelude` application: command registration, global options, and the error boundary.

Exit codes: 0 clean, 1 problems found (or a write refused or failed), 2 usage error or no
casebook, 70 unexpected failure.
"""

from __future__ import annotations

import sys
import traceback
from typing import Annotated

import typer

from .. import __version__
from ..storage import StorageError
from .assess import assess_command
from .case import case_app
from .contact import contact_app
from .disclosures import disclosures_command
from .disruption import disruption_app
from .doctor import doctor_command, schemas_app
from .due import due_reviews_command
from .exit import exit_app
from .export import export_command
from .fmt import fmt_command
from .identity import identity_app
from .init import init_command
from .options import UsageError
from .output import err
from .plan import plan_app
from .report import report_app
from .retention import retention_app
from .validate import validate_command

EXIT_USAGE = 2
EXIT_UNEXPECTED = 70

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

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prelude {__version__}")
        raise typer.Exit(0)


@app.callback()
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


app.command("init")(init_command)
app.add_typer(case_app, name="case")
app.add_typer(contact_app, name="contact")
app.add_typer(disruption_app, name="disruption")
app.command("assess")(assess_command)
app.add_typer(plan_app, name="plan")
app.add_typer(exit_app, name="exit")
app.command("validate")(validate_command)
app.command("due-reviews")(due_reviews_command)
app.command("fmt")(fmt_command)
app.add_typer(report_app, name="report")
app.command("doctor")(doctor_command)
app.add_typer(schemas_app, name="schemas")
app.command("export")(export_command)
app.add_typer(identity_app, name="identity")
app.command("disclosures")(disclosures_command)
app.add_typer(retention_app, name="retention")


def main(argv: list[str] | None = None) -> None:
    """Entry point: one line and a stable exit code for anything that goes wrong."""
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        app(args=args, prog_name="prelude", standalone_mode=True)
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
