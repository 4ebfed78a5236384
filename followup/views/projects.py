"""A project's follow-up: the processledare's overview, the project page, a changed end date, a
presentation at a dissemination event and the closure put on the styrgrupp's agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Proposal
from applications.services.proposals import team_of
from samverkan.errors import ApplicationError
from samverkan.http import require, show_refusal
from samverkan.models import Agreement

from .. import permissions, selectors, services
from ..forms import (
    EndDateForm,
    MeetingChoiceForm,
    PresentationForm,
)
from .common import error_text


def _proposal(request, pk) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "agreement", "responsible_researcher", "responsible_officer", "parent"
        ),
        pk=pk,
    )
    require(request.user, permissions.can_view_followup, proposal)
    return proposal


# --- overview ----------------------------------------------------------------------------


@login_required
def overview(request):
    require(request.user, permissions.can_view_overview)
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
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Slutdatumet är ändrat och uppföljningsplanen uppdaterad."))
    return redirect("followup:project", pk)


@login_required
@require_POST
def presentation_register(request, pk):
    proposal = _proposal(request, pk)
    require(request.user, permissions.can_register_presentation, proposal)
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
        except ValidationError as error:
            messages.error(request, error_text(error))
        except ApplicationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Presentationen är registrerad på programmet."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("followup:project", pk)


@login_required
@require_POST
def closure_agenda(request, pk):
    proposal = _proposal(request, pk)
    require(request.user, permissions.is_process_leader, proposal.agreement_id)
    form = MeetingChoiceForm(request.POST, agreement_id=proposal.agreement_id, steering_only=True)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("followup:project", pk)
    try:
        item = services.closure_put_on_agenda(
            proposal=proposal, by=request.user, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("followup:project", pk)
    messages.success(request, _("Avslutet är satt på styrgruppens dagordning."))
    return redirect(item.get_absolute_url())
