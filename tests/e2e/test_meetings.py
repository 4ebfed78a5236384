"""Booking a kommungemensam beredning as the processledare, and "Mina möten" as a member sees it."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from governance.enums import MeetingKind, MeetingStatus
from governance.models import Meeting
from samverkan.models import Agreement, User
from tests.e2e.steps import nav
from tests.factories.applications import ProposalFactory

TITLE = "Inkludering av nyanlända i föreningslivet"


@pytest.fixture
def submitted(demo):
    """The demo world's submitted application (made here if the demo no longer has it submitted)."""
    proposal = Proposal.objects.filter(title=TITLE, state=ProposalState.SUBMITTED).first()
    if proposal is None:
        proposal = ProposalFactory(
            agreement=Agreement.objects.get(),
            title=TITLE,
            state=ProposalState.SUBMITTED,
            responsible_researcher=User.objects.get(email="ahmed.hassan@mdu.example"),
            responsible_officer=User.objects.get(email="sofia.andersson@vasteras.example"),
        )
    return proposal


def test_processledare_books_beredning_and_member_sees_it_in_mina_moten(submitted, browser_as):
    day = timezone.localdate() + datetime.timedelta(days=21)
    meeting_title = f"Extra kommungemensam beredning {day:%Y-%m-%d}"

    page = browser_as.login("anna.lindqvist@mdu.example")
    nav(page).get_by_role("link", name="Möten").click()
    expect(page.get_by_role("heading", level=1, name="Möten")).to_be_visible()
    page.get_by_role("link", name="Boka möte").click()
    page.get_by_label("Mötestyp").select_option(label="Kommungemensam beredning")
    page.get_by_label("Rubrik").fill(meeting_title)
    page.get_by_label("Börjar").fill(f"{day:%Y-%m-%d}T13:00")
    page.get_by_label("Slutar").fill(f"{day:%Y-%m-%d}T16:00")
    page.get_by_label("Plats").fill("Mälardalens universitet, Västerås, sal U2-024")
    page.get_by_label("Ordförande").select_option(label="Anna Lindqvist")
    browser_as.shot("boka-mote")
    page.get_by_role("button", name="Boka mötet").click()

    expect(page.get_by_role("heading", level=1, name=meeting_title)).to_be_visible()
    expect(page.locator(".meeting-status")).to_have_text("Planerat")
    meeting = Meeting.objects.get(title=meeting_title)
    assert meeting.kind == MeetingKind.JOINT_REVIEW
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "13:00"

    page.get_by_label("Ärende").select_option(label=f"{TITLE} (Inskickad)")
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    agenda = page.get_by_role("table", name=re.compile("Dagordning"))
    expect(agenda.get_by_role("link", name=TITLE)).to_be_visible()
    expect(agenda).to_contain_text("13:00–13:15")
    expect(agenda).to_contain_text("Under beredning")
    browser_as.shot("dagordning")
    submitted.refresh_from_db()
    assert submitted.state == ProposalState.IN_REVIEW

    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.locator(".meeting-status")).to_have_text("Kallat")
    expect(page.get_by_role("status")).to_contain_text("Kallelsen är skickad")
    browser_as.shot("kallat")
    page.get_by_role("link", name="Närvaro").click()
    page.get_by_label("Närvaro för Olof Strand").select_option(label="Anlände sent")
    page.get_by_label("Anteckning för Olof Strand").fill("Kom 13.20")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_role("status")).to_contain_text("Närvaron är sparad")
    browser_as.shot("narvaro")
    nav(page).get_by_role("link", name="Möten").click()
    expect(page.get_by_role("table").filter(has_text=meeting_title)).to_contain_text("Kallat")
    browser_as.shot("moteslista")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    invited = {message.to[0] for message in mail.outbox if message.subject.startswith("Kallelse:")}
    assert {
        "karin.sjoberg@mdu.example",
        "olof.strand@eskilstuna.example",
        "ahmed.hassan@mdu.example",
    } <= invited

    browser_as.logout()
    page = browser_as.login("olof.strand@eskilstuna.example")
    expect(page.get_by_role("region", name="Möten")).to_contain_text(meeting_title)
    browser_as.shot("startsida-ledamot")
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Mina möten").click()
    expect(page.get_by_role("heading", level=1, name="Mina möten")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=meeting_title)
    expect(row).to_contain_text("Bedöm 1 ansökan")
    expect(row).to_contain_text("Ledamot")
    browser_as.shot("mina-moten")
