"""The application budget as an XLSX workbook: a summary sheet and one sheet per year. Amounts are numbers
(whole kronor) with a kronor number format, so the receiver can keep calculating with them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from samverkan.spreadsheets import new_workbook, workbook_bytes

from ..selectors import BudgetTable

KRONOR = '#,##0 "kr"'
BOLD = Font(bold=True)


def _heading_row(sheet, values) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _amount_row(sheet, label: str, amounts, *, bold: bool = False) -> None:
    sheet.append([label, *amounts])
    for cell in sheet[sheet.max_row][1:]:
        cell.number_format = KRONOR
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD


def _widths(sheet, first: int = 34, others: int = 18) -> None:
    sheet.column_dimensions["A"].width = first
    for index in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = others


def _summary_sheet(sheet, table: BudgetTable) -> None:
    proposal = table.proposal
    sheet.append([_("Budget – %(title)s") % {"title": proposal.title}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Ärende"), proposal.reference])
    sheet.append([_("Avtal"), proposal.agreement.name])
    if table.has_period:
        sheet.append([_("Planerad period"), f"{table.first_year}–{table.last_year}"])
    sheet.append([])
    years = [str(year) for year in table.year_numbers]
    _heading_row(sheet, [_("Kostnadsslag"), *years, _("Totalt")])
    for row in table.by_category:
        _amount_row(sheet, row.label, [*row.per_year, row.total])
    _amount_row(sheet, _("Summa"), [*table.year_totals, table.total], bold=True)
    sheet.append([])
    _heading_row(sheet, [_("Finansieringskälla"), *years, _("Totalt")])
    for row in table.by_source:
        _amount_row(sheet, row.label, [*row.per_year, row.total])
    _amount_row(sheet, _("Summa"), [*table.year_totals, table.total], bold=True)
    _widths(sheet, first=44)


def _year_sheet(sheet, table: BudgetTable, year) -> None:
    sheet.append([_("Budget %(year)s – %(title)s") % {"year": year.year, "title": table.proposal.title}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    _heading_row(sheet, [_("Kostnadsslag"), *(column.label for column in table.columns), _("Summa")])
    for row in year.rows:
        _amount_row(sheet, row.label, [*(cell.amount for cell in row.cells), row.total])
    _amount_row(sheet, _("Summa"), [*year.column_totals, year.total], bold=True)
    sheet.freeze_panes = "B4"
    _widths(sheet)


def budget_workbook(table: BudgetTable) -> bytes:
    workbook = new_workbook()
    summary = workbook.active
    summary.title = _("Sammanställning")
    _summary_sheet(summary, table)
    for year in table.years:
        _year_sheet(workbook.create_sheet(str(year.year)), table, year)
    return workbook_bytes(workbook)
