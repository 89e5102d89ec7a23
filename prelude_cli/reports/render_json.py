"""JSON reports: the same content as data, keys stable (docs/reports.md gives the shape)."""

from __future__ import annotations

import json

from ..privacy.markings import Marking
from .case import CaseReport
from .programme import ProgrammeReport


def report_json(report: CaseReport | ProgrammeReport, marking: Marking | None = None) -> str:
    data = {"protective_marking": (marking or Marking()).as_dict(), **report.as_dict()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
