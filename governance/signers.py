"""Who signs a decision document: the university and the municipal party, each by its active firmatecknare.
Shared by the policy (permissions.can_sign_document) and the document services."""

from __future__ import annotations

from samverkan.enums import Role
from samverkan.models import Organisation, RoleAssignment

from .models import DecisionDocument


def municipal_party_organisation(proposal) -> Organisation:
    """The municipal organisation that signs and keeps copy 2: the company when the application is anchored
    in a municipal company (signed by its kommunbolagschef), otherwise the municipality."""
    org = proposal.anchoring_organisation
    if org is None:
        org = proposal.municipal_organisations.order_by("name").first()
    if org is None:
        org = proposal.agreement.municipalities.order_by("name").first()
    return org


def signing_organisations(document: DecisionDocument) -> list[Organisation]:
    proposal = document.decision.proposal
    return [proposal.agreement.university, municipal_party_organisation(proposal)]


def signatories(document: DecisionDocument) -> dict[int, list]:
    """Organisation id → the persons who may sign for it (active firmatecknare of that very organisation)."""
    orgs = signing_organisations(document)
    assignments = (
        RoleAssignment.objects.active()
        .filter(
            agreement_id=document.decision.meeting.agreement_id, role=Role.SIGNATORY, organisation__in=orgs
        )
        .select_related("user")
    )
    result: dict[int, list] = {org.pk: [] for org in orgs}
    for a in assignments:
        result[a.organisation_id].append(a)
    return result


def signing_assignment(user, document: DecisionDocument):
    """The firmatecknare assignment under which `user` may sign this document, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    for assignments in signatories(document).values():
        for a in assignments:
            if a.user_id == user.pk:
                return a
    return None
