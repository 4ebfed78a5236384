"""Issue #3's walk: a researcher and a tjänsteperson take an idea to a submitted application; the
processledare returns it with a comment; the researcher fixes and resubmits; the processledare sees it on
the board. Every step through the UI as the person who does it."""

from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal

TITLE = "Skolgårdar som mötesplatser efter skoltid"
RESEARCHER = "maria.nilsson@mdu.example"
OFFICER = "lena.karlsson@eskilstuna.example"
LEADER = "anna.lindqvist@mdu.example"


def open_proposal(browser_as, email):
    page = browser_as.login(email)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina ärenden").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    return page


def test_idea_to_submitted_application_returned_and_resubmitted(demo, browser_as):
    # The researcher registers the idea with a municipal co-applicant.
    page = browser_as.login(RESEARCHER)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina ärenden").click()
    page.get_by_role("link", name="Registrera en ny idé").click()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Arbetsform").select_option(label="Förstudie")
    page.get_by_label("Idén i korthet").fill(
        "Kan skolgårdar bli trygga mötesplatser för barn och unga efter skoltid?"
    )
    page.get_by_label("Ansvarig tjänsteperson (medsökande i kommunen)").select_option(
        label="Lena Karlsson (lena.karlsson@eskilstuna.example)"
    )
    page.get_by_label("Eskilstuna kommun", exact=True).check()
    browser_as.shot("new-idea")
    page.get_by_role("button", name="Registrera idén").click()
    expect(page.get_by_text("Idén är registrerad.")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("Dialog")

    # Straight to a full application (the pitch is optional).
    page.get_by_role("button", name="Börja skriva ansökan").click()
    expect(page.locator(".status-line")).to_contain_text("Ansökan under arbete")

    page.get_by_role("link", name="Redigera uppgifter och team").click()
    page.get_by_label("Forskningsfråga").fill("Hur påverkar öppna skolgårdar ungas trygghet och fritid?")
    page.get_by_label("Forskningshöjd").fill("Mixad metod: platsobservationer, enkäter och intervjuer.")
    page.get_by_label("Planerad start").fill("2027-01-01")
    page.get_by_label("Planerat slut").fill("2027-12-31")
    page.get_by_label("Aktivitetsmål").fill("Tre skolgårdar öppnas på kvällstid\nUnga deltar i utformningen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Uppgifterna är sparade.")).to_be_visible()

    page.get_by_role("link", name="Skriv ansökan").click()
    for area in page.locator("textarea").all():
        area.fill("Beskrivning enligt mallen: skolgårdar, trygghet och ungas fritid i Eskilstuna.")
    browser_as.shot("application-sections")
    page.get_by_role("button", name="Spara och gå till ärendet").click()
    expect(page.get_by_text("Texten är sparad.")).to_be_visible()

    page.get_by_role("link", name="Fyll i budgeten").click()
    page.get_by_label("2027, Löner inkl. lönebikostnader, Samverkansavtalet").fill("350 000")
    page.get_by_label("2027, Indirekta kostnader, Samverkansavtalet").fill("120 000")
    page.get_by_role("button", name="Spara budgeten").click()
    expect(page.get_by_text("Budgeten är sparad.")).to_be_visible()
    browser_as.shot("budget")
    page.get_by_role("link", name="Tillbaka till ärendet").click()

    # Only förankring is missing now, and the submit button is not offered.
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("Ansvarig tjänsteperson har inte bekräftat förankringen.")
    expect(page.get_by_role("button", name="Skicka in ansökan")).to_have_count(0)
    browser_as.shot("waiting-for-anchoring")
    browser_as.logout()

    # The tjänsteperson confirms förankring in the app.
    page = open_proposal(browser_as, OFFICER)
    page.get_by_label("Jag bekräftar att ansökan är förankrad").check()
    page.get_by_role("button", name="Bekräfta förankring").click()
    expect(page.get_by_text("Förankringen är bekräftad.")).to_be_visible()
    browser_as.shot("anchoring-confirmed")
    browser_as.logout()

    # The researcher submits.
    page = open_proposal(browser_as, RESEARCHER)
    page.get_by_role("button", name="Skicka in ansökan").click()
    expect(page.locator(".status-line")).to_contain_text("Inskickad")
    browser_as.shot("submitted")
    browser_as.logout()

    # The processledare finds it on the board and returns it with a comment.
    page = browser_as.login(LEADER)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Pipeline").click()
    submitted = page.get_by_role("region", name="Inskickad")
    expect(submitted.get_by_role("link", name=TITLE)).to_be_visible()
    submitted.get_by_role("link", name=TITLE).click()
    page.get_by_label("Kommentar till ”Återför till sökande (ofullständig)”").fill(
        "Avgränsa forskningsfrågan till en stadsdel."
    )
    page.get_by_role("button", name="Återför till sökande (ofullständig)").click()
    expect(page.locator(".status-line")).to_contain_text("Ansökan under arbete")
    browser_as.shot("returned")
    browser_as.logout()

    # The researcher reads the comment, fixes the question and submits again.
    page = open_proposal(browser_as, RESEARCHER)
    expect(page.locator(".timeline")).to_contain_text("Avgränsa forskningsfrågan till en stadsdel.")
    page.get_by_role("link", name="Redigera uppgifter och team").click()
    page.get_by_label("Forskningsfråga").fill(
        "Hur påverkar öppna skolgårdar i Årby ungas trygghet och fritid?"
    )
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("button", name="Skicka in ansökan").click()
    expect(page.locator(".status-line")).to_contain_text("Inskickad")
    browser_as.logout()

    page = browser_as.login(LEADER)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("region", name="Inskickad").get_by_role("link", name=TITLE)).to_be_visible()
    browser_as.shot("board-resubmitted")

    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.state == ProposalState.SUBMITTED
    assert list(proposal.transitions.values_list("transition", flat=True)) == [
        "create",
        "to_application",
        "submit",
        "return_incomplete",
        "submit",
    ]
