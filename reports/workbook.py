"""The quarterly report as an XLSX workbook: an overview sheet and one sheet per section, numbers as numbers
(kronor with a kronor format) so the receiver can keep calculating."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from samverkan.spreadsheets import new_workbook, workbook_bytes

KRONOR = '#,##0 "kr"'
INTEGER = "#,##0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", title)[:31].strip() or "Blad"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _format(cell, kind: str) -> None:
    if kind == "kr":
        cell.number_format = KRONOR
    elif kind == "int":
        cell.number_format = INTEGER


def _write_row(sheet, row: int, values, kinds=(), font=None) -> None:
    for column, value in enumerate(values, start=1):
        c = sheet.cell(row=row, column=column, value=value)
        if font is not None:
            c.font = font
        if column <= len(kinds):
            _format(c, kinds[column - 1])


def _write_table(sheet, data: dict) -> None:
    """Title, header, rows and total, after one empty row. Cells are addressed by a row counter: reading
    `max_row` per row costs a pass over the sheet, which made 18 000 rows take a minute."""
    kinds = [kind for _label, kind in data["columns"]]
    row = sheet.max_row + 2
    _write_row(sheet, row, [data["title"]], font=BOLD)
    row += 1
    _write_row(sheet, row, [label for label, _kind in data["columns"]], font=BOLD)
    for column in range(1, len(kinds) + 1):
        sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    rows = data["rows"]
    if not rows:
        row += 1
        _write_row(sheet, row, [_("Inga rader.")])
    for values in rows:
        row += 1
        _write_row(sheet, row, values, kinds)
    if data.get("total"):
        _write_row(sheet, row + 1, data["total"], kinds, font=BOLD)


def report_workbook(report, sections: list[dict]) -> bytes:
    workbook = new_workbook()
    used: set[str] = set()
    overview = workbook.active
    overview.title = sheet_name(_("Översikt"), used)
    overview.append([_("Kvartalsrapport – %(period)s") % {"period": report.period.label}])
    overview["A1"].font = TITLE
    overview.append([_("Avtal"), report.agreement.name])
    overview.append([_("Period"), f"{report.period.start.isoformat()} – {report.period.end.isoformat()}"])
    overview.append([_("Siffror per"), report.period.end.isoformat()])
    overview.append([_("Dokument-id"), report.document_id])
    overview.append([])
    overview.append([_("Avsnitt"), _("Flik")])
    overview.cell(overview.max_row, 1).font = BOLD
    overview.cell(overview.max_row, 2).font = BOLD
    names = [sheet_name(s["title"], used) for s in sections]
    for s, name in zip(sections, names, strict=True):
        overview.append([s["title"], name])
    overview.column_dimensions["A"].width = 40
    overview.column_dimensions["B"].width = 60

    for s, name in zip(sections, names, strict=True):
        sheet = workbook.create_sheet(name)
        sheet.append([s["title"]])
        sheet["A1"].font = TITLE
        if s.get("intro"):
            sheet.append([s["intro"]])
        sheet.append([])
        for label, value, kind in s["facts"]:
            sheet.append([label, value])
            _format(sheet.cell(sheet.max_row, 2), kind)
        if s["facts"]:
            sheet.append([])
        for data in s["tables"]:
            _write_table(sheet, data)
        sheet.column_dimensions["A"].width = 36
        for index in range(2, max(sheet.max_column, 2) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 22
    return workbook_bytes(workbook)
