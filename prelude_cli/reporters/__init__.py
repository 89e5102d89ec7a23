"""Validation reporters: a registry, so adding a format is adding a class.

Each reporter turns a `ValidationResult` into the text written to stdout. The JSON shape and
the text line format are contracts: scripts and editors parse them. Paths come from the file
system and may hold any character a clone can carry: every format makes them safe to print.
"""

from __future__ import annotations

import json
from typing import Protocol

from ..book.problems import Problem
from ..book.textsafe import json_text, one_line, terminal
from ..checks.validation import ValidationResult


class Reporter(Protocol):
    def render(self, result: ValidationResult) -> str: ...


def problem_line(p: Problem) -> str:
    """`path:line:col: severity rule message`, the form editors and people parse; one line
    whatever the path or message holds (a file name may hold a line break)."""
    return one_line(f"{p.path}:{p.line}:{p.column}: {p.severity} {p.rule} {p.message}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def summary_line(result: ValidationResult) -> str:
    s = result.summary()
    checked = f"{_count(s['cases'], 'case')}, {_count(s['documents'], 'document')}"
    if not result.problems:
        return f"ok: {checked}, no problems"
    return (f"{_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')} in "
            f"{_count(s['files_with_problems'], 'file')} ({checked} checked)")


class TextReporter:
    def render(self, result: ValidationResult) -> str:
        return "\n".join([*(problem_line(p) for p in result.problems),
                          summary_line(result)]) + "\n"


class JsonReporter:
    def render(self, result: ValidationResult) -> str:
        payload = {
            "valid": result.valid,
            "problems": [p.as_dict() for p in result.problems],
            "stats": result.summary(),
        }
        return json_text(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def _gh_data(text: str) -> str:
    return terminal(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line.

    `prefix` is the casebook's folder within the repository, so annotations land on the right
    file when the casebook is not at the repository root.
    """

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix.strip("/")

    def render(self, result: ValidationResult) -> str:
        lines = []
        for p in result.problems:
            path = f"{self.prefix}/{p.path}" if self.prefix else p.path
            level = "error" if p.is_error else "warning"
            props = [f"file={_gh_property(path)}"]
            if p.line:
                props += [f"line={p.line}", f"col={p.column}"]
            props.append(f"title={_gh_property(p.rule)}")
            lines.append(f"::{level} {','.join(props)}::{_gh_data(p.message)}")
        lines.append(summary_line(result))
        return "\n".join(lines) + "\n"


class JunitReporter:
    """JUnit XML, read by GitLab and Azure DevOps test reports: one test case per document,
    failing when the document has errors; warnings go to the case's system-out."""

    def render(self, result: ValidationResult) -> str:
        import xml.etree.ElementTree as ET

        by_path: dict[str, list[Problem]] = {}
        for p in result.problems:
            by_path.setdefault(p.path, []).append(p)
        paths = list(dict.fromkeys([*result.paths, *by_path]))
        failures = sum(1 for path in paths if any(p.is_error for p in by_path.get(path, [])))
        suites = ET.Element("testsuites", name="prelude validate")
        suite = ET.SubElement(suites, "testsuite", name="casebook", tests=str(len(paths)),
                              failures=str(failures), errors="0", skipped="0")
        for path in paths:
            parts = path.split("/")
            classname = f"cases.{parts[1]}" if parts[0] == "cases" and len(parts) > 1 else \
                "casebook"
            # XML 1.0 cannot hold control characters at all: replaced, not escaped.
            case = ET.SubElement(suite, "testcase", name=terminal(path),
                                 classname=terminal(classname))
            problems = by_path.get(path, [])
            errors = [p for p in problems if p.is_error]
            if errors:
                failure = ET.SubElement(case, "failure", type=errors[0].rule,
                                        message=f"{len(errors)} error(s)")
                failure.text = "\n".join(problem_line(p) for p in errors)
            warnings = [p for p in problems if not p.is_error]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(
                    problem_line(p) for p in warnings)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
            suites, encoding="unicode") + "\n"


REPORTERS: dict[str, type] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "junit": JunitReporter,
}
