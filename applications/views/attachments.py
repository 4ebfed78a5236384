"""Upload and download of a proposal's attachments. Files are never served from a public URL: every
download goes through here and is permission-checked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samverkan.http import require

from .. import permissions, services
from ..attachments import download_name
from ..forms.attachments import AttachmentForm
from ..models import Attachment, Proposal


def _refused(reasons) -> str:
    return _("Bilagan laddades inte upp: %(reason)s") % {"reason": " ".join(str(r) for r in reasons)}


@login_required
@require_POST
def attachment_upload(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    require(request.user, permissions.can_view_proposal, proposal)
    require(request.user, permissions.can_edit_proposal, proposal)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _refused([error for errors in form.errors.values() for error in errors]))
        return redirect(proposal)
    try:
        services.attachment_add(
            proposal=proposal,
            by=request.user,
            uploaded_file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        messages.error(request, _refused(error.messages))
    else:
        messages.success(request, _("Bilagan är uppladdad."))
    return redirect(proposal)


@login_required
@require_safe
def attachment_download(request, pk, attachment_pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    require(request.user, permissions.can_view_proposal, proposal)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Filen saknas.")) from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
