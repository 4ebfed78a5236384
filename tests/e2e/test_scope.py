"""Scope in the browser (issue 14, items 1 and 8): a processledare acts only for a party the proposal
concerns and never decides in the styrgrupp's place; a presenter sees the public agenda and their own item."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal, ProposalTransition
from governance.enums import MeetingKind
from governance.models import Meeting
from tests.e2e.steps import nav

PITCH = "Samordnad individuell plan för barn och unga – digitalt stöd"  # Eskilstuna's pitch in the demo
FEEDBACK = "Registrera återkoppling på pitchen"


def _post_as_page(page, url: str) -> int:
    """What a person can do from their signed-in browser without a button: POST the action's URL."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        url,
        form={"comment": "Bra pitch – skriv ansökan.", "csrfmiddlewaretoken": token},
        headers={"Referer": page.url, "X-CSRFToken": token},
        max_redirects=0,
    )
    return response.status


def test_processledare_of_another_municipality_gets_no_action_on_a_pitch(demo, browser_as):
    proposal = Proposal.objects.get(title=PITCH)
    assert proposal.state == ProposalState.PITCH
    history = ProposalTransition.objects.filter(proposal=proposal).count()

    page = browser_as.login("maja.ekstrom@vasteras.example")  # Västerås
    browser_as.goto(proposal.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(PITCH)
    expect(page.get_by_role("button", name=FEEDBACK)).to_have_count(0)
    browser_as.shot("vasteras-ser-eskilstunas-pitch-utan-atgard")

    action = f"/arenden/{proposal.pk}/atgard/record_pitch_feedback/"
    status = _post_as_page(page, browser_as.base_url + action)

    assert status == 403
    page.reload()
    expect(page.locator(".state").first).to_have_text("Pitch / för-beredning")
    assert ProposalTransition.objects.filter(proposal=proposal).count() == history

    browser_as.logout()
    page = browser_as.login("erik.johansson@eskilstuna.example")  # Eskilstuna: the proposal's party
    browser_as.goto(proposal.get_absolute_url())
    expect(page.get_by_role("button", name=FEEDBACK)).to_be_visible()
    browser_as.shot("eskilstuna-kan-registrera-aterkoppling")


def test_nobody_can_grant_from_the_proposal_page_while_the_styrgrupp_votes(demo, browser_as):
    proposal = Proposal.objects.filter(state=ProposalState.AWAITING_DECISION).first()
    assert proposal is not None, "the demo has an application before the December styrgrupp"

    page = browser_as.login("anna.lindqvist@mdu.example")
    browser_as.goto(proposal.get_absolute_url())
    expect(page.get_by_role("button", name="Bevilja")).to_have_count(0)

    for name in ("grant", "reject", "approve_cofunding"):
        assert _post_as_page(page, browser_as.base_url + f"/arenden/{proposal.pk}/atgard/{name}/") == 403
    page.reload()
    expect(page.locator(".state").first).to_have_text("Till styrgrupp")
    browser_as.shot("till-styrgrupp-oforandrat")


def test_presenter_sees_the_public_agenda_and_opens_only_their_own_item(demo, browser_as):
    meeting = Meeting.objects.get(kind=MeetingKind.STEERING, title="Styrgruppsmöte oktober 2026")
    own = meeting.items.get(proposal__title="Energieffektiva bostäder och minskad segregation")
    other = meeting.items.exclude(pk=own.pk).filter(proposal__isnull=False).first()
    assert other is not None

    page = browser_as.login("peter.ek@eem.example")  # presents the energy project only
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name=meeting.title).first.click()
    agenda = page.get_by_role("table", name=re.compile("Dagordning"))
    expect(agenda).to_contain_text(other.title)
    expect(agenda.get_by_role("link", name=other.title)).to_have_count(0)
    expect(agenda).to_contain_text("Annan sökandes punkt")
    expect(page.get_by_role("link", name="Till protokollet")).to_have_count(0)
    browser_as.shot("foredragande-ser-dagordningen")

    agenda.get_by_role("link", name=own.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(own.title)
    browser_as.shot("egen-punkt")

    response = page.goto(browser_as.base_url + other.get_absolute_url())
    assert response.status == 403
