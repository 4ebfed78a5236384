"""Reads for governance: who sits in a meeting body, what a member must do."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Value, When, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Proposal
from samverkan import permissions as core
from samverkan.enums import OrganisationKind, Role
from samverkan.models import RoleAssignment, collaboration_agreement_ids

from .enums import BodyKind, ItemKind, MeetingKind, MeetingStatus, VoteStatus
from .models import AgendaItem, Assessment, Ballot, Meeting, Recusal, Vote

ASSESSED_KINDS = (ItemKind.APPLICATION, ItemKind.PITCH)


@dataclass(frozen=True)
class Seat:
    """A person's place in a meeting body: an ordinary member, or a deputy (ersättare) of the party, who
    takes an ordinary member's seat for an item when the member is absent or recused (seating.py)."""

    user_id: int
    party_id: int
    is_university: bool
    user: object = None
    deputy: bool = False


# The role of an ordinary member and of a deputy, per kind of body.
SEAT_ROLES = {
    BodyKind.STEERING_GROUP: (Role.STEERING_MEMBER, Role.STEERING_DEPUTY),
    BodyKind.JOINT_REVIEW: (Role.REVIEW_MEMBER, Role.REVIEW_DEPUTY),
    BodyKind.REVIEW_GROUP: (Role.REVIEW_MEMBER, Role.REVIEW_DEPUTY),
}


def _seats(meeting, body_kind, agreement_ids, where: Q | None = None) -> list[Seat]:
    """Seats from the role assignments of a body's kind active on the meeting's day, in the given agreements:
    one per person, the ordinary members first, then the deputies; `where` narrows the assignments."""
    member_role, deputy_role = SEAT_ROLES[body_kind]
    assignments = (
        RoleAssignment.objects.active(meeting.starts_at.date())
        .filter(where or Q(), agreement_id__in=agreement_ids, role__in=(member_role, deputy_role))
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    seats: dict[int, Seat] = {}
    for a in sorted(assignments, key=lambda a: a.role == deputy_role):  # stable: ordinary first
        party_id = a.organisation.parent_id or a.organisation_id
        is_university = a.organisation.kind == OrganisationKind.UNIVERSITY
        seats.setdefault(a.user_id, Seat(a.user_id, party_id, is_university, a.user, a.role == deputy_role))
    return list(seats.values())


def members_of(meeting) -> list[Seat]:
    """The members of the meeting's body, drawn from role assignments active on the meeting's day:
    styrgruppsledamöter for the styrgrupp; beredningsledamöter of every party for the kommungemensam
    beredning (appointed by every agreement of the samverkansorganisation); for a municipality's
    beredningsgrupp, that municipality's (and its companies') members plus the university's. The ordinary
    members first, then the deputies (ersättare) – who are called too, and hold a seat for an item only in
    place of an absent or recused member (seating.py)."""
    body = meeting.body
    where = None
    if body.kind == BodyKind.REVIEW_GROUP:
        where = (
            Q(organisation__kind=OrganisationKind.UNIVERSITY)
            | Q(organisation_id=body.municipality_id)
            | Q(organisation__parent_id=body.municipality_id)
        )
    return _seats(meeting, body.kind, meeting.agreement_ids(), where)


def joint_seats(meeting, party_ids) -> list[Seat]:
    """Seats for a joint decision: the styrgrupp members (and deputies) of `party_ids` appointed in the other
    agreements of the meeting's samverkansorganisation. A programme of one agreement that involves another
    agreement's municipality is decided jointly: that municipality's own styrgrupp members sit for it."""
    if not party_ids or not meeting.is_steering:
        return []
    others = collaboration_agreement_ids(meeting.agreement_id) - {meeting.agreement_id}
    if not others:
        return []
    in_parties = Q(organisation_id__in=party_ids) | Q(organisation__parent_id__in=party_ids)
    return _seats(meeting, BodyKind.STEERING_GROUP, others, in_parties)


def seats_by_user(meeting) -> dict[int, Seat]:
    """`members_of` by user id, read once per meeting object: a request that checks a member's seat and then
    seats the item (a cast ballot) reads the role assignments once."""
    cache = meeting.__dict__.get("_seats")
    if cache is None:
        cache = meeting._seats = {s.user_id: s for s in members_of(meeting)}
    return cache


def seat_of(meeting, user) -> Seat | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return seats_by_user(meeting).get(user.pk)


def member_q(user, prefix: str = ""):
    """A Q matching meetings whose body the user sits in, by their active role assignments (the same rule as
    selectors.members_of, evaluated in the database so lists need no query per meeting)."""
    q = Q(pk__in=[])
    for grant in core.grants(user):
        on_agreement = Q(**{f"{prefix}agreement_id": grant.agreement_id})
        if grant.role in (Role.STEERING_MEMBER, Role.STEERING_DEPUTY):
            q |= on_agreement & Q(**{f"{prefix}body__kind": BodyKind.STEERING_GROUP})
        elif grant.role in (Role.REVIEW_MEMBER, Role.REVIEW_DEPUTY):
            q |= on_agreement & (
                Q(**{f"{prefix}body__kind": BodyKind.JOINT_REVIEW})
                | Q(
                    **{
                        f"{prefix}body__kind": BodyKind.REVIEW_GROUP,
                        f"{prefix}body__municipality_id": grant.party_id,
                    }
                )
                | Q(
                    **{
                        f"{prefix}body__kind": BodyKind.REVIEW_GROUP,
                        f"{prefix}agreement__university_id": grant.party_id,
                    }
                )
            )
    return q


REVIEW_KINDS = (MeetingKind.REVIEW, MeetingKind.JOINT_REVIEW, MeetingKind.PRE_REVIEW)  # Meeting.is_review


def entitled_votes_q(user, prefix: str = "") -> Q:
    """Votes the user is entitled to as an ordinary styrgrupp member: on items without a proposal, or whose
    proposal involves the user's party (the database form of seating.deciding_party_ids). A deputy holds a
    seat only when called in, and is told so then."""
    parties = {g.party_id for g in core.grants(user) if g.role == Role.STEERING_MEMBER}
    proposal = f"{prefix}item__proposal"
    involved = Proposal.municipal_organisations.through.objects.filter(proposal_id=OuterRef(f"{proposal}_id"))
    return Q(**{f"{proposal}__isnull": True}) | (
        Q(**{f"{prefix}item__meeting__kind": MeetingKind.STEERING})
        & (
            Q(**{f"{proposal}__agreement__university_id__in": parties})
            | Exists(involved.filter(Q(organisation_id__in=parties) | Q(organisation__parent_id__in=parties)))
            | ~Exists(involved)
        )
    )


def _todo_q(user, member_q, now) -> Q:
    """Meetings where the user has something to do – the database form of the rules in `_todo_rows`
    (assess, vote, approve minutes), so the start page reads only those meetings."""
    submitted = Assessment.objects.filter(item_id=OuterRef("pk"), member=user, submitted_at__isnull=False)
    to_assess = AgendaItem.objects.filter(
        ~Exists(submitted), meeting_id=OuterRef("pk"), kind__in=ASSESSED_KINDS
    )
    to_vote = Vote.objects.filter(
        Q(deadline__isnull=True) | Q(deadline__gt=now),
        entitled_votes_q(user),
        ~Exists(Ballot.objects.filter(vote_id=OuterRef("pk"), member=user)),
        ~Exists(Recusal.objects.filter(item_id=OuterRef("item_id"), member=user)),
        status=VoteStatus.OPEN,
        item__meeting_id=OuterRef("pk"),
    )
    assess = (
        member_q
        & Q(kind__in=REVIEW_KINDS, status__in=[MeetingStatus.PLANNED, MeetingStatus.INVITED])
        & Exists(to_assess)
    )
    vote = member_q & Exists(to_vote)
    approve = Q(status=MeetingStatus.HELD, minutes__isnull=False, minutes__approved_at__isnull=True) & (
        Q(chair=user, minutes__chair_approved_at__isnull=True)
        | Q(minutes__adjuster=user, minutes__adjuster_approved_at__isnull=True)
    )
    return assess | vote | approve


def _user_meetings(user, member_q, now, *, only_with_todos: bool):
    presented = AgendaItem.objects.filter(meeting_id=OuterRef("pk"), presenters=user)
    meetings = Meeting.objects.filter(
        member_q
        | Q(chair=user)
        | Q(secretary=user)
        | Q(minutes__adjuster=user)
        | Q(pk__in=AgendaItem.objects.filter(presenters=user).values("meeting_id"))
    ).exclude(status=MeetingStatus.MINUTES_APPROVED)
    if only_with_todos:
        meetings = meetings.filter(_todo_q(user, member_q, now))
    return (
        meetings.annotate(
            as_member=Case(
                When(member_q, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            as_presenter=Exists(presented),
        )
        .select_related("body", "agreement", "minutes")
        .order_by("starts_at", "pk")
    )


def meeting_todos(user, *, only_with_todos: bool = False) -> list[dict]:
    """The user's meetings (as member, chair, secretary, adjuster or presenter) not yet closed by approved
    minutes, with what they must do: assess applications they have not submitted, vote where they have
    neither voted nor declared jäv, approve minutes. Upcoming meetings are listed even with nothing to do
    (unless `only_with_todos`). Four queries at most, whatever the number of meetings and items."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return []
    now = timezone.now()
    seats_q = member_q(user)
    meetings = list(_user_meetings(user, seats_q, now, only_with_todos=only_with_todos))
    return _todo_rows(user, meetings, now, only_with_todos=only_with_todos)


def meeting_todos_first(user, limit: int) -> tuple[list[dict], int]:
    """The start page's part of `meeting_todos(user, only_with_todos=True)`: its first `limit` rows and
    how many there are in all. The database picks the meetings with something to do and counts them
    (COUNT(*) OVER ()), so at most `limit` meetings are read: three queries at most."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return [], 0
    now = timezone.now()
    seats_q = member_q(user)
    meetings = list(
        _user_meetings(user, seats_q, now, only_with_todos=True).annotate(
            todo_total=Window(expression=Count("pk"))
        )[:limit]
    )
    total = meetings[0].todo_total if meetings else 0
    return _todo_rows(user, meetings, now, only_with_todos=True), total


def _todo_rows(user, meetings: list, now, *, only_with_todos: bool) -> list[dict]:
    member_ids = [m.pk for m in meetings if m.as_member]
    assess_ids = [
        m.pk
        for m in meetings
        if m.as_member and m.is_review and m.status in (MeetingStatus.PLANNED, MeetingStatus.INVITED)
    ]
    to_assess: dict[int, int] = {}
    if assess_ids:
        submitted = Assessment.objects.filter(member=user, submitted_at__isnull=False).values("item_id")
        to_assess = dict(
            AgendaItem.objects.filter(meeting_id__in=assess_ids, kind__in=ASSESSED_KINDS)
            .exclude(pk__in=submitted)
            .order_by()
            .values("meeting_id")
            .annotate(n=Count("pk"))
            .values_list("meeting_id", "n")
        )
    to_vote: dict[int, int] = {}
    if member_ids:
        to_vote = dict(
            Vote.objects.filter(status=VoteStatus.OPEN, item__meeting_id__in=member_ids)
            .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
            .filter(entitled_votes_q(user))
            .exclude(pk__in=Ballot.objects.filter(member=user).values("vote_id"))
            .exclude(item_id__in=Recusal.objects.filter(member=user).values("item_id"))
            .order_by()
            .values("item__meeting_id")
            .annotate(n=Count("pk"))
            .values_list("item__meeting_id", "n")
        )
    rows = []
    for meeting in meetings:
        minutes = getattr(meeting, "minutes", None)
        approve = bool(
            minutes is not None
            and meeting.status == MeetingStatus.HELD
            and minutes.approved_at is None
            and (
                (user.pk == meeting.chair_id and minutes.chair_approved_at is None)
                or (user.pk == minutes.adjuster_id and minutes.adjuster_approved_at is None)
            )
        )
        assess = to_assess.get(meeting.pk, 0)
        vote = to_vote.get(meeting.pk, 0)
        has_todo = bool(assess or vote or approve)
        upcoming = meeting.ends_at >= now
        if not has_todo and (only_with_todos or not upcoming):
            continue
        roles = []
        if meeting.as_member:
            roles.append(_("Ledamot"))
        if user.pk == meeting.chair_id:
            roles.append(_("Ordförande"))
        if user.pk == meeting.secretary_id:
            roles.append(_("Sekreterare"))
        if minutes is not None and user.pk == minutes.adjuster_id:
            roles.append(_("Justerare"))
        if meeting.as_presenter:
            roles.append(_("Föredragande"))
        rows.append(
            {
                "meeting": meeting,
                "roles": roles,
                "assess": assess,
                "vote": vote,
                "approve": approve,
                "has_todo": has_todo,
                "upcoming": upcoming,
            }
        )
    return rows
