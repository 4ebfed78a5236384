"""Reads of the core domain, filtered by the permission policy."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from . import permissions
from .enums import Role
from .models import Agreement, Organisation, RoleAssignment, User


def agreements_for(user) -> QuerySet[Agreement]:
    qs = Agreement.objects.select_related("university").prefetch_related(
        Prefetch("municipalities", queryset=Organisation.objects.order_by("name"))
    )
    if permissions.is_superuser(user):
        return qs
    ids = permissions.agreement_ids_with_role(
        user, *permissions.AGREEMENT_VIEW_ROLES
    ) | permissions.guardian_agreement_ids(user)
    return qs.filter(pk__in=ids)


def agreement_people(agreement: Agreement) -> list[dict]:
    """People per role in the agreement, grouped by role then party, for the agreement page – with those
    appointed in another agreement of the samverkansorganisation to a role of the whole organisation
    (processledare, kommunikatörer, the beredning's members), who act here too."""
    assignments = (
        RoleAssignment.objects.active()
        .filter(
            Q(agreement=agreement)
            | Q(agreement_id__in=agreement.sibling_ids(), role__in=permissions.COLLABORATION_ROLES)
        )
        .select_related("user", "organisation", "organisation__parent", "agreement")
        .order_by("role", "organisation__name", "user__last_name", "user__first_name")
    )
    groups: dict[str, dict] = {}
    seen: set[tuple] = set()
    for assignment in assignments:
        key = (assignment.role, assignment.user_id, assignment.organisation_id)
        if key in seen:
            continue
        seen.add(key)
        group = groups.setdefault(assignment.role, {"role": assignment.get_role_display(), "assignments": []})
        group["assignments"].append(assignment)
    order = {role.value: index for index, role in enumerate(Role)}
    return [groups[role] for role in sorted(groups, key=order.__getitem__)]


def sibling_agreements(agreement: Agreement) -> QuerySet[Agreement]:
    """The other agreements of the agreement's samverkansorganisation."""
    if agreement.collaboration_id is None:
        return Agreement.objects.none()
    return (
        Agreement.objects.filter(collaboration_id=agreement.collaboration_id)
        .exclude(pk=agreement.pk)
        .order_by("name")
    )


def roles_of(user) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.active()
        .filter(user=user)
        .select_related("agreement", "organisation")
        .order_by("agreement__name", "role")
    )


def people_with_role(
    agreement: Agreement | int | Iterable[int],
    *roles: str,
    organisation: Organisation | int | Iterable[int] | None = None,
) -> QuerySet[User]:
    """The active people who hold any of `roles` today in the agreement (or in any of several agreements,
    given their ids) – for `organisation` (one, or several ids) when given – each once, by name."""
    ids = [getattr(agreement, "pk", agreement)] if isinstance(agreement, Agreement | int) else list(agreement)
    # A role of the whole samverkansorganisation (permissions.COLLABORATION_ROLES) counts from any of its
    # agreements.
    wide = [r for r in roles if r in permissions.COLLABORATION_ROLES]
    in_scope = Q(role__in=roles, agreement_id__in=ids)
    if wide:
        in_scope |= Q(role__in=wide, agreement__collaboration__agreements__id__in=ids)
    assignments = RoleAssignment.objects.active().filter(in_scope)
    if isinstance(organisation, Organisation | int):
        assignments = assignments.filter(organisation_id=getattr(organisation, "pk", organisation))
    elif organisation is not None:
        assignments = assignments.filter(organisation_id__in=list(organisation))
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "last_name", "first_name", "email"
    )
