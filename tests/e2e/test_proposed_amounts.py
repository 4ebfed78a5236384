"""The beredning's proposal reaches the styrgrupp's decision form (issue 16): on a phone, the processledare
records the beredning's ställningstagande with a lower amount for one year and a condition; the styrgrupp
item shows the amounts applied for and proposed side by side with the condition, and its decision form
starts from them."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from governance.enums import MeetingKind
from governance.models import AgendaItem
from samverkan.models import User
from tests.e2e.test_phone_vote_page import PHONE, assert_fits
from tests.factories.applications import ProposalFactory, anchored
from tests.factories.budget import budget_row
from tests.factories.governance import AgendaItemFactory, MeetingFactory, in_days

LEADER = "anna.lindqvist@mdu.example"
TITLE = "Cykelbibliotek för nyanlända familjer"
CONDITION = "Halvtidsredovisning senast 2027-09-30"


@pytest.fixture
def review_item(demo):
    """What the UI has no way to make quickly: an application on a beredning's agenda (budget 2027–2028)
    and a styrgrupp meeting, before any in the demo, that the forwarded application lands on."""
    agreement = Proposal.objects.get(title="Inkludering av nyanlända i föreningslivet").agreement
    leader = User.objects.get(email=LEADER)
    proposal = ProposalFactory(
        agreement=agreement,
        state=ProposalState.IN_REVIEW,
        title=TITLE,
        planned_start=datetime.date(2027, 1, 1),
        planned_end=datetime.date(2028, 12, 31),
    )
    anchored(proposal)
    budget_row(proposal, year=2027, amount=450_000)
    budget_row(proposal, year=2028, amount=350_000)
    review = MeetingFactory(
        agreement=agreement, kind=MeetingKind.JOINT_REVIEW, starts_at=in_days(-1), secretary=leader
    )
    MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, starts_at=in_days(1), secretary=leader)
    return AgendaItemFactory(meeting=review, proposal=proposal)


def test_the_beredning_proposes_amounts_and_a_condition_and_the_decision_form_starts_from_them(
    review_item, browser_as, time_machine
):
    page = browser_as.page
    page.set_viewport_size(PHONE)
    browser_as.login(LEADER)
    browser_as.goto(review_item.get_absolute_url())

    # The ställningstagande form offers the amounts applied for, to be lowered, and conditions.
    form = page.locator("form.outcome-form")
    proposed = form.get_by_role("group", name="Föreslaget belopp per år (hela kronor)")
    expect(proposed.get_by_label("Föreslaget 2027 (kr)")).to_have_value("450\xa0000")
    expect(proposed.get_by_label("Föreslaget 2028 (kr)")).to_have_value("350\xa0000")
    form.get_by_role("group", name="Beredningens ställningstagande").get_by_label(
        "Tillstyrks – går vidare till styrgruppen"
    ).check()
    form.get_by_label("Motivering").fill("Stor nytta; andra året kan göras mindre.")
    # More than applied for is refused with a message beside the field, and nothing is recorded.
    proposed.get_by_label("Föreslaget 2028 (kr)").fill("400 000")
    form.get_by_label("Föreslagna villkor").fill(CONDITION)
    assert_fits(page, "beredning item, ställningstagande form")
    browser_as.shot("stallningstagande-ifyllt")
    page.get_by_role("button", name="Registrera ställningstagandet").click()
    refused = "Beredningen kan föreslå högst det sökta beloppet för 2028, 350 000 kr."
    expect(page.locator("form.outcome-form p.error")).to_have_text(refused)
    browser_as.shot("stallningstagande-for-mycket")
    review_item.refresh_from_db()
    assert review_item.outcome == ""

    form = page.locator("form.outcome-form")
    form.get_by_label("Föreslaget 2028 (kr)").fill("200 000")
    expect(form.get_by_label("Föreslagna villkor")).to_have_value(CONDITION)
    page.get_by_role("button", name="Registrera ställningstagandet").click()
    expect(page.get_by_role("status").filter(has_text="Ärendet har nu status")).to_be_visible()
    section = page.get_by_role("region", name="Beredningens ställningstagande")
    expect(section).to_contain_text(CONDITION)
    table = section.get_by_role("table", name="Sökt och föreslaget belopp per år")
    expect(table.get_by_role("row", name="2028")).to_contain_text("200 000 kr")
    assert_fits(page, "beredning item, ställningstagande recorded")
    browser_as.shot("stallningstagande-registrerat")

    # The styrgrupp's item: applied and proposed side by side, the proposed condition, a prefilled form.
    steering = AgendaItem.objects.get(proposal=review_item.proposal, meeting__kind=MeetingKind.STEERING)
    # At the styrgrupp meeting, where a decision enligt förslag can be taken.
    time_machine.move_to(steering.meeting.starts_at + datetime.timedelta(minutes=30), tick=True)
    browser_as.logout()
    browser_as.login(LEADER)  # a day on: the session has ended
    browser_as.goto(steering.get_absolute_url())
    facts = page.locator("#underlag")
    expect(facts).to_contain_text(CONDITION)
    table = facts.get_by_role("table", name="Sökt och föreslaget belopp per år")
    expect(table.get_by_role("row", name="2027")).to_contain_text("450 000 kr")
    expect(table.get_by_role("row", name="2028")).to_contain_text("350 000 kr")
    expect(table.get_by_role("row", name="2028")).to_contain_text("200 000 kr")
    decision = page.locator("form.decision-form")
    expect(decision.get_by_label("Belopp 2027 (kr)")).to_have_value("450\xa0000")
    expect(decision.get_by_label("Belopp 2028 (kr)")).to_have_value("200\xa0000")
    expect(decision.get_by_label("Villkor")).to_have_value(CONDITION)
    assert_fits(page, "styrgrupp item with the beredning's proposal")
    browser_as.shot("styrgrupp-forifyllt")
