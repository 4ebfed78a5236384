"""Reads of the core domain, filtered by the permission policy."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

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
    """People per role in the agreement, grouped by role then party, for the agreement page."""
    assignments = (
        RoleAssignment.objects.active()
        .filter(agreement=agreement)
        .select_related("user", "organisation", "organisation__parent")
        .order_by("role", "organisation__name", "user__last_name", "user__first_name")
    )
    groups: dict[str, dict] = {}
    for assignment in assignments:
        group = groups.setdefault(assignment.role, {"role": assignment.get_role_display(), "assignments": []})
        group["assignments"].append(assignment)
    order = {role.value: index for index, role in enumerate(Role)}
    return [groups[role] for role in sorted(groups, key=order.__getitem__)]


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
    assignments = RoleAssignment.objects.active().filter(role__in=roles)
    if isinstance(agreement, Agreement | int):
        assignments = assignments.filter(agreement_id=getattr(agreement, "pk", agreement))
    else:
        assignments = assignments.filter(agreement_id__in=list(agreement))
    if isinstance(organisation, Organisation | int):
        assignments = assignments.filter(organisation_id=getattr(organisation, "pk", organisation))
    elif organisation is not None:
        assignments = assignments.filter(organisation_id__in=list(organisation))
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "last_name", "first_name", "email"
    )
