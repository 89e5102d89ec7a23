"""The Jinja2 environment for HTML and SVG: autoescaping on, so document text is never markup.

Created on first use, so commands that render no HTML never import Jinja2.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from . import phrases

if TYPE_CHECKING:
    import jinja2


@cache
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("prelude_cli.reports", "templates"),
        autoescape=True,  # every template here writes HTML or SVG
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the tests, not silently
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name in ("label", "blank", "number", "signed", "words", "dashboard", "approach",
                 "due_status", "closure", "mentor", "removal", "milestones", "counts", "cell"):
        env.filters[name] = getattr(phrases, name)
    env.globals["figure_value"] = phrases.figure_value
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
