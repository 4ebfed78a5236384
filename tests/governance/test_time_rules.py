"""Time that holds (issue 16): a meeting is not held before it starts, its votes open and it decides
enligt förslag only from its start – unless it is per capsulam (decided by online vote before a deadline,
never enligt förslag) – a decision is dated the day it was taken, and its document cannot be signed before
that day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from governance import services
from governance.enums import (
    Choice,
    DecisionKind,
    DocumentStatus,
    MeetingKind,
    MeetingStatus,
    VoteOutcome,
    VoteStatus,
)
from governance.models import AgendaItem, Decision, DocumentSignature, Meeting, Vote
from governance.services import DecisionError, VotingError
from governance.services.documents import DocumentError, document_generate
from samverkan.models import Notification
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    STOCKHOLM,
    AgendaItemFactory,
    MeetingFactory,
    in_days,
    process_leader,
    started,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory
from tests.governance.test_documents import decide, pdf_bytes, pdf_text, sign, snapshot, world  # noqa: F401

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


# --- a meeting is held from its start -----------------------------------------------------------------------


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


def test_marking_a_meeting_held_before_it_starts_is_refused_and_nothing_changes(agreement, leader):
    starts = datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, starts_at=starts)

    with pytest.raises(ValidationError) as error:
        services.meeting_mark_held(meeting=meeting, by=leader)

    assert error.value.messages == [
        "Mötet börjar 12 mars 2027 13:00 – det kan inte markeras som genomfört innan det har börjat."
    ]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_a_meeting_that_has_started_can_be_marked_held(agreement, leader):
    meeting = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
    )

    services.meeting_mark_held(meeting=meeting, by=leader)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


# --- the decision's date and its document -------------------------------------------------------------------


def test_the_document_is_dated_the_day_the_decision_was_taken(world):  # noqa: F811
    decision = decide(world)  # at a meeting that started yesterday, recorded today

    document = document_generate(decision.pk)

    today = timezone.localdate(timezone.now(), STOCKHOLM)
    planned = timezone.localdate(decision.meeting.starts_at, STOCKHOLM)
    assert timezone.localdate(decision.decided_at, STOCKHOLM) == today != planned
    text = pdf_text(pdf_bytes(document.copies.first()))
    assert f"Styrgrupp {today:%Y-%m-%d} § {decision.paragraph}" in text
    assert f"{planned:%Y-%m-%d}" not in text
    assert document.reference.startswith(f"BESLUT-{today:%Y}-")


def test_a_signature_before_the_decisions_date_is_refused_and_nothing_changes(world):  # noqa: F811
    decision = decide(world)
    document = document_generate(decision.pk)
    # A decision dated after today (as when the meeting's planned date was used): 23:30 tomorrow in Stockholm.
    tomorrow = timezone.localdate(timezone.now(), STOCKHOLM) + datetime.timedelta(days=1)
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=datetime.datetime.combine(tomorrow, datetime.time(0, 30), tzinfo=STOCKHOLM)
    )
    before = snapshot(document)

    with pytest.raises(DocumentError) as error:
        sign(document, world.rektor)

    assert error.value.message == (
        f"Beslutet är daterat {tomorrow.isoformat()} – dokumentet kan inte signeras före beslutsdagen."
    )
    assert snapshot(document) == before
    assert not DocumentSignature.objects.exists()


def test_a_signature_on_the_decisions_day_is_accepted(world):  # noqa: F811
    decision = decide(world)
    document = document_generate(decision.pk)

    sign(document, world.rektor)
    sign(document, world.kommundirektor)

    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    for signature in DocumentSignature.objects.filter(copy__document=document):
        assert timezone.localdate(signature.signed_at, STOCKHOLM) >= timezone.localdate(
            decision.decided_at, STOCKHOLM
        )


# --- votes open from the meeting's start, unless the meeting is per capsulam ----------------------------

NOT_BEFORE_START = (
    "Voteringen kan öppnas först när mötet har börjat (12 mars 2027 kl. 13:00). Vill ni besluta före mötet: "
    "gör mötet till ett per capsulam-beslut."
)


@pytest.fixture
def seats(agreement):
    """The university's and the municipality's styrgruppsledamot: the chair and one member."""
    return steering_member(agreement), steering_member(agreement, agreement.municipalities.get())


def steering_item(agreement, leader, seats, **meeting_fields) -> AgendaItem:
    meeting = MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, chair=seats[0], secretary=leader, **meeting_fields
    )
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def per_capsulam_item(agreement, leader, seats) -> AgendaItem:
    """An item of a per-capsulam meeting in two weeks whose kallelse has been sent."""
    item = steering_item(agreement, leader, seats, per_capsulam=True, location="")
    services.invitation_send(meeting=item.meeting, by=leader)
    item.meeting.refresh_from_db()
    return item


def nothing_decided(item) -> bool:
    item.proposal.refresh_from_db()
    return (
        not Vote.objects.filter(item=item).exclude(status=VoteStatus.DRAFT).exists()
        and not Decision.objects.exists()
        and item.proposal.state == ProposalState.AWAITING_DECISION
        and not Notification.objects.filter(event="vote_opened").exists()
    )


def grant_enligt_forslag(item, by):
    return services.decision_by_acclamation(
        item=item,
        by=by,
        kind=DecisionKind.GRANT,
        text="Styrgruppen beviljar ansökan.",
        amounts={2027: 100_000},
    )


def test_a_vote_of_an_ordinary_meeting_before_its_start_is_refused_and_nothing_changes(
    agreement, leader, seats
):
    item = steering_item(
        agreement, leader, seats, starts_at=datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    )

    with pytest.raises(VotingError) as error:
        services.vote_open(item=item, by=leader)

    assert error.value.message == NOT_BEFORE_START
    assert nothing_decided(item)


def test_a_vote_of_an_ordinary_meeting_opens_once_the_meeting_has_started(agreement, leader, seats):
    item = steering_item(agreement, leader, seats, starts_at=started())

    vote = services.vote_open(item=item, by=leader)

    assert vote.status == VoteStatus.OPEN


def test_the_vote_page_says_when_the_vote_opens_instead_of_offering_it(client, agreement, leader, seats):
    item = steering_item(
        agreement, leader, seats, starts_at=datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    )
    client.force_login(leader)

    page = client.get(item.get_absolute_url()).content.decode()

    assert NOT_BEFORE_START in page
    assert reverse("governance:vote_open", args=[item.meeting_id, item.pk]) not in page
    assert "Besluta enligt förslag" not in page


def test_a_per_capsulam_vote_without_a_deadline_is_refused_and_nothing_changes(agreement, leader, seats):
    item = per_capsulam_item(agreement, leader, seats)

    with pytest.raises(VotingError) as error:
        services.vote_open(item=item, by=leader)

    assert error.value.message == (
        "Ett per capsulam-beslut behöver en sista tid att rösta – ange när svaren senast ska vara inne."
    )
    assert nothing_decided(item)


def test_a_per_capsulam_vote_before_the_kallelse_is_refused_and_nothing_changes(agreement, leader, seats):
    item = steering_item(agreement, leader, seats, per_capsulam=True, location="")

    with pytest.raises(VotingError) as error:
        services.vote_open(item=item, by=leader, deadline=item.meeting.ends_at)

    assert error.value.message == (
        "Ett per capsulam-beslut börjar med kallelsen – skicka kallelsen innan voteringen öppnas."
    )
    assert nothing_decided(item)


def test_a_per_capsulam_meeting_decides_nothing_enligt_forslag_and_nothing_changes(agreement, leader, seats):
    item = per_capsulam_item(agreement, leader, seats)
    Meeting.objects.filter(pk=item.meeting_id).update(starts_at=started(), ends_at=started() + HOUR)
    item.meeting.refresh_from_db()

    with pytest.raises(DecisionError) as error:
        grant_enligt_forslag(item, seats[0])

    assert error.value.message == (
        "Per capsulam beslutar styrgruppen genom votering – ingen är samlad för att instämma i ett beslut "
        "enligt förslag. Öppna en votering med sista tid att rösta."
    )
    assert nothing_decided(item)


def test_an_ordinary_meeting_decides_nothing_enligt_forslag_before_its_start_and_nothing_changes(
    agreement, leader, seats
):
    item = steering_item(
        agreement, leader, seats, starts_at=datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    )

    with pytest.raises(DecisionError) as error:
        grant_enligt_forslag(item, seats[0])

    assert error.value.message == (
        "Beslut enligt förslag fattas vid mötet och kan inte fattas innan det har börjat "
        "(12 mars 2027 kl. 13:00)."
    )
    assert nothing_decided(item)


def test_an_ordinary_meeting_decides_enligt_forslag_once_it_has_started(agreement, leader, seats):
    item = steering_item(agreement, leader, seats, starts_at=started())

    decision = grant_enligt_forslag(item, seats[0])

    assert decision.by_acclamation and decision.decided_at <= timezone.now()


def test_a_per_capsulam_vote_opens_before_the_meeting_and_the_decision_is_dated_its_close(
    agreement, leader, seats, time_machine
):
    item = per_capsulam_item(agreement, leader, seats)
    meeting = item.meeting
    assert timezone.now() < meeting.starts_at

    vote = services.vote_open(item=item, by=leader, deadline=meeting.ends_at)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    for member in seats:
        services.ballot_cast(vote=vote, by=member, choice=Choice.YES)
    vote.refresh_from_db()
    closed_on = timezone.localdate(vote.closed_at, STOCKHOLM)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    decision = services.decision_from_vote(
        vote=vote,
        by=seats[0],
        kind=DecisionKind.GRANT,
        text="Styrgruppen beviljar ansökan.",
        amounts={2027: 1},
    )

    assert vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.ADOPTED
    assert vote.opened_at < meeting.starts_at
    assert decision.decided_at == vote.closed_at
    assert (
        timezone.localdate(decision.decided_at, STOCKHOLM)
        == closed_on
        < timezone.localdate(timezone.now(), STOCKHOLM)
    )


def test_a_meeting_with_an_open_vote_cannot_stop_being_per_capsulam_and_nothing_changes(
    agreement, leader, seats
):
    item = per_capsulam_item(agreement, leader, seats)
    services.vote_open(item=item, by=leader, deadline=item.meeting.ends_at)

    with pytest.raises(ValidationError) as error:
        services.meeting_update(meeting=item.meeting, by=leader, per_capsulam=False, location="Sal 1")

    assert error.value.message_dict == {
        "per_capsulam": ["En votering är redan öppnad – mötets form kan inte ändras längre."]
    }
    item.meeting.refresh_from_db()
    assert item.meeting.per_capsulam and item.meeting.location == ""


def test_only_a_styrgrupp_meeting_can_be_per_capsulam(agreement, leader):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            agreement=agreement,
            by=leader,
            kind=MeetingKind.JOINT_REVIEW,
            title="Beredning",
            starts_at=in_days(14),
            ends_at=in_days(14, 16),
            per_capsulam=True,
        )

    assert error.value.message_dict == {"per_capsulam": ["Bara styrgruppen kan besluta per capsulam."]}
    assert not Meeting.objects.exists()


def test_the_kallelse_of_a_per_capsulam_meeting_says_by_when_to_answer(agreement, leader, seats):
    item = per_capsulam_item(agreement, leader, seats)

    mail = Notification.objects.filter(event="meeting_invitation").first()

    deadline = timezone.localtime(item.meeting.ends_at, STOCKHOLM)
    assert f"Per capsulam – svar senast {deadline.day} " in mail.body
    assert f"kl. {deadline:%H:%M}" in mail.body
