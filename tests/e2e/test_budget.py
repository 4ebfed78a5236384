"""The researcher fills in the application budget in the browser: totals are computed, bad cells are
refused in Swedish and nothing is saved."""

from io import BytesIO

import pytest
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from budget.models import ApplicationBudgetRow
from tests.factories.applications import ProposalFactory
from tests.factories.samverkan import PASSWORD, UserFactory


@pytest.fixture
def proposal(transactional_db):
    return ProposalFactory(state=ProposalState.APPLICATION, title="Rörelse i skolan")


def test_researcher_fills_in_the_budget_and_sees_the_totals(proposal, browser_as):
    university = proposal.agreement.university
    browser_as.login(proposal.responsible_researcher.email, PASSWORD)
    page = browser_as.goto(f"/arenden/{proposal.pk}/budget/")
    expect(page.get_by_role("heading", name="Budget", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Budget 2026 (kronor)")).to_be_visible()
    browser_as.shot("empty-budget")

    page.get_by_label("2026, Löner inkl. lönebikostnader, Samverkansavtalet").fill("600 000")
    page.get_by_label("2026, Indirekta kostnader, Samverkansavtalet").fill("210000")
    page.get_by_label(f"2026, Löner inkl. lönebikostnader, Egen insats ({university.name})").fill(
        "150 000 kr"
    )
    page.get_by_label("2027, Resor, Samverkansavtalet").fill("12 000")
    page.get_by_role("button", name="Spara budgeten").click()

    expect(page.get_by_role("status")).to_contain_text("Budgeten är sparad.")
    year_2026 = page.get_by_role("table", name="Budget 2026 (kronor)")
    expect(year_2026.get_by_role("row", name="Summa 2026")).to_contain_text("960\xa0000")
    expect(page.get_by_text("Budget totalt")).to_contain_text("972\xa0000\xa0kr")
    browser_as.shot("saved-budget")
    assert ApplicationBudgetRow.objects.filter(proposal=proposal).count() == 4


def test_bad_amount_is_explained_in_swedish_and_nothing_is_saved(proposal, browser_as):
    browser_as.login(proposal.responsible_researcher.email, PASSWORD)
    page = browser_as.goto(f"/arenden/{proposal.pk}/budget/")
    page.get_by_label("2026, Löner inkl. lönebikostnader, Samverkansavtalet").fill("600 000")
    travel = page.get_by_label("2026, Resor, Samverkansavtalet")
    travel.fill("12,5")
    page.get_by_role("button", name="Spara budgeten").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Något behöver rättas")
    expect(alert).to_contain_text("2026, Resor, Samverkansavtalet: ange ett helt antal kronor (0 eller mer).")
    travel = page.get_by_label("2026, Resor, Samverkansavtalet")
    expect(travel).to_have_value("12,5")
    expect(travel).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("2026, Löner inkl. lönebikostnader, Samverkansavtalet")).to_have_value("600 000")
    browser_as.shot("validation-error")
    alert.get_by_role("link").click()
    expect(travel).to_be_focused()
    assert not ApplicationBudgetRow.objects.filter(proposal=proposal).exists()


def test_unrelated_person_is_refused(proposal, browser_as):
    stranger = UserFactory()
    browser_as.login(stranger.email, PASSWORD)
    page = browser_as.goto(f"/arenden/{proposal.pk}/budget/")
    expect(page.get_by_role("heading", name="Du har inte behörighet till den här sidan")).to_be_visible()


def test_processledare_reads_a_demo_budget_and_downloads_it(demo, browser_as):
    from openpyxl import load_workbook

    proposal = Proposal.objects.get(title="Fysisk aktivitet under skoldagen och elevers hälsa")
    page = browser_as.login("anna.lindqvist@mdu.example")
    browser_as.goto(f"/arenden/{proposal.pk}/budget/")
    expect(page.get_by_role("table", name="Budget 2027 (kronor)")).to_be_visible()
    expect(page.get_by_role("button", name="Spara budgeten")).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Egen insats (Eskilstuna kommun)").first).to_be_visible()
    browser_as.shot("read-only-demo-budget")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som Excel (XLSX)").click()
    assert download.value.suggested_filename == f"budget-{proposal.reference}.xlsx"
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames == ["Sammanställning", "2027", "2028"]


def test_researcher_reaches_the_budget_from_the_proposal_page(demo, browser_as):
    proposal = Proposal.objects.get(title="Fysisk aktivitet under skoldagen och elevers hälsa")
    page = browser_as.login("maria.nilsson@mdu.example")
    browser_as.goto(proposal.get_absolute_url())
    panel = page.get_by_role("region", name="Budget")
    expect(panel).to_contain_text("Budget totalt")
    expect(panel).to_contain_text("2\xa0154\xa0000\xa0kr")
    browser_as.shot("proposal-page-budget-panel")
    panel.get_by_role("link", name="Fyll i budgeten").click()
    expect(page.get_by_role("button", name="Spara budgeten")).to_be_visible()
