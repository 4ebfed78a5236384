"""The stored PDF and workbook read back: sections, figures, one sheet per section."""

from __future__ import annotations

from io import BytesIO

import factory
import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.periods import Quarter
from reports.services import report_request
from reports.templatetags.reports_extras import SHOWN_ROWS
from reports.workbook import sheet_name
from tests.factories.applications import ProposalFactory
from tests.factories.reports import at


@pytest.fixture
def report(world, agreement, leader, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 8, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        report, _started = report_request(agreement=agreement, quarter=Quarter(2026, 2), by=leader)
    report.refresh_from_db()
    return report


def test_pdf_has_cover_contents_sections_and_figures(report, agreement):
    reader = PdfReader(BytesIO(report.pdf.read()))
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join("\n".join(pages).split())
    assert "KVARTALSRAPPORT" in pages[0].upper() and "Kvartal 2 2026" in pages[0]
    assert agreement.name in pages[0]
    assert "Innehåll" in pages[1]
    for title in ("Pipeline per status", "Nya idéer, pitchar och ansökningar", "Möten och beslut"):
        assert title in pages[1]  # contents
        assert any(page.lstrip().find(title) >= 0 for page in pages[2:])
    assert "1 200 000 kr" in text.replace("\xa0", " ")
    assert "Språkutveckling i förskolan" in text
    assert "Styrgrupp april 2026" in text
    assert f"Sida 1 av {len(reader.pages)}" in pages[0]


def test_pdf_charts_are_drawn_as_vectors(report):
    reader = PdfReader(BytesIO(report.pdf.read()))
    # The bar chart's value labels are text in the PDF (SVG drawn by WeasyPrint, not an image).
    meetings = next(
        p.extract_text() for p in reader.pages if "Beviljat belopp per budgetår" in p.extract_text()
    )
    assert "500 000 kr" in meetings.replace("\xa0", " ")
    assert "700 000 kr" in meetings.replace("\xa0", " ")


def test_workbook_has_an_overview_and_one_sheet_per_section(report):
    workbook = load_workbook(BytesIO(report.xlsx.read()))
    sections = report.data["sections"]
    used: set[str] = {"Översikt"}
    assert workbook.sheetnames == ["Översikt", *[sheet_name(s["title"], used) for s in sections]]
    assert "Ekonomi- beviljat mot ram, utbe" in workbook.sheetnames  # ":" is not allowed in sheet names
    overview = workbook["Översikt"]
    assert overview["A1"].value == "Kvartalsrapport – Kvartal 2 2026"
    sheet = workbook["Möten och beslut"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Beviljat belopp", 1_200_000] in [row[:2] for row in values]
    decision = next(
        row for row in values if row[:2] == ["2026-04-20", "Styrgrupp april 2026"] and row[2] == 1
    )
    assert decision[3:6] == ["Bevilja", "Språkutveckling i förskolan", 1_200_000]
    pipeline = [[c.value for c in row] for row in workbook["Pipeline per status"].iter_rows()]
    assert ["Beviljad", 1, 1] in [row[:3] for row in pipeline]


def test_a_long_table_is_shortened_in_the_page_and_pdf_but_whole_in_the_workbook(
    world, agreement, leader, client, django_capture_on_commit_callbacks
):
    first = ProposalFactory(agreement=agreement, title="Idé 000")
    with time_machine.travel(at(2026, 5, 5), tick=False):
        ProposalFactory.create_batch(
            SHOWN_ROWS + 4,
            agreement=agreement,
            title=factory.Sequence(lambda n: f"Idé {n + 1:03d}"),
            responsible_researcher=first.responsible_researcher,
            responsible_officer=first.responsible_officer,
        )
    with time_machine.travel(at(2026, 8, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        report, _started = report_request(agreement=agreement, quarter=Quarter(2026, 2), by=leader)
    report.refresh_from_db()
    ideas = next(
        t for s in report.data["sections"] for t in s["tables"] if t["title"] == "Nya idéer under kvartalet"
    )
    total = len(ideas["rows"])
    assert total > SHOWN_ROWS
    note = f"Visar de första 100 av {total} raderna – alla finns i Excel-filen."

    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(report.pdf.read())).pages).split())
    assert note in pdf
    assert ideas["rows"][SHOWN_ROWS - 1][1] in pdf and ideas["rows"][SHOWN_ROWS][1] not in pdf

    client.force_login(leader)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert note in page
    assert ideas["rows"][SHOWN_ROWS - 1][1] in page and ideas["rows"][SHOWN_ROWS][1] not in page

    workbook = load_workbook(BytesIO(report.xlsx.read()))
    sheet = next(ws for ws in workbook.worksheets if ws["A1"].value == "Nya idéer, pitchar och ansökningar")
    titles = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {row[1] for row in ideas["rows"]} <= titles
