"""Styrgrupp decisions: from a closed vote, or "enligt förslag" when nobody asks for a vote. A decision
drives the proposal's lifecycle. Decisions are immutable once the minutes are approved; corrections are new
decisions referencing the old one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ProposalState
from applications.services import proposal_transition

from .. import permissions
from ..enums import DecisionKind, VoteOutcome, VoteStatus
from ..extensions import decision_recorded
from ..models import AgendaItem, Decision, DecisionAmount, Vote
from .meetings import moment_label
from .voting import VotingError

# Which proposal transition a decision kind drives, from the proposal's current state.
TRANSITIONS = {
    (DecisionKind.GRANT, ProposalState.AWAITING_DECISION): "grant",
    (DecisionKind.REJECT, ProposalState.AWAITING_DECISION): "reject",
    (DecisionKind.COFUNDING, ProposalState.AWAITING_DECISION): "approve_cofunding",
    (DecisionKind.CLOSE, ProposalState.CLOSING): "close",
    (DecisionKind.APPROVE_RESULTS, ProposalState.CLOSING): "close",
    (DecisionKind.REJECT, ProposalState.CLOSING): "reopen",
}


class DecisionError(VotingError):
    pass


def _paragraph(item: AgendaItem) -> int:
    """A decision's paragraph is its agenda item's § number – one number for the agenda, the decision, the
    minutes and the decision document."""
    if item.order:
        return item.order
    return (item.meeting.decisions.aggregate(n=Max("paragraph"))["n"] or 0) + 1


def _refuse_if_settled(item: AgendaItem) -> None:
    if item.carried_at is not None:
        raise DecisionError(_("Punkten är flyttad till ett senare möte och avgörs där."))
    if item.settled_by_id is not None:
        settled_by = item.settled_by
        raise DecisionError(
            _("Ärendet avgjordes redan vid %(meeting)s §%(n)s – punkten kan inte beslutas igen.")
            % {"meeting": settled_by.meeting.title, "n": settled_by.paragraph}
        )


def _settle_other_items(decision: Decision) -> None:
    """The proposal is decided: its undecided items of the same kind on other meetings are settled
    ("avgjort vid …") and leave those agendas; they cannot be decided again."""
    item = decision.item
    others = (
        AgendaItem.objects.filter(proposal_id=decision.proposal_id, kind=item.kind, settled_by__isnull=True)
        .exclude(pk=item.pk)
        .exclude(decisions__isnull=False)
    )
    AgendaItem.objects.filter(pk__in=list(others.values_list("pk", flat=True))).update(
        settled_by=decision, settled_at=timezone.now()
    )


def _validate_amounts(kind: str, amounts: dict[int, int]) -> None:
    if kind in (DecisionKind.GRANT, DecisionKind.COFUNDING) and not any(amounts.values()):
        raise DecisionError(_("Ange beviljat belopp per år."))
    for year, amount in amounts.items():
        if not isinstance(amount, int) or amount < 0:
            raise DecisionError(
                _("%(year)s: beloppet ska vara ett helt antal kronor (0 eller mer).") % {"year": year}
            )


def _create(
    *,
    item: AgendaItem,
    by,
    kind: str,
    text: str,
    amounts: dict[int, int],
    conditions: str,
    activity_goals: str,
    vote: Vote | None,
    by_acclamation: bool,
    supersedes: Decision | None = None,
    comment: str = "",
    extra: dict | None = None,
) -> Decision:
    meeting = item.meeting
    _refuse_if_settled(item)
    _validate_amounts(kind, amounts)
    if not text.strip():
        raise DecisionError(_("Skriv beslutstexten."))
    decision = Decision.objects.create(
        meeting=meeting,
        item=item,
        proposal=item.proposal,
        kind=kind,
        paragraph=_paragraph(item),
        decided_at=vote.closed_at if vote is not None and vote.closed_at else timezone.now(),
        text=text.strip(),
        conditions=conditions.strip(),
        activity_goals=activity_goals.strip(),
        vote=vote,
        by_acclamation=by_acclamation,
        supersedes=supersedes,
        created_by=by,
    )
    DecisionAmount.objects.bulk_create(
        DecisionAmount(decision=decision, year=year, amount=amount)
        for year, amount in sorted(amounts.items())
        if amount
    )
    # Others react in this transaction (budget commits the amounts against its line and freezes a decided
    # verksamhetsplan); a receiver's ValidationError refuses the decision and nothing is saved.
    decision_recorded.send(Decision, decision=decision, by=by, extra=extra or {})
    from .documents import document_request

    document_request(decision)
    proposal = item.proposal
    if proposal is not None and supersedes is None:
        name = TRANSITIONS.get((kind, proposal.state))
        if name is None and kind in (
            DecisionKind.GRANT,
            DecisionKind.REJECT,
            DecisionKind.COFUNDING,
            DecisionKind.CLOSE,
            DecisionKind.APPROVE_RESULTS,
        ):
            raise DecisionError(
                _("Ärendet har status ”%(state)s” – det beslutet kan inte fattas nu.")
                % {"state": proposal.get_state_display()}
            )
        if name:
            proposal_transition(proposal=proposal, name=name, by=by, comment=comment or text, authorised=True)
        _settle_other_items(decision)
    return decision


@transaction.atomic
def decision_from_vote(
    *,
    vote: Vote,
    by,
    kind: str,
    text: str,
    amounts: dict[int, int] | None = None,
    conditions: str = "",
    activity_goals: str = "",
    extra: dict | None = None,
) -> Decision:
    """Record the decision a closed vote produced. An adopted motion gives the proposed decision; a
    rejected one gives avslag (for a closure item: back to active). No quorum gives no decision."""
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("item__meeting", "item__proposal")
        .get(pk=vote.pk)
    )
    meeting = vote.item.meeting
    if not permissions.can_decide(by, meeting):
        raise PermissionDenied
    if vote.status != VoteStatus.CLOSED:
        raise DecisionError(_("Voteringen måste vara stängd innan beslutet registreras."))
    if hasattr(vote, "decision"):
        raise DecisionError(_("Beslutet för voteringen är redan registrerat."))
    if vote.outcome == VoteOutcome.NO_QUORUM:
        raise DecisionError(_("Styrgruppen var inte beslutsför i voteringen – inget beslut kan fattas."))
    if vote.outcome == VoteOutcome.REJECTED:
        kind, amounts = DecisionKind.REJECT, {}
    return _create(
        item=vote.item,
        by=by,
        kind=kind,
        text=text,
        amounts=amounts or {},
        conditions=conditions,
        activity_goals=activity_goals,
        vote=vote,
        by_acclamation=False,
        extra=extra,
    )


def acclamation_not_possible(meeting, now=None) -> str:
    """Why the meeting cannot decide "enligt förslag" (now), or "" when it can."""
    if meeting.per_capsulam:
        return _(
            "Per capsulam beslutar styrgruppen genom votering – ingen är samlad för att instämma i ett "
            "beslut enligt förslag. Öppna en votering med sista tid att rösta."
        )
    if (now or timezone.now()) < meeting.starts_at:
        return _(
            "Beslut enligt förslag fattas vid mötet och kan inte fattas innan det har börjat (%(start)s)."
        ) % {"start": moment_label(meeting.starts_at)}
    return ""


@transaction.atomic
def decision_by_acclamation(
    *,
    item: AgendaItem,
    by,
    kind: str,
    text: str,
    amounts: dict[int, int] | None = None,
    conditions: str = "",
    activity_goals: str = "",
    extra: dict | None = None,
    assent: bool = False,
) -> Decision:
    """The chair declares the decision "enligt förslag" when no member asks for a vote; minuted as such.
    After a void vote (ej beslutsför) the same is possible for an uncontested item, with the members'
    assent recorded (`assent`): the minutes say the vote was void and the decision taken enligt förslag.
    Only at the meeting, once it has started: members assent by being assembled, so a per-capsulam meeting
    (no one assembled) decides by vote only (issue 16, time that holds)."""
    if not permissions.can_decide(by, item.meeting):
        raise PermissionDenied
    _refuse_if_settled(item)  # decided elsewhere: that is the answer, whatever the time
    refusal = acclamation_not_possible(item.meeting)
    if refusal:
        raise DecisionError(refusal)
    vote = getattr(item, "vote", None)
    void = vote is not None and vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.NO_QUORUM
    if vote is not None and vote.status != VoteStatus.DRAFT and not void:
        raise DecisionError(_("En votering har öppnats för punkten – beslutet följer voteringen."))
    if void and not assent:
        raise DecisionError(
            _(
                "Voteringen var ogiltig. Beslut enligt förslag kräver att ledamöterna samtycker – "
                "bekräfta att ingen motsätter sig förslaget."
            )
        )
    if item.decisions.exists():
        raise DecisionError(_("Punkten har redan ett beslut."))
    return _create(
        item=item,
        by=by,
        kind=kind,
        text=text,
        amounts=amounts or {},
        conditions=conditions,
        activity_goals=activity_goals,
        vote=None,
        by_acclamation=True,
        extra=extra,
    )


@transaction.atomic
def decision_correct(
    *,
    decision: Decision,
    by,
    text: str,
    amounts: dict[int, int] | None = None,
    conditions: str = "",
    item: AgendaItem | None = None,
) -> Decision:
    """A correction is a new decision (at the same or a later meeting) that references the one it corrects."""
    item = item or decision.item
    if not permissions.can_decide(by, item.meeting):
        raise PermissionDenied
    return _create(
        item=item,
        by=by,
        kind=decision.kind,
        text=text,
        amounts=amounts or {},
        conditions=conditions,
        activity_goals=decision.activity_goals,
        vote=None,
        by_acclamation=True,
        supersedes=decision,
    )
