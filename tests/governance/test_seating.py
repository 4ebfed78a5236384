"""Who may decide (issue 16): only the parties of the activity vote; a deputy (ersättare) takes the seat of a
recused or absent member; a party with no one left is reported before the vote opens; a void vote ends
somewhere (opened again, or decided enligt förslag with the members' assent); jäv at the beredning. Every
refusal is checked to change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from governance import services
from governance.enums import AttendanceStatus, Choice, DecisionKind, MeetingKind, VoteOutcome, VoteStatus
from governance.minutes_draft import minutes_draft_text
from governance.models import Assessment, Attendance, Ballot, Decision, Recusal, Vote
from governance.seating import seating_now
from governance.services.voting import VotingError
from samverkan.enums import Role
from samverkan.models import Notification
from tests.factories.applications import ProposalFactory, with_co_researcher
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    person_with_role,
    process_leader,
    review_member,
    started,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


# --- the world: the university, Eskilstuna and Västerås; a project of Eskilstuna ----------------------------


@pytest.fixture
def eskilstuna():
    return MunicipalityFactory(name="Eskilstuna kommun")


@pytest.fixture
def vasteras():
    return MunicipalityFactory(name="Västerås stad")


@pytest.fixture
def agreement(eskilstuna, vasteras):
    return AgreementFactory(municipalities=[eskilstuna, vasteras])


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


@pytest.fixture
def chair(agreement):
    return steering_member(agreement, user__first_name="Helena", user__last_name="Wik")


@pytest.fixture
def uni_member(agreement):
    return steering_member(agreement, user__first_name="Ulf", user__last_name="Berg")


@pytest.fixture
def mats(agreement, eskilstuna):
    """Eskilstuna's only ordinary member of the styrgrupp."""
    return steering_member(agreement, eskilstuna, user__first_name="Mats", user__last_name="Larsson")


@pytest.fixture
def deputy(agreement, eskilstuna):
    """Eskilstuna's ersättare in the styrgrupp."""
    return person_with_role(
        agreement,
        Role.STEERING_DEPUTY,
        organisation=eskilstuna,
        user__first_name="Karin",
        user__last_name="Holm",
    )


@pytest.fixture
def vasteras_member(agreement, vasteras):
    return steering_member(agreement, vasteras, user__first_name="Fatima", user__last_name="Ali")


@pytest.fixture
def meeting(agreement, leader, chair, uni_member, mats, deputy, vasteras_member):
    # Under way: an ordinary meeting's votes open from its start (issue 16).
    return MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, chair=chair, secretary=leader, starts_at=started()
    )


@pytest.fixture
def proposal(agreement, eskilstuna):
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)
    proposal.municipal_organisations.set([eskilstuna])
    return proposal


@pytest.fixture
def item(meeting, proposal):
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def state(item):
    """Everything a refused action must leave alone."""
    return (
        sorted(Ballot.objects.values_list("member_id", "choice")),
        sorted(Vote.objects.values_list("pk", "status", "outcome", "deadline", "reopened_count")),
        sorted(Recusal.objects.values_list("member_id", "reason")),
        Decision.objects.count(),
    )


# --- only the parties of the activity vote -----------------------------------------------------------------


def test_an_uninvolved_municipality_neither_votes_nor_blocks(
    item, leader, chair, uni_member, mats, vasteras_member
):
    vote = services.vote_open(item=item, by=leader)
    before = state(item)

    with pytest.raises(VotingError, match="Din part är inte part i ärendet"):
        services.ballot_cast(vote=vote, by=vasteras_member, choice=Choice.NO)

    assert state(item) == before
    for member in (chair, uni_member, mats):
        services.ballot_cast(vote=vote, by=member, choice=Choice.YES)
    vote.refresh_from_db()
    # Everyone entitled has voted: the vote closes by itself, without Västerås.
    assert vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.ADOPTED
    assert {p["party_id"] for p in vote.result["parties"]} == {
        item.meeting.agreement.university_id,
        mats_party(mats),
    }


def mats_party(mats):
    return mats.role_assignments.get().organisation_id


def test_the_uninvolved_member_is_told_on_the_item_page_and_gets_no_ballot_form(
    client, item, leader, vasteras_member
):
    services.vote_open(item=item, by=leader)
    client.force_login(vasteras_member)

    page = client.get(item.get_absolute_url()).content.decode()

    assert "Din part är inte part i ärendet och röstar inte om det." in page
    assert 'class="ballot-form"' not in page


# --- deputies and jäv: the Mats Larsson case --------------------------------------------------------------


def test_the_deputy_takes_the_seat_of_a_recused_member_and_the_vote_is_valid(
    item, leader, chair, uni_member, mats, deputy
):
    vote = services.vote_open(item=item, by=leader)
    services.recusal_declare(vote=vote, by=mats, reason="Styrelseledamot i Eskilstuna Energi och Miljö AB")

    seat = seating_now(item).holder(deputy.pk)
    assert seat is not None and seat.serves_for.user_id == mats.pk
    assert Notification.objects.filter(user=deputy, event="deputy_called").exists()
    for member in (chair, uni_member, deputy):
        services.ballot_cast(vote=vote, by=member, choice=Choice.YES)

    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.ADOPTED
    held = {e["user_id"]: e["serves_for"] for e in vote.snapshot["entitled"]}
    assert held[deputy.pk] == mats.pk
    minutes = minutes_draft_text(item.meeting)
    assert "Karin Holm (ersättare) tjänstgjorde för Mats Larsson." in minutes
    assert (
        "Mats Larsson (Eskilstuna kommun) anmälde jäv: Styrelseledamot i Eskilstuna Energi och Miljö AB"
        in minutes
    )


def test_a_deputy_not_called_in_cannot_vote(item, leader, deputy):
    vote = services.vote_open(item=item, by=leader)
    before = state(item)

    with pytest.raises(VotingError, match="Du är ersättare"):
        services.ballot_cast(vote=vote, by=deputy, choice=Choice.YES)

    assert state(item) == before


def test_the_deputy_takes_the_seat_of_a_member_registered_absent(item, leader, mats, deputy, eskilstuna):
    Attendance.objects.create(
        meeting=item.meeting, member=mats, party=eskilstuna, status=AttendanceStatus.ABSENT
    )

    seating = seating_now(item)

    assert seating.holder(deputy.pk).serves_for.user_id == mats.pk
    assert seating.holder(mats.pk) is None


def test_a_party_with_every_seat_recused_and_no_deputy_is_reported_before_the_vote_opens(
    client, item, leader, mats, deputy
):
    deputy.role_assignments.update(valid_to=datetime.date(2024, 6, 30))  # no deputy on the meeting's day
    services.recusal_declare(item=item, by=mats, reason="Jävig")  # before the vote opens
    before = state(item)

    with pytest.raises(VotingError, match="Eskilstuna kommun har ingen ledamot kvar som kan rösta"):
        services.vote_open(item=item, by=leader)

    assert state(item) == before
    client.force_login(leader)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Eskilstuna kommun har ingen ledamot kvar som kan rösta" in page
    assert "Kalla in en ersättare, flytta punkten till nästa möte eller besluta per capsulam" in page


# --- a void vote ends somewhere -----------------------------------------------------------------------------


@pytest.fixture
def void_vote(client, item, leader, chair, uni_member):
    """Eskilstuna does not vote: closing is confirmed, and the vote is void."""
    vote = services.vote_open(item=item, by=leader)
    services.ballot_cast(vote=vote, by=chair, choice=Choice.YES)
    services.ballot_cast(vote=vote, by=uni_member, choice=Choice.YES)
    client.force_login(leader)
    url = reverse("governance:vote_close", args=[item.meeting_id, item.pk])
    warned = client.post(url)
    assert warned.status_code == 409 and "Eskilstuna kommun är inte beslutsför" in warned.content.decode()
    client.post(url, {"confirm_void": "1"})
    vote.refresh_from_db()
    assert vote.outcome == VoteOutcome.NO_QUORUM
    return vote


def test_a_void_vote_looks_void_and_offers_the_ways_out(client, item, void_vote):
    page = client.get(item.get_absolute_url()).content.decode()

    assert "Ogiltig – ej beslutsför" in page and "vote-badge-closed" not in page
    assert "Öppna voteringen igen" in page
    assert "Ledamöterna samtycker till beslut enligt förslag" in page


def test_a_void_vote_is_opened_again_with_a_new_deadline_keeping_the_ballots(item, leader, mats, void_vote):
    deadline = timezone.now() + datetime.timedelta(days=2)

    services.vote_reopen(vote=void_vote, by=leader, deadline=deadline)

    void_vote.refresh_from_db()
    assert void_vote.status == VoteStatus.OPEN and void_vote.reopened_count == 1
    assert void_vote.result is None and void_vote.outcome == ""
    assert Ballot.objects.filter(vote=void_vote).count() == 2
    services.ballot_cast(vote=void_vote, by=mats, choice=Choice.YES)
    void_vote.refresh_from_db()
    assert void_vote.outcome == VoteOutcome.ADOPTED


@pytest.mark.parametrize(
    ("deadline", "message"),
    [(None, "sista tid"), (-1, "Sista tid att rösta måste ligga i framtiden")],
)
def test_reopening_is_refused_without_a_future_deadline(item, leader, void_vote, deadline, message):
    before = state(item)
    when = timezone.now() + datetime.timedelta(hours=deadline) if deadline else None

    with pytest.raises(VotingError, match=message if deadline else "Sista tid"):
        services.vote_reopen(vote=void_vote, by=leader, deadline=when)

    assert state(item) == before


def test_a_valid_vote_cannot_be_reopened(item, leader, chair, uni_member, mats):
    vote = services.vote_open(item=item, by=leader)
    for member in (chair, uni_member, mats):
        services.ballot_cast(vote=vote, by=member, choice=Choice.YES)
    before = state(item)

    with pytest.raises(VotingError, match="Bara en ogiltig votering"):
        services.vote_reopen(vote=vote, by=leader, deadline=timezone.now() + datetime.timedelta(days=1))

    assert state(item) == before


def test_after_a_void_vote_an_uncontested_item_is_decided_enligt_forslag_with_assent(
    client, item, leader, void_vote
):
    url = reverse("governance:decision_create", args=[item.meeting_id, item.pk])
    proposal = item.proposal
    years = range(proposal.planned_start.year, proposal.planned_end.year + 1)
    data = {"kind": DecisionKind.GRANT, "text": "Styrgruppen beviljar ansökan."}
    data.update({f"amount_{year}": "100 000" for year in years})
    before = state(item)

    refused = client.post(url, data)
    assert "Beslut enligt förslag kräver att ledamöterna samtycker" in refused.content.decode()
    assert state(item) == before

    response = client.post(url, {**data, "assent": "on"})
    assert response.status_code == 302, response.context["decision_form"].errors

    decision = Decision.objects.get(item=item)
    assert decision.by_acclamation
    assert "Voteringen var ogiltig. Beslutet fattades enligt förslag med ledamöternas samtycke." in (
        minutes_draft_text(item.meeting)
    )


def test_closing_a_vote_that_would_be_valid_needs_no_confirmation(
    client, item, leader, chair, uni_member, mats
):
    vote = services.vote_open(item=item, by=leader)
    services.ballot_cast(vote=vote, by=chair, choice=Choice.YES)
    services.ballot_cast(vote=vote, by=mats, choice=Choice.NO)
    client.force_login(leader)

    client.post(reverse("governance:vote_close", args=[item.meeting_id, item.pk]))

    vote.refresh_from_db()
    # The university: 1 of 2 voted – not more than half. Still void: a warning, not a close.
    assert vote.status == VoteStatus.OPEN
    services.ballot_cast(vote=vote, by=uni_member, choice=Choice.ABSTAIN)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED  # everyone entitled voted; Västerås was never needed


# --- jäv at the beredning -----------------------------------------------------------------------------------


@pytest.fixture
def review_item(agreement, leader, eskilstuna):
    chair = review_member(agreement)
    meeting = MeetingFactory(
        agreement=agreement, kind=MeetingKind.JOINT_REVIEW, chair=chair, secretary=leader
    )
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.IN_REVIEW)
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def test_a_co_researcher_on_the_beredning_cannot_assess_the_application(client, agreement, review_item):
    co_researcher = review_member(agreement, user__first_name="Sara", user__last_name="Forsman")
    with_co_researcher(review_item.proposal, co_researcher)

    with pytest.raises(PermissionDenied):
        services.assessment_save(item=review_item, by=co_researcher, scores={}, criteria={})

    assert not Assessment.objects.exists()
    client.force_login(co_researcher)
    form_url = reverse("governance:assessment_form", args=[review_item.meeting_id, review_item.pk])
    response = client.get(form_url, follow=True)
    assert "Du är jävig i ärendet och deltar inte i beredningen av det" in response.content.decode()
    page = client.get(review_item.get_absolute_url()).content.decode()
    assert "Du är med i ärendets team och därmed jävig" in page and "Bedöm ansökan" not in page
    minutes = minutes_draft_text(review_item.meeting)
    assert "Sara Forsman (Mälardalens universitet" in minutes or "Sara Forsman" in minutes
    assert "sökande i ärendet – deltog inte i handläggningen" in minutes


def test_a_beredning_member_declares_jav_and_it_is_minuted(client, agreement, review_item):
    member = review_member(agreement, user__first_name="Per", user__last_name="Nyberg")
    client.force_login(member)
    url = reverse("governance:recusal_declare", args=[review_item.meeting_id, review_item.pk])

    client.post(url, {"reason": "", "confirm": "on"})
    assert not Recusal.objects.exists()

    client.post(url, {"reason": "Närstående till den sökande", "confirm": "on"})

    recusal = Recusal.objects.get()
    assert recusal.item == review_item and recusal.vote is None and recusal.member == member
    page = client.get(review_item.get_absolute_url()).content.decode()
    assert "Du har anmält jäv i ärendet (Närstående till den sökande)" in page
    minutes = minutes_draft_text(review_item.meeting)
    assert "– Per Nyberg (" in minutes and "anmälde jäv: Närstående till den sökande" in minutes


# --- carrying an item to the next styrgrupp meeting -------------------------------------------------------


@pytest.fixture
def next_meeting(agreement, leader, chair, meeting):
    return MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        chair=chair,
        secretary=leader,
        starts_at=meeting.starts_at + datetime.timedelta(days=30),
    )


def test_a_void_votes_item_is_carried_to_the_next_styrgrupp_meeting(
    client, item, leader, void_vote, next_meeting
):
    response = client.post(reverse("governance:item_carry_forward", args=[item.meeting_id, item.pk]))

    item.refresh_from_db()
    carried = item.carried_to
    assert carried is not None and carried.meeting == next_meeting and carried.proposal == item.proposal
    assert item.carried_at is not None
    assert response.url == carried.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Punkten är flyttad till" in page
    # A decision is taken at the new meeting; the void item cannot be carried twice.
    with pytest.raises(VotingError, match="redan flyttad"):
        services.item_carry_forward(item=item, by=leader)
    assert f"Punkten flyttades till {next_meeting.title} §1." in minutes_draft_text(item.meeting)


def test_an_item_without_a_next_meeting_is_not_carried(item, leader, void_vote):
    before = state(item)

    with pytest.raises(VotingError, match="inget kommande styrgruppsmöte"):
        services.item_carry_forward(item=item, by=leader)

    item.refresh_from_db()
    assert item.carried_at is None and state(item) == before


def test_an_item_with_an_open_or_valid_vote_is_not_carried(item, leader, chair, next_meeting):
    vote = services.vote_open(item=item, by=leader)
    services.ballot_cast(vote=vote, by=chair, choice=Choice.YES)
    before = state(item)

    with pytest.raises(VotingError, match="Bara en punkt utan beslut"):
        services.item_carry_forward(item=item, by=leader)

    item.refresh_from_db()
    assert item.carried_at is None and state(item) == before and not next_meeting.items.exists()


def test_an_item_whose_party_has_no_one_left_is_carried_before_any_vote(
    item, leader, mats, deputy, next_meeting
):
    deputy.role_assignments.update(valid_to=datetime.date(2024, 6, 30))
    services.recusal_declare(item=item, by=mats, reason="Jävig")

    carried = services.item_carry_forward(item=item, by=leader)

    assert carried.meeting == next_meeting


def test_no_vote_opens_on_an_item_settled_at_another_meeting(
    item, leader, next_meeting, proposal, time_machine
):
    other = AgendaItemFactory(meeting=next_meeting, proposal=proposal)
    now = timezone.now()
    time_machine.move_to(next_meeting.starts_at + datetime.timedelta(minutes=10))  # decided there
    services.decision_by_acclamation(
        item=other, by=leader, kind=DecisionKind.REJECT, text="Styrgruppen avslår ansökan."
    )
    time_machine.move_to(now)
    item.refresh_from_db()
    assert item.settled_by is not None
    before = state(item)

    with pytest.raises(VotingError, match="redan avgjort vid ett annat möte"):
        services.vote_open(item=item, by=leader)

    assert state(item) == before


def test_a_beredning_deputy_assesses_only_in_the_seat_of_a_recused_member(agreement, review_item, eskilstuna):
    member = review_member(agreement, eskilstuna, user__first_name="Olof", user__last_name="Strand")
    deputy = person_with_role(
        agreement,
        Role.REVIEW_DEPUTY,
        organisation=eskilstuna,
        user__first_name="Lars",
        user__last_name="Berg",
    )

    with pytest.raises(PermissionDenied):
        services.assessment_save(item=review_item, by=deputy, scores={}, criteria={})
    assert not Assessment.objects.exists()

    services.recusal_declare(item=review_item, by=member, reason="Närstående till den sökande")
    services.assessment_save(item=review_item, by=deputy, scores={}, criteria={})

    assert Assessment.objects.get().member == deputy
