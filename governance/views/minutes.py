"""Minutes (protokoll): read, write (secretary), approve (chair and adjuster), download the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.http import require

from .. import permissions, services
from ..enums import MeetingStatus
from ..forms_minutes import MinutesForm
from ..models import Meeting, Minutes
from ..pdf import text_blocks
from ..services.minutes import PDF_DONE, PDF_FAILED, PDF_QUEUED, PDF_RENDERING


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body", "agreement", "chair", "secretary"), pk=pk)


def _viewable(request, pk) -> Meeting:
    meeting = _meeting(pk)
    require(request.user, permissions.sees_whole_meeting, meeting)
    return meeting


def _minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.select_related("adjuster").filter(meeting=meeting).first()


def _status(meeting: Meeting, minutes: Minutes | None) -> tuple[str, str]:
    """(css key, label): Utkast; Justeras – väntar på …; Justerat <date>."""
    if minutes is None or not minutes.text.strip():
        return "draft", _("Inget protokoll ännu")
    if minutes.approved_at:
        return "approved", _("Justerat %(date)s") % {"date": _date(minutes.approved_at)}
    ready = minutes.adjuster_id and meeting.status == MeetingStatus.HELD
    if not ready:
        return "draft", _("Utkast")
    waiting = []
    if not minutes.chair_approved_at:
        waiting.append(_("ordförande"))
    if not minutes.adjuster_approved_at:
        waiting.append(_("justerare"))
    return "pending", _("Justeras – väntar på %(who)s") % {"who": _(" och ").join(waiting)}


def _date(value) -> str:
    from django.utils import dateformat, timezone

    return dateformat.format(timezone.localtime(value), "j F Y")


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def minutes_detail(request, pk):
    meeting = _viewable(request, pk)
    minutes = _minutes(meeting)
    status_key, status_label = _status(meeting, minutes)
    can_approve = bool(
        minutes
        and minutes.text.strip()
        and minutes.adjuster_id
        and meeting.status == MeetingStatus.HELD
        and permissions.can_approve_minutes(request.user, minutes)
    )
    return render(
        request,
        "governance/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "blocks": text_blocks(minutes.text) if minutes and minutes.text.strip() else [],
            "status_key": status_key,
            "status_label": status_label,
            "can_edit": permissions.can_edit_minutes(request.user, meeting),
            "can_approve": can_approve,
            "approver_role": _("ordförande") if request.user.pk == meeting.chair_id else _("justerare"),
            **_pdf_context(meeting, minutes),
        },
    )


@login_required
def minutes_edit(request, pk):
    meeting = _viewable(request, pk)
    minutes = _minutes(meeting)
    if minutes and minutes.approved_at and request.user.pk == meeting.secretary_id:
        messages.error(request, _("Protokollet är justerat och kan inte ändras."))
        return redirect("governance:minutes_detail", pk=meeting.pk)
    require(request.user, permissions.can_edit_minutes, meeting)
    initial = {
        "text": (minutes.text if minutes and minutes.text.strip() else services.minutes_draft_text(meeting)),
        "adjuster": minutes.adjuster_id if minutes else None,
    }
    if request.method == "POST" and "regenerate" in request.POST:
        data = request.POST.copy()
        data["text"] = services.minutes_draft_text(meeting)
        form = MinutesForm(data, meeting=meeting)
        form.is_valid()
        messages.info(request, _("Texten har genererats om från mötet. Spara för att behålla den."))
        return render(
            request, "governance/minutes_edit.html", {"meeting": meeting, "minutes": minutes, "form": form}
        )
    form = MinutesForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(
                meeting=meeting,
                by=request.user,
                text=form.cleaned_data["text"],
                adjuster=form.cleaned_data["adjuster"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Protokollet är sparat."))
            return redirect("governance:minutes_detail", pk=meeting.pk)
    return render(
        request, "governance/minutes_edit.html", {"meeting": meeting, "minutes": minutes, "form": form}
    )


@login_required
@require_POST
def minutes_approve(request, pk):
    meeting = _viewable(request, pk)
    minutes = _minutes(meeting)
    require(request.user, permissions.can_approve_minutes, minutes)
    try:
        minutes = services.minutes_approve(minutes=minutes, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if minutes.approved_at:
            messages.success(request, _("Protokollet är justerat. PDF:en skapas nu."))
        else:
            messages.success(request, _("Din justering är registrerad."))
    return redirect("governance:minutes_detail", pk=meeting.pk)


@login_required
@require_POST
def minutes_retry(request, pk):
    meeting = _viewable(request, pk)
    minutes = _minutes(meeting)
    if minutes is None:
        raise Http404
    try:
        services.minutes_retry_pdf(minutes=minutes, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("PDF:en skapas igen."))
    return redirect("governance:minutes_detail", pk=meeting.pk)


@login_required
def minutes_pdf(request, pk):
    meeting = _viewable(request, pk)
    minutes = _minutes(meeting)
    if minutes is None or minutes.approved_at is None or not minutes.pdf:
        raise Http404(_("Protokollets PDF är inte klar."))
    try:
        handle = minutes.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Protokollets PDF saknas.")) from exc
    filename = f"protokoll-{meeting.body.name}-{meeting.starts_at:%Y-%m-%d}.pdf".replace(" ", "-").lower()
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_context(meeting: Meeting, minutes: Minutes | None) -> dict:
    status = minutes.pdf_status if minutes and minutes.approved_at else ""
    return {
        "pdf_status": status,
        "pdf_pending": status in (PDF_QUEUED, PDF_RENDERING),
        "pdf_ready": status == PDF_DONE and bool(minutes and minutes.pdf),
        "pdf_failed": status == PDF_FAILED,
        "pdf_error": minutes.pdf_error if minutes else "",
    }


@login_required
def minutes_status(request, pk):
    """The PDF status (htmx partial), polled every 2 s while the PDF is being made."""
    meeting = _viewable(request, pk)
    minutes = _minutes(meeting)
    return render(
        request,
        "governance/_minutes_status.html",
        {"meeting": meeting, "minutes": minutes, **_pdf_context(meeting, minutes)},
    )
