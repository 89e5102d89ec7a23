"""Validation reporters: a registry, so adding a format is adding a class.

Each reporter turns a `ValidationResult` into the text written to stdout. The JSON shape and
the text line format are contracts: scripts and editors parse them.
"""

from __future__ import annotations

import json
from typing import Protocol

from ..problems import Problem
from ..validation import ValidationResult


class Reporter(Protocol):
    def render(self, result: ValidationResult) -> str: ...


def problem_line(p: Problem) -> str:
    """`path:line:col: severity rule message`, the form editors and people parse."""
    return f"{p.path}:{p.line}:{p.column}: {p.severity} {p.rule} {p.message}"


class TextReporter:
    def render(self, result: ValidationResult) -> str:
        lines = [problem_line(p) for p in result.problems]
        s = result.summary()
        if result.problems:
            lines.append(
                f"{s['errors']} error{'s' if s['errors'] != 1 else ''}, "
                f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''} in "
                f"{s['files_with_problems']} file{'s' if s['files_with_problems'] != 1 else ''} "
                f"({s['cases']} cases, {s['documents']} documents checked)"
            )
        else:
            lines.append(f"ok: {s['cases']} cases, {s['documents']} documents, no problems")
        return "\n".join(lines) + "\n"


class JsonReporter:
    def render(self, result: ValidationResult) -> str:
        payload = {
            "valid": result.valid,
            "problems": [p.as_dict() for p in result.problems],
            "stats": result.summary(),
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


REPORTERS: dict[str, type] = {"text": TextReporter, "json": JsonReporter}
