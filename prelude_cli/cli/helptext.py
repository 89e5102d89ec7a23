"""Help that reads well at any terminal width: one pass over the built command tree.

Typer's rich help shows a type beside every option (`<bool>` on each flag, `<list[a|b|c...]>`
broken mid-word at 80 columns, `<int range> [x>=1]`), keeps the hard line breaks of docstrings
(ragged at widths other than the one they were wrapped for) and uses a command's whole first
paragraph as its summary. The commands keep writing plain docstrings and options; this module
turns them into help a person reads easily, in one place:

- flags show no metavar; a value shows one plain name (TEXT, PATH, N, or the option's own);
- a choice shows the option's name, and its values are listed once, in the help text;
- a number's bounds are said in words ("At least 1.");
- paragraphs are reflowed to the terminal; an `Example:` paragraph keeps its lines;
- a command's summary is one line: its first sentence, or the summary it is registered with.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from typer import BadParameter, Context
from typer.core import TyperArgument, TyperGroup

SENTENCE_END = re.compile(r"(?<![ .]e\.g|[ .]i\.e)(?<=\.)\s+")
WORD = r"(?<![\w-]){}(?![\w-])"

ARGUMENT_NAMES = {"case_id": "CASE"}
"""Arguments named differently in code and help: every case argument shows as CASE."""


HELP_OPTION_NAMES = ["-h", "--help"]


class PreludeGroup(TyperGroup):
    """The root group: polishes the whole command tree once it is built, and lists its
    commands in the order of `order` (typer lists single commands before groups)."""

    order: tuple[str, ...] = ()
    summaries: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.order:
            rank = {name: i for i, name in enumerate(self.order)}
            self.commands = dict(sorted(self.commands.items(),
                                        key=lambda item: rank.get(item[0], len(rank))))
        polish(self, "", self.summaries)

    def invoke(self, ctx: Any) -> Any:
        """A refused value reads `'nonsense' is not one of ...`, without the `Value error, `
        that the value's validation puts before it."""
        try:
            return super().invoke(ctx)
        except BadParameter as exc:
            exc.message = exc.message.removeprefix("Value error, ")
            raise

    def get_params(self, ctx: Any) -> list[Any]:
        """The completion options are added after the group is built: polish them here."""
        params = super().get_params(ctx)
        for param in params:
            _polish_param(param)
        return params


def polish(command: Any, path: str = "", summaries: dict[str, str] | None = None) -> None:
    """Reflow help, set summaries and metavars, for `command` and everything under it;
    `summaries` gives, by command path ("case show"), summaries the help's first sentence
    would make too long."""
    command.help = reflow(command.help or "")
    command.short_help = (summaries or {}).get(path) or command.short_help \
        or summary(command.help)
    help_option = command.get_help_option(
        Context(command, help_option_names=HELP_OPTION_NAMES))
    for param in [*command.params, *([help_option] if help_option else [])]:
        _polish_param(param)
    for name, sub in (getattr(command, "commands", None) or {}).items():
        polish(sub, f"{path} {name}".strip(), summaries)


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph, so the terminal wraps them; a paragraph
    starting `Example` (a command line continued with `\\`) or marked `\\b` keeps its lines."""
    text = text.partition("\f")[0]
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text).strip())
    out = []
    for para in paragraphs:
        if para.startswith(("Example", "\b")):
            out.append(para)
        else:
            out.append(" ".join(para.split()))
    return "\n\n".join(out)


def summary(help_text: str) -> str:
    """The first sentence of the first paragraph, without its full stop."""
    first = help_text.split("\n\n", 1)[0]
    sentence = SENTENCE_END.split(first, 1)[0].strip()
    return sentence.removesuffix(".")


def _polish_param(param: Any) -> None:
    if getattr(param, "_polished", False):
        return
    param._polished = True
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        param.metavar = ""
        return
    desc = getattr(param, "type_descriptor", None)
    choices = [str(getattr(c, "value", c)) for c in (desc.choices or ())] \
        if desc is not None and desc.is_choice else []
    if isinstance(param, TyperArgument):
        if param.metavar is None:
            param.metavar = ARGUMENT_NAMES.get(param.name, (param.name or "").upper())
        _no_type_column(param)
    elif param.metavar is None:
        param.metavar = _metavar(param, desc, bool(choices))
    if choices and not all(re.search(WORD.format(re.escape(c)), param.help or "")
                           for c in choices):
        param.help = f"{(param.help or '').rstrip()} One of: {', '.join(choices)}.".strip()
    bounds = _bounds(param)
    if bounds:
        param.help = f"{(param.help or '').rstrip()} {bounds}".strip()
        param._get_number_range_help_str = lambda: None  # said in words instead


def _metavar(param: Any, desc: Any, is_choice: bool) -> str:
    name = (param.name or "value").upper().replace("_", "-")
    if is_choice:
        return name
    if desc is not None and desc.is_path:
        return "PATH"
    if desc is not None and desc.is_ranged:
        return "N"
    annotation = getattr(desc, "annotation", None)
    inner = getattr(annotation, "__args__", (annotation,))[0] if desc and desc.is_list \
        else annotation
    if inner is int:
        return "N"
    if inner is float:
        return "NUMBER"
    return "TEXT"


def _bounds(param: Any) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"From {low} to {high}."
    if low is not None:
        return f"At least {low}."
    if high is not None:
        return f"At most {high}."
    return ""


def _no_type_column(param: Any) -> None:
    """An argument's help names it (CASE); typer would add `<str>` beside the name."""
    param.display_type_rich = lambda ctx: None
