"""Online voting at the styrgrupp: open, cast, jäv, close, the live status, the chair's view and the
decision. Thin: permission → service → redirect to the item page with a Swedish message."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from applications.enums import ProposalState
from applications.services import TransitionRefused
from samverkan.models import Organisation

from .. import permissions, services, voting
from ..enums import DecisionKind, MeetingKind, ReviewOutcome, VoteOutcome, VoteStatus
from ..forms_voting import BallotForm, DecisionForm, RecusalForm, VoteOpenForm, choice_label
from ..models import AgendaItem, Ballot, Meeting, Recusal, Vote
from ..selectors import members_of
from .review import VOTED_KINDS, meeting_and_item, render_item, viewable_item

PARTY_OUTCOME = {
    voting.YES: pgettext_lazy("voteringsresultat", "Bifall"),
    voting.NO: pgettext_lazy("voteringsresultat", "Avslag"),
    "tie": gettext_lazy("Lika röstetal"),
    "tie-yes": gettext_lazy("Lika röstetal – bifall med ordförandens utslagsröst"),
    "tie-no": gettext_lazy("Lika röstetal – avslag"),
    voting.NO_QUORUM: gettext_lazy("Ej beslutsför"),
}


# --- helpers -----------------------------------------------------------------------------------------------


def _vote_of(item) -> Vote | None:
    return Vote.objects.filter(item=item).first()


def _back(request, meeting, item):
    """Back to where the form was: the chair's live view or the item page."""
    if request.POST.get("return_to") == "chair":
        return redirect("governance:chair_view", pk=meeting.pk)
    return redirect(item)


def _is_cofunding(item) -> bool:
    return item.proposal is not None and item.proposal.is_cofunding()


def _parties(party_ids) -> list[Organisation]:
    """The parties in the order of the minutes: the university first, then the municipalities by name."""
    parties = Organisation.objects.filter(pk__in=set(party_ids))
    return sorted(parties, key=lambda o: (not o.is_university, o.name))


def _fingerprint(vote: Vote | None) -> str:
    """What the live status shows changes only with these; the poll gets 204 (no swap) when they don't."""
    if vote is None:
        return "none"
    ballots = list(vote.ballots.order_by("member_id").values_list("member_id", "changed_at"))
    recusals = list(vote.recusals.order_by("member_id").values_list("member_id", flat=True))
    raw = f"{vote.status}|{vote.closed_at}|{ballots}|{recusals}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def status_context(meeting, item, vote: Vote | None) -> dict:
    """The live vote status. Until close: who has voted and who has not, per party – never how (the
    choices are not even read). After close: the stored result per party and, if the vote was opened
    with open ballots, each member's choice."""
    context = {
        "meeting": meeting,
        "item": item,
        "vote": vote,
        "fingerprint": _fingerprint(vote),
        "poll": vote is None or vote.status != VoteStatus.CLOSED,
    }
    if vote is None or vote.status == VoteStatus.DRAFT:
        return context
    cofunding = _is_cofunding(item)
    recusals = list(
        vote.recusals.select_related("member").order_by("member__last_name", "member__first_name")
    )
    context["recusals"] = recusals
    if vote.status == VoteStatus.OPEN:
        seats = members_of(meeting)
        voted = set(vote.ballots.values_list("member_id", flat=True))
        recused = {r.member_id for r in recusals}
        groups = []
        for party in _parties(s.party_id for s in seats):
            party_seats = [s for s in seats if s.party_id == party.pk]
            eligible = [s for s in party_seats if s.user_id not in recused]
            groups.append(
                {
                    "party": party,
                    "entitled": len(party_seats),
                    "recused": len(party_seats) - len(eligible),
                    "voted": [s.user for s in eligible if s.user_id in voted],
                    "waiting": [s.user for s in eligible if s.user_id not in voted],
                }
            )
        context.update(
            {
                "groups": groups,
                "voted_count": sum(len(g["voted"]) for g in groups),
                "eligible_count": sum(len(g["voted"]) + len(g["waiting"]) for g in groups),
            }
        )
        return context
    # Closed: everything from the stored result and snapshot, as it was at close.
    result = vote.result or {}
    snapshot = vote.snapshot or {}
    parties = {p.pk: p for p in _parties(p["party_id"] for p in result.get("parties", []))}
    rows = [
        {
            **p,
            "party": parties.get(p["party_id"]),
            "outcome_label": PARTY_OUTCOME.get(p["outcome"], p["outcome"]),
        }
        for p in result.get("parties", [])
    ]
    rows.sort(key=lambda r: (not r["party"].is_university, r["party"].name) if r["party"] else (True, ""))
    names = {e["user_id"]: e["name"] for e in snapshot.get("entitled", [])}
    open_ballots = []
    if vote.open_ballots_after_close:
        party_of = {e["user_id"]: e["party_id"] for e in snapshot.get("entitled", [])}
        for ballot in vote.ballots.select_related("member").order_by(
            "member__last_name", "member__first_name"
        ):
            open_ballots.append(
                {
                    "name": names.get(ballot.member_id) or ballot.member.get_full_name(),
                    "party": parties.get(party_of.get(ballot.member_id)),
                    "choice": choice_label(ballot.choice, cofunding=cofunding),
                }
            )
    context.update(
        {
            "result": result,
            "rows": rows,
            "open_ballots": open_ballots,
            "voted_count": len(snapshot.get("voted", [])),
            "entitled_count": len(snapshot.get("entitled", [])),
        }
    )
    return context


def vote_context(request, meeting, item, **forms) -> dict:
    """The item page's vote panel for this user."""
    user = request.user
    vote = _vote_of(item)
    is_member = permissions.is_member(user, meeting)
    cofunding = _is_cofunding(item)
    own_ballot = own_recusal = None
    if vote is not None and is_member:
        own_ballot = Ballot.objects.filter(vote=vote, member=user).first()
        own_recusal = Recusal.objects.filter(vote=vote, member=user).first()
    status = vote.status if vote else VoteStatus.DRAFT
    return {
        "vote": vote,
        "vote_status": status_context(meeting, item, vote),
        "can_run_vote": permissions.can_run_vote(user, meeting),
        "can_vote": is_member and status == VoteStatus.OPEN and own_recusal is None,
        "can_recuse": is_member and status != VoteStatus.CLOSED and own_recusal is None,
        "own_ballot": own_ballot,
        "own_ballot_label": choice_label(own_ballot.choice, cofunding=cofunding) if own_ballot else "",
        "own_recusal": own_recusal,
        "open_form": forms.get("open_form") or VoteOpenForm(),
        "ballot_form": forms.get("ballot_form")
        or BallotForm(cofunding=cofunding, initial={"choice": own_ballot.choice if own_ballot else None}),
        "recusal_form": forms.get("recusal_form") or RecusalForm(),
    }


def _years(proposal) -> list[int]:
    if proposal is None or proposal.planned_start is None:
        return []
    end = proposal.planned_end or proposal.planned_start
    return list(range(proposal.planned_start.year, end.year + 1))


def _default_kind(item) -> str:
    proposal = item.proposal
    if proposal is not None and proposal.state == ProposalState.CLOSING:
        return DecisionKind.CLOSE
    if proposal is not None and proposal.is_cofunding():
        return DecisionKind.COFUNDING
    if proposal is not None:
        return DecisionKind.GRANT
    return DecisionKind.OTHER


def _review_goals(item) -> str:
    """The activity goals the beredning carried forward (prefill for the decision)."""
    if item.proposal_id is None:
        return ""
    forwarded = (
        AgendaItem.objects.filter(
            proposal_id=item.proposal_id,
            outcome=ReviewOutcome.FORWARD,
            meeting__kind__in=[MeetingKind.REVIEW, MeetingKind.JOINT_REVIEW, MeetingKind.PRE_REVIEW],
        )
        .exclude(outcome_goals="")
        .order_by("-outcome_at")
        .first()
    )
    return forwarded.outcome_goals if forwarded else ""


def decision_form_for(item, data=None) -> DecisionForm:
    kind = _default_kind(item)
    title = item.proposal.title if item.proposal else item.title
    texts = {
        DecisionKind.GRANT: _("Styrgruppen beslutar att bevilja ansökan ”%(title)s”."),
        DecisionKind.COFUNDING: _("Styrgruppen beslutar att bevilja medfinansiering till ”%(title)s”."),
        DecisionKind.CLOSE: _("Styrgruppen godkänner resultaten och avslutar ”%(title)s”."),
    }
    initial = {
        "kind": kind,
        "text": texts[kind] % {"title": title} if kind in texts else "",
        "activity_goals": _review_goals(item),
    }
    budget_lines = None
    if item.proposal is not None:
        from budget import services as budget_services

        if budget_services.agreement_has_lines(item.proposal.agreement_id):
            budget_lines = budget_services.commitment_lines(item.proposal.agreement_id)
            default = budget_services.default_line_for(item.proposal)
            initial["budget_line"] = default.pk if default else None
    return DecisionForm(data, years=_years(item.proposal), initial=initial, budget_lines=budget_lines)


def decision_context(request, meeting, item, **forms) -> dict:
    vote = _vote_of(item)
    decisions = list(item.decisions.select_related("created_by", "supersedes").prefetch_related("amounts"))
    can_decide = permissions.can_decide(request.user, meeting)
    if vote is None or vote.status == VoteStatus.DRAFT:
        mode = "acclamation" if not decisions else ""
    elif vote.status == VoteStatus.OPEN:
        mode = "wait"
    elif vote.outcome == VoteOutcome.NO_QUORUM:
        mode = "no_quorum"
    else:
        mode = "" if hasattr(vote, "decision") else "vote"
    return {
        "decisions": decisions,
        "can_decide": can_decide,
        "decision_mode": mode,
        "decision_form": forms.get("decision_form") or (decision_form_for(item) if can_decide else None),
    }


def _steering_item(request, pk, item_pk):
    meeting, item = meeting_and_item(pk, item_pk)
    if not (meeting.is_steering and item.kind in VOTED_KINDS):
        raise Http404
    return meeting, item


def _member_vote(request, pk, item_pk):
    """For a member's action: the item and its vote; 403 for anyone who does not sit in the body."""
    meeting, item = _steering_item(request, pk, item_pk)
    if not permissions.is_member(request.user, meeting):
        raise PermissionDenied
    return meeting, item, _vote_of(item)


# --- actions (POST only) -----------------------------------------------------------------------------------


@login_required
@require_POST
def vote_open(request, pk, item_pk):
    meeting, item = _steering_item(request, pk, item_pk)
    if not permissions.can_run_vote(request.user, meeting):
        raise PermissionDenied
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
    except services.VotingError as error:
        messages.error(request, str(error))
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
    form = BallotForm(request.POST, cofunding=_is_cofunding(item))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["choice"]))
        return redirect(item)
    try:
        ballot = services.ballot_cast(vote=vote, by=request.user, choice=form.cleaned_data["choice"])
    except services.VotingError as error:
        messages.error(request, str(error))
    else:
        label = choice_label(ballot.choice, cofunding=_is_cofunding(item))
        messages.success(request, _("Din röst är registrerad: %(choice)s.") % {"choice": label})
        vote.refresh_from_db()
        if vote.status == VoteStatus.CLOSED:
            messages.success(request, _("Alla röstberättigade har röstat – voteringen är stängd."))
    return redirect(item)


@login_required
@require_POST
def recusal_declare(request, pk, item_pk):
    meeting, item, vote = _member_vote(request, pk, item_pk)
    if vote is None:
        messages.error(request, _("Voteringen är inte öppnad än."))
        return redirect(item)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        return render_item(request, meeting, item, recusal_form=form)
    try:
        services.recusal_declare(vote=vote, by=request.user, reason=form.cleaned_data["reason"])
    except services.VotingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Ditt jäv är anmält och förs till protokollet. Du deltar inte i ärendet.")
        )
    return redirect(item)


@login_required
@require_POST
def vote_close(request, pk, item_pk):
    meeting, item = _steering_item(request, pk, item_pk)
    if not permissions.can_run_vote(request.user, meeting):
        raise PermissionDenied
    vote = _vote_of(item)
    if vote is None:
        messages.error(request, _("Voteringen är inte öppen."))
        return _back(request, meeting, item)
    try:
        vote = services.vote_close(vote=vote, by=request.user)
    except services.VotingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Voteringen är stängd. Utfall: %(outcome)s.") % {"outcome": vote.get_outcome_display()}
        )
    return _back(request, meeting, item)


@login_required
@require_POST
def decision_create(request, pk, item_pk):
    """From a closed vote (decision_from_vote), or "enligt förslag" without a vote
    (decision_by_acclamation)."""
    meeting, item = _steering_item(request, pk, item_pk)
    if not permissions.can_decide(request.user, meeting):
        raise PermissionDenied
    form = decision_form_for(item, request.POST)
    if not form.is_valid():
        return render_item(request, meeting, item, decision_form=form)
    vote = _vote_of(item)
    try:
        if vote is not None and vote.status != VoteStatus.DRAFT:
            decision = services.decision_from_vote(vote=vote, by=request.user, **form.service_kwargs())
        else:
            decision = services.decision_by_acclamation(item=item, by=request.user, **form.service_kwargs())
    except (services.VotingError, TransitionRefused, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if decision_context(request, meeting, item)["decision_mode"] in ("vote", "acclamation"):
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
    context = status_context(meeting, item, _vote_of(item))
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
    if not (
        permissions.is_officer_of(user, meeting)
        or permissions.can_manage_meetings(user, meeting.agreement_id)
    ):
        raise PermissionDenied
    items = list(
        meeting.items.filter(kind__in=VOTED_KINDS).select_related("proposal").order_by("order", "pk")
    )
    rows = []
    for item in items:
        item.meeting = meeting
        vote = _vote_of(item)
        rows.append({"item": item, "vote": vote, "status": status_context(meeting, item, vote)})
    return render(
        request,
        "governance/chair_view.html",
        {
            "meeting": meeting,
            "rows": rows,
            "can_run_vote": permissions.can_run_vote(user, meeting),
            "open_form": VoteOpenForm(),
            "member_count": len(members_of(meeting)),
        },
    )
