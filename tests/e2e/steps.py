"""What several browser tests do the same way: the main navigation, booking a meeting, and (in the database)
an application on the agenda of an extra styrgrupp meeting in the demo world."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ProposalState
from governance import services
from governance.enums import MeetingKind
from governance.models import AgendaItem, Meeting
from samverkan.models import Agreement, Organisation, User
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory


def nav(page):
    return page.get_by_role("navigation", name="Huvudmeny")


def book_meeting(
    browser_as,
    *,
    kind,
    title,
    day,
    hours,
    chair,
    shot,
    location="Mälardalens universitet, Eskilstuna, sal U2-024",
) -> Meeting:
    """The processledare (already logged in) books a meeting through Möten → Boka möte, with herself as
    secretary; the new meeting's page shows it as planned."""
    page = browser_as.page
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Boka möte").click()
    page.get_by_label("Mötestyp").select_option(label=kind)
    page.get_by_label("Rubrik").fill(title)
    page.get_by_label("Börjar").fill(f"{day:%Y-%m-%d}T{hours[0]}")
    page.get_by_label("Slutar").fill(f"{day:%Y-%m-%d}T{hours[1]}")
    page.get_by_label("Plats").fill(location)
    page.get_by_label("Ordförande").select_option(label=chair)
    page.get_by_label("Sekreterare").select_option(label="Anna Lindqvist")
    browser_as.shot(shot)
    page.get_by_role("button", name="Boka mötet").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator(".meeting-status")).to_have_text("Planerat")
    return Meeting.objects.get(title=title)


def extra_steering_meeting(*, under_way: bool = False) -> Meeting:
    """In the demo world: an extra styrgrupp meeting in three days (or, `under_way`, one that started a few
    minutes ago – an ordinary meeting's votes open, and it decides enligt förslag, only from its start),
    booked by the processledare with Helena Wik as chair."""
    agreement = Agreement.objects.get()
    secretary = User.objects.get(email="anna.lindqvist@mdu.example")
    now = timezone.localtime().replace(second=0, microsecond=0)
    starts = now - datetime.timedelta(minutes=5) if under_way else now + datetime.timedelta(days=3)
    return services.meeting_create(
        agreement=agreement,
        by=secretary,
        kind=MeetingKind.STEERING,
        title="Styrgruppen – extra möte",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Mälardalens universitet, Eskilstuna",
        chair=User.objects.get(email="helena.wik@mdu.example"),
        secretary=secretary,
    )


def extra_steering_item(title: str, *, under_way: bool = False) -> AgendaItem:
    """An extra styrgrupp meeting (see extra_steering_meeting) with an application anchored in Eskilstuna
    kommun awaiting its decision on the agenda."""
    meeting = extra_steering_meeting(under_way=under_way)
    agreement = meeting.agreement
    proposal = ProposalFactory(
        agreement=agreement,
        state=ProposalState.AWAITING_DECISION,
        title=title,
        responsible_researcher=User.objects.get(email="maria.nilsson@mdu.example"),
        responsible_officer=User.objects.get(email="lena.karlsson@eskilstuna.example"),
        anchoring_organisation=Organisation.objects.get(name="Eskilstuna kommun"),
    )
    return AgendaItemFactory(meeting=meeting, proposal=proposal)
