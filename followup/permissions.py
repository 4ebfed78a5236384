"""May this user do X in follow-up? The one place that decides, for follow-up reports, dissemination events
and effect goals. Team membership and processledare come from the applications policy; agreement roles from
the core policy."""

from __future__ import annotations

from applications import permissions as proposal_policy
from applications.enums import ProposalState
from samverkan import permissions as core
from samverkan.enums import Role

from .enums import ReportState

EVENT_ROLES = (Role.PROCESS_LEADER, Role.COMMUNICATOR)
GOAL_VIEW_ROLES = (
    Role.PROCESS_LEADER,
    Role.COMMUNICATOR,
    Role.STEERING_MEMBER,
    Role.STEERING_DEPUTY,
    Role.SIGNATORY,
)
FOLLOW_UP_STATES = (ProposalState.ACTIVE, ProposalState.CLOSING, ProposalState.CLOSED)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view_followup(user, proposal) -> bool:
    """Whoever sees the proposal sees its follow-up."""
    return proposal_policy.can_view_proposal(user, proposal)


def can_edit_report(user, report) -> bool:
    """The project team writes and submits its reports while the project runs and the report is open."""
    return (
        report.is_open
        and report.proposal.state == ProposalState.ACTIVE
        and proposal_policy.is_team_member(user, report.proposal)
    )


def can_treat_report(user, report) -> bool:
    """Processledare put a submitted report on a beredning/styrgrupp agenda and record the feedback."""
    return report.state == ReportState.SUBMITTED and is_process_leader(user, report.proposal.agreement_id)


def is_process_leader(user, agreement_id: int) -> bool:
    return core.is_superuser(user) or core.has_role(user, agreement_id, Role.PROCESS_LEADER)


def can_change_end_date(user, proposal) -> bool:
    """After a styrgrupp decision, a processledare records a running project's new end date."""
    return proposal.state == ProposalState.ACTIVE and is_process_leader(user, proposal.agreement_id)


def can_register_presentation(user, proposal) -> bool:
    """The team books its own presentation; processledare and kommunikatörer arrange the programme."""
    if proposal.state not in (ProposalState.ACTIVE, ProposalState.CLOSING):
        return False
    return proposal_policy.is_team_member(user, proposal) or can_manage_events(user, proposal.agreement_id)


def can_manage_events(user, agreement_id: int) -> bool:
    return core.is_superuser(user) or core.has_role(user, agreement_id, *EVENT_ROLES)


def can_add_event(user, agreement) -> bool:
    """A new event for an agreement whose events the person manages (None: no such agreement to choose)."""
    return agreement is not None and can_manage_events(user, agreement.pk)


def can_list_events(user) -> bool:
    return core.is_superuser(user) or core.has_any_role(user, *EVENT_ROLES)


def can_view_goals(user, agreement_id: int) -> bool:
    return core.is_superuser(user) or core.has_role(user, agreement_id, *GOAL_VIEW_ROLES)


def can_manage_goals(user, agreement_id: int) -> bool:
    return is_process_leader(user, agreement_id)


def can_view_overview(user) -> bool:
    """The processledare's follow-up overview (and everything due across their agreements)."""
    return core.is_superuser(user) or core.has_any_role(user, Role.PROCESS_LEADER)


def overview_agreement_ids(user) -> set[int] | None:
    if core.is_superuser(user):
        return None
    return core.agreement_ids_with_role(user, Role.PROCESS_LEADER)


def can_view_goal_pages(user) -> bool:
    return core.is_superuser(user) or core.has_any_role(user, *GOAL_VIEW_ROLES)


def can_view_goals_somewhere(user) -> bool:
    """The goals index: an agreement whose goals the person sees (any agreement, for an administrator)."""
    if core.is_superuser(user):
        from samverkan.models import Agreement

        return Agreement.objects.exists()
    return can_view_goal_pages(user)
