"""The agenda item page (documents, assessments, outcome, vote, decision), the member's assessment form and
the beredning's outcome. Thin: permission → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.errors import ApplicationError
from samverkan.http import require, show_refusal

from .. import permissions, services
from ..enums import Perspective
from ..forms_review import AssessmentForm, OutcomeForm
from ..models import Assessment
from ..selectors import seat_of
from .item_page import meeting_and_item, render_item, viewable_item

# --- helpers -----------------------------------------------------------------------------------------------


# --- views -------------------------------------------------------------------------------------------------


@login_required
def item_detail(request, pk, item_pk):
    meeting, item = viewable_item(request, pk, item_pk)
    return render_item(request, meeting, item)


@login_required
def assessment_form(request, pk, item_pk):
    """The member's own assessment: a draft can be saved and changed; once submitted it is read-only."""
    meeting, item = meeting_and_item(pk, item_pk)
    user = request.user
    require(user, permissions.is_assessor, item)
    if permissions.is_recused(user, item):
        messages.error(
            request, _("Du är jävig i ärendet och deltar inte i beredningen av det – du kan inte bedöma det.")
        )
        return redirect(item)
    own = Assessment.objects.filter(item=item, member=user).prefetch_related("criteria").first()
    require(user, permissions.can_open_assessment, item, own)
    perspective = Perspective.RESEARCH if seat_of(meeting, user).is_university else Perspective.BENEFIT
    read_only = not permissions.can_change_assessment(user, item, own)
    if request.method == "POST":
        require(user, permissions.can_change_assessment, item, own)
        form = AssessmentForm(request.POST, perspective=perspective)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.assessment_save(item=item, by=user, submit=submit, **form.service_kwargs())
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                if submit:
                    messages.success(
                        request, _("Din bedömning är inskickad. Nu ser du de andra ledamöternas bedömningar.")
                    )
                    return redirect(item)
                messages.success(request, _("Utkastet är sparat. Skicka in bedömningen när du är klar."))
                return redirect("governance:assessment_form", pk=meeting.pk, item_pk=item.pk)
    else:
        form = AssessmentForm(perspective=perspective, assessment=own)
    return render(
        request,
        "governance/assessment_form.html",
        {
            "meeting": meeting,
            "item": item,
            "proposal": item.proposal,
            "form": form,
            "assessment": own,
            "read_only": read_only,
            "perspective": perspective,
            "perspective_label": Perspective(perspective).label,
        },
    )


@login_required
@require_POST
def outcome_record(request, pk, item_pk):
    """The beredning's position: forward to the styrgrupp, return for revision, or decline."""
    meeting, item = meeting_and_item(pk, item_pk)
    require(request.user, permissions.can_record_outcome, item)
    form = OutcomeForm(request.POST, item=item)
    if form.is_valid():
        try:
            recorded = services.outcome_record(item=item, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # e.g. already recorded: the form is no longer shown
                messages.error(request, " ".join(error.messages))
                return redirect(item)
            form.apply_service_errors(error)
        except ApplicationError as error:
            show_refusal(request, error)
            return redirect(item)
        else:
            recorded.proposal.refresh_from_db()
            text = _("Beredningens ställningstagande är registrerat: %(outcome)s.") % {
                "outcome": recorded.get_outcome_display()
            }
            state = _("Ärendet har nu status ”%(state)s”.") % {"state": recorded.proposal.get_state_display()}
            messages.success(request, f"{text} {state}")
            return redirect(recorded)
    return render_item(request, meeting, item, outcome_form=form)
