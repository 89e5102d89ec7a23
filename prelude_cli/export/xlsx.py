"""XLSX: one sheet per table, typed cells, a frozen bold header row with filters.

Written through openpyxl's write-only mode, which streams each sheet to disk, so memory stays
flat however many rows. Dates become real Excel dates, numbers real numbers, booleans TRUE and
FALSE. Text that would start a formula is neutralised; characters XML cannot carry (control
characters) become U+FFFD rather than failing the whole export.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..book import textsafe
from ..privacy.markings import Marking
from .errors import ExportError
from .tables import Column, Table

MAX_ROWS = 1_048_576
"""Excel's row limit per sheet, header included."""
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""

_WIDTHS = {"date": 11, "integer": 9, "number": 10, "boolean": 9}


def xlsx_cell(value: Any, column: Column) -> Any:
    """A document value as a typed cell value."""
    if value is None:
        return None
    if column.type == "date":
        return date.fromisoformat(value)
    if isinstance(value, str):
        value = textsafe.spreadsheet(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        if len(value) > MAX_CELL_TEXT:
            value = value[: MAX_CELL_TEXT - 1] + "\u2026"
    return value


def xlsx_header_text(text: str) -> str:
    """Header text as Excel reads it: `&` starts a code, so a literal one is doubled."""
    return text.replace("&", "&&")


class XlsxWriter:
    folder = False
    marking = Marking()

    def __init__(self, path: Path, tables: Sequence[Table], include_text: bool) -> None:
        self.path = path
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, Any] = {}
        self.columns: dict[str, tuple[Column, ...]] = {}
        self.rows: dict[str, int] = {}
        bold = Font(bold=True)
        for table in tables:
            columns = table.selected(include_text)
            sheet = self.book.create_sheet(table.name)
            sheet.freeze_panes = "A2"
            for i, col in enumerate(columns, 1):
                width = 40 if col.free_text else _WIDTHS.get(col.type, max(14, len(col.name)))
                sheet.column_dimensions[get_column_letter(i)].width = max(width, len(col.name) + 2)
            header = []
            for col in columns:
                cell = WriteOnlyCell(sheet, value=col.name)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            self.sheets[table.name] = sheet
            self.columns[table.name] = columns
            self.rows[table.name] = 1

    def write(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        sheet = self.sheets[table.name]
        columns = self.columns[table.name]
        self.rows[table.name] += len(rows)
        if self.rows[table.name] > MAX_ROWS:
            raise ExportError(f"table {table.name} has more rows than an Excel sheet holds "
                              f"({MAX_ROWS - 1}); export as sqlite or csv instead")
        for row in rows:
            sheet.append([xlsx_cell(v, c) for v, c in zip(row, columns, strict=True)])

    def close(self) -> None:
        for name, sheet in self.sheets.items():
            last = get_column_letter(len(self.columns[name]))
            sheet.auto_filter.ref = f"A1:{last}{self.rows[name]}"
            # Printed, every page of every sheet carries the marking at its top and bottom.
            for part in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader,
                         sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
                part.center.text = xlsx_header_text(self.marking.text)
                part.center.font = "Arial,Bold"
        # openpyxl's own save leaves its ZipFile open when a write fails, and the ZipFile's
        # destructor then tries to finish the archive and prints a traceback: the archive is
        # ours here, so a failed save closes it without writing anything more.
        archive = ZipFile(self.path, "w", ZIP_DEFLATED, allowZip64=True)
        try:
            ExcelWriter(self.book, archive).save()
        except BaseException:
            archive._didModify = False  # nothing more to write: just close the file
            with contextlib.suppress(Exception):
                archive.close()
            archive.fp = None
            raise

    def abort(self) -> None:
        """Remove the sheets' temporary files now (they hold case data), not at exit."""
        for sheet in self.sheets.values():
            with contextlib.suppress(Exception):
                sheet.close()  # ends the sheet's row stream, closing its temporary file
            with contextlib.suppress(Exception):
                sheet._writer.cleanup()
