"""Who may see and change an application budget. The budget is part of the application, so it follows the
proposal's own policy: whoever may view the proposal sees its budget; the team edits it while they write."""

from __future__ import annotations

from applications import permissions as proposals


def can_view_budget(user, proposal) -> bool:
    return proposals.can_view_proposal(user, proposal)


def can_edit_budget(user, proposal) -> bool:
    return proposals.can_edit_proposal(user, proposal)


# --- The agreement's economy -----------------------------------------------------------------------------
# Processledare follow the economy and keep it (Samverkansmodellen, "Roller och ansvar": "Följer upp ekonomi
# och projektportfölj"); styrgrupp members read it; a project's team sees its own project's figures.


def _roles():
    from samverkan import permissions as policy
    from samverkan.enums import Role

    return policy, Role


def can_manage_economy(user, agreement) -> bool:
    policy, Role = _roles()
    return policy.is_superuser(user) or policy.has_role(user, agreement, Role.PROCESS_LEADER)


def can_view_economy(user, agreement) -> bool:
    policy, Role = _roles()
    return policy.is_superuser(user) or policy.has_role(
        user, agreement, Role.PROCESS_LEADER, Role.STEERING_MEMBER
    )


def can_see_economy_anywhere(user) -> bool:
    policy, Role = _roles()
    return policy.is_superuser(user) or policy.has_any_role(user, Role.PROCESS_LEADER, Role.STEERING_MEMBER)


def economy_agreement_ids(user) -> set[int] | None:
    """The agreements whose economy the user may read; None = all (superuser)."""
    policy, Role = _roles()
    if policy.is_superuser(user):
        return None
    return policy.agreement_ids_with_role(user, Role.PROCESS_LEADER, Role.STEERING_MEMBER)


def can_edit_plan(user, plan) -> bool:
    """A processledare keeps the year's activity plan until the styrgrupp has decided it (then it is
    frozen: copied to next year, never changed)."""
    return not plan.is_frozen and can_manage_economy(user, plan.agreement_id)


def can_view_project_economy(user, proposal) -> bool:
    return can_view_economy(user, proposal.agreement_id) or proposals.is_team_member(user, proposal)


def can_report_spending(user, proposal) -> bool:
    """Follow-up reports declare spending: the project's team and the processledare."""
    return proposals.is_team_member(user, proposal) or can_manage_economy(user, proposal.agreement_id)


def can_override_frame(user, agreement) -> bool:
    """Only a processledare may decide over a line's frame, with a written reason."""
    policy, Role = _roles()
    return policy.has_role(user, agreement, Role.PROCESS_LEADER) or policy.is_superuser(user)
