"""The quarterly report as an XLSX workbook: an overview sheet and one sheet per section, numbers as numbers
(kronor with a kronor format) so the receiver can keep calculating."""

from __future__ import annotations

import re
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

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


def _write_table(sheet, data: dict) -> None:
    sheet.append([data["title"]])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([label for label, _kind in data["columns"]])
    for c in sheet[sheet.max_row]:
        c.font = BOLD
        c.alignment = Alignment(wrap_text=True, vertical="top")
    kinds = [kind for _label, kind in data["columns"]]
    rows = list(data["rows"])
    if not rows:
        sheet.append([_("Inga rader.")])
    for row in rows:
        sheet.append(row)
        for c, kind in zip(sheet[sheet.max_row], kinds, strict=False):
            _format(c, kind)
    if data.get("total"):
        sheet.append(data["total"])
        for c, kind in zip(sheet[sheet.max_row], kinds, strict=False):
            c.font = BOLD
            _format(c, kind)
    sheet.append([])


def report_workbook(report, sections: list[dict]) -> bytes:
    workbook = Workbook()
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
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
