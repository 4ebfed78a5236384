"""Factories for reports: a proposal history written at given moments (time-machine), published projects,
communication plans."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory
import time_machine

from applications.models import Proposal, ProposalTransition
from reports.models import CommunicationActivity, CommunicationGoal, CommunicationPlan, Publication
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.samverkan import person_with_role

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day, hour=12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def proposal_at(moment: datetime.datetime, **kwargs) -> Proposal:
    """A proposal registered at `moment` (in Dialog)."""
    with time_machine.travel(moment, tick=False):
        return ProposalFactory(**kwargs)


def move(
    proposal: Proposal, target: str, moment: datetime.datetime, name: str = "test"
) -> ProposalTransition:
    """Record a transition at `moment` and put the proposal in `target` (history as the services write it)."""
    with time_machine.travel(moment, tick=False):
        row = ProposalTransition.objects.create(
            proposal=proposal, transition=name, source=proposal.state, target=target, by=proposal.created_by
        )
        Proposal.objects.filter(pk=proposal.pk).update(state=target, state_changed_at=moment)
    proposal.refresh_from_db()
    return row


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    proposal = factory.SubFactory(ProposalFactory, state="active")
    published = True
    show_researcher = True
    published_at = factory.LazyFunction(lambda: at(2026, 5, 1))


class CommunicationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationPlan

    agreement = factory.SubFactory("tests.factories.samverkan.AgreementFactory")
    year = 2027
    purpose = "Sprida resultat från samverkan till medarbetare och medborgare."
    target_groups = "Medarbetare i kommunerna\nForskare"
    channels = "Nyhetsbrev\nSeminarier"
    created_by = factory.LazyAttribute(lambda o: person_with_role(o.agreement, Role.COMMUNICATOR))


def complete_plan(plan: CommunicationPlan) -> CommunicationPlan:
    CommunicationGoal.objects.create(
        plan=plan, text="Fler medarbetare känner till projekten", effect_goal="70 % ny kunskap"
    )
    CommunicationActivity.objects.create(
        plan=plan,
        title="Resultatseminarium",
        target_group="Medarbetare",
        channel="Seminarium",
        timing="Kvartal 2",
        responsible="Kommunikatören",
        cost=40000,
    )
    return plan
