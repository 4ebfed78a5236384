"""Jäv and the ersättare at the styrgrupp, on a phone (issue 16): Eskilstuna's only ordinary member declares
jäv on an Eskilstuna project, Eskilstuna's ersättare takes his seat and votes with the university, the vote
– opened when the meeting has started, not before – closes by itself and the secretary records the grant;
Västerås is not a party to the project and does not vote. The next day the rektor and the kommundirektör
sign the decision document, which is dated the day the vote closed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from governance.enums import DocumentStatus
from governance.models import DecisionDocument, Vote
from samverkan.demo import DEMO_PASSWORD
from samverkan.models import Organisation
from tests.e2e.steps import extra_steering_item
from tests.e2e.test_documents import sign_as

SECRETARY = "anna.lindqvist@mdu.example"
CHAIR = "helena.wik@mdu.example"
MEMBER = "mats.larsson@eskilstuna.example"  # Eskilstuna's only ordinary member of the styrgrupp
DEPUTY = "ingrid.falk@eskilstuna.example"  # Eskilstuna's ersättare in the styrgrupp
OUTSIDER = "eva.persson@vasteras.example"  # Västerås: not a party to an Eskilstuna project
TITLE = "Hållbara skolvägar i Eskilstuna"
REASON = "Min maka leder projektet på förvaltningen"
REKTOR = "paul.pettersson@mdu.example"
KOMMUNDIREKTOR = DEPUTY  # Ingrid Falk signs for Eskilstuna kommun as its kommundirektör
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]  # fmt: skip


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "has_touch": True}


@pytest.fixture
def item(demo, request):
    """An extra styrgrupp meeting in three days with a decision item on a project whose municipal party is
    Eskilstuna kommun: the university and Eskilstuna decide it, the rektor and the kommundirektör sign."""
    request.getfixturevalue("signing_keys")  # after the demo's organisations exist
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


def fits(page) -> bool:
    """Nothing scrolls sideways on the phone."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def swedish_date(text: str) -> datetime.date:
    """The first "3 december 2026" in `text`."""
    day, month, year = re.search(rf"(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})", text).groups()
    return datetime.date(int(year), MONTHS.index(month) + 1, int(day))


def test_jav_by_a_partys_only_member_ends_in_a_signed_decision_on_a_phone(item, browser_as, time_machine):
    page = browser_as.page
    meeting = item.meeting

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

    # Before the meeting the secretary is told when the vote can be opened – no button that would be refused.
    open_item(browser_as, SECRETARY, item)
    expect(page.locator(".vote-not-yet")).to_contain_text("Voteringen kan öppnas först när mötet har börjat")
    expect(page.get_by_role("button", name="Öppna voteringen")).to_have_count(0)
    expect(page.get_by_role("button", name="Besluta enligt förslag")).to_have_count(0)
    assert fits(page)
    browser_as.shot("före-mötet-ingen-votering")
    browser_as.logout()

    # The meeting begins (the clock moves to it – the only thing no user does). The secretary opens the vote:
    # two seats, the university's and Eskilstuna's.
    time_machine.move_to(meeting.starts_at + datetime.timedelta(minutes=5), tick=True)
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
    vote = Vote.objects.get(item=item)
    closed_on = timezone.localdate(vote.closed_at)
    assert closed_on == timezone.localdate(meeting.starts_at)

    # The processledare follows the decision to its document (generated when the decision was recorded).
    decision_region = page.get_by_role("region", name="Beslut", exact=True)
    document = DecisionDocument.objects.get(decision__item=item)
    decision_region.get_by_role("link", name=document.reference).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(document.reference))).to_be_visible()
    expect(page.locator(".document-status")).to_contain_text("Väntar på firmatecknarnas signaturer")
    browser_as.shot("beslutsunderlaget-väntar")
    browser_as.logout()

    # The next working day the rektor and Eskilstuna's kommundirektör sign, each from "Att signera".
    next_day = datetime.datetime.combine(
        closed_on + datetime.timedelta(days=1), datetime.time(9, 0), tzinfo=timezone.get_current_timezone()
    )
    time_machine.move_to(next_day, tick=True)
    browser_as.password = DEMO_PASSWORD
    sign_as(browser_as, REKTOR, document, "Mälardalens universitet")
    sign_as(browser_as, KOMMUNDIREKTOR, document, "Eskilstuna kommun")

    # The document page: dated the day the vote closed, no signature before it, signed by both parties.
    page = browser_as.login(SECRETARY)
    browser_as.goto(document.get_absolute_url())
    expect(page.locator(".document-status .state")).to_have_text("Signerat")
    expect(page.locator(".document-status")).to_contain_text("parter har signerat")
    with translation.override("sv"):
        shown = date_format(closed_on, "j F Y")
    facts = page.get_by_role("region", name="Om dokumentet")
    expect(facts).to_contain_text(f"{shown}, §")  # "Styrgrupp <the day the vote closed>, §n"
    signed = page.get_by_role("table", name=re.compile("Signaturer på exemplar")).get_by_role("row")
    signers = [row for row in signed.all() if row.get_by_role("cell").count()]
    names = {row.get_by_role("rowheader").inner_text() for row in signers}
    assert names == {"Paul Pettersson", "Ingrid Falk"}
    for row in signers:
        assert swedish_date(row.inner_text()) >= closed_on
    assert fits(page)
    browser_as.shot("beslutsunderlaget-signerat")
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    assert timezone.localdate(document.decision.decided_at) == closed_on
