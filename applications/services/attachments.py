"""Attachment services: add and remove files on a proposal while its applicants still write it."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction

from samverkan.models import User

from .. import permissions
from ..attachments import clean_file_name, validate_upload
from ..models import Attachment, Proposal


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attachment_add(*, proposal: Proposal, by: User, uploaded_file, description: str = "") -> Attachment:
    """Attach a file to the proposal. Only the team may, and only while the proposal can be edited (dialog,
    pitch, application): what was submitted is what beredning and styrgrupp assess. The file's type is
    decided by its content (PDF, DOCX, XLSX, ODT), it is at most 20 MB, and it is stored under an
    unguessable name – the uploaded name is kept only as data."""
    fresh = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.can_edit_proposal(by, fresh):
        raise PermissionDenied
    content_type = validate_upload(uploaded_file)
    attachment = Attachment(
        proposal=fresh,
        original_name=clean_file_name(uploaded_file.name),
        content_type=content_type,
        size=uploaded_file.size,
        sha256=_sha256(uploaded_file),
        description=(description or "").strip()[:200],
        uploaded_by=by,
    )
    # The stored name comes from attachment_path (random, per proposal); the name given here is not used.
    attachment.file.save("upload", uploaded_file, save=False)
    try:
        attachment.save()
    except Exception:
        # Nothing may stay behind in MEDIA_ROOT when the row is not written.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Remove an attachment (team only, while the proposal can be edited). The file goes when the
    transaction commits, so a failed transaction leaves both row and file."""
    fresh = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    if not permissions.can_edit_proposal(by, fresh):
        raise PermissionDenied
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
