"""After the October styrgrupp: the signed decision documents. The beslutsunderlag of "Energieffektiva…" is
signed by the rektor and the kommunbolagschef, registered in both diaria and the project starts; the one of
"Språkutveckling i förskolan…" is signed by the rektor only."""

from __future__ import annotations

import fcntl
import io

from django.core.management import call_command

from applications import services as application_services
from samverkan.demo import DEMO_PASSWORD, person
from samverkan.enums import Role
from samverkan.models import Organisation, RoleAssignment

from .. import services, signing
from ..enums import DecisionKind, DocumentStatus
from ..models import (
    DecisionDocument,
    DocumentSignature,
    Meeting,
)
from ..services import documents
from ..signers import municipal_party_organisation
from .cast import (
    ENERGY,
    ENERGY_ACCOUNT,
    ENERGY_DIARIUM,
    RECTOR,
    SECRETARY,
    S,
)


def _ensure_signing_keys() -> None:
    """The demo signing keys (a demo CA and one key per organisation; existing keys are kept). Under a file
    lock: test workers running load_demo side by side share SIGNING_DIR and must not write it at once."""
    directory = signing.signing_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("create_signing_certificates", stdout=io.StringIO())


def _signatory(document: DecisionDocument, organisation: Organisation):
    assignments = documents.signatories(document)[organisation.pk]
    return min((a.user for a in assignments), key=lambda user: user.email)


def _sign_once(document: DecisionDocument, user) -> None:
    """Sign for the user's organisation unless it has signed already (the service refuses a second one)."""
    document.refresh_from_db()
    assignment = documents.signing_assignment(user, document)
    already = DocumentSignature.objects.filter(
        copy__document=document, organisation=assignment.organisation
    ).exists()
    if document.status == DocumentStatus.TO_SIGN and not already:
        services.document_sign(document=document, by=user, password=DEMO_PASSWORD)


def _register_once(document: DecisionDocument) -> None:
    """Each copy in its party's diarium, by that party's processledare (a company's copy: the municipality's)."""
    for copy in document.copies.select_related("organisation").order_by("number"):
        if copy.diarienummer:
            continue
        party = copy.organisation.parent or copy.organisation
        leader = min(
            (
                a.user
                for a in RoleAssignment.objects.active()
                .filter(
                    agreement=document.decision.meeting.agreement,
                    role=Role.PROCESS_LEADER,
                    organisation=party,
                )
                .select_related("user")
            ),
            key=lambda user: user.email,
        )
        services.copy_register(
            copy=copy, by=leader, diarienummer=ENERGY_DIARIUM[copy.organisation.diarium_prefix]
        )


def decision_documents(october: Meeting) -> None:
    _ensure_signing_keys()
    grants = (
        october.decisions.filter(kind=DecisionKind.GRANT).select_related("proposal").order_by("paragraph")
    )
    rector = person(RECTOR)
    for decision in grants:
        document = services.document_generate(decision.pk)
        proposal = decision.proposal
        _sign_once(document, rector)
        if proposal.title != ENERGY:
            continue  # "Språkutveckling i förskolan…": Västerås has yet to sign
        # The municipal party is Eskilstuna Energi och Miljö AB: its kommunbolagschef Stefan Lund signs.
        municipal = municipal_party_organisation(proposal)
        _sign_once(document, _signatory(document, municipal))
        document.refresh_from_db()
        if document.status == DocumentStatus.SIGNED:
            _register_once(document)
        proposal.refresh_from_db()
        if proposal.state == S.GRANTED and not proposal.project_account:
            proposal = application_services.proposal_set_project_account(
                proposal=proposal, by=person(SECRETARY), account=ENERGY_ACCOUNT
            )
        if proposal.state == S.GRANTED and proposal.ready_to_start():
            application_services.proposal_start(
                proposal=proposal,
                by=person(SECRETARY),
                comment="Beslutsunderlaget är signerat av båda parter och diariefört; projektkontot är upplagt.",
            )
