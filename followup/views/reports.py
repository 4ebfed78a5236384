"""Follow-up screens. Thin: permission → form → one service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Proposal
from applications.services import TransitionRefused
from applications.services.proposals import team_of
from samverkan.models import Agreement

from .. import ics, permissions, selectors, services
from ..forms import (
    EndDateForm,
    EventForm,
    GoalForm,
    GoalYearForm,
    MeetingChoiceForm,
    PresentationForm,
    ReportForm,
    TreatForm,
)
from ..models import DisseminationEvent, EffectGoal, FollowUpReport, ReportAttachment


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _proposal(request, pk) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "agreement", "responsible_researcher", "responsible_officer", "parent"
        ),
        pk=pk,
    )
    if not permissions.can_view_followup(request.user, proposal):
        raise PermissionDenied
    return proposal


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
    if not permissions.can_view_followup(request.user, report.proposal):
        raise PermissionDenied
    return report


# --- overview ----------------------------------------------------------------------------


@login_required
def overview(request):
    if not permissions.can_view_overview(request.user):
        raise PermissionDenied
    data = selectors.overview(request.user)
    agreement_ids = permissions.overview_agreement_ids(request.user)
    agreements = (
        Agreement.objects.all() if agreement_ids is None else Agreement.objects.filter(pk__in=agreement_ids)
    )
    return render(
        request,
        "followup/overview.html",
        {"data": data, "today": timezone.localdate(), "agreements": agreements.order_by("name")},
    )


# --- a project's follow-up ----------------------------------------------------------------------------------


@login_required
def project(request, pk):
    proposal = _proposal(request, pk)
    user = request.user
    reports = list(selectors.project_reports(proposal))
    team = sorted(team_of(proposal), key=lambda u: u.get_full_name())
    presentations = list(proposal.presentations.select_related("event", "presenter"))
    can_present = permissions.can_register_presentation(user, proposal)
    is_leader = permissions.is_process_leader(user, proposal.agreement_id)
    context = {
        "proposal": proposal,
        "reports": reports,
        "today": timezone.localdate(),
        "series": selectors.progress_series(reports),
        "rollup": selectors.programme_rollup(proposal) if selectors.is_umbrella(proposal) else None,
        "presentations": presentations,
        "final_report": next((r for r in reports if r.is_final), None),
        "can_present": can_present,
        "presentation_form": PresentationForm(
            proposal=proposal,
            team=team,
            include_past=permissions.can_manage_events(user, proposal.agreement_id),
        )
        if can_present
        else None,
        "end_date_form": EndDateForm(initial={"end": proposal.planned_end})
        if permissions.can_change_end_date(user, proposal)
        else None,
        "closure_form": MeetingChoiceForm(agreement_id=proposal.agreement_id, steering_only=True)
        if is_leader and proposal.state == "closing"
        else None,
        "closure_items": proposal.agenda_items.filter(kind="closure").select_related("meeting"),
    }
    return render(request, "followup/project.html", context)


@login_required
@require_POST
def end_date(request, pk):
    proposal = _proposal(request, pk)
    form = EndDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("followup:project", pk)
    try:
        services.schedule_change_end_date(proposal=proposal, by=request.user, end=form.cleaned_data["end"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Slutdatumet är ändrat och uppföljningsplanen uppdaterad."))
    return redirect("followup:project", pk)


@login_required
@require_POST
def presentation_register(request, pk):
    proposal = _proposal(request, pk)
    if not permissions.can_register_presentation(request.user, proposal):
        raise PermissionDenied
    team = list(team_of(proposal))
    form = PresentationForm(
        request.POST,
        proposal=proposal,
        team=team,
        include_past=permissions.can_manage_events(request.user, proposal.agreement_id),
    )
    if form.is_valid():
        try:
            services.presentation_register(
                event=form.cleaned_data["event"],
                proposal=proposal,
                by=request.user,
                title=form.cleaned_data["title"],
                presenter=form.team[form.cleaned_data["presenter"]],
            )
        except (ValidationError, TransitionRefused) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Presentationen är registrerad på programmet."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("followup:project", pk)


@login_required
@require_POST
def closure_agenda(request, pk):
    proposal = _proposal(request, pk)
    if not permissions.is_process_leader(request.user, proposal.agreement_id):
        raise PermissionDenied
    form = MeetingChoiceForm(request.POST, agreement_id=proposal.agreement_id, steering_only=True)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("followup:project", pk)
    try:
        item = services.closure_put_on_agenda(
            proposal=proposal, by=request.user, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("followup:project", pk)
    messages.success(request, _("Avslutet är satt på styrgruppens dagordning."))
    return redirect(item.get_absolute_url())


# --- a report ----------------------------------------------------------------------------


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    can_edit = permissions.can_edit_report(request.user, report)
    can_treat = permissions.can_treat_report(request.user, report)
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
                _apply(form, error)
            except TransitionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Utkastet är sparat."))
                return redirect("followup:report_detail", pk)
    elif request.method == "POST":
        raise PermissionDenied
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
    if not permissions.can_treat_report(request.user, report):
        raise PermissionDenied
    form = MeetingChoiceForm(request.POST, agreement_id=report.proposal.agreement_id)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.report_put_on_agenda(
                report=report, by=request.user, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Rapporten är satt på mötets dagordning."))
    return redirect("followup:report_detail", pk)


@login_required
@require_POST
def report_treat(request, pk):
    report = _report(request, pk)
    if not permissions.can_treat_report(request.user, report):
        raise PermissionDenied
    form = TreatForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("followup:report_detail", pk)
    try:
        services.report_treat(report=report, by=request.user, feedback=form.cleaned_data["feedback"])
    except ValidationError as error:
        messages.error(request, _errors(error))
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


# --- dissemination events ----------------------------------------------------------------------------


def _manageable_agreements(user):
    agreement_ids = [
        a for a in Agreement.objects.values_list("pk", flat=True) if permissions.can_manage_events(user, a)
    ]
    return Agreement.objects.filter(pk__in=agreement_ids).order_by("name")


@login_required
def event_list(request):
    if not permissions.can_list_events(request.user):
        raise PermissionDenied
    agreements = _manageable_agreements(request.user)
    events = (
        DisseminationEvent.objects.filter(agreement__in=agreements)
        .prefetch_related("presentations__proposal", "presentations__presenter")
        .order_by("-starts_at")
    )
    return render(request, "followup/event_list.html", {"events": events, "now": timezone.now()})


@login_required
def event_form(request, pk=None):
    event = get_object_or_404(DisseminationEvent, pk=pk) if pk else None
    agreements = list(_manageable_agreements(request.user))
    if not agreements or (event and event.agreement not in agreements):
        raise PermissionDenied
    agreement = event.agreement if event else agreements[0]
    if not event and request.POST.get("agreement"):
        agreement = next((a for a in agreements if str(a.pk) == request.POST["agreement"]), None)
        if agreement is None:
            raise PermissionDenied
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if event:
                services.event_update(event=event, by=request.user, **fields)
            else:
                event = services.event_create(agreement=agreement, by=request.user, **fields)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Resultatspridningstillfället är sparat."))
            return redirect("followup:event_list")
    return render(
        request,
        "followup/event_form.html",
        {"form": form, "event": event, "agreements": agreements, "agreement": agreement},
    )


def events_public(request):
    """The open listing of upcoming dissemination events (no login)."""
    return render(request, "followup/events_public.html", {"events": selectors.public_events()})


def event_public(request, uid):
    event = get_object_or_404(
        DisseminationEvent.objects.prefetch_related("presentations__proposal", "presentations__presenter"),
        uid=uid,
    )
    if not event.is_public and not permissions.can_manage_events(request.user, event.agreement_id):
        raise Http404
    return render(request, "followup/event_public.html", {"event": event})


def event_ics(request, uid):
    event = get_object_or_404(DisseminationEvent.objects.prefetch_related("presentations__proposal"), uid=uid)
    if not event.is_public and not permissions.can_manage_events(request.user, event.agreement_id):
        raise Http404
    response = HttpResponse(ics.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resultatspridning.ics"'
    return response


# --- effect goals and KPIs ----------------------------------------------------------------------------


@login_required
def goals_index(request):
    agreements = [
        a for a in Agreement.objects.order_by("name") if permissions.can_view_goals(request.user, a.pk)
    ]
    if not agreements:
        raise PermissionDenied
    if len(agreements) == 1:
        return redirect("followup:goals", agreements[0].pk)
    return render(request, "followup/goals_index.html", {"agreements": agreements})


@login_required
def goals(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    if not permissions.can_view_goals(request.user, agreement.pk):
        raise PermissionDenied
    can_manage = permissions.can_manage_goals(request.user, agreement.pk)
    year = timezone.localdate().year
    return render(
        request,
        "followup/goals.html",
        {
            "agreement": agreement,
            "rows": selectors.goals_with_years(agreement.pk),
            "can_manage": can_manage,
            "year": year,
            "agenda_form": MeetingChoiceForm(agreement_id=agreement.pk, steering_only=True)
            if can_manage
            else None,
        },
    )


@login_required
def goal_form(request, pk=None, agreement_pk=None):
    goal = get_object_or_404(EffectGoal, pk=pk) if pk else None
    agreement = goal.agreement if goal else get_object_or_404(Agreement, pk=agreement_pk)
    if not permissions.can_manage_goals(request.user, agreement.pk):
        raise PermissionDenied
    initial = {}
    if goal:
        initial = {
            name: getattr(goal, name)
            for name in (
                "kind",
                "name",
                "description",
                "unit",
                "unit_label",
                "baseline",
                "baseline_year",
                "higher_is_better",
                "contributing_activities",
            )
        }
        initial["proposals"] = list(goal.contributing_proposals.all())
    form = GoalForm(request.POST or None, agreement=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        proposals = data.pop("proposals")
        try:
            goal = services.goal_save(
                agreement=agreement, by=request.user, goal=goal, proposals=list(proposals), **data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Effektmålet är sparat."))
            return redirect("followup:goal_detail", goal.pk)
    return render(request, "followup/goal_form.html", {"form": form, "goal": goal, "agreement": agreement})


@login_required
def goal_detail(request, pk):
    goal = get_object_or_404(EffectGoal.objects.select_related("agreement"), pk=pk)
    if not permissions.can_view_goals(request.user, goal.agreement_id):
        raise PermissionDenied
    can_manage = permissions.can_manage_goals(request.user, goal.agreement_id)
    form = GoalYearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.goal_year_save(goal=goal, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Årsvärdet är sparat."))
                return redirect("followup:goal_detail", pk)
    row = next(r for r in selectors.goals_with_years(goal.agreement_id) if r["goal"].pk == goal.pk)
    return render(
        request, "followup/goal_detail.html", {"row": row, "goal": goal, "form": form if can_manage else None}
    )


@login_required
@require_POST
def goals_agenda(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    if not permissions.can_manage_goals(request.user, agreement.pk):
        raise PermissionDenied
    form = MeetingChoiceForm(request.POST, agreement_id=agreement.pk, steering_only=True)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if not form.is_valid() or year is None:
        messages.error(request, _("Välj ett styrgruppsmöte och ett år."))
        return redirect("followup:goals", pk)
    try:
        services.goals_followup_to_agenda(
            agreement=agreement, by=request.user, year=year, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Uppföljningen av effektmålen är satt på styrgruppens dagordning."))
    return redirect("followup:goals", pk)
