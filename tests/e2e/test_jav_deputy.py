"""Jäv and the ersättare at the styrgrupp, on a phone (issue 16): Eskilstuna's only ordinary member declares
jäv on an Eskilstuna project, Eskilstuna's ersättare takes his seat and votes with the university, the vote
closes by itself and the secretary records the grant; Västerås is not a party to the project and does not
vote."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samverkan.models import Organisation
from tests.e2e.steps import extra_steering_item

SECRETARY = "anna.lindqvist@mdu.example"
CHAIR = "helena.wik@mdu.example"
MEMBER = "mats.larsson@eskilstuna.example"  # Eskilstuna's only ordinary member of the styrgrupp
DEPUTY = "ingrid.falk@eskilstuna.example"  # Eskilstuna's ersättare in the styrgrupp
OUTSIDER = "eva.persson@vasteras.example"  # Västerås: not a party to an Eskilstuna project
TITLE = "Hållbara skolvägar i Eskilstuna"
REASON = "Min maka leder projektet på förvaltningen"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "has_touch": True}


@pytest.fixture
def item(demo):
    """An extra styrgrupp meeting with a decision item on a project whose municipal party is Eskilstuna
    kommun: the university and Eskilstuna decide it."""
    item = extra_steering_item(TITLE)
    item.proposal.municipal_organisations.set([Organisation.objects.get(name="Eskilstuna kommun")])
    return item


def open_item(browser_as, email, item):
    page = browser_as.login(email)
    browser_as.goto(item.get_absolute_url())
    expect(page.get_by_role("heading", name="Votering", exact=True)).to_be_visible()
    return page


def vote_yes(page):
    page.get_by_role("group", name="Din röst").get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    expect(page.get_by_text("Din röst: Bifall")).to_be_visible()


def test_deputy_takes_the_recused_members_seat_on_a_phone(item, browser_as):
    page = browser_as.page

    # Mats Larsson declares jäv on the item page before the vote opens.
    open_item(browser_as, MEMBER, item)
    expect(page.get_by_text("Voteringen är inte öppnad än.")).to_be_visible()
    page.get_by_text("Anmäl jäv", exact=True).first.click()
    page.get_by_label("Skäl till jäv").fill(REASON)
    page.get_by_label("Jag är jävig och deltar inte i ärendet").check()
    browser_as.shot("ledamoten-anmäler-jäv")
    page.get_by_role("button", name="Anmäl jäv").click()
    expect(page.get_by_text("Ditt jäv är anmält")).to_be_visible()
    expect(page.get_by_text(f"Du har anmält jäv i ärendet ({REASON})")).to_be_visible()
    seats = page.get_by_role("table", name="Platser per part i ärendet")
    expect(seats.get_by_role("row", name=re.compile("Eskilstuna kommun"))).to_contain_text(
        "Ingrid Falk för Mats Larsson"
    )
    expect(seats.get_by_role("row", name=re.compile("Västerås stad"))).to_have_count(0)
    browser_as.shot("jäv-anmält")
    browser_as.logout()

    # The secretary opens the vote: two seats, the university's and Eskilstuna's.
    open_item(browser_as, SECRETARY, item)
    page.get_by_role("button", name="Öppna voteringen").click()
    expect(page.get_by_text("Voteringen är öppnad.")).to_be_visible()
    expect(page.get_by_text("0 av 2 röstberättigade har röstat")).to_be_visible()
    browser_as.shot("sekreteraren-har-öppnat")
    browser_as.logout()

    # Ingrid Falk, the ersättare, holds Mats Larsson's seat for this item and votes.
    open_item(browser_as, DEPUTY, item)
    expect(page.get_by_text("Du är ersättare")).to_have_count(0)
    expect(page.get_by_role("group", name="Din röst")).to_be_visible()
    browser_as.shot("ersättaren-kan-rösta")
    vote_yes(page)
    browser_as.shot("ersättaren-har-röstat")
    browser_as.logout()

    # Eva Persson (Västerås) is not a party to the project: no ballot for her.
    open_item(browser_as, OUTSIDER, item)
    expect(page.get_by_text("Din part är inte part i ärendet och röstar inte om det.")).to_be_visible()
    expect(page.get_by_role("group", name="Din röst")).to_have_count(0)
    expect(page.get_by_role("button", name="Rösta")).to_have_count(0)
    browser_as.shot("västerås-röstar-inte")
    browser_as.logout()

    # The chair votes last; every seat has voted, so the vote closes by itself.
    open_item(browser_as, CHAIR, item)
    vote_yes(page)
    browser_as.logout()

    # The secretary sees the outcome and who served for whom, and records the grant.
    open_item(browser_as, SECRETARY, item)
    expect(page.get_by_role("button", name="Stäng voteringen")).to_have_count(0)
    expect(page.locator(".vote-summary")).to_contain_text("Stängd")
    expect(page.locator(".vote-outcome")).to_have_text("Bifall")
    result = page.get_by_role("table", name="Resultat per part")
    for party in ["Mälardalens universitet", "Eskilstuna kommun"]:
        expect(result.get_by_role("row", name=party)).to_be_visible()
    expect(result.get_by_role("row", name="Västerås stad")).to_have_count(0)
    expect(page.get_by_text("Ersättare som tjänstgjorde: Ingrid Falk för Mats Larsson")).to_be_visible()
    browser_as.shot("utfall-med-ersättare")
    page.get_by_label("Belopp 2026 (kr)").fill("300 000")
    page.get_by_label("Belopp 2027 (kr)").fill("200 000")
    page.get_by_role("button", name="Registrera beslut").click()
    expect(page.get_by_text(re.compile(r"Beslut §\d+ är registrerat: Bevilja\."))).to_be_visible()
    browser_as.shot("beslut-registrerat")
