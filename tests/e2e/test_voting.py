"""Online voting at the styrgrupp as the people do it: the secretary opens the vote, the members vote (one
declares jäv), the chair watches the count in the live view, the secretary closes the vote and records the
grant, and the proposal is granted."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from governance import services
from governance.enums import BodyKind, MeetingKind
from samverkan.demo import DEMO_PASSWORD
from samverkan.enums import Role
from samverkan.models import Agreement, Organisation, RoleAssignment, User
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory

SECRETARY = "anna.lindqvist@mdu.example"
CHAIR = "helena.wik@mdu.example"
VOTERS = ["mats.larsson@eskilstuna.example", "nils.oberg@strangnas.example"]
RECUSED = "eva.persson@vasteras.example"
DEPUTY = "karl.ersattare@vasteras.example"
TITLE = "Digitala verktyg för äldreomsorgen i hemmet"


@pytest.fixture
def decision_item(demo):
    """A styrgrupp meeting booked by the processledare (chair Helena Wik, secretary Anna Lindqvist) with a
    decision item for a proposal awaiting decision. Eva Persson will declare jäv, so Västerås has an
    ersättare who votes for the party (a party whose every member is recused cannot form a position)."""
    agreement = Agreement.objects.get()
    deputy = User.objects.create_user(
        email=DEPUTY, password=DEMO_PASSWORD, first_name="Karl", last_name="Ersättare"
    )
    RoleAssignment.objects.create(
        user=deputy,
        agreement=agreement,
        organisation=Organisation.objects.get(name="Västerås stad"),
        role=Role.STEERING_MEMBER,
        valid_from=datetime.date(2024, 1, 1),
        title="Ersättare i styrgruppen",
    )
    secretary = User.objects.get(email=SECRETARY)
    body = next(b for b in services.ensure_bodies(agreement) if b.kind == BodyKind.STEERING_GROUP)
    starts = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    meeting = services.meeting_create(
        agreement=agreement,
        by=secretary,
        kind=MeetingKind.STEERING,
        body=body,
        title="Styrgruppen – extra möte",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Mälardalens universitet, Västerås",
        chair=User.objects.get(email=CHAIR),
        secretary=secretary,
    )
    proposal = ProposalFactory(agreement=agreement, state="awaiting_decision", title=TITLE)
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def vote_as(browser_as, email, item, *, shot=None):
    page = browser_as.login(email)
    browser_as.goto(item.get_absolute_url())
    page.get_by_role("group", name="Din röst").get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    expect(page.get_by_text("Din röst: Bifall")).to_be_visible()
    if shot:
        browser_as.shot(shot)
    browser_as.logout()


def test_styrgrupp_votes_online_and_grants(decision_item, browser_as, browser, time_machine):
    item = decision_item
    page = browser_as.page
    # The meeting begins (the clock moves to it – the only thing no user does): a vote opens from the
    # meeting's start (issue 16).
    time_machine.move_to(item.meeting.starts_at + datetime.timedelta(minutes=5), tick=True)

    # The secretary opens the vote on the item page.
    browser_as.login(SECRETARY)
    browser_as.goto(item.get_absolute_url())
    expect(page.get_by_role("heading", name="Votering", exact=True)).to_be_visible()
    expect(page.get_by_label("Visa hur var och en röstat efter stängning")).to_be_checked()
    browser_as.shot("sekreteraren-före-öppning")
    page.get_by_role("button", name="Öppna voteringen").click()
    expect(page.get_by_text("Voteringen är öppnad.")).to_be_visible()
    expect(page.get_by_text("0 av 5 röstberättigade har röstat")).to_be_visible()
    browser_as.logout()

    # The chair votes, then follows the count in the live view in a second browser.
    vote_as(browser_as, CHAIR, item, shot="ordföranden-har-röstat")
    chair_context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1280, "height": 900}
    )
    chair_page = chair_context.new_page()
    chair_page.goto(browser_as.base_url + "/konto/logga-in/")
    chair_page.get_by_label("E-postadress").fill(CHAIR)
    chair_page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    chair_page.get_by_role("button", name="Logga in").click()
    chair_page.goto(browser_as.base_url + reverse("governance:chair_view", args=[item.meeting_id]))
    live = chair_page.locator(f"#vote-status-{item.pk}")
    expect(live).to_have_attribute("role", "status")
    expect(live).to_contain_text("1 av 5 röstberättigade har röstat")
    chair_page.screenshot(path=str(browser_as.shots / "chair-1-ordförandens-vy-1-av-5.png"), full_page=True)

    # Eva Persson declares jäv instead of voting: four members remain entitled.
    browser_as.login(RECUSED)
    browser_as.goto(item.get_absolute_url())
    page.get_by_text("Anmäl jäv", exact=True).first.click()
    page.get_by_label("Skäl till jäv").fill("Styrelseledamot i bolaget som ska leverera tjänsten")
    page.get_by_label("Jag är jävig och deltar inte i ärendet").check()
    browser_as.shot("jäv-ifyllt")
    page.get_by_role("button", name="Anmäl jäv").click()
    expect(page.get_by_text("Ditt jäv är anmält")).to_be_visible()
    browser_as.logout()
    expect(live).to_contain_text("1 av 4 röstberättigade har röstat", timeout=10_000)
    expect(live).to_contain_text("Styrelseledamot i bolaget som ska leverera tjänsten")
    chair_page.screenshot(path=str(browser_as.shots / "chair-2-ordförandens-vy-jäv.png"), full_page=True)

    # The members vote; the chair's view follows without reloading, never showing how anyone voted.
    for email in VOTERS:
        vote_as(browser_as, email, item)
    expect(live).to_contain_text("3 av 4 röstberättigade har röstat", timeout=10_000)
    expect(live).not_to_contain_text("Bifall")
    # The last ballot closes the vote by itself: everyone entitled has voted.
    vote_as(browser_as, DEPUTY, item)

    # The secretary sees the result per party (no close button: the vote closed itself).
    browser_as.login(SECRETARY)
    browser_as.goto(item.get_absolute_url())
    expect(page.get_by_role("button", name="Stäng voteringen")).to_have_count(0)
    result = page.get_by_role("table", name="Resultat per part")
    expect(result).to_be_visible()
    for party in ["Mälardalens universitet", "Eskilstuna kommun", "Västerås stad", "Strängnäs kommun"]:
        expect(result.get_by_role("row", name=party)).to_be_visible()
    expect(result.get_by_role("row", name="Västerås stad")).to_contain_text("1")
    expect(page.get_by_role("table", name="Hur var och en röstade")).to_contain_text("Karl Ersättare")
    browser_as.shot("resultat-per-part")
    expect(live).to_contain_text("Resultat per part", timeout=10_000)
    chair_page.screenshot(path=str(browser_as.shots / "chair-3-ordförandens-vy-stängd.png"), full_page=True)
    chair_context.close()

    # The secretary records the grant with an amount per year.
    page.get_by_label("Belopp 2026 (kr)").fill("250 000")
    page.get_by_label("Belopp 2027 (kr)").fill("12,5")
    page.get_by_role("button", name="Registrera beslut").click()
    expect(page.locator("#id_amount_2027-error")).to_contain_text("Ange ett helt antal kronor utan decimaler")
    browser_as.shot("beslut-felaktigt-belopp")
    page.get_by_label("Belopp 2027 (kr)").fill("150 000")
    page.get_by_label("Villkor").fill("Delrapport till styrgruppen efter ett år.")
    page.get_by_role("button", name="Registrera beslut").click()
    expect(page.get_by_text("Beslut §1 är registrerat: Bevilja.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"totalt 400\s000\skr"))).to_be_visible()
    browser_as.shot("beslut-registrerat")

    # The proposal page shows it granted.
    page.get_by_role("link", name="Hela ansökan med budget och historik").click()
    expect(page.get_by_text("Beviljad").first).to_be_visible()
    browser_as.shot("ärendet-beviljat")
