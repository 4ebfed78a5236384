"""Every spreadsheet the project writes – CSV and XLSX – is written through here, so that text people typed
(a title, a name, a decision text) can never turn into a live formula in the receiver's Excel.

- CSV has no types: a cell Excel would read as a formula (it starts with = + - @, a tab or a carriage return)
  gets an apostrophe first, Excel's own "this is text" marker (`csv_cell`).
- XLSX has types: text is stored as a text cell, verbatim, with Excel's quote-prefix flag on cells that look
  like formulas – the format's own apostrophe – so that editing the cell later does not turn it into one
  either. openpyxl otherwise stores any string starting with "=" as a formula and "#N/A" as an error.
  Numbers and dates stay numbers and dates. Characters XML cannot carry (control characters) are dropped
  instead of failing the whole export.

`new_workbook()` is the only way a workbook is made in this project (tests/security/test_spreadsheets.py
checks the imports): its worksheets clean every value as it is written, and `save()` turns any remaining
formula or error cell into text before anything leaves the process. The project never writes formulas; if
one is ever needed, add an explicit way for it here.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# What makes Excel (and LibreOffice) evaluate a cell (OWASP, "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def csv_cell(value) -> str:
    """One CSV field: text that Excel would evaluate gets an apostrophe first; numbers are left alone."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if looks_like_formula(value) else value
    return str(value)


def _clean(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _as_text(cell: Cell) -> Cell:
    """A string cell stays a text cell whatever it starts with."""
    if isinstance(cell.value, str):
        if cell.data_type != "s":
            cell.data_type = "s"
        if looks_like_formula(cell.value) and not cell.quotePrefix:
            cell.quotePrefix = True
    return cell


class _TextWorksheet(Worksheet):
    """A normal worksheet whose written values are cleaned; `TextWorkbook.save` makes strings text."""

    def cell(self, row, column, value=None):
        return super().cell(row=row, column=column, value=_clean(value))

    def append(self, iterable):
        if isinstance(iterable, dict):
            super().append({key: _clean(value) for key, value in iterable.items()})
        else:
            super().append([_clean(value) for value in iterable])


class _TextWriteOnlyWorksheet(WriteOnlyWorksheet):
    """A streaming worksheet: rows are written to disk as they come, so each value is made safe on append."""

    def append(self, row):
        super().append([text_cell(self, value) if isinstance(value, str | Cell) else value for value in row])


def text_cell(sheet, value, *, font=None, number_format: str | None = None) -> Cell:
    """A styled cell for a write-only sheet (openpyxl's WriteOnlyCell), its text kept as text."""
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=_clean(value))
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return _as_text(cell)


class TextWorkbook(Workbook):
    def __init__(self, *, write_only: bool = False):
        super().__init__(write_only=write_only)
        if not write_only:
            self.remove(self.active)
            self.create_sheet()

    def create_sheet(self, title=None, index=None):
        if self.read_only:  # pragma: no cover – we never open a workbook read-only for writing
            raise TypeError("read-only workbook")
        sheet_class = _TextWriteOnlyWorksheet if self.write_only else _TextWorksheet
        sheet = sheet_class(parent=self, title=title)
        self._add_sheet(sheet, index)
        return sheet

    def save(self, filename) -> None:
        if not self.write_only:
            for sheet in self.worksheets:
                # openpyxl's own writer walks `_cells` the same way; iter_rows() would create empty cells.
                for cell in sheet._cells.values():
                    _as_text(cell)
        super().save(filename)


def new_workbook(*, write_only: bool = False) -> TextWorkbook:
    """The one way to make a workbook here (see the module docstring)."""
    return TextWorkbook(write_only=write_only)


def workbook_bytes(workbook: TextWorkbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
