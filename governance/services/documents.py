"""Signed decision documents (Samverkansmodellen, "Beslut"): after a grant a formal beslutsunderlag in two
copies, signed by the rektor and by the kommundirektör – or the kommunbolagschef where the municipal party
is a company – and registered in each organisation's diarium; for a co-funding decision a
medfinansieringsintyg signed the same way. Signed documents are stored once and never regenerated.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.cadence import cadence_description
from applications.services import proposal_record_documents_complete
from samverkan.enums import OrganisationKind, Role
from samverkan.errors import ApplicationError
from samverkan.models import Organisation
from samverkan.notifications import notify
from samverkan.selectors import people_with_role

from .. import permissions, signing
from ..enums import DecisionKind, DocumentKind, DocumentStatus
from ..ics import STOCKHOLM
from ..models import Decision, DecisionDocument, DocumentCopy, DocumentSignature
from ..pdf import render_pdf
from ..signers import municipal_parties, signatories, signing_assignment, signing_organisations

DOCUMENT_KIND_FOR_DECISION = {
    DecisionKind.GRANT: DocumentKind.DECISION_BASIS,
    DecisionKind.COFUNDING: DocumentKind.COFUNDING_CERTIFICATE,
}


class DocumentError(ApplicationError):
    """A refused document action; the Swedish message is shown to the user."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def missing_signatures(document: DecisionDocument) -> list[Organisation]:
    signed = set(
        DocumentSignature.objects.filter(copy__document=document).values_list("copy_id", "organisation_id")
    )
    copies = list(document.copies.all())
    return [
        org
        for org in signing_organisations(document)
        if any((copy.pk, org.pk) not in signed for copy in copies)
    ]


# --- generation ---------------------------------------------------------------------------------------------


def join_names(names: list[str]) -> str:
    """Names as a Swedish list: "A", "A och B", "A, B och C"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s och %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _content(decision: Decision, kind: str) -> dict:
    """The document's content as plain data: rendered into every copy and hashed for the footer."""
    proposal = decision.proposal
    municipal = municipal_parties(proposal)
    names = [
        org.name + (f" ({_('kommunalt bolag')})" if org.kind == OrganisationKind.MUNICIPAL_COMPANY else "")
        for org in municipal
    ]
    amounts = [(a.year, a.amount) for a in decision.amounts.all()]
    return {
        "kind": kind,
        "agreement": proposal.agreement.name,
        "university": proposal.agreement.university.name,
        # "X och Y", "X, Y och Z": the municipal parties the activity involves, each with its own copy.
        "municipal_party": join_names([org.name for org in municipal]),
        "parties": join_names([proposal.agreement.university.name, *names]),
        "copy_count": 1 + len(municipal),
        "proposal_reference": proposal.reference,
        "proposal_title": proposal.title,
        "work_form": proposal.get_work_form_display(),
        "period": [str(proposal.planned_start or ""), str(proposal.planned_end or "")],
        "researcher": proposal.responsible_researcher.get_full_name(),
        "officer": proposal.responsible_officer.get_full_name() if proposal.responsible_officer else "",
        "amounts": amounts,
        "total": sum(amount for _, amount in amounts),
        "funding_source": "Samverkansavtalet",
        "decision_text": decision.text,
        "conditions": decision.conditions,
        "activity_goals": [g for g in decision.activity_goals.splitlines() if g.strip()]
        or [g.text for g in proposal.activity_goals.all()],
        "cadence": cadence_description(proposal),
        "meeting": str(decision.meeting.body.name),
        # The day the decision was taken, in Stockholm – not the meeting's planned date.
        "decision_date": str(timezone.localdate(decision.decided_at, STOCKHOLM)),
        "paragraph": decision.paragraph,
        "external_funder": proposal.external_funder,
        "external_call": proposal.external_call,
        "external_amount": proposal.external_amount,
    }


def document_request(decision: Decision) -> None:
    """Queue the generation after commit, for decisions that need a signed document."""
    if decision.kind not in DOCUMENT_KIND_FOR_DECISION or decision.proposal_id is None:
        return
    from samverkan.jobs import enqueue_on_commit

    # A broker that is down loses nothing: the decision without its document is what
    # pending_document_decisions() finds, and the beat sweep queues the job again.
    enqueue_on_commit("decision_documents", decision.pk)


def pending_document_decisions(*, older_than):
    """Decisions made before `older_than` that need a document but have none yet (their job was never
    queued because the broker was down, or its worker died) – for the beat sweep. Failed documents are not
    retried automatically: the page shows the error."""
    return (
        Decision.objects.filter(
            kind__in=list(DOCUMENT_KIND_FOR_DECISION),
            proposal__isnull=False,
            created_at__lt=older_than,
            corrections__isnull=True,
        )
        .exclude(documents__status__in=[s for s in DocumentStatus if s != DocumentStatus.GENERATING])
        .order_by("created_at")
    )


def _reference(decision: Decision) -> str:
    # The year the decision was taken, like the document's date (not the meeting's planned year).
    return f"BESLUT-{timezone.localdate(decision.decided_at, STOCKHOLM):%Y}-{decision.pk:04d}"


def document_generate(decision_id: int) -> DecisionDocument:
    """Render both copies. Idempotent: a document that already has its copies is returned unchanged, so a
    re-run (retry, redelivery after a worker crash, a double click) never creates a second document."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("proposal__agreement__university", "meeting__body")
            .get(pk=decision_id)
        )
        kind = DOCUMENT_KIND_FOR_DECISION[decision.kind]
        document, _created = DecisionDocument.objects.get_or_create(
            decision=decision, kind=kind, defaults={"reference": _reference(decision)}
        )
        if document.copies.exists():
            return document
        content = _content(decision, kind)
        content_hash = sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode())
        orgs = signing_organisations(document)
        people = signatories(document)
        template = f"governance/documents/{kind}.html"
        for number, org in enumerate(orgs, start=1):
            pdf = render_pdf(
                template,
                {
                    "c": content,
                    "document": document,
                    "copy_number": number,
                    "copy_organisation": org,
                    "copy_count": len(orgs),
                    "content_sha256": content_hash,
                    "signatories": [(o, people.get(o.pk, [])) for o in orgs],
                },
            )
            copy = DocumentCopy(
                document=document,
                number=number,
                organisation=org,
                unsigned_sha256=sha256(pdf),
                current_sha256=sha256(pdf),
            )
            copy.pdf.save(f"{document.reference}-{number}.pdf", ContentFile(pdf), save=False)
            copy.save()
        document.content_sha256 = content_hash
        document.status = DocumentStatus.TO_SIGN
        document.generated_at = timezone.now()
        document.error = ""
        document.save()
        to_sign = [a.user for assignments in people.values() for a in assignments]
        notify(
            "document_to_sign",
            to=to_sign,
            context={"document": document, "proposal": decision.proposal},
            link=document.get_absolute_url(),
        )
        return document


def document_failed(decision_id: int, message: str) -> None:
    """Generation failed for good. The failed attempt rolled back the document it had begun, so the row is
    (re)created here as "failed" with the message – otherwise the page would say "genereras…" forever."""
    decision = Decision.objects.select_related("meeting").get(pk=decision_id)
    kind = DOCUMENT_KIND_FOR_DECISION.get(decision.kind)
    if kind is None:
        return
    document, created = DecisionDocument.objects.get_or_create(
        decision=decision,
        kind=kind,
        defaults={
            "reference": _reference(decision),
            "status": DocumentStatus.FAILED,
            "error": message[:2000],
        },
    )
    if not created and document.status in (DocumentStatus.GENERATING, DocumentStatus.FAILED):
        DecisionDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.FAILED, error=message[:2000]
        )


# --- signing ------------------------------------------------------------------------------------------------


def _locked(document: DecisionDocument) -> DecisionDocument:
    return (
        DecisionDocument.objects.select_for_update(of=("self",))
        .select_related("decision__proposal__agreement", "decision__meeting")
        .get(pk=document.pk)
    )


@transaction.atomic
def document_sign(*, document: DecisionDocument, by, password: str, ip_address: str | None = None):
    """The firmatecknare re-authenticates with their password and the app applies a real PAdES signature to
    both copies for their organisation; who, when, from where and the SHA-256 of the signed bytes are kept."""
    document = _locked(document)
    assignment = signing_assignment(by, document)
    if assignment is None:
        raise PermissionDenied
    if not by.check_password(password or ""):
        raise DocumentError(_("Fel lösenord – inget har signerats."))
    if document.status == DocumentStatus.SUPERSEDED:
        raise DocumentError(_("Dokumentet är ersatt av ett nyare beslut och kan inte signeras."))
    if document.status != DocumentStatus.TO_SIGN:
        raise DocumentError(
            _("Dokumentet kan inte signeras nu (status: %(s)s).") % {"s": document.get_status_display()}
        )
    decided_on = timezone.localdate(document.decision.decided_at, STOCKHOLM)
    if timezone.localdate(timezone.now(), STOCKHOLM) < decided_on:
        raise DocumentError(
            _("Beslutet är daterat %(date)s – dokumentet kan inte signeras före beslutsdagen.")
            % {"date": decided_on.isoformat()}
        )
    org = assignment.organisation
    copies = list(document.copies.select_for_update().order_by("number"))
    if DocumentSignature.objects.filter(copy__in=copies, organisation=org).exists():
        raise DocumentError(_("%(org)s har redan signerat dokumentet.") % {"org": org.name})
    title = assignment.title or by.title or assignment.get_role_display()
    created = []
    for copy in copies:
        with copy.pdf.open("rb") as handle:
            current = handle.read()
        if sha256(current) != copy.current_sha256:
            raise DocumentError(
                _("Exemplaret stämmer inte med det som registrerats – kontakta processledaren.")
            )
        field_name = f"Signatur {org.short_name}"
        signed = signing.sign(
            current,
            organisation=org,
            field_name=field_name,
            name=by.get_full_name(),
            reason=_("%(title)s, %(org)s – %(doc)s")
            % {"title": title, "org": org.name, "doc": document.reference},
            location=org.name,
        )
        old_name = copy.pdf.name
        copy.pdf.save(f"{document.reference}-{copy.number}.pdf", ContentFile(signed), save=False)
        copy.current_sha256 = sha256(signed)
        copy.save(update_fields=["pdf", "current_sha256"])
        transaction.on_commit(lambda name=old_name, storage=copy.pdf.storage: storage.delete(name))
        created.append(
            DocumentSignature.objects.create(
                copy=copy,
                signer=by,
                organisation=org,
                title=title,
                field_name=field_name,
                ip_address=ip_address,
                signed_sha256=copy.current_sha256,
            )
        )
    if not missing_signatures(document):
        document.status = DocumentStatus.SIGNED
        document.save(update_fields=["status"])
    leaders = people_with_role(document.decision.meeting.agreement_id, Role.PROCESS_LEADER)
    notify(
        "document_signed",
        to=leaders,
        context={
            "document": document,
            "by": by,
            "title": title,
            "org": org,
            "complete": document.status == DocumentStatus.SIGNED,
        },
        link=document.get_absolute_url(),
    )
    return created


# --- diarium ------------------------------------------------------------------------------------------------


def diarium_pattern(organisation: Organisation) -> re.Pattern:
    prefix = re.escape(organisation.diarium_prefix or organisation.short_name)
    return re.compile(rf"^{prefix}-(19|20)\d\d/\d{{1,6}}$")


@transaction.atomic
def copy_register(*, copy: DocumentCopy, by, diarienummer: str) -> DocumentCopy:
    """Register a signed copy with the organisation's diarienummer (format per organisation, unique
    within it). When both copies are registered the proposal's start guard gets its documents."""
    copy = (
        DocumentCopy.objects.select_for_update(of=("self",))
        .select_related("document__decision__proposal", "document__decision__meeting", "organisation")
        .get(pk=copy.pk)
    )
    document = copy.document
    if not permissions.can_register_copy(by, copy):
        raise PermissionDenied
    if document.status not in (DocumentStatus.SIGNED, DocumentStatus.REGISTERED):
        raise DocumentError(_("Exemplaret kan diarieföras först när alla har signerat."))
    if copy.diarienummer:
        raise DocumentError(_("Exemplaret är redan diariefört som %(nr)s.") % {"nr": copy.diarienummer})
    number = (diarienummer or "").strip().upper()
    prefix = copy.organisation.diarium_prefix or copy.organisation.short_name
    if not diarium_pattern(copy.organisation).match(number):
        raise ValidationError(
            {"diarienummer": _("Diarienumret ska ha formen %(ex)s.") % {"ex": f"{prefix}-2026/123"}}
        )
    copy.diarienummer = number
    copy.registered_at = timezone.now()
    copy.registered_by = by
    try:
        with transaction.atomic():
            copy.save(update_fields=["diarienummer", "registered_at", "registered_by"])
    except IntegrityError as exc:
        raise ValidationError({"diarienummer": _("Diarienumret används redan i organisationen.")}) from exc
    if not document.copies.filter(diarienummer="").exists():
        document.status = DocumentStatus.REGISTERED
        document.save(update_fields=["status"])
        if document.kind == DocumentKind.DECISION_BASIS:
            proposal_record_documents_complete(proposal=document.decision.proposal)
    return copy
