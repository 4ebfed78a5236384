"""Online voting at the styrgrupp: open, cast, jäv, close, the live status, the chair's view and the
decision. Thin: permission → service → redirect to the item page with a Swedish message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.errors import ApplicationError
from samverkan.http import require, show_refusal
from samverkan.models import Organisation

from .. import permissions, services, voting
from ..enums import VoteOutcome, VoteStatus
from ..forms_voting import BallotForm, RecusalForm, VoteOpenForm, VoteReopenForm, choice_label
from ..models import Meeting
from ..selectors import members_of
from .item_page import (
    VOTED_KINDS,
    decision_context,
    decision_form_for,
    is_assessed,
    is_cofunding,
    meeting_and_item,
    render_item,
    status_context,
    viewable_item,
    vote_of,
)

# --- helpers -----------------------------------------------------------------------------------------------


def _back(request, meeting, item):
    """Back to where the form was: the chair's live view or the item page."""
    if request.POST.get("return_to") == "chair":
        return redirect("governance:chair_view", pk=meeting.pk)
    return redirect(item)


def _steering_item(request, pk, item_pk):
    meeting, item = meeting_and_item(pk, item_pk)
    if not (meeting.is_steering and item.kind in VOTED_KINDS):
        raise Http404
    return meeting, item


def _member_vote(request, pk, item_pk):
    """For a member's action: the item and its vote; 403 for anyone who does not sit in the body."""
    meeting, item = _steering_item(request, pk, item_pk)
    require(request.user, permissions.sits_for_item, item)
    return meeting, item, vote_of(item)


# --- actions (POST only) -----------------------------------------------------------------------------------


@login_required
@require_POST
def vote_open(request, pk, item_pk):
    meeting, item = _steering_item(request, pk, item_pk)
    require(request.user, permissions.can_run_vote, meeting)
    form = VoteOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, meeting, item)
    try:
        vote = services.vote_open(
            item=item,
            by=request.user,
            deadline=form.cleaned_data["deadline"],
            open_ballots_after_close=form.cleaned_data["open_ballots_after_close"],
        )
    except ApplicationError as error:
        show_refusal(request, error)
    else:
        automatic = vote.recusals.filter(automatic=True).count()
        text = _("Voteringen är öppnad. Ledamöterna har fått besked.")
        if automatic:
            text += " " + _(
                "%(n)s ledamot/ledamöter är sökande i ärendet och har anmälts jäviga automatiskt."
            ) % {"n": automatic}
        messages.success(request, text)
    return _back(request, meeting, item)


@login_required
@require_POST
def ballot_cast(request, pk, item_pk):
    _meeting, item, vote = _member_vote(request, pk, item_pk)
    if vote is None or vote.status == VoteStatus.DRAFT:
        messages.error(request, _("Voteringen är inte öppnad än."))
        return redirect(item)
    form = BallotForm(request.POST, cofunding=is_cofunding(item))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["choice"]))
        return redirect(item)
    try:
        ballot = services.ballot_cast(vote=vote, by=request.user, choice=form.cleaned_data["choice"])
    except ApplicationError as error:
        show_refusal(request, error)
    else:
        label = choice_label(ballot.choice, cofunding=is_cofunding(item))
        messages.success(request, _("Din röst är registrerad: %(choice)s.") % {"choice": label})
        vote.refresh_from_db()
        if vote.status == VoteStatus.CLOSED:
            messages.success(request, _("Alla röstberättigade har röstat – voteringen är stängd."))
    return redirect(item)


@login_required
@require_POST
def recusal_declare(request, pk, item_pk):
    """A member declares jäv on an item – at the styrgrupp (before or during the vote) or at the beredning
    (before the ställningstagande)."""
    meeting, item = meeting_and_item(pk, item_pk)
    require(request.user, permissions.sits_for_item, item)
    if not (item.kind in VOTED_KINDS and meeting.is_steering) and not is_assessed(meeting, item):
        raise Http404
    form = RecusalForm(request.POST)
    if not form.is_valid():
        return render_item(request, meeting, item, recusal_form=form)
    try:
        services.recusal_declare(item=item, by=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("Ditt jäv är anmält och förs till protokollet. Du deltar inte i ärendet.")
        )
    return redirect(item)


@login_required
@require_POST
def vote_close(request, pk, item_pk):
    """Close the vote. When closing now would make it void (a party not beslutsför), the chair is shown
    why and asked to confirm – or to wait for more votes."""
    meeting, item = _steering_item(request, pk, item_pk)
    require(request.user, permissions.can_run_vote, meeting)
    vote = vote_of(item)
    if vote is None or vote.status != VoteStatus.OPEN:
        messages.error(request, _("Voteringen är inte öppen."))
        return _back(request, meeting, item)
    if not request.POST.get("confirm_void"):
        preview = services.preview(vote)
        if not preview.quorum:
            names = {
                p.pk: p.name
                for p in Organisation.objects.filter(pk__in=[x.party_id for x in preview.parties])
            }
            warning = voting.outcome_line(preview.as_dict(), names)
            return render_item(request, meeting, item, close_warning=warning, status=409)
    try:
        vote = services.vote_close(vote=vote, by=request.user)
    except ApplicationError as error:
        show_refusal(request, error)
    else:
        if vote.outcome == VoteOutcome.NO_QUORUM:
            messages.warning(
                request,
                _(
                    "Voteringen är stängd och ogiltig: styrgruppen var inte beslutsför. Öppna den igen med "
                    "en ny sista tid, flytta punkten till nästa möte eller besluta enligt förslag om ingen "
                    "motsätter sig."
                ),
            )
        else:
            messages.success(
                request,
                _("Voteringen är stängd. Utfall: %(outcome)s.") % {"outcome": vote.get_outcome_display()},
            )
    return _back(request, meeting, item)


@login_required
@require_POST
def vote_reopen(request, pk, item_pk):
    """A void vote is opened again with a new deadline."""
    meeting, item = _steering_item(request, pk, item_pk)
    require(request.user, permissions.can_run_vote, meeting)
    vote = vote_of(item)
    form = VoteReopenForm(request.POST)
    if vote is None or not form.is_valid():
        return render_item(request, meeting, item, reopen_form=form, status=400)
    try:
        services.vote_reopen(vote=vote, by=request.user, deadline=form.cleaned_data["deadline"])
    except ApplicationError as error:
        show_refusal(request, error, form=form)
        return render_item(request, meeting, item, reopen_form=form, status=400)
    messages.success(request, _("Voteringen är öppnad igen. Ledamöterna har fått besked."))
    return redirect(item)


@login_required
@require_POST
def item_carry_forward(request, pk, item_pk):
    """The chair or secretary carries the item to the next styrgrupp meeting (after a void vote, or when a
    party has no one left to vote)."""
    meeting, item = _steering_item(request, pk, item_pk)
    require(request.user, permissions.can_run_vote, meeting)
    try:
        carried = services.item_carry_forward(item=item, by=request.user)
    except (ApplicationError, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect(item)
    messages.success(
        request,
        _("Punkten är flyttad till %(meeting)s (§%(n)s).")
        % {"meeting": carried.meeting_label, "n": carried.order},
    )
    return redirect(carried)


@login_required
@require_POST
def decision_create(request, pk, item_pk):
    """From a closed vote (decision_from_vote), or "enligt förslag" without a vote
    (decision_by_acclamation)."""
    meeting, item = _steering_item(request, pk, item_pk)
    require(request.user, permissions.can_decide, meeting)
    form = decision_form_for(item, request.POST)
    if not form.is_valid():
        return render_item(request, meeting, item, decision_form=form)
    vote = vote_of(item)
    try:
        void = vote is not None and vote.outcome == VoteOutcome.NO_QUORUM
        if vote is not None and vote.status != VoteStatus.DRAFT and not void:
            decision = services.decision_from_vote(vote=vote, by=request.user, **form.service_kwargs())
        else:
            decision = services.decision_by_acclamation(
                item=item,
                by=request.user,
                assent=form.cleaned_data.get("assent", False),
                **form.service_kwargs(),
            )
    except (ApplicationError, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if decision_context(request, meeting, item)["decision_mode"] in ("vote", "acclamation", "void"):
            form.add_error(None, text)  # keep what was typed next to the message
            return render_item(request, meeting, item, decision_form=form)
        messages.error(request, text)  # the form is not offered now (vote open, no quorum, decided)
        return redirect(item)
    text = _("Beslut §%(paragraph)s är registrerat: %(kind)s.") % {
        "paragraph": decision.paragraph,
        "kind": decision.get_kind_display(),
    }
    if decision.proposal is not None:
        decision.proposal.refresh_from_db()
        text += " " + _("Ärendet har nu status ”%(state)s”.") % {
            "state": decision.proposal.get_state_display()
        }
    messages.success(request, text)
    return redirect(item)


# --- reading -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def vote_status(request, pk, item_pk):
    """The live vote status (an htmx partial, polled every 3 s). 204 when nothing changed since `seen`, so
    the live region is not re-announced."""
    meeting, item = viewable_item(request, pk, item_pk)
    if not (meeting.is_steering and item.kind in VOTED_KINDS):
        raise Http404
    context = status_context(meeting, item, vote_of(item))
    if request.GET.get("seen") == context["fingerprint"]:
        response = HttpResponse(status=204)
    else:
        response = render(request, "governance/_vote_status.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def chair_view(request, pk):
    """The chair's live view during a styrgrupp meeting: each decision item with its vote, updating without
    reload (htmx polling); without JavaScript, reloading the page shows the same."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("agreement", "body", "chair", "secretary"), pk=pk
    )
    if not meeting.is_steering:
        raise Http404
    user = request.user
    require(user, permissions.can_run_meeting, meeting)
    items = list(
        meeting.items.filter(kind__in=VOTED_KINDS).select_related("proposal").order_by("order", "pk")
    )
    rows = []
    for item in items:
        item.meeting = meeting
        vote = vote_of(item)
        rows.append({"item": item, "vote": vote, "status": status_context(meeting, item, vote)})
    return render(
        request,
        "governance/chair_view.html",
        {
            "meeting": meeting,
            "rows": rows,
            "can_run_vote": permissions.can_run_vote(user, meeting),
            "open_not_yet": services.vote_not_openable_yet(meeting),
            "open_form": VoteOpenForm(meeting=meeting),
            "member_count": len(members_of(meeting)),
        },
    )
