"""Minutes (protokoll): generated from the meeting, edited by the secretary, approved (justerat) by the chair
and one appointed adjuster, then frozen and rendered as PDF by a Celery task.

Rules (issue #4, "Minutes"; DESIGN.md "Governance"):
- The protocol text is generated from what the system knows – attendance per party, the agenda with
  paragraph numbers, the beredning's assessment summaries and outcomes, each vote's result per party, the
  declared jäv and the decisions with their amounts – and the secretary may edit it until it is approved.
- The adjuster is a member of the body and not the chair. The chair and the adjuster each confirm once; a
  changed text (or a new adjuster) needs their confirmations again.
- Once both have confirmed, the minutes are frozen: no edits, and the meeting's decisions become immutable
  (Decision.save refuses). The PDF is rendered after commit by `governance.render_minutes_pdf`.
"""

from __future__ import annotations

import logging
import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.jobs import enqueue_on_commit
from samverkan.notifications import notify

from .. import permissions
from ..enums import MeetingStatus
from ..models import Meeting, Minutes
from ..selectors import members_of

log = logging.getLogger(__name__)

PDF_QUEUED, PDF_RENDERING, PDF_DONE, PDF_FAILED = "queued", "rendering", "done", "failed"


# --- reading the meeting -------------------------------------------------------------------------------


def minutes_for(meeting: Meeting) -> Minutes:
    """The meeting's minutes row (created empty the first time)."""
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


# --- writes ------------------------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, meeting: Meeting, by, text: str, adjuster=None) -> Minutes:
    """The secretary writes the minutes and appoints the adjuster (a member of the body, not the chair)
    until the minutes are approved. A changed text or adjuster withdraws confirmations already given:
    the chair and the adjuster approve what they read."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.is_secretary(by, meeting):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first() or Minutes.objects.create(
        meeting=meeting
    )
    if minutes.approved_at is not None:
        raise ValidationError(_("Protokollet är justerat och kan inte ändras."))
    if not permissions.can_edit_minutes(by, meeting):
        raise PermissionDenied
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Protokollet kan inte vara tomt.")})
    if adjuster is not None:
        member_ids = {s.user_id for s in members_of(meeting)}
        if adjuster.pk not in member_ids:
            raise ValidationError(
                {"adjuster": _("Justeraren måste vara ledamot i %(body)s.") % {"body": meeting.body}}
            )
        if adjuster.pk == meeting.chair_id:
            raise ValidationError({"adjuster": _("Ordföranden justerar redan – välj en annan ledamot.")})
    if adjuster is not None:
        # The generated header names the adjuster; keep it in step with the one appointed.
        name = adjuster.get_full_name() or adjuster.email
        text = re.sub(r"^Justerare: .*$", f"Justerare: {name}", text, count=1, flags=re.MULTILINE)
    text_changed = text != minutes.text.strip()
    adjuster_changed = (adjuster.pk if adjuster else None) != minutes.adjuster_id
    minutes.text = text + "\n"
    minutes.adjuster = adjuster
    if text_changed:
        minutes.chair_approved_at = None
        minutes.adjuster_approved_at = None
    elif adjuster_changed:
        minutes.adjuster_approved_at = None
    minutes.save()
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by) -> Minutes:
    """Justering: the chair and the appointed adjuster each confirm once in the app. When both have, the
    minutes are approved and frozen, the meeting's status becomes "Protokoll justerat", the members are
    told and the PDF is rendered after commit."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting", "adjuster")
        .get(pk=minutes.pk)
    )
    meeting = minutes.meeting
    if minutes.approved_at is not None:
        raise ValidationError(_("Protokollet är redan justerat."))
    if not permissions.can_approve_minutes(by, minutes):
        raise PermissionDenied
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
        raise ValidationError(_("Mötet måste vara genomfört innan protokollet justeras."))
    if not minutes.text.strip():
        raise ValidationError(_("Protokollet är tomt – sekreteraren skriver det först."))
    if minutes.adjuster_id is None:
        raise ValidationError(_("Ingen justerare är utsedd – sekreteraren utser en först."))
    now = timezone.now()
    if by.pk == meeting.chair_id:
        minutes.chair_approved_at = now
    else:
        minutes.adjuster_approved_at = now
    if minutes.chair_approved_at and minutes.adjuster_approved_at:
        minutes.approved_at = now
        minutes.pdf_status = PDF_QUEUED
        minutes.pdf_error = ""
        meeting.status = MeetingStatus.MINUTES_APPROVED
        meeting.save(update_fields=["status"])
        _notify_approved(minutes)
        enqueue_on_commit("minutes_pdfs", minutes.pk)
    minutes.save()
    return minutes


@transaction.atomic
def minutes_retry_pdf(*, minutes: Minutes, by) -> Minutes:
    """Queue the PDF again after a failed rendering (the secretary, chair or processledare asks for it)."""
    minutes = Minutes.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=minutes.pk)
    meeting = minutes.meeting
    if not (
        permissions.is_officer_of(by, meeting) or permissions.can_manage_meetings(by, meeting.agreement_id)
    ):
        raise PermissionDenied
    if minutes.approved_at is None or minutes.pdf_status != PDF_FAILED:
        raise ValidationError(_("PDF:en kan bara skapas om när en tidigare körning har misslyckats."))
    minutes.pdf_status = PDF_QUEUED
    minutes.pdf_error = ""
    minutes.save(update_fields=["pdf_status", "pdf_error"])
    enqueue_on_commit("minutes_pdfs", minutes.pk)
    return minutes


def _notify_approved(minutes: Minutes) -> None:
    meeting = minutes.meeting
    people = [s.user for s in members_of(meeting)] + [meeting.chair, meeting.secretary]
    notify(
        "minutes_approved",
        to=people,
        context={"meeting": meeting, "minutes": minutes},
        link=_detail_url(meeting),
    )


def _detail_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("governance:minutes_detail", args=[meeting.pk])


# --- the PDF ------------------------------------------------------------------------------------------------


def minutes_pdf_context(minutes: Minutes) -> dict:
    """What templates/governance/minutes_pdf.html shows: the approved text as blocks, plus the justering."""
    from ..pdf import text_blocks

    meeting = minutes.meeting
    return {
        "minutes": minutes,
        "meeting": meeting,
        "blocks": text_blocks(minutes.text),
        "document_id": f"PROT-{timezone.localtime(meeting.starts_at):%Y}-{meeting.pk:04d}",
        "chair": meeting.chair,
        "adjuster": minutes.adjuster,
        "secretary": meeting.secretary,
    }


def minutes_render_pdf(*, minutes_id: int) -> str:
    """Render the approved minutes once (idempotent): status rendering → done; the file goes to MEDIA_ROOT
    as minutes/<meeting id>-<uuid>.pdf. Transient errors (OSError) propagate so that the task retries."""
    from ..pdf import render_pdf

    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.approved_at is None:
            return minutes.pdf_status
        if minutes.pdf:
            if minutes.pdf_status != PDF_DONE:
                Minutes.objects.filter(pk=minutes.pk).update(pdf_status=PDF_DONE, pdf_error="")
            return PDF_DONE
        Minutes.objects.filter(pk=minutes.pk).update(pdf_status=PDF_RENDERING, pdf_error="")
    minutes = Minutes.objects.select_related(
        "meeting__body", "meeting__agreement", "meeting__chair", "meeting__secretary", "adjuster"
    ).get(pk=minutes_id)
    with translation.override("sv"):
        content = render_pdf("governance/minutes_pdf.html", minutes_pdf_context(minutes))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.pdf:  # someone else finished first: keep theirs
            return PDF_DONE
        minutes.pdf.save(f"{minutes.meeting_id}-{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
        minutes.pdf_status = PDF_DONE
        minutes.pdf_error = ""
        minutes.save(update_fields=["pdf", "pdf_status", "pdf_error"])
    return PDF_DONE


def pending_minutes_pdfs(*, older_than):
    """Approved minutes (before `older_than`) whose PDF is still queued or was being rendered when its
    worker died – for the beat sweep, which queues them again (rendering is idempotent)."""
    return Minutes.objects.filter(
        approved_at__lt=older_than, pdf="", pdf_status__in=[PDF_QUEUED, PDF_RENDERING]
    ).order_by("approved_at")


def minutes_pdf_failed(*, minutes_id: int, error: str) -> None:
    """Record that the PDF could not be made; the page shows the message and the secretary can retry."""
    log.error("Minutes %s: PDF failed: %s", minutes_id, error)
    Minutes.objects.filter(pk=minutes_id, pdf="").update(
        pdf_status=PDF_FAILED,
        pdf_error=_("PDF:en kunde inte skapas (%(error)s). Försök igen om en stund eller kontakta support.")
        % {"error": error[:300]},
    )
