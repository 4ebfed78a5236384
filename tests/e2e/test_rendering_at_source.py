"""Pages rendered at the source (issue 15): the pipeline column's "Visa fler" and the proposal page's economy
panel, loaded with htmx after the page – and both still complete without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from applications.views.lists import BOARD_COLUMN_LIMIT
from samverkan.demo import DEMO_PASSWORD
from samverkan.models import Agreement, User
from tests.factories.applications import ProposalFactory

LEADER = "anna.lindqvist@mdu.example"
ENERGY = "Energieffektiva bostäder och minskad segregation"


@pytest.fixture
def many_submitted(demo):
    """Enough submitted proposals for two batches of cards and a few more."""
    agreement = Agreement.objects.get()
    maria = User.objects.get(email="maria.nilsson@mdu.example")
    lena = User.objects.get(email="lena.karlsson@eskilstuna.example")
    for n in range(2 * BOARD_COLUMN_LIMIT + 2):
        ProposalFactory(
            agreement=agreement,
            title=f"Inskickad studie {n:02d}",
            responsible_researcher=maria,
            responsible_officer=lena,
            state=ProposalState.SUBMITTED,
        )
    return Proposal.objects.filter(state=ProposalState.SUBMITTED).count()


def _no_js_page(browser, live_server, email):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    return context, page


def test_visa_fler_appends_the_next_cards_of_the_column(many_submitted, browser_as):
    page = browser_as.login(LEADER)
    browser_as.goto("/pipeline/")
    column = page.locator("#column-submitted")
    cards = column.locator(".card")
    expect(cards).to_have_count(BOARD_COLUMN_LIMIT)
    browser_as.shot("board")

    column.get_by_role("link", name=re.compile("^Visa fler")).click()
    expect(cards).to_have_count(2 * BOARD_COLUMN_LIMIT)
    expect(page).to_have_url(re.compile(r"/pipeline/$"))  # the board stays; nothing pushed
    browser_as.shot("more")

    column.get_by_role("link", name=re.compile("^Visa fler")).click()
    expect(cards).to_have_count(many_submitted)
    expect(column.get_by_role("link", name=re.compile("^Visa fler"))).to_have_count(0)
    expect(column.get_by_role("link", name=f"Visa alla {many_submitted} i Inskickad")).to_be_visible()
    browser_as.shot("all")


def test_visa_fler_without_javascript_opens_the_states_pages(many_submitted, browser, live_server):
    context, page = _no_js_page(browser, live_server, LEADER)
    page.goto(live_server.url + "/pipeline/")
    page.locator("#column-submitted").get_by_role("link", name=re.compile("^Visa fler")).click()
    expect(page).to_have_url(re.compile(r"state=submitted"))
    expect(page.get_by_role("status")).to_have_text(f"{many_submitted} ärenden matchar filtret.")
    expect(page.locator("#column-submitted .card")).to_have_count(25)
    page.get_by_role("link", name="Nästa").click()
    expect(page.locator("#column-submitted .card")).to_have_count(many_submitted - 25)
    context.close()


def test_economy_panel_is_loaded_after_the_page(demo, browser_as):
    proposal = Proposal.objects.get(title=ENERGY)
    page = browser_as.login(LEADER)
    browser_as.goto(proposal.get_absolute_url())
    economy = page.get_by_role("region", name="Ekonomi", exact=True)
    expect(economy.get_by_role("link", name="Projektets ekonomi")).to_be_visible()
    expect(economy.get_by_text("Utbetalt")).to_be_visible()
    expect(economy.get_by_role("link", name="Visa ekonomi")).to_have_count(0)
    browser_as.shot("economy-panel")


def test_economy_panel_without_javascript_is_one_link_away(demo, browser, live_server):
    proposal = Proposal.objects.get(title=ENERGY)
    context, page = _no_js_page(browser, live_server, LEADER)
    page.goto(live_server.url + proposal.get_absolute_url())
    economy = page.get_by_role("region", name="Ekonomi", exact=True)
    expect(economy.get_by_role("link", name="Projektets ekonomi")).to_have_count(0)
    economy.get_by_role("link", name="Visa ekonomi").click()
    expect(page).to_have_url(re.compile(r"\?panel=ekonomi#panel-ekonomi$"))
    economy = page.get_by_role("region", name="Ekonomi", exact=True)
    expect(economy.get_by_role("link", name="Projektets ekonomi")).to_be_visible()
    expect(page.get_by_role("heading", name=ENERGY, level=1)).to_be_visible()
    context.close()


def test_add_item_form_without_javascript_is_a_page_of_its_own(many_submitted, browser, live_server):
    """The meeting page loads its "Lägg till punkt" form (every schedulable proposal) after the page; without
    JavaScript the processledare opens it on its own page and adds the item from there."""
    from governance.enums import MeetingKind, MeetingStatus
    from governance.models import Meeting

    meeting = Meeting.objects.filter(kind=MeetingKind.JOINT_REVIEW, status=MeetingStatus.PLANNED).first()
    assert meeting is not None, "the demo has a planned kommungemensam beredning"
    context, page = _no_js_page(browser, live_server, LEADER)
    page.goto(live_server.url + meeting.get_absolute_url())
    add = page.get_by_role("region", name="Lägg till punkt")
    expect(add.get_by_label("Ärende")).to_have_count(0)
    add.get_by_role("link", name="Lägg till en punkt på dagordningen").click()
    expect(page.get_by_role("heading", name="Lägg till punkt", level=1)).to_be_visible()
    page.get_by_label("Ärende").select_option(label="Inskickad studie 00 (Inskickad)")
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    agenda = page.get_by_role("table", name=re.compile("Dagordning"))
    expect(agenda.get_by_role("link", name="Inskickad studie 00")).to_be_visible()
    assert meeting.items.filter(proposal__title="Inskickad studie 00").exists()
    context.close()


def test_start_page_portfolio_comes_after_the_page_and_without_javascript(
    demo, browser_as, browser, live_server
):
    """The processledare's portfolio charts and economy (they read every proposal and decision) fill in
    after the start page; without JavaScript each is one link away."""
    page = browser_as.login(LEADER)
    portfolio = page.get_by_role("region", name="Portfölj och ekonomi")
    expect(portfolio.get_by_role("figure", name="Beviljat per budgetår")).to_be_visible()
    expect(page.get_by_role("region", name="Ekonomi", exact=True).get_by_text("beslutat")).to_be_visible()
    browser_as.shot("start-deferred")

    context, page = _no_js_page(browser, live_server, LEADER)
    portfolio = page.get_by_role("region", name="Portfölj och ekonomi")
    expect(portfolio.get_by_role("figure", name="Beviljat per budgetår")).to_have_count(0)
    portfolio.get_by_role("link", name="Visa portfölj och ekonomi").click()
    expect(page).to_have_url(re.compile(r"\?avsnitt=portfolj#avsnitt-portfolj$"))
    expect(
        page.get_by_role("region", name="Portfölj och ekonomi").get_by_role(
            "figure", name="Beviljat per budgetår"
        )
    ).to_be_visible()
    context.close()
