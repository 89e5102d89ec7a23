"""The `prelude` application: command registration, global options, and the error boundary.

Exit codes: 0 clean, 1 problems found (or a write refused or failed), 2 usage error or no
casebook, 70 unexpected failure, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import importlib
import sys
import traceback
from typing import Annotated, Any

import typer

from .. import __version__
from ..files.storage import StorageError
from .helptext import PreludeGroup
from .options import UsageError
from .output import err

EXIT_USAGE = 2
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130

RECORD = "Record the work"
LOOK = "Look and report"
SHARE = "Share"
CASEBOOK = "Casebook"
PANELS = (RECORD, LOOK, SHARE, CASEBOOK)
"""The panels of `prelude --help`, in the programme's order: record what was done, look at
what falls due and report, share with partners, look after the casebook itself."""

COMMANDS: dict[str, tuple[str, str, str]] = {
    "case": ("case", "case_app", RECORD),
    "contact": ("contact", "contact_app", RECORD),
    "disruption": ("disruption", "disruption_app", RECORD),
    "assess": ("assess", "assess_command", RECORD),
    "plan": ("plan", "plan_app", RECORD),
    "exit": ("exit", "exit_app", RECORD),
    "withdraw": ("lifecycle", "withdraw_command", RECORD),
    "amend": ("lifecycle", "amend_command", RECORD),
    "due-reviews": ("due", "due_reviews_command", LOOK),
    "validate": ("validate", "validate_command", LOOK),
    "history": ("history", "history_command", LOOK),
    "report": ("report", "report_app", LOOK),
    "intake": ("intake", "intake_command", LOOK),
    "meeting": ("meeting", "meeting_app", LOOK),
    "serve": ("serve", "serve_command", LOOK),
    "export": ("export", "export_command", SHARE),
    "disclosures": ("disclosures", "disclosures_command", SHARE),
    "init": ("init", "init_command", CASEBOOK),
    "fmt": ("fmt", "fmt_command", CASEBOOK),
    "identity": ("identity", "identity_app", CASEBOOK),
    "retention": ("retention", "retention_app", CASEBOOK),
    "doctor": ("doctor", "doctor_command", CASEBOOK),
    "schemas": ("doctor", "schemas_app", CASEBOOK),
}
"""Each top-level command: the module under `prelude_cli.cli` that defines it, its name there
(a Typer app is a group of subcommands) and its panel in `prelude --help`. In this order in
the help."""

SUMMARIES = {
    "case": "Open cases, record decisions, list and show cases",
    "meeting": "Partnership meetings: the agenda, and its decisions recorded",
    "intake": "Sort a Serious Violence Dashboard extract against the casebook",
    "disruption": "The disruption plan after a decline: open, review, close",
    "plan": "The diversionary plan: goals, interventions, mentor, tag",
    "exit": "Exit and signposting, the person's feedback, the evaluation",
    "withdraw": "Withdraw a record entered in error; it stays on file",
    "amend": "Change fields of one record, noting who, when and why",
    "history": "Show a case's audit timeline from git and its documents",
    "serve": "Serve the casebook in a browser: due list, cases, forms",
    "report": "Case and programme reports as Markdown, HTML or JSON",
    "export": "Export the casebook as tables: csv, xlsx, sqlite or jsonl",
    "disclosures": "The disclosure log: what was shared, with whom, why and when",
    "fmt": "Rewrite documents in canonical key order and style",
    "identity": "The identity register of names, kept out of git",
    "retention": "Retention reviews (MoPI): keep a record, or dispose of it",
    "doctor": "Check the installation and the casebook's settings",
    "schemas": "The casebook format's JSON Schemas, for editors and tools",
    "case decide": "Record a later identification decision",
    "case show": "Show a case: stage, timeline, scores, what falls due",
    "disruption revisit": "Record an engage-and-explain revisit during the plan",
    "disruption close": "Close the plan: the person engaged, or enforcement ends",
    "plan agree": "Record the plan agreed after the first needs assessment",
    "plan mentor": "Assign the mentor, or record that mentoring ended",
    "plan review": "Record a programme review of the person's time",
    "plan milestone": "Milestones towards the goals, each with a due date",
    "plan milestone set": "Set a milestone's status and its date",
    "plan tag": "The electronic tag: consent, fitting, reviews, removal",
    "plan tag withdraw": "Record that the person withdrew their consent",
    "exit feedback": "Record the person's feedback, or that they declined",
    "exit evaluate": "Record the team's evaluation of the person's time",
    "report programme": "Programme figures, each with its definition",
    "identity set": "Add or update a case's entry in the register",
    "identity show": "Whether a case has an entry, and which fields it holds",
    "retention review": "Record a retention review: retain or dispose",
    "schemas export": "Copy the schemas into the casebook and map them for editors",
}
"""One-line summaries, by command, where the help's first sentence is too long for one line
of an 80-column terminal (tests/cli/test_help_reads_well.py checks)."""

_state = {"debug": False}


class _Root(PreludeGroup):
    order = tuple(COMMANDS)
    summaries = SUMMARIES

    def invoke(self, ctx: typer.Context) -> Any:
        """Ctrl-C in a command: one line and exit 130 (typer would exit 130 silently)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            err("prelude: interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None


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
        cls=_Root,
    )
    app.callback()(root)
    for name, (module, attribute, panel) in COMMANDS.items():
        if only is None or name == only:
            target = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
            if isinstance(target, typer.Typer):
                app.add_typer(target, name=name, rich_help_panel=panel)
            else:
                app.command(name, rich_help_panel=panel)(target)
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
        sys.exit(EXIT_INTERRUPTED)
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
    """`in checks.validation.load_case: KeyError`: where in prelude it failed and what kind of
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
