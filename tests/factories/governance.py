"""Factories for meeting bodies, meetings and agenda items, and helpers for the people who sit in them.

    agreement = AgreementFactory()
    member = review_member(agreement)                       # university beredningsledamot
    officer = review_member(agreement, agreement.municipalities.first())
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW)
    proposal = ProposalFactory(agreement=agreement, state="submitted")
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)

Rows are written directly (tests only): AgendaItemFactory does not move the proposal to in_review – call
governance.services.item_add for that.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from governance.enums import BodyKind, ItemKind, MeetingKind, MeetingStatus
from governance.models import AgendaItem, Body, Meeting
from governance.services.meetings import BODY_FOR_KIND, ensure_bodies
from samverkan.enums import Role
from tests.factories.samverkan import AgreementFactory, person_with_role

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def review_member(agreement, party=None, **kwargs):
    """A new beredningsledamot for `party` (default: the university)."""
    return person_with_role(agreement, Role.REVIEW_MEMBER, organisation=party, **kwargs)


def steering_member(agreement, party=None, **kwargs):
    """A new styrgruppsledamot for `party` (default: the university)."""
    return person_with_role(agreement, Role.STEERING_MEMBER, organisation=party, **kwargs)


def process_leader(agreement, party=None, **kwargs):
    return person_with_role(agreement, Role.PROCESS_LEADER, organisation=party, **kwargs)


def body_for(agreement, kind: str, municipality=None) -> Body:
    """The agreement's body for a meeting kind (ensure_bodies creates them); a beredning goes to the given
    municipality's beredningsgrupp, by default the first municipality's."""
    bodies = ensure_bodies(agreement)
    body_kind = BODY_FOR_KIND[kind]
    if body_kind == BodyKind.REVIEW_GROUP:
        municipality = municipality or agreement.municipalities.order_by("pk").first()
        return next(b for b in bodies if b.kind == body_kind and b.municipality_id == municipality.pk)
    return next(b for b in bodies if b.kind == body_kind)


def in_days(days: int, hour: int = 13, minute: int = 0) -> datetime.datetime:
    """An aware datetime `days` from today at hour:minute Swedish time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def started(minutes: int = 5) -> datetime.datetime:
    """A meeting start `minutes` ago: an ordinary meeting's votes open, and it decides enligt förslag, only
    once it has started."""
    return timezone.now() - datetime.timedelta(minutes=minutes)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("agreement", "name")

    agreement = factory.SubFactory(AgreementFactory)
    kind = BodyKind.JOINT_REVIEW
    municipality = None
    name = factory.LazyAttribute(lambda o: BodyKind(o.kind).label)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting in two weeks, 13–16 Swedish time, in the body that fits `kind`. The secretary is a
    new processledare of the agreement (as when a processledare books it); no chair unless given."""

    class Meta:
        model = Meeting

    class Params:
        municipality = None

    agreement = factory.SubFactory(AgreementFactory)
    kind = MeetingKind.JOINT_REVIEW
    body = factory.LazyAttribute(lambda o: body_for(o.agreement, o.kind, o.municipality))
    title = factory.LazyAttribute(lambda o: f"{MeetingKind(o.kind).label} {o.starts_at:%Y-%m-%d}")
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    location = "Mälardalens universitet, sal U2-024"
    video_link = ""
    chair = None
    secretary = factory.LazyAttribute(lambda o: process_leader(o.agreement))
    status = MeetingStatus.PLANNED


def _item_kind(o) -> str:
    if o.proposal is None:
        return ItemKind.INFORMATION
    if o.meeting.is_steering:
        return ItemKind.CLOSURE if o.proposal.state == "closing" else ItemKind.DECISION
    return ItemKind.PITCH if o.proposal.state == "pitch" else ItemKind.APPLICATION


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """An agenda item; with a proposal, its kind follows the meeting and the proposal's state and the
    responsible researcher and tjänsteperson present it (as item_add does)."""

    class Meta:
        model = AgendaItem
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    proposal = None
    order = factory.LazyAttribute(lambda o: o.meeting.items.count() + 1)
    kind = factory.LazyAttribute(_item_kind)
    title = factory.LazyAttribute(lambda o: o.proposal.title if o.proposal else "Information från kommunerna")
    duration_minutes = 15

    @factory.post_generation
    def presenters(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is not None:
            obj.presenters.set(extracted)
        elif obj.proposal is not None:
            proposal = obj.proposal
            obj.presenters.set(
                [u for u in (proposal.responsible_researcher, proposal.responsible_officer) if u]
            )


def signatory(agreement, party=None, **kwargs):
    """A new firmatecknare for `party` (default: the university), e.g. title="Rektor"."""
    return person_with_role(agreement, Role.SIGNATORY, organisation=party, **kwargs)
