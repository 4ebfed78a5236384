"""Vote integrity at the styrgrupp, through the web layer: one ballot per member under concurrency, refusals
that change nothing, jäv, automatic close, the deadline job, the computed result, decisions and who may do
what."""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState, WorkForm
from governance import services, voting
from governance.enums import Choice, DecisionKind, ItemKind, MeetingKind, VoteOutcome, VoteStatus
from governance.models import Ballot, Decision, DecisionAmount, Minutes, Recusal, Vote
from governance.selectors import members_of
from governance.tasks import close_expired_votes_task
from samverkan.enums import Role
from samverkan.models import Notification, RoleAssignment, User
from tests.factories.applications import ProposalFactory, with_co_researcher
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    process_leader,
    review_member,
    started,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- the world: a styrgrupp of two parties, two members each ---------------------------------------------


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def municipality(agreement):
    return agreement.municipalities.get()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


@pytest.fixture
def chair(agreement):
    return steering_member(agreement, user__first_name="Helena", user__last_name="Ordförande")


@pytest.fixture
def uni_member(agreement):
    return steering_member(agreement, user__first_name="Ulf", user__last_name="Universitet")


@pytest.fixture
def muni_members(agreement, municipality):
    return [
        steering_member(agreement, municipality, user__first_name="Mats", user__last_name="Kommunsson"),
        steering_member(agreement, municipality, user__first_name="Eva", user__last_name="Stadsdotter"),
    ]


@pytest.fixture
def members(chair, uni_member, muni_members):
    return [chair, uni_member, *muni_members]


@pytest.fixture
def meeting(agreement, leader, members):
    # Under way: an ordinary meeting's votes open from its start (issue 16).
    return MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        chair=members[0],
        secretary=leader,
        starts_at=started(),
    )


@pytest.fixture
def proposal(agreement):
    return ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)


@pytest.fixture
def item(meeting, proposal):
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


@pytest.fixture
def vote(item, leader):
    return services.vote_open(item=item, by=leader)


@pytest.fixture
def people(agreement, leader, chair, uni_member):
    return {
        "anonymous": None,
        "unrelated": UserFactory(),
        "other_body": review_member(agreement),  # sits in the beredning, not in the styrgrupp
        "member": uni_member,
        "chair": chair,
        "secretary": leader,
    }


def url(name, item):
    return reverse(f"governance:{name}", args=[item.meeting_id, item.pk])


def cast(client, user, item, choice):
    client.force_login(user)
    return client.post(url("ballot_cast", item), {"choice": choice})


def ballots(vote=None):
    rows = Ballot.objects.all() if vote is None else Ballot.objects.filter(vote=vote)
    return sorted(rows.values_list("member_id", "choice", "changed_at"))


def world(item):
    """Everything a refused request must leave alone."""
    item.proposal.refresh_from_db()
    return (
        ballots(),
        sorted(Vote.objects.values_list("pk", "status", "outcome", "deadline")),
        sorted(Recusal.objects.values_list("member_id", "reason")),
        Decision.objects.count(),
        item.proposal.state,
    )


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- 200 members at once -----------------------------------------------------------------------------------


def _make_members(agreement, municipality, count: int) -> list[User]:
    """`count` styrgruppsledamöter, half for the university and half for the municipality, made in bulk."""
    users = User.objects.bulk_create(
        User(email=f"ledamot{n}@example.se", first_name="Ledamot", last_name=f"{n:03d}", password="!")
        for n in range(count)
    )
    users = list(User.objects.filter(email__startswith="ledamot").order_by("last_name"))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=user,
            agreement=agreement,
            organisation=agreement.university if n < count // 2 else municipality,
            role=Role.STEERING_MEMBER,
            valid_from=datetime.date(2024, 1, 1),
        )
        for n, user in enumerate(users)
    )
    return users


@pytest.mark.django_db(transaction=True)
def test_200_members_voting_concurrently_through_the_web_get_one_ballot_each():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite cannot serve 20 threads writing at once (set DATABASE_URL)")
    agreement = AgreementFactory()
    municipality = agreement.municipalities.get()
    secretary = process_leader(agreement)
    users = _make_members(agreement, municipality, 200)
    meeting = MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, secretary=secretary, starts_at=started()
    )
    item = AgendaItemFactory(
        meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="awaiting_decision")
    )
    vote = services.vote_open(item=item, by=secretary)
    choices = [Choice.YES, Choice.YES, Choice.NO, Choice.ABSTAIN]
    wanted = {user.pk: choices[n % len(choices)] for n, user in enumerate(users)}
    target = url("ballot_cast", item)

    def vote_as(user):
        try:
            client = Client()
            client.force_login(user)
            return client.post(target, {"choice": wanted[user.pk]}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(vote_as, users))

    vote.refresh_from_db()
    assert statuses == [302] * 200
    assert Ballot.objects.filter(vote=vote).count() == 200
    assert dict(Ballot.objects.filter(vote=vote).values_list("member_id", "choice")) == wanted
    # The last ballot closed the vote by itself, with the totals of every ballot.
    assert vote.status == VoteStatus.CLOSED
    assert (vote.result["yes"], vote.result["no"], vote.result["abstain"]) == (100, 50, 50)
    assert sorted(vote.snapshot["voted"]) == sorted(wanted)
    assert vote.outcome == VoteOutcome.ADOPTED


# --- refusals that change nothing --------------------------------------------------------------------------


def test_ballot_after_close_is_refused_and_changes_nothing(client, item, vote, chair, uni_member, leader):
    cast(client, uni_member, item, Choice.YES)
    services.vote_close(vote=vote, by=leader)
    before = world(item)

    response = cast(client, chair, item, Choice.NO)

    assert response.status_code == 302
    assert world(item) == before
    assert "Voteringen är stängd." in page_messages(client.get(item.get_absolute_url()))


def test_ballot_after_deadline_is_refused(client, item, leader, uni_member, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    vote = services.vote_open(item=item, by=leader, deadline=timezone.now() + datetime.timedelta(hours=1))
    time_machine.shift(datetime.timedelta(hours=2))
    before = world(item)

    cast(client, uni_member, item, Choice.YES)

    assert world(item) == before
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.OPEN  # the job closes it, not a late ballot


def test_recused_members_ballot_is_refused_and_changes_nothing(client, item, vote, uni_member):
    client.force_login(uni_member)
    client.post(url("recusal_declare", item), {"reason": "Närstående till sökande", "confirm": "on"})
    before = world(item)

    response = cast(client, uni_member, item, Choice.YES)

    assert response.status_code == 302
    assert world(item) == before
    assert "Du har anmält jäv i ärendet och kan inte rösta." in page_messages(
        client.get(item.get_absolute_url())
    )


@pytest.mark.parametrize("who", ["unrelated", "other_body", "secretary"])
def test_non_members_ballot_is_refused_and_changes_nothing(client, people, item, vote, chair, who):
    cast(client, chair, item, Choice.YES)
    before = world(item)

    response = cast(client, people[who], item, Choice.NO)

    assert response.status_code == 403
    assert world(item) == before


def test_bad_choice_is_refused_with_swedish_message(client, item, vote, uni_member):
    response = cast(client, uni_member, item, "maybe")

    assert response.status_code == 302
    assert not Ballot.objects.exists()
    assert "Välj bifall, avslag eller avstår." in page_messages(client.get(item.get_absolute_url()))


# --- one ballot per member, changeable until close ---------------------------------------------------------


def test_changed_choice_keeps_one_ballot_row_with_the_new_choice(client, item, vote, uni_member):
    cast(client, uni_member, item, Choice.YES)
    first = Ballot.objects.get()

    cast(client, uni_member, item, Choice.NO)

    ballot = Ballot.objects.get()
    assert ballot.pk == first.pk
    assert ballot.choice == Choice.NO
    assert ballot.cast_at == first.cast_at
    assert ballot.changed_at >= first.changed_at


def test_member_sees_own_choice_and_when_it_was_cast(client, item, vote, uni_member):
    cast(client, uni_member, item, Choice.ABSTAIN)

    page = client.get(item.get_absolute_url()).content.decode()

    assert "Din röst: Avstår" in page
    assert "avgiven" in page
    assert "Ändra röst" in page


def test_cofunding_item_offers_bevilja_medfinansiering(client, agreement, meeting, leader, uni_member):
    proposal = ProposalFactory(agreement=agreement, state="awaiting_decision", work_form=WorkForm.CO_FUNDING)
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    services.vote_open(item=item, by=leader)
    client.force_login(uni_member)

    page = client.get(item.get_absolute_url()).content.decode()
    cast(client, uni_member, item, Choice.YES)

    assert "Bevilja medfinansiering" in page
    assert "Din röst: Bevilja medfinansiering" in client.get(item.get_absolute_url()).content.decode()


# --- jäv ---------------------------------------------------------------------------------------------------


def test_applicants_who_sit_in_the_styrgrupp_are_recused_automatically(
    client, item, proposal, leader, uni_member
):
    with_co_researcher(proposal, uni_member)

    vote = services.vote_open(item=item, by=leader)

    recusal = Recusal.objects.get(vote=vote)
    assert (recusal.member, recusal.automatic, recusal.reason) == (uni_member, True, "Sökande i ärendet")
    before = world(item)
    cast(client, uni_member, item, Choice.YES)
    assert world(item) == before


def test_declared_jav_needs_a_reason_and_confirmation(client, item, vote, uni_member):
    client.force_login(uni_member)

    response = client.post(url("recusal_declare", item), {"reason": " ", "confirm": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ange skälet till jävet." in page
    assert "Bekräfta att du anmäler jäv." in page
    assert not Recusal.objects.exists()


def test_declared_jav_withdraws_an_earlier_ballot_and_is_shown_with_reason(
    client, item, vote, uni_member, chair
):
    cast(client, uni_member, item, Choice.YES)

    client.post(url("recusal_declare", item), {"reason": "Styrelseledamot i bolaget", "confirm": "on"})

    assert not Ballot.objects.filter(member=uni_member).exists()
    client.force_login(chair)
    status = client.get(url("vote_status", item)).content.decode()
    assert "Styrelseledamot i bolaget" in status


# --- closing -----------------------------------------------------------------------------------------------


def test_vote_closes_by_itself_when_every_entitled_member_has_voted(client, item, vote, members):
    for member in members[:-1]:
        cast(client, member, item, Choice.YES)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN

    response = cast(client, members[-1], item, Choice.NO)

    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    assert vote.closed_by is None
    assert "Alla röstberättigade har röstat – voteringen är stängd." in page_messages(
        client.get(response.url)
    )


def test_vote_closes_by_itself_when_the_last_member_declares_jav(client, item, vote, members):
    *voters, last = members
    for member in voters:
        cast(client, member, item, Choice.YES)
    client.force_login(last)
    client.post(url("recusal_declare", item), {"reason": "Styrelseledamot i leverantören", "confirm": "on"})

    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    assert vote.snapshot["recused"][0]["user_id"] == last.pk


def test_close_stores_snapshot_of_entitled_recused_and_voted(
    client, item, vote, members, leader, municipality
):
    chair, _uni_member, mats, eva = members
    cast(client, chair, item, Choice.YES)
    cast(client, mats, item, Choice.YES)
    client.force_login(eva)
    client.post(url("recusal_declare", item), {"reason": "Jävig", "confirm": "on"})
    client.force_login(leader)

    # The university is not beslutsför (one of two voted): the chair is warned first and nothing closes.
    warned = client.post(url("vote_close", item))
    vote.refresh_from_db()
    assert warned.status_code == 409 and vote.status == VoteStatus.OPEN
    assert "Stänger du nu blir voteringen ogiltig" in warned.content.decode()
    client.post(url("vote_close", item), {"confirm_void": "1"})

    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.closed_by == leader
    assert vote.outcome == VoteOutcome.NO_QUORUM
    assert {e["user_id"] for e in vote.snapshot["entitled"]} == {m.pk for m in members}
    assert vote.snapshot["recused"] == [{"user_id": eva.pk, "reason": "Jävig", "automatic": False}]
    assert sorted(vote.snapshot["voted"]) == sorted([chair.pk, mats.pk])


def test_result_per_party_is_computed_by_the_system(client, agreement, item, vote, members, leader):
    chair, uni_member, mats, eva = members
    cast(client, chair, item, Choice.YES)
    cast(client, uni_member, item, Choice.ABSTAIN)
    cast(client, mats, item, Choice.YES)
    cast(client, eva, item, Choice.NO)
    vote.refresh_from_db()

    expected = voting.count(
        members=[voting.Member(s.user_id, s.party_id) for s in members_of(item.meeting)],
        ballots={chair.pk: "yes", uni_member.pk: "abstain", mats.pk: "yes", eva.pk: "no"},
        rule=agreement.decision_rule,
        tie_break=agreement.tie_break,
        chair_id=chair.pk,
    )
    assert vote.result == expected.as_dict()
    # The municipality is tied 1–1. The chair sits for the university: the casting vote settles only the
    # chair's own party, never the municipality's – a tie there is not bifall, so the motion falls.
    assert vote.outcome == VoteOutcome.REJECTED
    by_party = {p["party_id"]: p["outcome"] for p in vote.result["parties"]}
    assert by_party[agreement.university_id] == voting.YES  # 1 bifall, 1 avstår
    assert voting.TIE in by_party.values()
    client.force_login(leader)
    status = client.get(url("vote_status", item)).content.decode()
    assert "Resultat per part" in status
    assert agreement.university.name in status
    assert "Lika röstetal – bifaller inte" in status
    assert "biföll inte" in status  # the result in words names the party it turned on


def test_close_by_member_is_refused(client, item, vote, uni_member):
    client.force_login(uni_member)
    before = world(item)

    assert client.post(url("vote_close", item)).status_code == 403
    assert world(item) == before


def test_deadline_job_closes_an_expired_vote_exactly_once(item, leader, members, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    vote = services.vote_open(item=item, by=leader, deadline=timezone.now() + datetime.timedelta(hours=1))
    services.ballot_cast(vote=vote, by=members[0], choice=Choice.YES)
    assert services.close_expired_votes() == []  # not yet expired

    time_machine.shift(datetime.timedelta(hours=1, minutes=1))
    first = services.close_expired_votes()
    vote.refresh_from_db()
    closed_at = vote.closed_at
    second = services.close_expired_votes()

    vote.refresh_from_db()
    assert first == [vote.pk]
    assert second == []
    assert vote.status == VoteStatus.CLOSED
    assert vote.closed_at == closed_at
    assert vote.outcome == VoteOutcome.NO_QUORUM  # one ballot of four
    assert Notification.objects.filter(event="vote_closed", user=members[1]).count() == 1


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
def test_deadline_job_through_a_real_celery_worker(celery_worker, item, leader, members):
    vote = services.vote_open(item=item, by=leader, deadline=timezone.now() + datetime.timedelta(hours=1))
    Vote.objects.filter(pk=vote.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))

    closed = close_expired_votes_task.delay().get(timeout=30)

    vote.refresh_from_db()
    assert closed == [vote.pk]
    assert vote.status == VoteStatus.CLOSED
    assert close_expired_votes_task.delay().get(timeout=30) == []


def test_vote_open_with_past_deadline_gives_swedish_message(client, item, leader):
    client.force_login(leader)

    response = client.post(
        url("vote_open", item), {"deadline": "2020-01-01T10:00", "open_ballots_after_close": "on"}
    )

    assert response.status_code == 302
    assert not Vote.objects.filter(status=VoteStatus.OPEN).exists()
    assert "Sista tid att rösta måste ligga i framtiden." in page_messages(client.get(response.url))


def test_vote_open_stores_deadline_and_open_ballots_choice(client, item, leader):
    client.force_login(leader)

    client.post(url("vote_open", item), {"deadline": "2030-03-10T17:00"})

    vote = Vote.objects.get()
    assert vote.status == VoteStatus.OPEN
    assert timezone.localtime(vote.deadline).strftime("%Y-%m-%d %H:%M") == "2030-03-10 17:00"
    assert vote.open_ballots_after_close is False  # the box was left unticked


# --- who sees what before and after close ------------------------------------------------------------------


def test_until_close_members_see_who_voted_but_not_how(client, item, vote, members):
    _chair, uni_member, mats, _eva = members
    cast(client, mats, item, Choice.NO)
    client.force_login(uni_member)

    status = client.get(url("vote_status", item)).content.decode()

    assert "Mats Kommunsson" in status
    assert "1 av 4 röstberättigade har röstat" in status
    assert "Avslag" not in status and "Bifall" not in status


def test_after_close_open_ballots_show_each_members_choice(client, item, vote, members, leader):
    _chair, uni_member, mats, _eva = members
    cast(client, mats, item, Choice.NO)
    services.vote_close(vote=vote, by=leader)
    client.force_login(uni_member)

    response = client.get(url("vote_status", item))

    status = response.content.decode()
    assert "Hur var och en röstade" in status
    assert "Mats Kommunsson" in status and "Avslag" in status


def test_after_close_secret_ballots_stay_secret(client, item, leader, members):
    _chair, uni_member, mats, _eva = members
    vote = services.vote_open(item=item, by=leader, open_ballots_after_close=False)
    cast(client, mats, item, Choice.NO)
    services.vote_close(vote=vote, by=leader)
    client.force_login(uni_member)

    status = client.get(url("vote_status", item)).content.decode()

    assert "Hur var och en röstade" not in status
    assert "Voteringen var sluten" in status


def test_vote_status_answers_204_when_nothing_changed(client, item, vote, members):
    client.force_login(members[1])
    first = client.get(url("vote_status", item))
    seen = first.context["fingerprint"]

    unchanged = client.get(url("vote_status", item), {"seen": seen})
    cast(client, members[2], item, Choice.YES)
    client.force_login(members[1])
    changed = client.get(url("vote_status", item), {"seen": seen})

    assert unchanged.status_code == 204
    assert changed.status_code == 200
    assert "Mats Kommunsson" in changed.content.decode()


def test_chair_view_polls_vote_status_in_a_live_region(client, item, vote, chair):
    client.force_login(chair)

    page = client.get(reverse("governance:chair_view", args=[item.meeting_id])).content.decode()

    assert f'hx-get="{url("vote_status", item)}"' in page
    assert 'hx-trigger="every 3s"' in page
    assert 'role="status" aria-live="polite"' in page
    assert "0 av 4 röstberättigade har röstat" in page  # also readable without JavaScript
    assert "Stäng voteringen" in page


# --- decisions ---------------------------------------------------------------------------------------------


def _closed_vote(item, leader, members, choice):
    vote = services.vote_open(item=item, by=leader)
    for member in members:
        services.ballot_cast(vote=vote, by=member, choice=choice)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    return vote


@pytest.mark.parametrize(
    ("work_form", "state", "choice", "kind", "expected"),
    [
        (
            WorkForm.PROJECT,
            ProposalState.AWAITING_DECISION,
            Choice.YES,
            DecisionKind.GRANT,
            ProposalState.GRANTED,
        ),
        (
            WorkForm.PROJECT,
            ProposalState.AWAITING_DECISION,
            Choice.NO,
            DecisionKind.GRANT,
            ProposalState.REJECTED,
        ),
        (
            WorkForm.CO_FUNDING,
            ProposalState.AWAITING_DECISION,
            Choice.YES,
            DecisionKind.COFUNDING,
            ProposalState.COFUNDING_APPROVED,
        ),
        (WorkForm.PROJECT, ProposalState.CLOSING, Choice.YES, DecisionKind.CLOSE, ProposalState.CLOSED),
        (WorkForm.PROJECT, ProposalState.CLOSING, Choice.NO, DecisionKind.CLOSE, ProposalState.ACTIVE),
    ],
    ids=["grant", "reject", "cofunding", "closure", "rejected-closure"],
)
def test_decision_from_vote_drives_the_proposal(
    client, agreement, meeting, leader, members, work_form, state, choice, kind, expected
):
    proposal = ProposalFactory(agreement=agreement, state=state, work_form=work_form)
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    assert item.kind == (ItemKind.CLOSURE if state == ProposalState.CLOSING else ItemKind.DECISION)
    vote = _closed_vote(item, leader, members, choice)
    client.force_login(leader)

    response = client.post(
        url("decision_create", item),
        {"kind": kind, "text": "Styrgruppen beslutar.", "amount_2026": "250 000", "amount_2027": "150000"},
    )

    proposal.refresh_from_db()
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert proposal.state == expected
    assert decision.vote == vote and not decision.by_acclamation
    if choice == Choice.NO:
        assert decision.kind == DecisionKind.REJECT
        assert not decision.amounts.exists()
    else:
        assert decision.kind == kind
    if kind in (DecisionKind.GRANT, DecisionKind.COFUNDING) and choice == Choice.YES:
        assert list(decision.amounts.values_list("year", "amount")) == [(2026, 250_000), (2027, 150_000)]


def test_grant_decision_page_shows_amounts_and_new_state(client, item, leader, members, proposal):
    _closed_vote(item, leader, members, Choice.YES)
    client.force_login(leader)

    response = client.post(
        url("decision_create", item),
        {"kind": DecisionKind.GRANT, "text": "Bevilja.", "amount_2026": "250000", "amount_2027": "0"},
        follow=True,
    )

    page = response.content.decode()
    assert "Beslut §1 är registrerat: Bevilja. Ärendet har nu status ”Beviljad”." in page
    assert "250\xa0000\xa0kr" in page


def test_decision_prefills_activity_goals_from_the_beredning(
    client, agreement, item, leader, members, proposal
):
    review = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, secretary=leader)
    AgendaItemFactory(
        meeting=review,
        proposal=proposal,
        outcome="forward",
        outcome_goals="Tre skolor",
        outcome_at=timezone.now(),
    )
    _closed_vote(item, leader, members, Choice.YES)
    client.force_login(leader)

    response = client.get(item.get_absolute_url())

    form = response.context["decision_form"]
    assert form["activity_goals"].value() == "Tre skolor"
    assert [f.name for f in form.amount_fields()] == ["amount_2026", "amount_2027"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12,5", "Ange ett helt antal kronor utan decimaler, t.ex. 250 000."),
        ("-3", "Beloppet kan inte vara negativt."),
        ("tio tusen", "Ange beloppet i hela kronor med siffror, t.ex. 250 000."),
    ],
    ids=["decimal", "negative", "words"],
)
def test_decision_with_bad_amount_gives_swedish_message_and_changes_nothing(
    client, item, leader, members, amount, message
):
    _closed_vote(item, leader, members, Choice.YES)
    client.force_login(leader)
    before = world(item)

    response = client.post(
        url("decision_create", item), {"kind": DecisionKind.GRANT, "text": "Bevilja.", "amount_2026": amount}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert world(item) == before
    assert not DecisionAmount.objects.exists()


def test_grant_without_amount_is_refused_with_message(client, item, leader, members):
    _closed_vote(item, leader, members, Choice.YES)
    client.force_login(leader)
    before = world(item)

    response = client.post(url("decision_create", item), {"kind": DecisionKind.GRANT, "text": "Bevilja."})

    assert "Ange beviljat belopp per år." in response.content.decode()
    assert world(item) == before


def test_decision_for_a_no_quorum_vote_is_refused(client, item, leader, members, proposal):
    vote = services.vote_open(item=item, by=leader)
    services.ballot_cast(vote=vote, by=members[0], choice=Choice.YES)
    services.vote_close(vote=vote, by=leader)
    vote.refresh_from_db()
    assert vote.outcome == VoteOutcome.NO_QUORUM
    client.force_login(leader)
    before = world(item)

    page = client.get(item.get_absolute_url()).content.decode()
    response = client.post(
        url("decision_create", item),
        {"kind": DecisionKind.GRANT, "text": "Bevilja.", "amount_2026": "1000"},
        follow=True,
    )

    assert "inte beslutsför" in page
    # After a void vote only a decision enligt förslag with the members' assent is possible.
    assert "Beslut enligt förslag kräver att ledamöterna samtycker" in response.content.decode()
    assert world(item) == before


def test_decision_while_vote_is_open_is_refused(client, item, vote, leader):
    client.force_login(leader)
    before = world(item)

    response = client.post(
        url("decision_create", item),
        {"kind": DecisionKind.GRANT, "text": "Bevilja.", "amount_2026": "1000"},
        follow=True,
    )

    assert "Voteringen måste vara stängd innan beslutet registreras." in response.content.decode()
    assert world(item) == before


def test_decision_by_acclamation_without_a_vote(client, item, chair, proposal):
    client.force_login(chair)

    client.post(
        url("decision_create", item),
        {"kind": DecisionKind.GRANT, "text": "Enligt förslag.", "amount_2026": "100000"},
    )

    decision = Decision.objects.get()
    proposal.refresh_from_db()
    assert decision.by_acclamation and decision.vote is None
    assert proposal.state == ProposalState.GRANTED


def test_decision_is_immutable_once_minutes_are_approved_and_corrected_by_a_new_one(
    agreement, item, leader, members, proposal
):
    vote = _closed_vote(item, leader, members, Choice.YES)
    decision = services.decision_from_vote(
        vote=vote, by=leader, kind=DecisionKind.GRANT, text="Bevilja 250 000 kr.", amounts={2026: 250_000}
    )
    Minutes.objects.create(meeting=item.meeting, approved_at=timezone.now())

    decision.text = "Ändrad i efterhand"
    with pytest.raises(ValidationError):
        decision.save()

    later = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, secretary=leader, chair=members[0])
    later_item = AgendaItemFactory(meeting=later, proposal=proposal, kind=ItemKind.OTHER, title="Rättelse")
    correction = services.decision_correct(
        decision=decision, by=leader, text="Rättat belopp.", amounts={2026: 200_000}, item=later_item
    )
    decision.refresh_from_db()
    assert correction.supersedes == decision
    assert decision.text == "Bevilja 250 000 kr."
    assert list(correction.amounts.values_list("year", "amount")) == [(2026, 200_000)]


# --- permission matrix -------------------------------------------------------------------------------------

VIEWS = {
    # name: (method, needs an open vote, data)
    "vote_open": ("post", False, {"open_ballots_after_close": "on"}),
    "ballot_cast": ("post", True, {"choice": Choice.YES}),
    "recusal_declare": ("post", True, {"reason": "Jävig", "confirm": "on"}),
    "vote_close": ("post", True, {"confirm_void": "1"}),
    "vote_status": ("get", True, {}),
    "decision_create": (
        "post",
        False,
        {"kind": DecisionKind.GRANT, "text": "Bevilja.", "amount_2026": "1000"},
    ),
}
ALLOWED = {
    "vote_open": {"chair", "secretary"},
    "ballot_cast": {"member", "chair"},  # the chair sits in the styrgrupp; the secretary does not
    "recusal_declare": {"member", "chair"},
    "vote_close": {"chair", "secretary"},
    "vote_status": {"member", "chair", "secretary"},
    "decision_create": {"chair", "secretary"},
    "chair_view": {"chair", "secretary"},
}
WHO = ["anonymous", "unrelated", "other_body", "member", "chair", "secretary"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", list(VIEWS))
def test_voting_view_permission_matrix(client, people, item, leader, name, who):
    method, needs_vote, data = VIEWS[name]
    if needs_vote:
        services.vote_open(item=item, by=leader)
    user = people[who]
    if user is not None:
        client.force_login(user)
    before = world(item)

    response = getattr(client, method)(url(name, item), data)

    if who == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert world(item) == before
    elif who in ALLOWED[name]:
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":
            assert world(item) != before
    else:
        assert response.status_code == 403
        assert world(item) == before


@pytest.mark.parametrize("who", WHO)
def test_chair_view_permission_matrix(client, people, meeting, item, who):
    user = people[who]
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("governance:chair_view", args=[meeting.pk]))

    if who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if who in ALLOWED["chair_view"] else 403)


@pytest.mark.parametrize(
    "name", ["vote_open", "ballot_cast", "recusal_declare", "vote_close", "decision_create"]
)
def test_post_only_voting_views_refuse_get(client, leader, item, name):
    client.force_login(leader)

    assert client.get(url(name, item)).status_code == 405


def test_voting_on_a_beredning_item_is_404(client, agreement, leader):
    review = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, secretary=leader)
    item = AgendaItemFactory(meeting=review, proposal=ProposalFactory(agreement=agreement, state="in_review"))
    client.force_login(leader)

    assert client.post(url("vote_open", item)).status_code == 404
    assert not Vote.objects.exists()


def test_vote_in_another_agreement_is_refused_for_this_styrgrupps_members(client, item, vote, uni_member):
    other_agreement = AgreementFactory(municipalities=[MunicipalityFactory()])
    other_meeting = MeetingFactory(agreement=other_agreement, kind=MeetingKind.STEERING, starts_at=started())
    other_item = AgendaItemFactory(
        meeting=other_meeting, proposal=ProposalFactory(agreement=other_agreement, state="awaiting_decision")
    )
    services.vote_open(item=other_item, by=other_meeting.secretary)
    before = world(item)

    response = cast(client, uni_member, other_item, Choice.YES)

    assert response.status_code == 403
    assert world(item) == before
