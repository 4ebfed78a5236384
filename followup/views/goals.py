"""Effect goals and KPIs: per agreement, a goal with its yearly values, and the follow-up put on an agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.http import require
from samverkan.models import Agreement

from .. import permissions, selectors, services
from ..forms import (
    GoalForm,
    GoalYearForm,
    MeetingChoiceForm,
)
from ..models import EffectGoal
from .common import apply_errors, error_text

# --- effect goals and KPIs ----------------------------------------------------------------------------


@login_required
def goals_index(request):
    require(request.user, permissions.can_view_goals_somewhere)
    agreements = [
        a for a in Agreement.objects.order_by("name") if permissions.can_view_goals(request.user, a.pk)
    ]
    if len(agreements) == 1:
        return redirect("followup:goals", agreements[0].pk)
    return render(request, "followup/goals_index.html", {"agreements": agreements})


@login_required
def goals(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    require(request.user, permissions.can_view_goals, agreement.pk)
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
    require(request.user, permissions.can_manage_goals, agreement.pk)
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
            apply_errors(form, error)
        else:
            messages.success(request, _("Effektmålet är sparat."))
            return redirect("followup:goal_detail", goal.pk)
    return render(request, "followup/goal_form.html", {"form": form, "goal": goal, "agreement": agreement})


@login_required
def goal_detail(request, pk):
    goal = get_object_or_404(EffectGoal.objects.select_related("agreement"), pk=pk)
    require(request.user, permissions.can_view_goals, goal.agreement_id)
    can_manage = permissions.can_manage_goals(request.user, goal.agreement_id)
    form = GoalYearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require(request.user, permissions.can_manage_goals, goal.agreement_id)
        if form.is_valid():
            try:
                services.goal_year_save(goal=goal, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
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
    require(request.user, permissions.can_manage_goals, agreement.pk)
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
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Uppföljningen av effektmålen är satt på styrgruppens dagordning."))
    return redirect("followup:goals", pk)
