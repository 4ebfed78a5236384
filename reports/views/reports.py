"""Quarterly reports: the list under "Rapporter", ordering a run, the report page with live progress (htmx
polling the status partial), downloads and retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.http import refused, require

from .. import permissions, selectors, services
from ..forms import ReportOrderForm
from ..models import QuarterlyReport


def _list_context(user, form=None) -> dict:
    reports = list(selectors.reports_for(user))
    can_order = any(permissions.can_run_report(user, a) for a in selectors.report_agreements(user))
    return {
        "reports": reports,
        "form": form or (ReportOrderForm(user=user) if can_order else None),
        "can_export": permissions.can_export(user),
        "can_publish": permissions.can_manage_publications(user),
    }


@require_GET
@login_required
def report_list(request):
    require(request.user, permissions.can_see_reports)
    return render(request, "reports/report_list.html", _list_context(request.user))


@require_POST
@login_required
def report_order(request):
    user = request.user
    require(user, permissions.can_see_reports)
    form = ReportOrderForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "reports/report_list.html", _list_context(user, form), status=400)
    with refused(request, form=form) as outcome:
        report, started = services.report_request(
            agreement=form.cleaned_data["agreement"],
            quarter=form.cleaned_data["quarter"],
            by=user,
            rerun=form.cleaned_data.get("rerun", False),
        )
    if outcome.error:
        return render(request, "reports/report_list.html", _list_context(user, form), status=400)
    if not started:
        messages.info(
            request,
            _("Rapporten för %(period)s finns redan – ingen ny körning startades.")
            % {"period": report.period.label},
        )
    return redirect(report)


def _report(request, pk) -> QuarterlyReport:
    report = get_object_or_404(QuarterlyReport.objects.select_related("agreement", "requested_by"), pk=pk)
    require(request.user, permissions.can_view_report, report)
    return report


def _detail_context(request, report) -> dict:
    return {
        "report": report,
        "sections": report.data.get("sections", []) if report.status == "done" else [],
        "can_run": permissions.can_run_report(request.user, report.agreement),
    }


@require_GET
@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@require_GET
@login_required
def report_status(request, pk):
    """The polled part of the report page: progress while running, the report itself when done."""
    report = _report(request, pk)
    return render(request, "reports/_report_body.html", _detail_context(request, report))


@require_POST
@login_required
def report_retry(request, pk):
    report = _report(request, pk)
    with refused(request):
        services.report_request(
            agreement=report.agreement, quarter=report.period, by=request.user, rerun=True
        )
    if request.htmx:
        return report_status(request, pk)
    return redirect(report)


def _download(request, pk, field: str, content_type: str):
    report = _report(request, pk)
    file = getattr(report, field)
    if report.status != "done" or not file:
        raise Http404(_("Rapporten är inte klar."))
    stem = f"kvartalsrapport-{report.year}-q{report.quarter}-{timezone.localdate(report.finished_at):%Y%m%d}"
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=f"{stem}.{field}", content_type=content_type
    )


@require_GET
@login_required
def report_pdf(request, pk):
    return _download(request, pk, "pdf", "application/pdf")


@require_GET
@login_required
def report_xlsx(request, pk):
    return _download(request, pk, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
