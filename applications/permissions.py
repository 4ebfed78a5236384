"""May this user do X to this proposal? The one place that decides, for applications.

Team members (responsible researcher, other researchers, responsible tjänsteperson) hold django-guardian
object permissions on their proposal (`view_proposal`, `change_proposal`), granted and revoked by the
services when the team changes. Agreement roles (processledare, kommunikatör, beredning, styrgrupp) come
from the core policy.
"""

from __future__ import annotations

from guardian.core import ObjectPermissionChecker

from samverkan import permissions as core
from samverkan.enums import Role

from .enums import ProposalState

S = ProposalState
EDITABLE_STATES = {S.DIALOG, S.PITCH, S.APPLICATION}
# Beredning and styrgrupp members see proposals once they have been submitted.
REVIEW_VISIBLE_STATES = set(ProposalState) - {S.DIALOG, S.PITCH, S.APPLICATION, S.WITHDRAWN}
STAFF_ROLES = (Role.PROCESS_LEADER, Role.COMMUNICATOR)
REVIEW_ROLES = (Role.REVIEW_MEMBER, Role.STEERING_MEMBER, Role.SIGNATORY)


def _checker(user) -> ObjectPermissionChecker:
    checker = getattr(user, "_applications_checker", None)
    if checker is None:
        checker = user._applications_checker = ObjectPermissionChecker(user)
    return checker


def forget(user) -> None:
    """Drop cached object permissions (after the team changed within one request, and in tests)."""
    user.__dict__.pop("_applications_checker", None)
    core.forget_grants(user)


def prefetch(user, proposals) -> None:
    """Load the user's object permissions for many proposals in one query (lists)."""
    if getattr(user, "is_authenticated", False) and proposals:
        _checker(user).prefetch_perms(proposals)


def is_team_member(user, proposal) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _checker(user).has_perm("change_proposal", proposal)


def is_process_leader(user, proposal) -> bool:
    return core.is_superuser(user) or core.has_role(user, proposal.agreement_id, Role.PROCESS_LEADER)


def can_view_proposal(user, proposal) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if core.is_superuser(user) or core.has_role(user, proposal.agreement_id, *STAFF_ROLES):
        return True
    if _checker(user).has_perm("view_proposal", proposal):
        return True
    return proposal.state in REVIEW_VISIBLE_STATES and core.has_role(
        user, proposal.agreement_id, *REVIEW_ROLES
    )


def can_edit_proposal(user, proposal) -> bool:
    """Applicants write while the proposal is an idea, a pitch or an application under work."""
    return proposal.state in EDITABLE_STATES and is_team_member(user, proposal)


def can_confirm_anchoring(user, proposal) -> bool:
    """Only the responsible tjänsteperson confirms förankring in their organisation."""
    return (
        proposal.state in EDITABLE_STATES
        and proposal.responsible_officer_id is not None
        and getattr(user, "pk", None) == proposal.responsible_officer_id
        and user.is_active
    )


def can_create_proposal(user, agreement) -> bool:
    return core.is_superuser(user) or core.has_role(
        user, agreement, Role.RESEARCHER, Role.OFFICER, Role.PROCESS_LEADER
    )


def agreements_for_new_proposals(user) -> set[int]:
    return core.agreement_ids_with_role(user, Role.RESEARCHER, Role.OFFICER, Role.PROCESS_LEADER)


def can_transition(user, proposal, name: str) -> bool:
    """Who may run a lifecycle transition. Transitions whose actor is another part of the app (beredning,
    styrgrupp, documents, reports) are run by their services on behalf of the processledare/secretary."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    transition = _transition_meta(proposal, name)
    if transition is None:
        return False
    actor = transition.custom.get("actor")
    if name == "withdraw":
        return is_team_member(user, proposal) or is_process_leader(user, proposal)
    if actor == "applicant" or name == "submit_final_report":
        return is_team_member(user, proposal)
    return is_process_leader(user, proposal)


def _transition_meta(proposal, name: str):
    for transition in proposal.get_all_state_transitions():
        if transition.name == name:
            return transition
    return None


def can_view_pipeline(user) -> bool:
    return core.is_superuser(user) or core.has_any_role(user, *STAFF_ROLES)


def pipeline_agreement_ids(user) -> set[int] | None:
    """Agreements whose pipeline the user sees; None means all (superuser)."""
    if core.is_superuser(user):
        return None
    return core.agreement_ids_with_role(user, *STAFF_ROLES)


def can_manage_templates(user, agreement) -> bool:
    return core.is_superuser(user) or core.has_role(user, agreement, Role.PROCESS_LEADER)


def can_view_my_proposals(user) -> bool:
    return core.is_superuser(user) or core.has_any_role(user, Role.RESEARCHER, Role.OFFICER)
