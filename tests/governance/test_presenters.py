"""What a presenter sees of a meeting (governance.permissions.can_view_item): the public agenda and their own
items in full – never another team's item (summary, assessments, votes per party, amounts, decision), the
attendance or the minutes. The class test asks every URL under an agenda item, so a new item page cannot
forget the rule."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from governance import services
from governance.enums import MeetingKind
from governance.models import Ballot, Vote
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory, started, steering_member
from tests.factories.samverkan import AgreementFactory

pytestmark = pytest.mark.django_db

SECRET_AMOUNT = "Bevilja 987 654 kr per år"


@pytest.fixture
def steering():
    """A styrgrupp meeting with two teams' applications; the other team's item has an open vote."""
    agreement = AgreementFactory()
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, starts_at=started())
    steering_member(agreement)
    own = AgendaItemFactory(
        meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="awaiting_decision")
    )
    other = AgendaItemFactory(
        meeting=meeting,
        proposal=ProposalFactory(agreement=agreement, state="awaiting_decision"),
        description=SECRET_AMOUNT,
    )
    services.vote_open(item=other, by=meeting.secretary)
    return meeting, own, other


ITEM_URLS = sorted(
    pattern.name
    for pattern in get_resolver().url_patterns
    for pattern in getattr(pattern, "url_patterns", [pattern])
    if getattr(pattern, "name", None) and "<int:item_pk>" in str(pattern.pattern)
)


def test_item_urls_are_found():
    assert {"item_detail", "vote_status", "ballot_cast", "decision_create"} <= set(ITEM_URLS)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ITEM_URLS)
def test_presenter_is_refused_every_page_of_another_teams_item(client, steering, name, method):
    meeting, own, other = steering
    client.force_login(own.proposal.responsible_researcher)
    before = (Vote.objects.count(), Ballot.objects.count(), meeting.items.count(), meeting.decisions.count())

    response = getattr(client, method)(reverse(f"governance:{name}", args=[meeting.pk, other.pk]))

    assert response.status_code in (403, 405), response.status_code
    assert SECRET_AMOUNT not in response.content.decode()
    assert (
        Vote.objects.count(),
        Ballot.objects.count(),
        meeting.items.count(),
        meeting.decisions.count(),
    ) == before


def test_presenter_reads_their_own_item(client, steering):
    meeting, own, _ = steering
    client.force_login(own.proposal.responsible_officer)

    response = client.get(reverse("governance:item_detail", args=[meeting.pk, own.pk]))

    assert response.status_code == 200
    assert own.title in response.content.decode()


def test_presenter_sees_the_public_agenda_only(client, steering):
    meeting, own, other = steering
    client.force_login(own.proposal.responsible_researcher)

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert other.title in html  # the public agenda names every item
    assert other.get_absolute_url() not in html
    assert own.get_absolute_url() in html
    assert "Votering: Öppen" not in html
    assert other.proposal.reference not in html
    assert reverse("governance:minutes_detail", args=[meeting.pk]) not in html
    assert reverse("governance:attendance", args=[meeting.pk]) not in html


@pytest.mark.parametrize("name", ["minutes_detail", "attendance", "minutes_pdf", "minutes_status"])
def test_presenter_is_refused_attendance_and_minutes(client, steering, name):
    meeting, own, _ = steering
    client.force_login(own.proposal.responsible_researcher)

    assert client.get(reverse(f"governance:{name}", args=[meeting.pk])).status_code == 403


def test_member_still_sees_every_item(client, steering):
    meeting, _, other = steering
    member = steering_member(meeting.agreement)
    client.force_login(member)

    assert client.get(reverse("governance:item_detail", args=[meeting.pk, other.pk])).status_code == 200
    assert other.get_absolute_url() in client.get(meeting.get_absolute_url()).content.decode()


def test_presenter_reads_an_information_item_of_the_public_agenda(client, steering):
    meeting, own, _ = steering
    information = AgendaItemFactory(meeting=meeting, title="Budgetläge och uppföljning")
    client.force_login(own.proposal.responsible_researcher)

    assert information.get_absolute_url() in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(information.get_absolute_url()).status_code == 200
