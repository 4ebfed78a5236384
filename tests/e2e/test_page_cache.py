"""The page cache as two people notice it: the processledare's pipeline is served again from the cache while
nothing changes, and shows the researcher's step at once when she reloads after it."""

from playwright.sync_api import expect

from applications.enums import ProposalState
from samverkan.models import Agreement, Organisation, User
from tests.e2e.conftest import Browser
from tests.factories.applications import ProposalFactory

TITLE = "Trygga skolgårdar efter skoltid"


def test_a_kept_page_shows_another_persons_change_on_the_next_reload(
    demo, browser_as, browser, browser_context_args, live_server, request
):
    proposal = ProposalFactory(
        agreement=Agreement.objects.get(),
        title=TITLE,
        responsible_researcher=User.objects.get(email="maria.nilsson@mdu.example"),
        responsible_officer=User.objects.get(email="lena.karlsson@eskilstuna.example"),
        state=ProposalState.DIALOG,
    )
    proposal.municipal_organisations.set([Organisation.objects.get(name="Eskilstuna kommun")])

    anna = browser_as.login("anna.lindqvist@mdu.example")
    browser_as.goto("/pipeline/")
    expect(anna.locator("#column-dialog").get_by_role("link", name=TITLE)).to_be_visible()
    assert anna.reload().headers.get("x-page-cache") == "hit"  # nothing changed: served again
    expect(anna.locator("#column-dialog").get_by_role("link", name=TITLE)).to_be_visible()
    browser_as.shot("pipeline-before")

    # Her own browser, closed before the test ends: a context left open keeps connections to the live server
    # that outlive it.
    context = browser.new_context(**browser_context_args)
    try:
        maria = Browser(context.new_page(), live_server.url, request.node.name + "-maria")
        maria.login("maria.nilsson@mdu.example")
        maria.goto(proposal.get_absolute_url())
        maria.page.get_by_role("button", name="Börja skriva ansökan").click()
        expect(maria.page.locator(".status-line")).to_contain_text("Ansökan under arbete")
        maria.shot("application-started")
    finally:
        context.close()

    assert anna.reload().headers.get("x-page-cache") is None
    expect(anna.locator("#column-application").get_by_role("link", name=TITLE)).to_be_visible()
    expect(anna.locator("#column-dialog").get_by_role("link", name=TITLE)).to_have_count(0)
    browser_as.shot("pipeline-after")
