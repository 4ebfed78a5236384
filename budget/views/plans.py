"""Verksamhetsplan pages: list, create, the plan with its activities and budget tables, edit, copy to next
year, put on a beredning or styrgrupp agenda, and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.enums import MeetingKind, MeetingStatus
from governance.models import Meeting
from samverkan.http import require
from samverkan.models import Agreement

from .. import permissions, selectors, services
from ..forms import apply_errors
from ..forms.plans import ActivityForm, MeetingChoiceForm, PlanForm
from ..models import ActivityPlan, PlanActivity


def _agreement(request, pk, *, manage=False) -> Agreement:
    agreement = get_object_or_404(Agreement, pk=pk)
    check = permissions.can_manage_economy if manage else permissions.can_view_economy
    require(request.user, check, agreement)
    return agreement


def _plan(request, pk, *, manage=False) -> ActivityPlan:
    plan = get_object_or_404(
        ActivityPlan.objects.select_related(
            "agreement", "programme", "decision__meeting", "steering_item__meeting"
        ),
        pk=pk,
    )
    _agreement(request, plan.agreement_id, manage=manage)
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request, pk):
    agreement = _agreement(request, pk)
    can_manage = permissions.can_manage_economy(request.user, agreement)
    form = PlanForm(
        request.POST or None, agreement=agreement, initial={"year": timezone.localdate().year + 1}
    )
    if request.method == "POST":
        require(request.user, permissions.can_manage_economy, agreement)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(agreement=agreement, by=request.user, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Verksamhetsplanen är skapad. Lägg till aktiviteterna."))
                return redirect(plan)
    return render(
        request,
        "budget/plan_list.html",
        {
            "agreement": agreement,
            "plans": selectors.plans_for(agreement),
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if form.errors else 200,
    )


def _meetings(plan, *, steering: bool):
    kinds = (
        [MeetingKind.STEERING]
        if steering
        else [MeetingKind.REVIEW, MeetingKind.JOINT_REVIEW, MeetingKind.PRE_REVIEW]
    )
    return Meeting.objects.filter(
        agreement_id=plan.agreement_id,
        kind__in=kinds,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.INVITED],
    ).order_by("starts_at")


def _context(request, plan, **extra) -> dict:
    activities = list(plan.activities.select_related("budget_line"))
    can_manage = permissions.can_manage_economy(request.user, plan.agreement_id)
    editable = permissions.can_edit_plan(request.user, plan)
    context = {
        "plan": plan,
        "activities": activities,
        "budget": selectors.plan_budget(plan, activities),
        "goals": list(enumerate(plan.goals, start=1)),
        "can_manage": can_manage,
        "editable": editable,
        "next_year_taken": ActivityPlan.objects.filter(
            agreement_id=plan.agreement_id, programme_id=plan.programme_id, year=plan.year + 1
        ).exists(),
    }
    if editable:
        context["activity_form"] = extra.pop("activity_form", None) or ActivityForm(plan=plan)
        context["review_form"] = extra.pop("review_form", None) or MeetingChoiceForm(
            meetings=_meetings(plan, steering=False), prefix="review"
        )
        context["steering_form"] = extra.pop("steering_form", None) or MeetingChoiceForm(
            meetings=_meetings(plan, steering=True), prefix="steering"
        )
    context.update(extra)
    return context


@login_required
@require_GET
def plan_detail(request, pk):
    plan = _plan(request, pk)
    return render(request, "budget/plan_detail.html", _context(request, plan))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = _plan(request, pk, manage=True)
    initial = {name: getattr(plan, name) for name in ("title", "area", "introduction", "overall_goals")}
    form = PlanForm(request.POST or None, agreement=plan.agreement, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Verksamhetsplanen är sparad."))
            return redirect(plan)
    return render(
        request, "budget/plan_form.html", {"plan": plan, "form": form}, status=400 if form.errors else 200
    )


def _activity_kwargs(form) -> dict:
    return dict(form.cleaned_data)


@login_required
@require_POST
def activity_add(request, pk):
    plan = _plan(request, pk, manage=True)
    form = ActivityForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.activity_save(plan=plan, by=request.user, **_activity_kwargs(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Aktiviteten ”%(t)s” är tillagd.") % {"t": form.cleaned_data["title"]}
            )
            return redirect(plan)
    return render(request, "budget/plan_detail.html", _context(request, plan, activity_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk, activity_pk):
    plan = _plan(request, pk, manage=True)
    activity = get_object_or_404(PlanActivity, pk=activity_pk, plan=plan)
    initial = {
        "title": activity.title,
        "goal_numbers": activity.goal_numbers,
        "area_goal": activity.area_goal,
        "description": activity.description,
        "planned_activities": activity.planned_activities,
        "budget_amount": activity.budget_amount or "",
        "budget_line": activity.budget_line_id,
        "communication": activity.communication,
        "follow_up": activity.follow_up,
    }
    form = ActivityForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                services.activity_delete(activity=activity, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Aktiviteten är borttagen."))
            return redirect(plan)
        if form.is_valid():
            try:
                services.activity_save(
                    plan=plan, by=request.user, activity=activity, **_activity_kwargs(form)
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Aktiviteten är sparad."))
                return redirect(plan)
    return render(
        request,
        "budget/activity_form.html",
        {"plan": plan, "activity": activity, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_copy(request, pk):
    plan = _plan(request, pk, manage=True)
    try:
        copy = services.plan_copy(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(request, _("%(title)s är skapad som en kopia.") % {"title": copy.title})
    return redirect(copy)


@login_required
@require_POST
def plan_schedule(request, pk, where):
    plan = _plan(request, pk, manage=True)
    steering = where == "styrgrupp"
    form = MeetingChoiceForm(
        request.POST, meetings=_meetings(plan, steering=steering), prefix="steering" if steering else "review"
    )
    if form.is_valid():
        service = services.plan_to_steering if steering else services.plan_present
        try:
            item = service(plan=plan, meeting=form.cleaned_data["meeting"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Planen är satt på dagordningen för %(meeting)s.") % {"meeting": item.meeting.title},
            )
            return redirect(plan)
    key = "steering_form" if steering else "review_form"
    return render(request, "budget/plan_detail.html", _context(request, plan, **{key: form}), status=400)


@login_required
@require_GET
def plan_pdf(request, pk):
    from governance.pdf import render_pdf

    plan = _plan(request, pk)
    activities = list(plan.activities.select_related("budget_line"))
    content = render_pdf(
        "budget/plan_pdf.html",
        {
            "plan": plan,
            "activities": activities,
            "budget": selectors.plan_budget(plan, activities),
            "goals": list(enumerate(plan.goals, start=1)),
            "document_id": f"VP-{plan.agreement_id}-{plan.year}-{plan.pk}",
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="verksamhetsplan-{plan.year}-{plan.pk}.pdf"'
    return response
