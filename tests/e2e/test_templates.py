import re

from playwright.sync_api import expect

from applications.demo_templates import load_templates
from applications.models import ProposalTemplate
from samverkan.demo import AGREEMENT_NAME, person
from samverkan.models import Agreement
from tests.e2e.steps import nav

LEADER = "anna.lindqvist@mdu.example"


def test_processledare_makes_a_new_version_of_the_application_template(demo, browser_as):
    agreement = Agreement.objects.get(name=AGREEMENT_NAME)
    load_templates(agreement, person(LEADER))  # idempotent: the demo may already have them
    page = browser_as.login(LEADER)

    nav(page).get_by_role("link", name="Mallar").click()
    expect(page.get_by_role("heading", name="Mallar", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Ansökan – förstudie och projekt"))).to_contain_text(
        "Ansökan"
    )
    browser_as.shot("template-list")

    page.get_by_role("link", name="Ansökan – förstudie och projekt").click()
    expect(page.get_by_role("heading", name="Ansökan – förstudie och projekt", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Forskningshöjd")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("Version 1")
    browser_as.shot("template-detail-v1")

    page.get_by_role("link", name="Gör en ny version").click()
    expect(page.get_by_role("heading", name=re.compile("Ny version av"))).to_be_visible()
    expect(page.get_by_label("Mallens rubrik")).to_have_value("Ansökan – förstudie och projekt")
    new_section = page.get_by_role("group", name=re.compile(r"Avsnitt 8 \(nytt\)"))
    new_section.get_by_label("Rubrik").fill("Etik och datahantering")
    new_section.get_by_label("Vägledning").fill("Behövs etikprövning? Hur hanteras personuppgifter?")
    new_section.get_by_label("Max antal tecken").fill("1500")
    browser_as.shot("new-version-form")
    # A full-page screenshot of a tall page leaves Chromium's viewport offset behind; scroll so that the
    # next click lands where the button is.
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Spara som ny version").click()

    expect(page.get_by_role("status")).to_contain_text("Version 2 av mallen är sparad.")
    expect(page.locator(".status-line")).to_contain_text("Version 2")
    expect(page.get_by_role("heading", name="Etik och datahantering")).to_be_visible()
    browser_as.shot("template-detail-v2")

    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("note")).to_contain_text(
        "Äldre version – används av ärenden som skapades när den gällde"
    )
    expect(page.get_by_role("heading", name="Etik och datahantering")).to_have_count(0)
    browser_as.shot("template-detail-v1-old")

    versions = ProposalTemplate.objects.filter(agreement=agreement, stage="ansokan", work_form="")
    assert sorted(versions.values_list("version", "is_current")) == [(1, False), (2, True)]
