"""The pipeline board as a processledare uses it, and "Mina ärenden" as a researcher sees it."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from applications.enums import ProposalState, WorkForm
from applications.models import Proposal
from samverkan.demo import DEMO_PASSWORD
from samverkan.models import Agreement, Organisation, User
from tests.e2e.steps import nav
from tests.factories.applications import ProposalFactory

S = ProposalState


@pytest.fixture
def proposals(demo):
    """Three proposals of the demo agreement next to the demo world's own."""
    agreement = Agreement.objects.get()
    maria = User.objects.get(email="maria.nilsson@mdu.example")
    ahmed = User.objects.get(email="ahmed.hassan@mdu.example")
    lena = User.objects.get(email="lena.karlsson@eskilstuna.example")
    sofia = User.objects.get(email="sofia.andersson@vasteras.example")
    made = {
        "school": ProposalFactory(
            agreement=agreement,
            title="Elevhälsa och skolnärvaro i Eskilstuna",
            responsible_researcher=maria,
            responsible_officer=lena,
            work_form=WorkForm.PROJECT,
        ),
        "energy": ProposalFactory(
            agreement=agreement,
            title="Energifattigdom i hyresrätter",
            responsible_researcher=ahmed,
            responsible_officer=lena,
            work_form=WorkForm.PRE_STUDY,
            state=S.SUBMITTED,
        ),
        "library": ProposalFactory(
            agreement=agreement,
            title="Biblioteket som mötesplats för äldre",
            responsible_researcher=ahmed,
            responsible_officer=sofia,
            work_form=WorkForm.PRE_STUDY,
            state=S.CLOSED,
        ),
    }
    made["school"].municipal_organisations.set([Organisation.objects.get(name="Eskilstuna kommun")])
    return made


def test_processledare_filters_the_pipeline_and_downloads_csv(proposals, browser_as):
    page = browser_as.login("anna.lindqvist@mdu.example")
    checks = page.get_by_role("region", name="Inskickade ansökningar att kontrollera")
    expect(checks.get_by_role("link", name="Energifattigdom i hyresrätter")).to_be_visible()
    browser_as.shot("start")
    nav(page).get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Pipeline", level=1)).to_be_visible()
    total = Proposal.objects.count()
    expect(page.get_by_role("status")).to_have_text(f"{total} ärenden totalt.")
    for state in [S.DIALOG, S.SUBMITTED, S.IN_REVIEW, S.ACTIVE]:
        count = Proposal.objects.filter(state=state).count()
        heading = page.locator(f"#column-{state.value}-heading")
        expect(heading).to_contain_text(str(state.label))
        expect(heading.locator(".count")).to_have_text(str(count))
    submitted = page.locator("#column-submitted")
    expect(submitted.get_by_role("link", name="Energifattigdom i hyresrätter")).to_be_visible()
    expect(page.get_by_role("heading", name="Avslutade och avslagna")).to_be_visible()
    expect(page.locator("#column-closed-heading .count")).to_have_text(
        str(Proposal.objects.filter(state=S.CLOSED).count())
    )
    browser_as.shot("pipeline")

    # Work form: htmx swaps the board and pushes the filters into the address.
    page.get_by_label("Arbetsform", exact=True).select_option(label="Förstudie")
    forstudier = Proposal.objects.filter(work_form=WorkForm.PRE_STUDY).count()
    expect(page.get_by_role("status")).to_have_text(f"{forstudier} ärenden matchar filtret.")
    expect(page).to_have_url(re.compile(r"[?&]work_form=forstudie"))
    expect(page.get_by_role("link", name="Elevhälsa och skolnärvaro i Eskilstuna")).to_have_count(0)
    expect(page.get_by_role("link", name="Energifattigdom i hyresrätter")).to_be_visible()
    browser_as.shot("pipeline-forstudie")

    # Search text, together with the work form.
    page.get_by_label("Sök", exact=True).fill("energifattigdom")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status")).to_have_text("1 ärende matchar filtret.")
    expect(page.get_by_role("link", name="Energifattigdom i hyresrätter")).to_be_visible()
    expect(page.get_by_role("link", name="Biblioteket som mötesplats för äldre")).to_have_count(0)
    browser_as.shot("pipeline-search")

    # A bad year: a Swedish message next to the filter; the other filters still apply.
    page.get_by_label("År", exact=True).fill("tjugo")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("#filter-error-year")).to_have_text(
        "”tjugo” är inget år. Skriv året med fyra siffror, t.ex. 2026. Filtret används inte."
    )
    expect(page.get_by_role("alert")).to_contain_text("Några filter kunde inte användas")
    expect(page.get_by_role("status")).to_have_text("1 ärende matchar filtret.")
    browser_as.shot("pipeline-bad-year")
    page.get_by_label("År", exact=True).fill("")

    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner som CSV (Excel)").click()
    download = info.value
    assert download.suggested_filename.startswith("pipeline-") and download.suggested_filename.endswith(
        ".csv"
    )
    with open(download.path(), "rb") as handle:
        body = handle.read()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [row["Titel"] for row in rows] == ["Energifattigdom i hyresrätter"]
    assert rows[0]["Arbetsform"] == "Förstudie" and rows[0]["Status"] == "Inskickad"
    assert rows[0]["Ansvarig forskare"] == "Ahmed Hassan"
    assert rows[0]["Ansvarig tjänsteperson"] == "Lena Karlsson"


def test_filters_work_without_javascript(proposals, browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill("sara.holm@mdu.example")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(live_server.url + "/pipeline/")
    page.get_by_label("Sök", exact=True).fill("Biblioteket")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status")).to_have_text("1 ärende matchar filtret.")
    assert "q=Biblioteket" in page.url
    context.close()


def test_researcher_sees_their_proposal_and_next_step(proposals, browser_as):
    page = browser_as.login("maria.nilsson@mdu.example")
    mine = page.get_by_role("region", name="Mina ärenden")
    expect(
        mine.get_by_role("listitem").filter(has_text="Elevhälsa och skolnärvaro i Eskilstuna")
    ).to_contain_text("Gå vidare till pitch eller börja skriva ansökan")
    browser_as.shot("start")
    expect(nav(page).get_by_role("link", name="Pipeline")).to_have_count(0)
    nav(page).get_by_role("link", name="Mina ärenden").click()
    expect(page.get_by_role("heading", name="Mina ärenden", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Elevhälsa och skolnärvaro i Eskilstuna")
    expect(row.get_by_role("cell", name="Ansvarig forskare")).to_be_visible()
    expect(row).to_contain_text("Gå vidare till pitch eller börja skriva ansökan")
    expect(row).to_contain_text("Dialog")
    expect(page.get_by_role("link", name="Energifattigdom i hyresrätter")).to_have_count(0)
    browser_as.shot("mina-arenden")
    browser_as.goto("/pipeline/")
    expect(page.get_by_role("heading", name="Du har inte behörighet till den här sidan")).to_be_visible()
