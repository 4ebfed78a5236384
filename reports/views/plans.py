"""Communication plans: list, create, edit (goals, target groups, channels, activities), hand to the
styrgrupp,
put on its agenda, PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.pdf import render_pdf
from samverkan.http import require

from .. import permissions, selectors, services
from ..forms import ActivityForm, GoalForm, PlanCreateForm, PlanForm, ScheduleForm
from ..models import CommunicationPlan


def _plan(request, pk) -> CommunicationPlan:
    plan = get_object_or_404(
        CommunicationPlan.objects.select_related("agreement", "agenda_item__meeting").prefetch_related(
            "goals", "activities"
        ),
        pk=pk,
    )
    require(request.user, permissions.can_view_plan, plan)
    return plan


@require_http_methods(["GET", "POST"])
@login_required
def plan_list(request):
    user = request.user
    require(user, permissions.can_view_plans)
    form = PlanCreateForm(request.POST or None, user=user)
    can_create = form.fields["agreement"].queryset.exists()
    if request.method == "POST":
        require(user, permissions.can_create_plans)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    agreement=form.cleaned_data["agreement"], year=form.cleaned_data["year"], by=user
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(plan)
    return render(
        request,
        "reports/plan_list.html",
        {"plans": selectors.plans_for(user), "form": form if can_create else None},
        status=400 if request.method == "POST" else 200,
    )


def _context(request, plan, **forms) -> dict:
    decision = selectors.plan_decision(plan)
    return {
        "plan": plan,
        "decision": decision,
        "total": services.plan_total(plan),
        "can_edit": permissions.can_edit_plan(request.user, plan),
        "can_schedule": permissions.can_schedule_plan(request.user, plan),
        "plan_form": forms.get("plan_form") or PlanForm(instance=plan),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(plan=plan),
        "effect_goals": selectors.effect_goal_names(plan.agreement_id),
    }


@require_GET
@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    return render(request, "reports/plan_detail.html", _context(request, plan))


def _apply(request, plan, form_name, form, call):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            return redirect(plan)
    return render(
        request, "reports/plan_detail.html", _context(request, plan, **{form_name: form}), status=400
    )


@require_POST
@login_required
def plan_edit(request, pk):
    plan = _plan(request, pk)
    action = request.POST.get("action", "")
    by = request.user
    if action == "plan":
        return _apply(
            request,
            plan,
            "plan_form",
            PlanForm(request.POST, instance=plan),
            lambda d: services.plan_update(plan=plan, by=by, **d),
        )
    if action == "goal":
        return _apply(
            request,
            plan,
            "goal_form",
            GoalForm(request.POST),
            lambda d: services.goal_add(plan=plan, by=by, **d),
        )
    if action == "activity":
        return _apply(
            request,
            plan,
            "activity_form",
            ActivityForm(request.POST),
            lambda d: services.activity_add(plan=plan, by=by, **d),
        )
    if action in ("remove_goal", "remove_activity"):
        try:
            row = int(request.POST.get("row", ""))
        except ValueError:
            row = None
        services.plan_row_remove(
            plan=plan, by=by, **({"goal_id": row} if action == "remove_goal" else {"activity_id": row})
        )
        return redirect(plan)
    if action == "submit":
        try:
            services.plan_submit(plan=plan, by=by)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Planen är lämnad till styrgruppen. Processledarna har fått besked."))
        return redirect(plan)
    if action == "schedule":
        form = ScheduleForm(request.POST, plan=plan)
        return _apply(
            request,
            plan,
            "schedule_form",
            form,
            lambda d: services.plan_schedule(plan=plan, by=by, meeting=d["meeting"]),
        )
    messages.error(request, _("Okänd åtgärd – ingenting ändrades."))
    return redirect(plan)


@require_GET
@login_required
def plan_pdf(request, pk):
    plan = _plan(request, pk)
    pdf = render_pdf(
        "pdf/communication_plan.html",
        {"plan": plan, "decision": selectors.plan_decision(plan), "total": services.plan_total(plan)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kommunikationsplan-{plan.year}.pdf"'
    return response
