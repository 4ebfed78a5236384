"""Decision documents (issue #5): "Att signera", the document page (status, copies, signatures, diarium,
signing with the password, project account and start), downloads.
Thin: permission → service → redirect; the rules live in governance/services/documents.py."""

from __future__ import annotations

import logging

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from applications import permissions as proposal_permissions
from applications.enums import ProposalState
from applications.services import (
    StaleProposal,
    TransitionRefused,
    proposal_set_project_account,
    proposal_start,
)
from samverkan import permissions as core
from samverkan.enums import Role
from samverkan.errors import ApplicationError
from samverkan.http import require, show_refusal

from .. import permissions, signing
from ..enums import DocumentKind, DocumentStatus
from ..forms_documents import ProjectAccountForm, RegisterForm, SignForm
from ..models import DecisionDocument, DocumentCopy, DocumentSignature
from ..services import documents as service

logger = logging.getLogger(__name__)

# How many documents the person signed recently are listed under "Att signera".
RECENTLY_SIGNED = 10

# --- reads -------------------------------------------------------------------------------------------------


def _documents():
    return DecisionDocument.objects.select_related(
        "decision__meeting__body",
        "decision__meeting__agreement",
        "decision__item",
        "decision__proposal__agreement",
    )


def _viewable(request, pk) -> DecisionDocument:
    document = get_object_or_404(_documents(), pk=pk)
    require(request.user, permissions.can_view_document, document)
    return document


def _copies(document) -> list[DocumentCopy]:
    signatures = DocumentSignature.objects.select_related("signer", "organisation").order_by("signed_at")
    return list(
        document.copies.select_related("organisation", "registered_by")
        .prefetch_related(Prefetch("signatures", queryset=signatures))
        .order_by("number")
    )


def documents_to_sign_for(user):
    """Documents waiting for a signature from one of the user's organisations (the firmatecknare's list)."""
    q = Q(pk__in=[])
    for grant in core.grants(user):
        if grant.role != Role.SIGNATORY:
            continue
        signed = DocumentSignature.objects.filter(organisation_id=grant.organisation_id).values(
            "copy__document_id"
        )
        # The document of a decision in this agreement, or in another of its samverkansorganisation (a joint
        # programme decision gives this organisation a copy there).
        in_scope = Q(decision__meeting__agreement_id=grant.agreement_id) | Q(
            decision__meeting__agreement__collaboration__agreements__id=grant.agreement_id
        )
        q |= in_scope & Q(copies__organisation_id=grant.organisation_id) & ~Q(pk__in=signed)
    return _documents().filter(q, status=DocumentStatus.TO_SIGN).distinct().order_by("created_at")


def _signing_context(request, document, copies, sign_form=None) -> dict:
    """What the signatory sees: the PDF in the page and the form – only while their signature is missing."""
    assignment = service.signing_assignment(request.user, document)
    if assignment is None or document.status != DocumentStatus.TO_SIGN:
        return {"signing": None}
    organisation = assignment.organisation
    if any(s.organisation_id == organisation.pk for copy in copies for s in copy.signatures.all()):
        return {"signing": None, "signed_by_my_organisation": organisation}
    shown = next((c for c in copies if c.organisation_id == organisation.pk), copies[0] if copies else None)
    return {
        "signing": {
            "organisation": organisation,
            "assignment": assignment,
            "copy": shown,
            "form": sign_form or SignForm(organisation=organisation),
        }
    }


def _start_context(request, document, account_form=None) -> dict:
    """The processledare's last step: project account and "Starta projektet"."""
    proposal = document.decision.proposal
    if (
        proposal is None
        or document.kind != DocumentKind.DECISION_BASIS
        or not proposal_permissions.is_process_leader(request.user, proposal)
        or proposal.state != ProposalState.GRANTED
    ):
        return {"start": None}
    missing = []
    if proposal.documents_completed_at is None:
        missing.append(_("Alla exemplar är signerade och diarieförda."))
    if not proposal.project_account.strip():
        missing.append(_("Projektkontot är angivet."))
    return {
        "start": {
            "form": account_form or ProjectAccountForm(initial={"project_account": proposal.project_account}),
            "documents_complete": proposal.documents_completed_at is not None,
            "missing": missing,
        }
    }


def _status(document) -> tuple[str, str]:
    """(css key, label) for the document's status."""
    label = {
        DocumentStatus.GENERATING: _("Genereras…"),
        DocumentStatus.FAILED: _("Kunde inte skapas"),
    }.get(document.status, document.get_status_display())
    return document.status, label


def _detail_context(request, document, *, sign_form=None, register_forms=None, account_form=None) -> dict:
    user = request.user
    decision = document.decision
    proposal = decision.proposal
    copies = _copies(document)
    register_forms = register_forms or {}
    registrable = document.status in (DocumentStatus.SIGNED, DocumentStatus.REGISTERED)
    for copy in copies:
        copy.document = document  # can_register_copy reads the agreement through it
        copy.may_register = (
            registrable and not copy.diarienummer and permissions.can_register_copy(user, copy)
        )
        copy.register_form = register_forms.get(copy.pk) or (
            RegisterForm(copy=copy) if copy.may_register else None
        )
    status_key, status_label = _status(document)
    return {
        "document": document,
        "decision": decision,
        "meeting": decision.meeting,
        "proposal": proposal,
        "item_url": decision.item.get_absolute_url()
        if permissions.can_view_meeting(user, decision.meeting)
        else "",
        "proposal_url": proposal.get_absolute_url()
        if proposal is not None and proposal_permissions.can_view_proposal(user, proposal)
        else "",
        "copies": copies,
        "status_key": status_key,
        "status_label": status_label,
        "missing": [o.name for o in service.missing_signatures(document)]
        if document.status == DocumentStatus.TO_SIGN
        else [],
        **_signing_context(request, document, copies, sign_form),
        **_start_context(request, document, account_form),
    }


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _render_detail(request, document, *, status=200, **forms):
    return render(
        request, "governance/document_detail.html", _detail_context(request, document, **forms), status=status
    )


# --- views -------------------------------------------------------------------------------------------------


@login_required
def documents_to_sign(request):
    require(request.user, permissions.can_sign_documents)
    to_sign = list(documents_to_sign_for(request.user))
    signed = list(
        _documents()
        .filter(copies__signatures__signer=request.user)
        .annotate(my_signed_at=Max("copies__signatures__signed_at"))
        .order_by("-my_signed_at")[:RECENTLY_SIGNED]
    )
    return render(request, "governance/documents_to_sign.html", {"to_sign": to_sign, "signed": signed})


@login_required
def document_detail(request, pk):
    document = _viewable(request, pk)
    return _render_detail(request, document)


@login_required
def document_status(request, pk):
    """The status (htmx partial), polled every 2 s while the document is being generated; once it is ready
    the page reloads itself to show the copies."""
    document = _viewable(request, pk)
    status_key, status_label = _status(document)
    response = render(
        request,
        "governance/_document_status.html",
        {"document": document, "status_key": status_key, "status_label": status_label},
    )
    if request.headers.get("HX-Request") and document.status != DocumentStatus.GENERATING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def document_sign(request, pk):
    document = _viewable(request, pk)
    require(request.user, permissions.can_sign_document, document)
    assignment = service.signing_assignment(request.user, document)
    # The form checks the password under the login lockout (a wrong one counts as a failed login).
    form = SignForm(request.POST, organisation=assignment.organisation, request=request)
    if not form.is_valid():
        return _render_detail(request, document, status=400, sign_form=form)
    try:
        service.document_sign(
            document=document,
            by=request.user,
            password=form.cleaned_data["password"],
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except ApplicationError as error:
        show_refusal(request, error)
    except signing.SigningKeyMissing:
        logger.exception("Signing key missing for document %s", document.pk)
        messages.error(
            request,
            _("Signeringsnyckeln för %(org)s saknas – kontakta administratören. Inget har signerats.")
            % {"org": assignment.organisation.name},
        )
    else:
        messages.success(
            request,
            _("Du har signerat %(ref)s för %(org)s.")
            % {"ref": document.reference, "org": assignment.organisation.name},
        )
    return redirect(document)


@login_required
# The signatory reads the PDF inside the document page: this one response may be framed by our own pages
# (both the old header and the CSP, which browsers obey first, must allow it).
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def copy_download(request, pk, copy_pk):
    document = _viewable(request, pk)
    copy = get_object_or_404(DocumentCopy, pk=copy_pk, document=document)
    if not copy.pdf:
        raise Http404(_("Exemplaret är inte klart."))
    try:
        handle = copy.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Filen saknas.")) from missing
    inline = request.GET.get("inline") == "1"
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=f"{document.reference}-exemplar-{copy.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def copy_register(request, pk, copy_pk):
    document = _viewable(request, pk)
    copy = get_object_or_404(
        DocumentCopy.objects.select_related("organisation"), pk=copy_pk, document=document
    )
    copy.document = document
    require(request.user, permissions.can_register_copy, copy)
    form = RegisterForm(request.POST, copy=copy)
    if form.is_valid():
        try:
            copy = service.copy_register(
                copy=copy, by=request.user, diarienummer=form.cleaned_data["diarienummer"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except ApplicationError as error:
            show_refusal(request, error)
            return redirect(document)
        else:
            messages.success(
                request,
                _("Exemplar %(n)s är diariefört som %(nr)s.") % {"n": copy.number, "nr": copy.diarienummer},
            )
            return redirect(document)
    return _render_detail(request, document, status=400, register_forms={copy.pk: form})


@login_required
@require_POST
def project_account(request, pk):
    """Record the projektkonto; when the documents are complete too, start the project (granted → active)."""
    document = _viewable(request, pk)
    require(request.user, permissions.can_record_project_account, document)
    proposal = document.decision.proposal
    form = ProjectAccountForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, document, status=400, account_form=form)
    try:
        proposal = proposal_set_project_account(
            proposal=proposal, by=request.user, account=form.cleaned_data["project_account"]
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _render_detail(request, document, status=400, account_form=form)
    try:
        proposal = proposal_start(proposal=proposal, by=request.user, expected_state=ProposalState.GRANTED)
    except StaleProposal:
        messages.error(request, _("Ärendet har ändrats av någon annan – ladda om sidan."))
    except TransitionRefused as refusal:
        messages.warning(request, _("Projektkontot är sparat.") + " " + str(refusal))
    else:
        messages.success(request, _("Projektkontot är sparat och projektet har startat."))
    return redirect(document)
