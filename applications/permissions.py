"""May this user do X to this proposal? The one place that decides, for applications.

The team – responsible researcher, other researchers, responsible tjänsteperson – is what the proposal's
fields say (`team_q`, `on_team`): the one source, whoever changes it (the services, the admin). Beyond the
team, an administrator may grant one person access to one proposal with a django-guardian object
permission (`view_proposal` to read it, `change_proposal` to work on it as the team does). Agreement roles
(processledare, kommunikatör, beredning, styrgrupp) come from the core policy.
"""

from __future__ import annotations

from django.db.models import Q
from guardian.core import ObjectPermissionChecker

from samverkan import permissions as core
from samverkan.enums import Role

from .enums import ProposalState
from .models import Proposal

S = ProposalState
EDITABLE_STATES = {S.DIALOG, S.PITCH, S.APPLICATION}
# Beredning and styrgrupp members see proposals once they have been submitted.
REVIEW_VISIBLE_STATES = set(ProposalState) - {S.DIALOG, S.PITCH, S.APPLICATION, S.WITHDRAWN}
STAFF_ROLES = (Role.PROCESS_LEADER, Role.COMMUNICATOR)
REVIEW_ROLES = (
    Role.REVIEW_MEMBER,
    Role.REVIEW_DEPUTY,
    Role.STEERING_MEMBER,
    Role.STEERING_DEPUTY,
    Role.SIGNATORY,
)


# --- the team: the proposal's fields ------------------------------------------------------------------------


def team_q(user, prefix: str = "") -> Q:
    """Proposals (or, with `prefix` such as "proposal__", rows of a proposal) on whose team the user is."""
    # The ids first, from three indexed lookups (UNION), then the rows by primary key: as one query (an OR
    # with an IN-subquery, or IN the UNION) PostgreSQL scans every proposal – 12–20 ms for a researcher on
    # 500 of 10 000 proposals, against 1–2 ms for the two.
    team_ids = (
        Proposal.objects.filter(responsible_researcher_id=user.pk)
        .order_by()
        .values("pk")
        .union(
            Proposal.objects.filter(responsible_officer_id=user.pk).order_by().values("pk"),
            Proposal.researchers.through.objects.filter(user_id=user.pk).order_by().values("proposal_id"),
        )
    )
    # `in_ids` (samverkan/lookups.py): the ids as one array parameter, not one parameter per id.
    return Q(**{f"{prefix}pk__in_ids": list(team_ids.values_list("pk", flat=True))})


def _co_researcher_ids(proposal) -> set[int]:
    ids = proposal.__dict__.get("_co_researcher_ids")
    if ids is None:
        prefetched = getattr(proposal, "_prefetched_objects_cache", {}).get("researchers")
        if prefetched is not None:
            ids = {user.pk for user in prefetched}
        else:
            ids = set(proposal.researchers.values_list("pk", flat=True)) if proposal.pk else set()
        proposal.__dict__["_co_researcher_ids"] = ids
    return ids


def forget_team(proposal) -> None:
    """Drop the team read from this proposal object (after its researchers changed)."""
    proposal.__dict__.pop("_co_researcher_ids", None)


def on_team(user, proposal) -> bool:
    """Is the user responsible researcher, co-researcher or responsible tjänsteperson of the proposal."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    return pk in (proposal.responsible_researcher_id, proposal.responsible_officer_id) or pk in (
        _co_researcher_ids(proposal)
    )


# --- ad-hoc grants: django-guardian -------------------------------------------------------------------------


def _checker(user) -> ObjectPermissionChecker:
    checker = getattr(user, "_applications_checker", None)
    if checker is None:
        checker = user._applications_checker = ObjectPermissionChecker(user)
    return checker


def forget(user) -> None:
    """Drop cached object permissions and roles (after they changed within one request, and in tests)."""
    user.__dict__.pop("_applications_checker", None)
    core.forget_grants(user)


def is_team_member(user, proposal) -> bool:
    """Works on the proposal as its team does: on the team, or granted `change_proposal` on it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return on_team(user, proposal) or _checker(user).has_perm("change_proposal", proposal)


def proposal_party_ids(proposal) -> set[int]:
    """The parties a proposal concerns: the university, and the municipality of each municipal organisation
    named on it (a company acts within its municipality). An idea that names no municipality yet concerns
    every party of the agreement."""
    parties = getattr(proposal, "_party_ids", None)
    if parties is None:
        rows = proposal.municipal_organisations.values_list("pk", "parent_id") if proposal.pk else []
        municipal = {parent or pk for pk, parent in rows}
        if not municipal:
            municipal = proposal.agreement.party_ids() - {proposal.agreement.university_id}
        parties = proposal._party_ids = {proposal.agreement.university_id, *municipal}
    return parties


def is_process_leader(user, proposal) -> bool:
    """A processledare acts on a proposal only for a party the proposal concerns: the university's for
    every proposal, a municipality's for its own (and its companies') proposals."""
    if core.is_superuser(user):
        return True
    if not core.has_role(user, proposal.agreement_id, Role.PROCESS_LEADER):
        return False
    parties = proposal_party_ids(proposal)
    return any(
        core.has_role(user, proposal.agreement_id, Role.PROCESS_LEADER, party_id=party) for party in parties
    )


def can_view_proposal(user, proposal) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if core.is_superuser(user) or core.has_role(user, proposal.agreement_id, *STAFF_ROLES):
        return True
    if on_team(user, proposal) or _checker(user).has_perm("view_proposal", proposal):
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


def can_create_any_proposal(user) -> bool:
    """The new-proposal form: a forskare, tjänsteperson or processledare of some agreement."""
    return bool(agreements_for_new_proposals(user))


# The actors a person acts as from the proposal page (the transition URL). Every other actor – "governance"
# (a beredning outcome or a styrgrupp decision), "documents" (signed and registered decision documents),
# "reports" (a submitted final report) – is the consequence of a record made elsewhere: only that app's
# service runs it, with `proposal_transition(authorised=True)`, never a person by URL.
PERSON_ACTORS = frozenset({"applicant", "processledare"})


def transition_actor(proposal, name: str) -> str | None:
    transition = _transition_meta(proposal, name)
    return None if transition is None else transition.custom.get("actor")


def can_transition(user, proposal, name: str) -> bool:
    """May this person run the lifecycle transition themselves: applicants their team's steps, a
    processledare of a party the proposal concerns the steps declared for processledare. Withdrawal is the
    applicants' (or their processledare's) own choice before a decision."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    actor = transition_actor(proposal, name)
    if actor not in PERSON_ACTORS:
        return False
    if name == "withdraw":
        return _applies(user, proposal) or is_process_leader(user, proposal)
    if actor == "applicant":
        return _applies(user, proposal)
    return is_process_leader(user, proposal)


def _applies(user, proposal) -> bool:
    """An applicant's step is the team's own declaration: an administrator's blanket object permissions do
    not make them an applicant."""
    if user.is_superuser:
        return on_team(user, proposal)
    return is_team_member(user, proposal)


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


def can_view_template(user, template) -> bool:
    """A template is read by those who see its agreement's pipeline (processledare, kommunikatörer)."""
    if not can_view_pipeline(user):
        return False
    ids = pipeline_agreement_ids(user)
    return ids is None or template.agreement_id in ids


def can_create_template(user) -> bool:
    """The new-template form: a processledare of some agreement, or an administrator when there is an
    agreement to create it for."""
    if not can_view_pipeline(user):
        return False
    if core.is_superuser(user):
        from samverkan.models import Agreement

        return Agreement.objects.exists()
    return bool(core.agreement_ids_with_role(user, Role.PROCESS_LEADER))


def can_view_my_proposals(user) -> bool:
    return core.is_superuser(user) or core.has_any_role(user, Role.RESEARCHER, Role.OFFICER)
