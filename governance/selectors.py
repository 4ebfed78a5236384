"""Reads for governance: who sits in a meeting body, what a member must do."""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.enums import OrganisationKind, Role
from samverkan.models import RoleAssignment

from .enums import BodyKind


@dataclass(frozen=True)
class Seat:
    user_id: int
    party_id: int
    is_university: bool
    user: object = None


def members_of(meeting) -> list[Seat]:
    """The members of the meeting's body, drawn from active role assignments: styrgruppsledamöter for the
    styrgrupp; beredningsledamöter of every party for the kommungemensam beredning; for a municipality's
    beredningsgrupp, that municipality's (and its companies') members plus the university's."""
    body = meeting.body
    role = Role.STEERING_MEMBER if body.kind == BodyKind.STEERING_GROUP else Role.REVIEW_MEMBER
    assignments = (
        RoleAssignment.objects.active(meeting.starts_at.date())
        .filter(agreement_id=meeting.agreement_id, role=role)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")
    )
    seats: dict[int, Seat] = {}
    for a in assignments:
        party_id = a.organisation.parent_id or a.organisation_id
        is_university = a.organisation.kind == OrganisationKind.UNIVERSITY
        if body.kind == BodyKind.REVIEW_GROUP and not is_university and party_id != body.municipality_id:
            continue
        seats.setdefault(a.user_id, Seat(a.user_id, party_id, is_university, a.user))
    return list(seats.values())


def seat_of(meeting, user) -> Seat | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = meeting.__dict__.setdefault("_seats", None)
    if cache is None:
        cache = meeting._seats = {s.user_id: s for s in members_of(meeting)}
    return cache.get(user.pk)
