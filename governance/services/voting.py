"""Online voting at the styrgrupp: open, cast (changeable until close), jäv, close with a computed result."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.services.proposals import team_of
from samverkan.errors import ApplicationError
from samverkan.notifications import notify

from .. import permissions, voting
from ..enums import AttendanceStatus, Choice, ItemKind, VoteOutcome, VoteStatus
from ..models import AgendaItem, Attendance, Ballot, Recusal, Vote
from ..selectors import members_of, seat_of


class VotingError(ApplicationError):
    """A refused voting action; the message is Swedish and shown to the user."""


def _locked(vote: Vote) -> Vote:
    return (
        Vote.objects.select_for_update(of=("self",))
        .select_related("item__meeting__agreement", "item__proposal")
        .get(pk=vote.pk)
    )


@transaction.atomic
def vote_open(
    *, item: AgendaItem, by, deadline: datetime.datetime | None = None, open_ballots_after_close: bool = True
) -> Vote:
    """The chair or secretary opens a vote on a decision item. Members who are applicants on the proposal
    are recused automatically (jäv)."""
    meeting = item.meeting
    if not permissions.can_run_vote(by, meeting):
        raise PermissionDenied
    if item.kind not in (ItemKind.DECISION, ItemKind.CLOSURE, ItemKind.OTHER):
        raise VotingError(_("Det går bara att rösta om beslutspunkter."))
    if deadline is not None and deadline <= timezone.now():
        raise VotingError(_("Sista tid att rösta måste ligga i framtiden."))
    vote, _created = Vote.objects.get_or_create(item=item)
    vote = _locked(vote)
    if vote.status != VoteStatus.DRAFT:
        raise VotingError(_("Voteringen är redan öppnad."))
    vote.status = VoteStatus.OPEN
    vote.opened_at = timezone.now()
    vote.opened_by = by
    vote.deadline = deadline
    vote.open_ballots_after_close = open_ballots_after_close
    vote.save()
    seats = members_of(meeting)
    if item.proposal_id:
        applicants = {u.pk for u in team_of(item.proposal)}
        for seat in seats:
            if seat.user_id in applicants:
                Recusal.objects.create(
                    vote=vote, member_id=seat.user_id, automatic=True, reason=_("Sökande i ärendet")
                )
    notify(
        "vote_opened",
        to=[s.user for s in seats],
        context={"vote": vote, "item": item, "meeting": meeting},
        link=item.get_absolute_url(),
    )
    return vote


@transaction.atomic
def ballot_cast(*, vote: Vote, by, choice: str) -> Ballot:
    """One ballot per member, changeable until the vote closes; the vote closes by itself once every
    entitled, non-recused member has voted."""
    vote = _locked(vote)
    meeting = vote.item.meeting
    seat = seat_of(meeting, by)
    if seat is None or not by.is_active:
        raise PermissionDenied
    if vote.status != VoteStatus.OPEN:
        raise VotingError(_("Voteringen är stängd."))
    if vote.deadline and timezone.now() >= vote.deadline:
        raise VotingError(_("Tiden för att rösta har gått ut."))
    if choice not in Choice.values:
        raise VotingError(_("Välj bifall, avslag eller avstår."))
    if vote.recusals.filter(member=by).exists():
        raise VotingError(_("Du har anmält jäv i ärendet och kan inte rösta."))
    ballot, _created = Ballot.objects.update_or_create(
        vote=vote, member=by, defaults={"choice": choice, "party_id": seat.party_id}
    )
    _close_if_everyone_has_voted(vote)
    return ballot


def _close_if_everyone_has_voted(vote: Vote) -> None:
    """A vote closes by itself once every entitled, non-recused member has voted (or declared jäv)."""
    recused = set(vote.recusals.values_list("member_id", flat=True))
    eligible = {s.user_id for s in members_of(vote.item.meeting)} - recused
    if eligible and eligible <= set(vote.ballots.values_list("member_id", flat=True)):
        _close(vote, by=None)


@transaction.atomic
def recusal_declare(*, vote: Vote, by, reason: str) -> Recusal:
    """A member declares jäv with a reason: they take no part, any ballot they cast is withdrawn, and the
    recusal is minuted."""
    vote = _locked(vote)
    if seat_of(vote.item.meeting, by) is None:
        raise PermissionDenied
    if vote.status == VoteStatus.CLOSED:
        raise VotingError(_("Voteringen är stängd."))
    if not reason.strip():
        raise VotingError(_("Ange skälet till jävet."))
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(vote=vote, member=by, reason=reason.strip())
    except IntegrityError as exc:
        raise VotingError(_("Du har redan anmält jäv i ärendet.")) from exc
    Ballot.objects.filter(vote=vote, member=by).delete()
    _close_if_everyone_has_voted(vote)
    return recusal


@transaction.atomic
def vote_close(*, vote: Vote, by) -> Vote:
    vote = _locked(vote)
    if not permissions.can_run_vote(by, vote.item.meeting):
        raise PermissionDenied
    if vote.status != VoteStatus.OPEN:
        raise VotingError(_("Voteringen är inte öppen."))
    return _close(vote, by=by)


def _close(vote: Vote, *, by) -> Vote:
    """Compute the result and store it with a snapshot of who was entitled, recused and voted."""
    meeting = vote.item.meeting
    agreement = meeting.agreement
    seats = members_of(meeting)
    recusals = {r.member_id: r for r in vote.recusals.all()}
    ballots = {b.member_id: b.choice for b in vote.ballots.all()}
    attendance = list(Attendance.objects.filter(meeting=meeting))
    present = (
        {a.member_id for a in attendance if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)}
        if attendance
        else None
    )
    result = voting.count(
        members=[voting.Member(s.user_id, s.party_id) for s in seats],
        ballots=ballots,
        recused=recusals,
        present=present,
        rule=agreement.decision_rule,
        tie_break=agreement.tie_break,
        chair_id=meeting.chair_id,
    )
    vote.result = result.as_dict()
    vote.outcome = {voting.ADOPTED: VoteOutcome.ADOPTED, voting.REJECTED: VoteOutcome.REJECTED}.get(
        result.outcome, VoteOutcome.NO_QUORUM
    )
    vote.snapshot = {
        "entitled": [
            {"user_id": s.user_id, "name": s.user.get_full_name(), "party_id": s.party_id} for s in seats
        ],
        "recused": [
            {"user_id": uid, "reason": r.reason, "automatic": r.automatic}
            for uid, r in sorted(recusals.items())
        ],
        "voted": sorted(ballots),
        "present": sorted(present) if present is not None else None,
    }
    vote.status = VoteStatus.CLOSED
    vote.closed_at = timezone.now()
    vote.closed_by = by
    vote.save()
    notify(
        "vote_closed",
        to=[s.user for s in seats] + [meeting.secretary],
        context={"vote": vote, "item": vote.item, "meeting": meeting},
        link=vote.item.get_absolute_url(),
    )
    return vote


def close_expired_votes(now: datetime.datetime | None = None) -> list[int]:
    """Close every open vote whose deadline has passed; each exactly once (run by Celery beat)."""
    now = now or timezone.now()
    closed = []
    for vote_id in Vote.objects.filter(status=VoteStatus.OPEN, deadline__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            vote = (
                Vote.objects.select_for_update(skip_locked=True)
                .filter(pk=vote_id, status=VoteStatus.OPEN)
                .first()
            )
            if vote is None:
                continue
            _close(_locked(vote), by=None)
            closed.append(vote_id)
    return closed
