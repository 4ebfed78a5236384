"""The topology of seed 004 (issue 16): one agreement per municipality, each with its own styrgrupp, grouped
in a samverkansorganisation that shares the kommungemensam beredning, the processledare and the
kommunikatörer. A proposal is decided by its own agreement's styrgrupp; a programme that involves another
agreement's municipality is decided jointly – that municipality's own styrgrupp members sit for it – and
yields a signed copy per party; the project starts only when every copy is registered."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.enums import ProposalState, WorkForm
from applications.services import TransitionRefused, proposal_set_project_account, proposal_start
from governance import services
from governance.enums import Choice, MeetingKind, VoteOutcome, VoteStatus
from governance.models import AgendaItem, Ballot, Vote
from governance.seating import seating_now
from governance.selectors import members_of
from governance.services.documents import copy_register, document_generate, document_sign
from samverkan import permissions as core
from samverkan.enums import Role
from samverkan.models import Agreement, Collaboration
from samverkan.selectors import people_with_role
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    process_leader,
    review_member,
    signatory,
    steering_member,
)
from tests.factories.samverkan import (
    PASSWORD,
    AgreementFactory,
    MunicipalityFactory,
    UniversityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """MDU with one agreement each for Eskilstuna and Västerås, in one samverkansorganisation."""
    mdu = UniversityFactory(name="Mälardalens universitet", short_name="MDU", diarium_prefix="MDU")
    eskilstuna = MunicipalityFactory(name="Eskilstuna kommun", short_name="Eskilstuna", diarium_prefix="KSKF")
    vasteras = MunicipalityFactory(name="Västerås stad", short_name="Västerås", diarium_prefix="KS")
    collaboration = Collaboration.objects.create(name="Samverkan i Mälardalen", university=mdu)
    esk = AgreementFactory(university=mdu, municipalities=[eskilstuna], collaboration=collaboration)
    vas = AgreementFactory(university=mdu, municipalities=[vasteras], collaboration=collaboration)
    return {
        "mdu": mdu,
        "eskilstuna": eskilstuna,
        "vasteras": vasteras,
        "esk": esk,
        "vas": vas,
        "leader": process_leader(esk, user__first_name="Anna", user__last_name="Lindqvist"),
        "chair": steering_member(esk, user__first_name="Helena", user__last_name="Wik"),
        "mats": steering_member(esk, eskilstuna, user__first_name="Mats", user__last_name="Larsson"),
        "eva": steering_member(vas, vasteras, user__first_name="Eva", user__last_name="Persson"),
        "vas_uni": steering_member(vas, user__first_name="Per", user__last_name="Ek"),
    }


def steering_item(w, *, municipalities, work_form=WorkForm.PROJECT):
    proposal = ProposalFactory(agreement=w["esk"], state=ProposalState.AWAITING_DECISION, work_form=work_form)
    proposal.municipal_organisations.set(municipalities)
    meeting = MeetingFactory(
        agreement=w["esk"],
        kind=MeetingKind.STEERING,
        chair=w["chair"],
        secretary=w["leader"],
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def ballots():
    return sorted(Ballot.objects.values_list("member_id", "choice"))


# --- roles of the samverkansorganisation and roles of one agreement -----------------------------------------


def test_processledare_and_beredning_serve_the_whole_collaboration_but_styrgrupp_seats_do_not(world):
    w = world
    reviewer = review_member(w["vas"], w["vasteras"])

    assert core.has_role(w["leader"], w["vas"], Role.PROCESS_LEADER)
    assert core.has_role(reviewer, w["esk"], Role.REVIEW_MEMBER)
    assert not core.has_role(w["mats"], w["vas"], Role.STEERING_MEMBER)
    assert w["leader"] in people_with_role(w["vas"], Role.PROCESS_LEADER)
    assert w["mats"] not in people_with_role(w["vas"], Role.STEERING_MEMBER)
    assert w["esk"].sibling_ids() == {w["esk"].pk, w["vas"].pk}


def test_an_agreement_outside_any_collaboration_keeps_its_roles_to_itself(world):
    alone = AgreementFactory(university=world["mdu"])
    leader = process_leader(alone)

    assert not core.has_role(leader, world["esk"], Role.PROCESS_LEADER)
    assert alone.sibling_ids() == {alone.pk}


def test_the_kommungemensam_beredning_seats_every_agreements_members_and_takes_every_agreements_proposals(
    world,
):
    w = world
    esk_reviewer = review_member(w["esk"], w["eskilstuna"])
    vas_reviewer = review_member(w["vas"], w["vasteras"])
    meeting = MeetingFactory(agreement=w["esk"], kind=MeetingKind.JOINT_REVIEW, secretary=w["leader"])
    vasteras_application = ProposalFactory(agreement=w["vas"], state=ProposalState.SUBMITTED)

    assert {s.user_id for s in members_of(meeting)} >= {esk_reviewer.pk, vas_reviewer.pk}
    item = services.item_add(meeting=meeting, by=w["leader"], proposal=vasteras_application)

    assert item.proposal == vasteras_application
    vasteras_application.refresh_from_db()
    assert vasteras_application.state == ProposalState.IN_REVIEW


def test_a_styrgrupp_refuses_another_agreements_proposal_and_nothing_changes(world):
    w = world
    meeting = MeetingFactory(agreement=w["esk"], kind=MeetingKind.STEERING, secretary=w["leader"])
    vasteras_proposal = ProposalFactory(agreement=w["vas"], state=ProposalState.AWAITING_DECISION)

    with pytest.raises(ValidationError, match="det beslutas av det avtalets styrgrupp"):
        services.item_add(meeting=meeting, by=w["leader"], proposal=vasteras_proposal)

    assert not AgendaItem.objects.filter(proposal=vasteras_proposal).exists()


# --- who decides --------------------------------------------------------------------------------------------


def test_an_eskilstuna_proposal_is_decided_by_the_eskilstuna_styrgrupp_only(world):
    w = world
    item = steering_item(w, municipalities=[w["eskilstuna"]])
    vote = services.vote_open(item=item, by=w["leader"])
    before = ballots()

    with pytest.raises(PermissionDenied):
        services.ballot_cast(vote=vote, by=w["eva"], choice=Choice.NO)

    assert ballots() == before
    assert {s.holder.user_id for s in seating_now(item).seats} == {w["chair"].pk, w["mats"].pk}
    for member in (w["chair"], w["mats"]):
        services.ballot_cast(vote=vote, by=member, choice=Choice.YES)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.ADOPTED


def test_vasteras_member_gets_403_on_an_eskilstuna_item_in_the_browser_path(client, world):
    w = world
    item = steering_item(w, municipalities=[w["eskilstuna"]])
    services.vote_open(item=item, by=w["leader"])
    client.force_login(w["eva"])

    response = client.post(
        f"/moten/{item.meeting_id}/punkter/{item.pk}/votering/rosta/", {"choice": Choice.YES}
    )

    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_an_involved_party_without_anyone_to_sit_for_it_is_reported_before_the_vote_opens(world):
    w = world
    strangnas = MunicipalityFactory(name="Strängnäs kommun")
    w["esk"].municipalities.add(strangnas)  # a party of the agreement with no styrgrupp member
    item = steering_item(w, municipalities=[w["eskilstuna"], strangnas])

    assert seating_now(item).parties_without_voters == [strangnas.pk]
    with pytest.raises(services.VotingError, match="Strängnäs kommun"):
        services.vote_open(item=item, by=w["leader"])
    assert not Vote.objects.filter(item=item).exclude(status=VoteStatus.DRAFT).exists()


# --- a programme of two municipalities: one joint decision, a copy per party --------------------------------


@pytest.fixture
def programme(world):
    return steering_item(
        world, municipalities=[world["eskilstuna"], world["vasteras"]], work_form=WorkForm.PROGRAMME
    )


def test_a_programme_is_decided_jointly_with_the_other_agreements_municipality(world, programme, client):
    w = world
    seating = seating_now(programme)
    assert {s.holder.user_id for s in seating.seats} == {w["chair"].pk, w["mats"].pk, w["eva"].pk}
    assert sorted(p.party_id for p in seating.parties) == sorted(
        [w["mdu"].pk, w["eskilstuna"].pk, w["vasteras"].pk]
    )
    # Eva sits for Västerås in the Eskilstuna agreement's styrgrupp for this item only: she sees it and votes.
    client.force_login(w["eva"])
    assert client.get(programme.get_absolute_url()).status_code == 200
    vote = services.vote_open(item=programme, by=w["leader"])
    services.ballot_cast(vote=vote, by=w["eva"], choice=Choice.NO)
    services.ballot_cast(vote=vote, by=w["chair"], choice=Choice.YES)
    services.ballot_cast(vote=vote, by=w["mats"], choice=Choice.YES)

    vote.refresh_from_db()
    # Each party decides its own position: Västerås says no, so the programme is not granted.
    assert vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.REJECTED
    # The university member of the Västerås agreement does not sit: the university has its seat already.
    assert w["vas_uni"].pk not in {s.holder.user_id for s in seating.seats}


def test_a_programme_gets_a_signed_copy_per_party_and_starts_only_when_every_copy_is_registered(
    world, programme, signing_keys
):
    w = world
    rektor = signatory(w["esk"], title="Rektor")
    esk_director = signatory(w["esk"], w["eskilstuna"], title="Kommundirektör")
    vas_director = signatory(w["vas"], w["vasteras"], title="Stadsdirektör")
    decision = services.decision_by_acclamation(
        item=programme,
        by=w["chair"],
        kind="grant",
        text="Styrgruppen beviljar programmet.",
        amounts={2027: 500_000},
    )

    document = document_generate(decision.pk)
    copies = list(document.copies.order_by("number"))
    assert [c.organisation for c in copies] == [w["mdu"], w["eskilstuna"], w["vasteras"]]
    for person in (rektor, esk_director, vas_director):
        document_sign(document=document, by=person, password=PASSWORD)
    proposal = decision.proposal
    proposal_set_project_account(proposal=proposal, by=w["leader"], account="P-2027-17")
    # Each party's processledare registers its own copy; Västerås' is appointed in the Västerås agreement.
    esk_leader = process_leader(w["esk"], w["eskilstuna"])
    vas_leader = process_leader(w["vas"], w["vasteras"])
    copy_register(copy=copies[0], by=w["leader"], diarienummer="MDU-2027/1")
    copy_register(copy=copies[1], by=esk_leader, diarienummer="KSKF-2027/1")

    with pytest.raises(TransitionRefused, match="Alla exemplar"):
        proposal_start(proposal=proposal, by=w["leader"])
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.GRANTED

    copy_register(copy=copies[2], by=vas_leader, diarienummer="KS-2027/1")
    proposal_start(proposal=proposal, by=w["leader"])
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACTIVE


# --- existing data ------------------------------------------------------------------------------------------


def test_the_migration_groups_each_universitys_agreements_into_one_collaboration():
    mdu = UniversityFactory(name="Mälardalens universitet")
    other = UniversityFactory(name="Örebro universitet")
    first, second = AgreementFactory(university=mdu), AgreementFactory(university=mdu)
    third = AgreementFactory(university=other)
    migration = importlib.import_module("samverkan.migrations.0007_collaboration")

    migration.group_agreements(apps, None)

    first, second, third = (Agreement.objects.get(pk=a.pk) for a in (first, second, third))
    assert first.collaboration == second.collaboration != third.collaboration
    assert first.collaboration.name == "Samverkansorganisation Mälardalens universitet"
    assert first.collaboration.university == mdu


def test_the_agreement_page_names_the_collaboration_its_other_agreements_and_who_acts_from_them(
    client, world
):
    w = world
    client.force_login(w["leader"])

    page = client.get(w["vas"].get_absolute_url()).content.decode()

    assert "Samverkan i Mälardalen" in page
    assert f'href="{w["esk"].get_absolute_url()}"' in page
    # The processledare appointed in the Eskilstuna agreement acts in the Västerås agreement too.
    assert "Anna Lindqvist" in page and f"utsedd i {w['esk'].name}" in page
    # Styrgrupp seats are the agreement's own: Mats Larsson sits in Eskilstuna's styrgrupp, not Västerås'.
    assert "Mats Larsson" not in page and "Eva Persson" in page
