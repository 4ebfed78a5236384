"""Who signs a decision document: the university and every municipal party the activity involves, each by
its active firmatecknare, each on its own copy. Shared by the policy (permissions.can_sign_document) and the
document services."""

from __future__ import annotations

from samverkan.enums import Role
from samverkan.models import Organisation, RoleAssignment, collaboration_agreement_ids

from .models import DecisionDocument


def municipal_parties(proposal) -> list[Organisation]:
    """The municipal organisations that sign and keep a copy, one per municipal party the activity involves
    (a programme may involve several): the company when the application is anchored in a municipal company
    of that party (signed by its kommunbolagschef), the municipality when it is itself involved, otherwise
    the party's first involved company. Without involved organisations: the anchoring organisation or the
    agreement's municipality."""
    involved = list(proposal.municipal_organisations.order_by("name"))
    anchoring = proposal.anchoring_organisation
    if not involved:
        fallback = anchoring or proposal.agreement.municipalities.order_by("name").first()
        return [fallback] if fallback is not None else []
    by_party: dict[int, list[Organisation]] = {}
    for org in involved:
        by_party.setdefault(org.parent_id or org.pk, []).append(org)
    signing = []
    for party_id, orgs in by_party.items():
        if anchoring is not None and (anchoring.parent_id or anchoring.pk) == party_id:
            signing.append(anchoring)
        else:
            signing.append(next((o for o in orgs if o.pk == party_id), orgs[0]))
    # The anchoring organisation's party first (copy 2), then the others by name.
    anchor_party = (anchoring.parent_id or anchoring.pk) if anchoring is not None else None
    return sorted(signing, key=lambda o: ((o.parent_id or o.pk) != anchor_party, o.name))


def municipal_party_organisation(proposal) -> Organisation | None:
    """The first municipal party's signing organisation (copy 2)."""
    parties = municipal_parties(proposal)
    return parties[0] if parties else None


def signing_organisations(document: DecisionDocument) -> list[Organisation]:
    proposal = document.decision.proposal
    return [proposal.agreement.university, *municipal_parties(proposal)]


def signatories(document: DecisionDocument) -> dict[int, list]:
    """Organisation id → the persons who may sign for it (active firmatecknare of that very organisation,
    appointed in any agreement of the samverkansorganisation: a programme's other municipality signs under
    its own agreement)."""
    orgs = signing_organisations(document)
    assignments = (
        RoleAssignment.objects.active()
        .filter(
            agreement_id__in=collaboration_agreement_ids(document.decision.meeting.agreement_id),
            role=Role.SIGNATORY,
            organisation__in=orgs,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    result: dict[int, list] = {org.pk: [] for org in orgs}
    for a in assignments:
        if all(other.user_id != a.user_id for other in result[a.organisation_id]):
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
