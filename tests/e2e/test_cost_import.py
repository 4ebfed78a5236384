"""The processledare imports the finance system's costs in a browser (issue 14, item 4): a first file is
saved at once; a file with an empty amount is refused with the row and column named and changes nothing; a
re-import shows what it will replace (old → new) and saves only when she confirms; cancelling changes
nothing."""

import re

from playwright.sync_api import expect

from applications.models import Proposal
from budget.models import Spending
from samverkan.templatetags.money import format_kr

LEADER = "anna.lindqvist@mdu.example"
ENERGY = "Energieffektiva bostäder och minskad segregation"


def upload(browser_as, name: str, reference: str, amount: str):
    page = browser_as.page
    page.get_by_label("Fil från ekonomisystemet (CSV eller XLSX)").set_input_files(
        {
            "name": name,
            "mimeType": "text/csv",
            "buffer": f"projekt;år;kostnadsslag;belopp\n{reference};2027;Resor;{amount}\n".encode(),
        }
    )
    page.get_by_role("button", name="Importera").click()
    return page


def travel_2027(browser_as, project):
    """The project's economy page: travel costs 2027 (those reported in follow-up plus those imported)."""
    page = browser_as.goto(f"/ekonomi/projekt/{project.pk}/")
    year = page.locator("table", has=page.locator("caption", has_text="2027"))
    return year.get_by_role("row", name="Resor")


def reported_travel_2027(project) -> int:
    rows = Spending.objects.filter(proposal=project, year=2027, category="travel", source="report")
    return sum(rows.values_list("amount", flat=True))


def test_processledare_reimports_costs_after_seeing_what_is_replaced(demo, browser_as):
    project = Proposal.objects.get(title__startswith=ENERGY)
    reported = reported_travel_2027(project)  # the demo's follow-up report declares some travel already
    page = browser_as.login(LEADER)
    page.get_by_role("link", name="Ekonomi", exact=True).first.click()
    page.get_by_role("link", name="Importera utfall").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera utfall från ekonomisystemet")

    # The first file replaces nothing: saved at once.
    upload(browser_as, "utfall-mars.csv", project.reference, "12 345")
    expect(page.get_by_role("status")).to_contain_text("Importen är klar")
    expect(travel_2027(browser_as, project)).to_contain_text(format_kr(reported + 12_345))
    browser_as.shot("first-import")

    # An empty amount is not zero: refused, named, nothing changed.
    page = browser_as.goto(f"/ekonomi/{project.agreement_id}/import/")
    upload(browser_as, "utfall-april.csv", project.reference, "")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Inget har sparats")
    expect(alert).to_contain_text("Rad 2, kolumn ”belopp”: beloppet saknas")
    browser_as.shot("empty-amount-refused")
    expect(travel_2027(browser_as, project)).to_contain_text(format_kr(reported + 12_345))

    # A changed amount: the preview shows what goes, and cancelling keeps it.
    page = browser_as.goto(f"/ekonomi/{project.agreement_id}/import/")
    upload(browser_as, "utfall-april.csv", project.reference, "20 000")
    expect(page.get_by_role("heading", level=1)).to_have_text("Granska importen innan den sparas")
    row = page.get_by_role("row", name=re.compile(project.reference))
    expect(row).to_contain_text("Resor")
    expect(row).to_contain_text("12\xa0345\xa0kr")
    expect(row).to_contain_text("20\xa0000\xa0kr")
    expect(row).to_contain_text("Ersätts")
    browser_as.shot("preview")
    page.get_by_role("button", name="Avbryt").click()
    expect(page.get_by_role("status")).to_contain_text("Inget har ändrats")
    assert list(Spending.objects.filter(source="import").values_list("amount", flat=True)) == [12_345]

    # Again, and this time confirmed: the new figure is there.
    upload(browser_as, "utfall-april.csv", project.reference, "20 000")
    page.get_by_role("button", name="Bekräfta och ersätt").click()
    expect(page.get_by_role("status")).to_contain_text("Importen är klar")
    travel = travel_2027(browser_as, project)
    expect(travel).to_contain_text(format_kr(reported + 20_000))
    expect(page.locator("#spending-heading ~ p.meta")).to_contain_text("utfall-april.csv")
    browser_as.shot("after-confirmation")
