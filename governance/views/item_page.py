"""The agenda item page, shared by the beredning's views (review.py) and the styrgrupp's (voting.py): loading
the item, everything the page shows – documents, assessments and their summary, the outcome, the vote's live
status and the decision form – and rendering it, also with a bound form after a refused action."""

from __future__ import annotations

import hashlib

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from applications import permissions as proposal_permissions
from applications.enums import ProposalState
from samverkan.http import require
from samverkan.models import Organisation

from .. import permissions, services, voting
from ..enums import (
    CRITERIA,
    DecisionKind,
    ItemKind,
    MeetingKind,
    Perspective,
    ReviewOutcome,
    VoteOutcome,
    VoteStatus,
)
from ..extensions import item_facts
from ..forms_review import PERSPECTIVE_QUESTIONS, OutcomeForm
from ..forms_voting import BallotForm, DecisionForm, RecusalForm, VoteOpenForm, VoteReopenForm, choice_label
from ..models import AgendaItem, Ballot, Meeting, Recusal, Vote
from ..seating import seating_now
from ..selectors import ASSESSED_KINDS

VOTED_KINDS = (ItemKind.DECISION, ItemKind.CLOSURE, ItemKind.OTHER)


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
    require(request.user, permissions.can_view_item, item)
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
    user = request.user
    proposal = item.proposal
    context = {
        "meeting": meeting,
        "item": item,
        "proposal": proposal,
        "can_view_proposal": proposal is not None and proposal_permissions.can_view_proposal(user, proposal),
        "attachments": list(proposal.attachments.all()) if proposal is not None else [],
        "presenters": list(item.presenters.all()),
        # The item page's "member" sits for this item (a joint decision's member of another agreement too).
        "is_member": permissions.sits_for_item(user, item),
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
                "recused": permissions.is_recused(user, item),
                "own_recusal": Recusal.objects.filter(item=item, member=user).first(),
                "recusals": list(Recusal.objects.filter(item=item).select_related("member").order_by("pk")),
                "recusal_form": forms.get("recusal_form") or RecusalForm(),
                "can_assess": permissions.can_assess(user, item),
                "see_others": see_others,
                "submitted_count": len(submitted),
                "summary": assessment_summary(submitted) if see_others else [],
                "submitted_assessments": submitted if see_others else [],
                "can_record_outcome": permissions.can_record_outcome(user, item) and not item.outcome,
                "outcome_form": forms.get("outcome_form")
                or OutcomeForm(
                    initial={"goals": "\n".join(a.proposed_goals for a in submitted if a.proposed_goals)},
                    item=item,
                ),
                # Under the recorded ställningstagande: what other apps add (budget: the proposed amounts).
                "outcome_facts": fact_parts(item) if item.outcome else [],
            }
        )
    if context["voted"]:
        context.update(vote_context(request, meeting, item, **forms))
        context.update(facts_context(item))
        context.update(decision_context(request, meeting, item, **forms))
    return context


def render_item(request, meeting, item, *, status=200, **forms):
    return render(
        request, "governance/item_detail.html", item_context(request, meeting, item, **forms), status=status
    )


PARTY_OUTCOME = {
    voting.YES: pgettext_lazy("voteringsresultat", "Bifall"),
    voting.NO: pgettext_lazy("voteringsresultat", "Avslag"),
    voting.NO_POSITION: gettext_lazy("Tar inte ställning (alla avstod)"),
    voting.TIE: gettext_lazy("Lika röstetal – bifaller inte"),
    voting.TIE_YES: gettext_lazy("Lika röstetal – bifall med ordförandens utslagsröst inom parten"),
    voting.TIE_NO: gettext_lazy("Lika röstetal – avslag med ordförandens utslagsröst inom parten"),
    voting.NO_QUORUM: gettext_lazy("Ej beslutsför"),
}


def vote_of(item) -> Vote | None:
    vote = Vote.objects.filter(item=item).first()
    if vote is not None:
        vote.item = item  # with its meeting as the view read it (and the seats it has read)
    return vote


def is_cofunding(item) -> bool:
    return item.proposal is not None and item.proposal.is_cofunding()


def _parties(party_ids) -> list[Organisation]:
    """The parties in the order of the minutes: the university first, then the municipalities by name."""
    parties = Organisation.objects.filter(pk__in=set(party_ids))
    return sorted(parties, key=lambda o: (not o.is_university, o.name))


def _fingerprint(vote: Vote | None, item) -> str:
    """What the live status shows changes only with these; the poll gets 204 (no swap) when they don't."""
    recusals = list(
        Recusal.objects.filter(item=item).order_by("member_id").values_list("member_id", flat=True)
    )
    if vote is None:
        return f"none-{recusals}"
    ballots = list(vote.ballots.order_by("member_id").values_list("member_id", "changed_at"))
    raw = f"{vote.status}|{vote.closed_at}|{ballots}|{recusals}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _seat_groups(seating, parties, *, voted=frozenset(), quorum=None) -> list[dict]:
    """Per party, in protocol order: its seats, who holds them (a deputy for whom), who is recused with the
    seat left empty, who has voted and who has not – never how."""
    by_party = {p.party_id: p for p in seating.parties}
    groups = []
    for party in parties:
        seats = by_party[party.pk].seats
        holders = [s for s in seats if not s.empty]
        groups.append(
            {
                "party": party,
                "entitled": len(seats),
                "recused": len(seats) - len(holders),
                "deputies": [s for s in holders if s.serves_for is not None],
                "voted": [s.holder.user for s in holders if s.holder.user_id in voted],
                "waiting": [s.holder.user for s in holders if s.holder.user_id not in voted],
                "can_vote": bool(holders),
                "quorum": None if quorum is None else quorum.get(party.pk, False),
            }
        )
    return groups


def status_context(meeting, item, vote: Vote | None) -> dict:
    """The live vote status. Before the vote opens: the seats per party and any party with no one left to
    vote. While open: who has voted and who has not, per party – never how – and whether each party is
    beslutsför so far. After close: the stored result per party, in words, and, if the vote was opened with
    open ballots, each member's choice. A void vote (a party not beslutsför) is shown as void."""
    context = {
        "meeting": meeting,
        "item": item,
        "vote": vote,
        "fingerprint": _fingerprint(vote, item),
        "poll": vote is None or vote.status != VoteStatus.CLOSED,
        "rule_text": voting.rule_text(meeting.agreement.decision_rule, meeting.agreement.tie_break),
    }
    cofunding = is_cofunding(item)
    context["recusals"] = list(
        Recusal.objects.filter(item=item)
        .select_related("member")
        .order_by("member__last_name", "member__first_name")
    )
    if vote is None or vote.status != VoteStatus.CLOSED:
        seating = seating_now(item)
        parties = _parties(p.party_id for p in seating.parties)
        if vote is None or vote.status == VoteStatus.DRAFT:
            blocked = seating.parties_without_voters
            context.update(
                {
                    "groups": _seat_groups(seating, parties),
                    "no_voters": services.no_voters_message(blocked) if blocked else "",
                }
            )
            return context
        voted = set(vote.ballots.values_list("member_id", flat=True))
        preview = services.preview(vote, seating)
        groups = _seat_groups(
            seating, parties, voted=voted, quorum={p.party_id: p.quorum for p in preview.parties}
        )
        context.update(
            {
                "groups": groups,
                "voted_count": sum(len(g["voted"]) for g in groups),
                "eligible_count": sum(len(g["voted"]) + len(g["waiting"]) for g in groups),
                "would_be_void": not preview.quorum,
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
            if ballot.member_id not in party_of:
                continue  # cast by someone who held no seat at close (e.g. replaced by a deputy)
            open_ballots.append(
                {
                    "name": names.get(ballot.member_id) or ballot.member.get_full_name(),
                    "party": parties.get(party_of.get(ballot.member_id)),
                    "choice": choice_label(ballot.choice, cofunding=cofunding),
                }
            )
    party_names = {
        pk: party.name
        for pk, party in sorted(parties.items(), key=lambda kv: (not kv[1].is_university, kv[1].name))
    }
    context.update(
        {
            "result": result,
            "rows": rows,
            "explanation": voting.explain(result, party_names) if result.get("parties") else [],
            "deputies": [e for e in snapshot.get("entitled", []) if e.get("serves_for")],
            "open_ballots": open_ballots,
            "voted_count": len(snapshot.get("voted", [])),
            "entitled_count": len(snapshot.get("entitled", [])),
            "void": vote.outcome == VoteOutcome.NO_QUORUM,
        }
    )
    return context


def vote_context(request, meeting, item, **forms) -> dict:
    """The item page's vote panel for this user."""
    user = request.user
    vote = vote_of(item)
    is_member = permissions.sits_for_item(user, item)
    cofunding = is_cofunding(item)
    own_ballot = None
    own_recusal = Recusal.objects.filter(item=item, member=user).first() if is_member else None
    if vote is not None and is_member:
        own_ballot = Ballot.objects.filter(vote=vote, member=user).first()
    status = vote.status if vote else VoteStatus.DRAFT
    seated = is_member and seating_now(item).holder(user.pk) is not None
    can_run = permissions.can_run_vote(user, meeting)
    void = vote is not None and vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.NO_QUORUM
    return {
        "vote": vote,
        "vote_status": status_context(meeting, item, vote),
        "can_run_vote": can_run,
        "can_vote": seated and status == VoteStatus.OPEN and own_recusal is None,
        "not_seated": (
            services.not_seated_message(item, user)
            if is_member and not seated and own_recusal is None and status != VoteStatus.CLOSED
            else ""
        ),
        "can_recuse": is_member and status != VoteStatus.CLOSED and own_recusal is None,
        "own_ballot": own_ballot,
        "own_ballot_label": choice_label(own_ballot.choice, cofunding=cofunding) if own_ballot else "",
        "own_recusal": own_recusal,
        "open_form": forms.get("open_form") or VoteOpenForm(meeting=meeting),
        # Before an ordinary meeting's start (or a per-capsulam meeting's kallelse) no vote opens: say when.
        "open_not_yet": (
            services.vote_not_openable_yet(meeting) if can_run and status == VoteStatus.DRAFT else ""
        ),
        "can_reopen": can_run and void and not item.decisions.exists() and item.carried_at is None,
        # After a void vote, or before one when a party has no one left to vote.
        "can_carry": can_run
        and item.carried_at is None
        and not item.decisions.exists()
        and (void or status == VoteStatus.DRAFT),
        "reopen_form": forms.get("reopen_form") or VoteReopenForm(),
        "close_warning": forms.get("close_warning"),
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


def review_item(item) -> AgendaItem | None:
    """The beredning's item that forwarded this proposal to the styrgrupp (the latest, if several)."""
    if item.proposal_id is None:
        return None
    return (
        AgendaItem.objects.filter(
            proposal_id=item.proposal_id,
            outcome=ReviewOutcome.FORWARD,
            meeting__kind__in=[MeetingKind.REVIEW, MeetingKind.JOINT_REVIEW, MeetingKind.PRE_REVIEW],
        )
        .select_related("meeting", "outcome_by")
        .order_by("-outcome_at")
        .first()
    )


def facts_context(item) -> dict:
    """What a styrgrupp member needs to decide, shown right after the ballot: the beredning's
    ställningstagande, motivation and scores per perspective, and what other apps add (budget: the amount
    applied for per year)."""
    forwarded = review_item(item)
    summary = []
    if forwarded is not None:
        submitted = [
            a
            for a in forwarded.assessments.select_related("member", "party").prefetch_related("criteria")
            if a.submitted_at
        ]
        summary = assessment_summary(submitted)
    return {
        "review_item": forwarded,
        "review_summary": summary,
        "fact_parts": fact_parts(item),
    }


def fact_parts(item) -> list:
    """The facts other apps contribute for the item (governance.extensions.item_facts)."""
    parts = (contribute(item) for contribute in item_facts) if item.proposal_id else ()
    return [part for part in parts if part is not None]


def decision_form_for(item, data=None) -> DecisionForm:
    kind = _default_kind(item)
    title = item.proposal.title if item.proposal else item.title
    texts = {
        DecisionKind.GRANT: _("Styrgruppen beslutar att bevilja ansökan ”%(title)s”."),
        DecisionKind.COFUNDING: _("Styrgruppen beslutar att bevilja medfinansiering till ”%(title)s”."),
        DecisionKind.CLOSE: _("Styrgruppen godkänner resultaten och avslutar ”%(title)s”."),
    }
    # The beredning's proposal: its activity goals and conditions (budget prefills its proposed amounts).
    forwarded = review_item(item)
    initial = {
        "kind": kind,
        "text": texts[kind] % {"title": title} if kind in texts else "",
        "activity_goals": forwarded.outcome_goals if forwarded else "",
        "conditions": forwarded.outcome_conditions if forwarded else "",
    }
    return DecisionForm(data, years=_years(item.proposal), initial=initial, item=item)


def decision_context(request, meeting, item, **forms) -> dict:
    vote = vote_of(item)
    decisions = list(item.decisions.select_related("created_by", "supersedes").prefetch_related("amounts"))
    can_decide = permissions.can_decide(request.user, meeting)
    if vote is None or vote.status == VoteStatus.DRAFT:
        mode = "acclamation" if not decisions else ""
    elif vote.status == VoteStatus.OPEN:
        mode = "wait"
    elif vote.outcome == VoteOutcome.NO_QUORUM:
        # A void vote: opened again, carried to another meeting, or – uncontested – decided enligt förslag.
        mode = "void" if not decisions else ""
    else:
        mode = "" if hasattr(vote, "decision") else "vote"
    if item.carried_at is not None or item.settled_by_id is not None:
        mode = ""  # decided elsewhere
    # Enligt förslag only at an ordinary meeting that has started: not offered where it would be refused.
    acclamation_refused = (
        services.acclamation_not_possible(meeting) if can_decide and mode in ("acclamation", "void") else ""
    )
    if acclamation_refused:
        mode = ""
    return {
        "acclamation_refused": acclamation_refused,
        "decisions": decisions,
        "can_decide": can_decide,
        "decision_mode": mode,
        "decision_form": forms.get("decision_form") or (decision_form_for(item) if can_decide else None),
    }
