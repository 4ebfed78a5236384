"""The economy overview as an XLSX workbook: lines, municipalities, work forms, projects and years. Amounts
are numbers (whole kronor) with a kronor format, so the receiver can keep calculating."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from samverkan.spreadsheets import new_workbook, workbook_bytes

from ..selectors.economy import EconomyOverview, Figures
from .application import BOLD, KRONOR, _heading_row, _widths


def _figures(sheet, label_cells: list, figures: Figures, *, frame: bool = True, bold: bool = False) -> None:
    values = [figures.frame] if frame else []
    values += [figures.committed, figures.conditional, figures.disbursed, figures.spent]
    if frame:
        values.append(figures.remaining)
    sheet.append([*label_cells, *values])
    for cell in sheet[sheet.max_row][len(label_cells) :]:
        cell.number_format = KRONOR
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD


def _heads(frame: bool = True) -> list[str]:
    heads = [_("Ram")] if frame else []
    heads += [_("Beslutat"), _("varav villkorat"), _("Utbetalt"), _("Förbrukat")]
    if frame:
        heads.append(_("Kvar att besluta"))
    return heads


def overview_workbook(overview: EconomyOverview) -> bytes:
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _("Budgetposter")
    sheet.append(
        [
            _("Ekonomi %(year)s – %(agreement)s")
            % {"year": overview.year, "agreement": overview.agreement.name}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Per"), overview.as_of.isoformat()])
    sheet.append([])
    _heading_row(sheet, [_("Samverkansområde"), _("Budgetpost"), *_heads()])
    for area in overview.areas:
        for row in area.lines:
            _figures(sheet, [area.name, row.line.name], row.figures)
        _figures(sheet, [area.name, _("Summa")], area.figures, bold=True)
    _figures(sheet, [_("Totalt"), ""], overview.total, bold=True)
    _widths(sheet, first=32)
    sheet.column_dimensions["B"].width = 44

    for title, rows in ((_("Kommuner"), overview.municipalities), (_("Arbetsformer"), overview.work_forms)):
        part = workbook.create_sheet(title)
        _heading_row(part, [title, *_heads(frame=False)])
        for row in rows:
            _figures(part, [row.label], row.figures, frame=False)
        _widths(part, first=36)

    projects = workbook.create_sheet(_("Projekt"))
    _heading_row(
        projects,
        [_("Ärende"), _("Titel"), _("Kommuner"), _("Budgetpost"), *_heads(frame=False), _("Varningar")],
    )
    for row in overview.projects:
        _figures(
            projects,
            [row.proposal.reference, row.proposal.title, ", ".join(row.municipalities), ", ".join(row.lines)],
            row.figures,
            frame=False,
        )
        projects.cell(row=projects.max_row, column=10, value=" ".join(row.warnings))
    _figures(projects, [_("Summa"), "", "", ""], overview.projects_total, frame=False, bold=True)
    _widths(projects, first=18)
    projects.column_dimensions["B"].width = 48

    years = workbook.create_sheet(_("År"))
    _heading_row(years, [_("År"), *_heads()])
    for row in overview.years:
        _figures(years, [row.year], row.figures)
    _widths(years, first=10)
    return workbook_bytes(workbook)
