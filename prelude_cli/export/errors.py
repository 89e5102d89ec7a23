"""The one exception the export raises for a problem the user can fix."""

from __future__ import annotations


class ExportError(Exception):
    """The export cannot be made as asked (where it would go, or what it would hold);
    nothing was written."""
