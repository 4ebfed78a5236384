"""The agenda item page (documents, assessments, outcome, vote, decision), the member's assessment form and
the beredning's outcome. Thin: permission → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import permissions as proposal_permissions
from applications.services import TransitionRefused

from .. import permissions, services
from ..enums import CRITERIA, ItemKind, Perspective
from ..forms_review import PERSPECTIVE_QUESTIONS, AssessmentForm, OutcomeForm
from ..models import AgendaItem, Assessment, Meeting
from ..selectors import ASSESSED_KINDS, seat_of

VOTED_KINDS = (ItemKind.DECISION, ItemKind.CLOSURE, ItemKind.OTHER)


# --- helpers -----------------------------------------------------------------------------------------------


def meeting_and_item(pk, item_pk) -> tuple[Meeting, AgendaItem]:
    meeting = get_object_or_404(
        Meeting.objects.select_related("agreement", "body", "chair", "secretary"), pk=pk
    )
    item = get_object_or_404(
        AgendaItem.objects.select_related(
            "proposal", "proposal__responsible_researcher", "proposal__responsible_officer"
        ),
        pk=item_pk,
        meeting=meeting,
    )
    item.meeting = meeting
    return meeting, item


def viewable_item(request, pk, item_pk) -> tuple[Meeting, AgendaItem]:
    meeting, item = meeting_and_item(pk, item_pk)
    if not permissions.can_view_item(request.user, item):
        raise PermissionDenied
    return meeting, item


def is_assessed(meeting, item) -> bool:
    return meeting.is_review and item.kind in ASSESSED_KINDS


def _stats(values) -> dict | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {
        "n": len(values),
        "mean": round(sum(values) / len(values), 1),
        "min": min(values),
        "max": max(values),
    }


def assessment_summary(assessments) -> list[dict]:
    """Per perspective: mean and spread (min–max) of its two questions and of each of the nine criteria,
    with the comments and proposed activity goals. Only submitted assessments count."""
    summary = []
    for perspective in Perspective:
        rows = [a for a in assessments if a.perspective == perspective and a.submitted_at]
        if not rows:
            continue
        questions = [
            {"label": label, "stats": _stats(getattr(a, name) for a in rows)}
            for name, label, _help in PERSPECTIVE_QUESTIONS[perspective]
        ]
        criteria = []
        for number, label in CRITERIA:
            scores = [c for a in rows for c in a.criteria.all() if c.criterion == number]
            criteria.append(
                {
                    "number": number,
                    "label": label,
                    "stats": _stats(c.score for c in scores),
                    "comments": [(c.assessment, c.comment) for c in scores if c.comment],
                }
            )
        summary.append(
            {
                "perspective": perspective,
                "label": perspective.label,
                "count": len(rows),
                "questions": questions,
                "criteria": criteria,
                "comments": [a for a in rows if a.comment],
                "goals": [a for a in rows if a.proposed_goals],
            }
        )
    return summary


def item_context(request, meeting, item, **forms) -> dict:
    """Everything the item page shows; the voting views re-render it with a bound form after an error."""
    from .voting import decision_context, vote_context  # the voting panels live with the voting views

    user = request.user
    proposal = item.proposal
    context = {
        "meeting": meeting,
        "item": item,
        "proposal": proposal,
        "can_view_proposal": proposal is not None and proposal_permissions.can_view_proposal(user, proposal),
        "attachments": list(proposal.attachments.all()) if proposal is not None else [],
        "presenters": list(item.presenters.all()),
        "is_member": permissions.is_member(user, meeting),
        "is_officer": permissions.is_officer_of(user, meeting),
        "assessed": is_assessed(meeting, item),
        "voted": meeting.is_steering and item.kind in VOTED_KINDS,
    }
    if context["assessed"]:
        assessments = list(
            item.assessments.select_related("member", "party").prefetch_related("criteria").order_by("pk")
        )
        own = next((a for a in assessments if a.member_id == user.pk), None)
        see_others = permissions.may_see_others_assessments(user, meeting, own)
        submitted = [a for a in assessments if a.submitted_at]
        context.update(
            {
                "own_assessment": own,
                "can_assess": permissions.can_assess(user, item),
                "see_others": see_others,
                "submitted_count": len(submitted),
                "summary": assessment_summary(submitted) if see_others else [],
                "submitted_assessments": submitted if see_others else [],
                "can_record_outcome": permissions.can_record_outcome(user, item) and not item.outcome,
                "outcome_form": forms.get("outcome_form")
                or OutcomeForm(
                    initial={"goals": "\n".join(a.proposed_goals for a in submitted if a.proposed_goals)}
                ),
            }
        )
    if context["voted"]:
        context.update(vote_context(request, meeting, item, **forms))
        context.update(decision_context(request, meeting, item, **forms))
    return context


def render_item(request, meeting, item, *, status=200, **forms):
    return render(
        request, "governance/item_detail.html", item_context(request, meeting, item, **forms), status=status
    )


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
    if not (permissions.is_member(user, meeting) and is_assessed(meeting, item)):
        raise PermissionDenied
    own = Assessment.objects.filter(item=item, member=user).prefetch_related("criteria").first()
    can_assess = permissions.can_assess(user, item)
    if not can_assess and own is None:
        raise PermissionDenied
    perspective = Perspective.RESEARCH if seat_of(meeting, user).is_university else Perspective.BENEFIT
    read_only = (own is not None and own.submitted_at is not None) or not can_assess
    if request.method == "POST":
        if read_only:
            raise PermissionDenied
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
    if not permissions.can_record_outcome(request.user, item):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.outcome_record(
                item=item,
                by=request.user,
                outcome=data["outcome"],
                motivation=data["motivation"],
                goals=data["goals"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # e.g. already recorded: the form is no longer shown
                messages.error(request, " ".join(error.messages))
                return redirect(item)
            form.apply_service_errors(error)
        except TransitionRefused as refused:
            messages.error(request, str(refused))
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
