"""The permission policy: the one place that decides "may this user do X to this object".

Roles are scoped: a person holds a role *in an agreement for an organisation* during a period
(RoleAssignment). Beyond roles, an administrator can grant a single person access to a single object with
django-guardian object permissions (e.g. an auditor who may view one agreement). Views, templates and
APIs ask the functions here; nothing else looks at roles.

All role look-ups for a user are read in one query and kept on the user object for the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from .enums import Role
from .models import Agreement, RoleAssignment

# Roles that see an agreement's page (parties, people per role, period).
AGREEMENT_VIEW_ROLES = frozenset(
    {Role.PROCESS_LEADER, Role.COMMUNICATOR, Role.STEERING_MEMBER, Role.STEERING_DEPUTY, Role.SIGNATORY}
)


@dataclass(frozen=True)
class Grant:
    agreement_id: int
    organisation_id: int
    party_id: int  # the university or municipality the organisation acts for
    role: str


# Roles held for the whole samverkansorganisation: a processledare or kommunikatör appointed in one of its
# agreements acts in all of them, and the beredning's members (appointed per agreement) sit in the
# kommungemensam beredning of every agreement. Styrgrupp seats and signatories stay with their agreement.
COLLABORATION_ROLES = frozenset(
    {Role.PROCESS_LEADER, Role.COMMUNICATOR, Role.REVIEW_MEMBER, Role.REVIEW_DEPUTY}
)


def grants(user) -> tuple[Grant, ...]:
    """The user's active role assignments, read once per request (one query). A role of
    COLLABORATION_ROLES counts in every agreement of the assignment's samverkansorganisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_samverkan_grants", None)
    if cached is None:
        rows = (
            RoleAssignment.objects.active()
            .filter(user=user)
            .values_list(
                "agreement_id",
                "organisation_id",
                "organisation__parent_id",
                "role",
                "agreement__collaboration__agreements__id",
            )
        )
        found: dict[Grant, None] = {}  # ordered, without repeats
        for agreement_id, org, parent, role, sibling in rows:
            found[Grant(agreement_id, org, parent or org, role)] = None
            if sibling is not None and role in COLLABORATION_ROLES:
                found[Grant(sibling, org, parent or org, role)] = None
        cached = tuple(found)
        user._samverkan_grants = cached
    return cached


def forget_grants(user) -> None:
    """Drop the per-request cache (after role changes within one request, and in tests)."""
    user.__dict__.pop("_samverkan_grants", None)


def _agreement_id(agreement: Agreement | int) -> int:
    return agreement if isinstance(agreement, int) else agreement.pk


def has_role(user, agreement: Agreement | int, *roles: str, party_id: int | None = None) -> bool:
    agreement_id = _agreement_id(agreement)
    return any(
        g.agreement_id == agreement_id and g.role in roles and (party_id is None or g.party_id == party_id)
        for g in grants(user)
    )


def has_any_role(user, *roles: str) -> bool:
    return any(g.role in roles for g in grants(user))


def agreement_ids_with_role(user, *roles: str) -> set[int]:
    return {g.agreement_id for g in grants(user) if g.role in roles}


def roles_in(user, agreement: Agreement | int) -> set[str]:
    agreement_id = _agreement_id(agreement)
    return {g.role for g in grants(user) if g.agreement_id == agreement_id}


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


# --- Agreements -------------------------------------------------------------------------------------------


def can_view_agreement(user, agreement: Agreement) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_superuser(user) or has_role(user, agreement, *AGREEMENT_VIEW_ROLES):
        return True
    return user.has_perm("samverkan.view_agreement", agreement)


def can_manage_agreement(user, agreement: Agreement) -> bool:
    """Processledare (of any party) run the agreement's process."""
    return is_superuser(user) or has_role(user, agreement, Role.PROCESS_LEADER)


def can_list_agreements(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_superuser(user) or agreement_ids_with_role(user, *AGREEMENT_VIEW_ROLES):
        return True
    return bool(guardian_agreement_ids(user))


def guardian_agreement_ids(user) -> set[int]:
    """Agreements shared with this person one by one (django-guardian), without a role."""
    if getattr(user, "_samverkan_guardian_agreements", None) is None:
        from guardian.shortcuts import get_objects_for_user

        from .models import Agreement

        qs = get_objects_for_user(
            user, "samverkan.view_agreement", klass=Agreement, accept_global_perms=False, with_superuser=False
        )
        user._samverkan_guardian_agreements = set(qs.values_list("pk", flat=True))
    return user._samverkan_guardian_agreements


def can_use_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)
