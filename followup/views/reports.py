"""A follow-up report: write and submit it, put it on an agenda, treat it, download its attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.errors import ApplicationError
from samverkan.http import require, show_refusal

from .. import permissions, selectors, services
from ..forms import (
    MeetingChoiceForm,
    ReportForm,
    TreatForm,
)
from ..models import FollowUpReport, ReportAttachment
from .common import apply_errors, error_text


def _report(request, pk) -> FollowUpReport:
    report = get_object_or_404(
        FollowUpReport.objects.select_related(
            "proposal",
            "proposal__agreement",
            "proposal__responsible_researcher",
            "proposal__responsible_officer",
            "agenda_item__meeting",
            "submitted_by",
            "treated_by",
        ),
        pk=pk,
    )
    require(request.user, permissions.can_view_followup, report.proposal)
    return report


# --- a report ----------------------------------------------------------------------------


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    can_edit = permissions.can_edit_report(request.user, report)
    can_treat = permissions.can_treat_report(request.user, report)
    if request.method == "POST":
        require(request.user, permissions.can_edit_report, report)
    form = None
    if can_edit:
        initial = {
            "deliveries": report.deliveries,
            "evaluation": report.evaluation,
            "lessons": report.lessons,
            "scientific_report": report.scientific_report,
            "spending_year": report.spending_year or report.due_date.year,
        }
        for assessment in report.goal_assessments.all():
            initial[f"goal_{assessment.goal_id}"] = assessment.status
            initial[f"goal_{assessment.goal_id}_comment"] = assessment.comment
        for row in report.spending.all():
            initial[f"spent_{row.category}"] = str(row.amount)
        form = ReportForm(request.POST or None, request.FILES or None, report=report, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_save(
                    report=report,
                    by=request.user,
                    deliveries=data["deliveries"],
                    evaluation=data["evaluation"],
                    lessons=data["lessons"],
                    scientific_report=data.get("scientific_report", ""),
                    goals=data["goals"],
                    spending_year=data["spending_year"],
                    spending=data["spending"],
                )
                if data.get("attachment"):
                    services.attachment_add(report=report, by=request.user, upload=data["attachment"])
                if "submit" in request.POST:
                    services.report_submit(report=report, by=request.user)
                    messages.success(
                        request, _("Rapporten är inlämnad. Processledaren tar upp den på ett möte.")
                    )
                    return redirect("followup:report_detail", pk)
            except ValidationError as error:
                apply_errors(form, error)
            except ApplicationError as error:
                show_refusal(request, error, form=form)
            else:
                messages.success(request, _("Utkastet är sparat."))
                return redirect("followup:report_detail", pk)
    final_template = None
    if report.is_final:
        from applications.enums import TemplateStage
        from applications.services.proposals import current_template

        final_template = current_template(
            report.proposal.agreement, TemplateStage.FINAL_REPORT, report.proposal.work_form
        )
    return render(
        request,
        "followup/report_detail.html",
        {
            "report": report,
            "today": timezone.localdate(),
            "form": form,
            "can_treat": can_treat,
            "agenda_form": MeetingChoiceForm(agreement_id=report.proposal.agreement_id)
            if can_treat and not report.agenda_item_id
            else None,
            "treat_form": TreatForm() if can_treat and report.agenda_item_id else None,
            "assessments": list(report.goal_assessments.select_related("goal")),
            "spending": list(report.spending.all()),
            "attachments": list(report.attachments.all()),
            "final_template": final_template,
            "share": selectors.goal_share(report.goal_assessments.all()),
            "missing": services.missing_for_submission(report) if can_edit else [],
        },
    )


@login_required
@require_POST
def report_agenda(request, pk):
    report = _report(request, pk)
    require(request.user, permissions.can_treat_report, report)
    form = MeetingChoiceForm(request.POST, agreement_id=report.proposal.agreement_id)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.report_put_on_agenda(
                report=report, by=request.user, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Rapporten är satt på mötets dagordning."))
    return redirect("followup:report_detail", pk)


@login_required
@require_POST
def report_treat(request, pk):
    report = _report(request, pk)
    require(request.user, permissions.can_treat_report, report)
    form = TreatForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("followup:report_detail", pk)
    try:
        services.report_treat(report=report, by=request.user, feedback=form.cleaned_data["feedback"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Rapporten är behandlad och återkopplingen skickad till projektet."))
    return redirect("followup:report_detail", pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    report = _report(request, pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Filen saknas.")) from missing
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
