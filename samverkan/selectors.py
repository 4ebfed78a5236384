"""Reads of the core domain, filtered by the permission policy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from . import permissions
from .enums import Role
from .models import Agreement, Organisation, RoleAssignment


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
