"""Quarterly reports, publication and the public catalogue as a kommunikatör handles them (issue #8): Sara
Holm
orders the report for a past quarter, watches it go from queued to running to done without reloading the page,
downloads the PDF and the Excel workbook (read back, and the PDF looked at as pictures), publishes two
projects
and finds them – with only the names she chose – in the public catalogue, as a visitor who is not logged
in."""

from __future__ import annotations

import os
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Proposal
from reports.models import Publication, QuarterlyReport

COMMUNICATOR = "sara.holm@mdu.example"
QUARTER = "Kvartal 1 2026"


def _order_report(browser):
    page = browser.goto("/rapporter/")
    expect(page.get_by_role("heading", name="Rapporter", exact=True)).to_be_visible()
    browser.shot("rapporter")
    page.get_by_role("combobox", name="Kvartal").select_option(label=QUARTER)
    page.get_by_role("button", name="Ta fram rapporten").click()
    expect(page.get_by_role("heading", name=f"Kvartalsrapport {QUARTER}")).to_be_visible()
    return page


def _download(page, name: str, browser) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return Path(info.value.path()).read_bytes()


def _check_files(page, browser):
    pdf = _download(page, "Ladda ner PDF", browser)
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert (
        QUARTER in text
        and "Innehåll" in text
        and "Pipeline per status" in text
        and "Möten och beslut" in text
    )
    # Look at the PDF as pictures.
    target = browser.shots / "pdf"
    target.mkdir(exist_ok=True)
    for old in target.glob("sida-*.png"):
        old.unlink()
    (target / "rapport.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(target / "rapport.pdf"), str(target / "sida")], check=True
    )
    assert len(list(target.glob("sida-*.png"))) == len(reader.pages)

    workbook = load_workbook(BytesIO(_download(page, "Ladda ner Excel", browser)))
    assert workbook.sheetnames[0] == "Översikt"
    assert "Pipeline per status" in workbook.sheetnames
    assert workbook["Översikt"]["A1"].value == f"Kvartalsrapport – {QUARTER}"


@pytest.mark.needs_redis
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a worker thread beside the live server needs PostgreSQL (SQLite's test database locks)",
)
def test_communicator_watches_the_report_progress_without_reload(demo, celery_worker, browser_as):
    browser_as.login(COMMUNICATOR)
    page = _order_report(browser_as)
    # The job runs in the worker: the page shows the run and updates itself.
    page.evaluate("window.__notReloaded = true")
    expect(
        page.get_by_role("status")
        .filter(has_text="Pågår")
        .or_(page.get_by_role("status").filter(has_text="I kö"))
    ).to_be_visible()
    browser_as.shot("pagar")
    expect(page.get_by_role("link", name="Ladda ner PDF")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.__notReloaded === true")
    browser_as.shot("klar")
    assert QuarterlyReport.objects.get(year=2026, quarter=1).status == "done"
    _check_files(page, browser_as)


def test_communicator_runs_the_report_and_publishes_two_projects(demo, browser_as):
    browser_as.login(COMMUNICATOR)
    page = _order_report(browser_as)
    # Without a broker the job ran when the order was saved: the page shows the finished report.
    expect(page.get_by_role("link", name="Ladda ner PDF")).to_be_visible()
    expect(page.get_by_role("heading", name="1. Pipeline per status")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    browser_as.shot("rapport")
    _check_files(page, browser_as)

    # Two clicks on the same quarter start one run.
    page = browser_as.goto("/rapporter/")
    page.get_by_role("combobox", name="Kvartal").select_option(label=QUARTER)
    page.get_by_role("button", name="Ta fram rapporten").click()
    expect(
        page.get_by_text("Rapporten för Kvartal 1 2026 finns redan – ingen ny körning startades.")
    ).to_be_visible()
    assert QuarterlyReport.objects.filter(year=2026, quarter=1).count() == 1

    # Publish two projects that are not yet in the catalogue.
    page = browser_as.goto("/rapporter/")
    page.get_by_role("link", name="Publicering").click()
    titles = list(
        Proposal.objects.filter(state__in=["granted", "active", "closed"], publication__isnull=True)
        .exclude(popular_summary="")
        .order_by("title")
        .values_list("title", flat=True)[:2]
    )
    assert len(titles) == 2
    for title in titles:
        section = page.locator("section.publication-row", has=page.get_by_role("heading", name=title))
        if title == titles[1]:
            section.get_by_label("Ansvarig tjänsteperson").check()
        section.get_by_role("button", name=f"Publicera – {title}").click()
        expect(page.get_by_text(f"”{title}” är publicerat i den öppna katalogen.")).to_be_visible()
    browser_as.shot("publicerat")
    assert Publication.objects.filter(proposal__title__in=titles, published=True).count() == 2

    # A visitor (not logged in) finds them in the public catalogue.
    browser_as.logout()
    page = browser_as.goto("/katalog/")
    for title in titles:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    first = Proposal.objects.get(title=titles[0])
    second = Proposal.objects.get(title=titles[1])
    card = page.locator("article", has=page.get_by_role("heading", name=titles[0]))
    expect(card).to_contain_text(first.responsible_researcher.get_full_name())
    if first.responsible_officer and first.responsible_officer != first.responsible_researcher:
        expect(card).not_to_contain_text(first.responsible_officer.get_full_name())
    expect(page.locator("article", has=page.get_by_role("heading", name=titles[1]))).to_contain_text(
        second.responsible_officer.get_full_name()
    )
    browser_as.shot("katalog")
    page.get_by_role("searchbox", name="Sök").fill(titles[0].split()[0])
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", name=titles[0])).to_be_visible()
    browser_as.shot("katalog-sok")
    # Internal pages stay closed to the visitor.
    page = browser_as.goto("/rapporter/")
    expect(page).to_have_url(browser_as.base_url + "/konto/logga-in/?next=/rapporter/")
