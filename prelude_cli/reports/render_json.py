"""JSON reports: the same content as data, keys stable (docs/reports.md gives the shape)."""

from __future__ import annotations

import json

from .case import CaseReport
from .programme import ProgrammeReport


def report_json(report: CaseReport | ProgrammeReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
