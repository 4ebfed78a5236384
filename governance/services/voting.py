"""Online voting at the styrgrupp: open, cast (changeable until close), jäv, close with a computed result."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.services.proposals import team_of
from samverkan.errors import ApplicationError
from samverkan.models import Organisation
from samverkan.notifications import notify

from .. import permissions, voting
from ..enums import AttendanceStatus, Choice, ItemKind, MeetingStatus, VoteOutcome, VoteStatus
from ..models import AgendaItem, Attendance, Ballot, Meeting, Recusal, Vote
from ..seating import deciding_party_ids, joint_member_ids, seating_now
from ..selectors import members_of, seat_of
from .meetings import item_add, meeting_label, moment_label


class VotingError(ApplicationError):
    """A refused voting action; the message is Swedish and shown to the user."""


def _locked(vote: Vote) -> Vote:
    return (
        Vote.objects.select_for_update(of=("self",))
        .select_related("item__meeting__agreement", "item__proposal")
        .get(pk=vote.pk)
    )


def _team_ids(item: AgendaItem) -> set[int]:
    return {u.pk for u in team_of(item.proposal)} if item.proposal_id else set()


def _recuse_team(item: AgendaItem, vote: Vote | None) -> list[Recusal]:
    """Applicants and team members who hold a seat are recused automatically (jäv); the recusal is minuted."""
    made = []
    team = _team_ids(item)
    already = set(Recusal.objects.filter(item=item).values_list("member_id", flat=True))
    seated = [seat.user_id for seat in members_of(item.meeting)] + sorted(joint_member_ids(item))
    for user_id in seated:
        if user_id in team and user_id not in already:
            made.append(
                Recusal.objects.create(
                    item=item,
                    vote=vote,
                    member_id=user_id,
                    automatic=True,
                    reason=_("Sökande i ärendet"),
                )
            )
    return made


@transaction.atomic
def vote_open(
    *, item: AgendaItem, by, deadline: datetime.datetime | None = None, open_ballots_after_close: bool = True
) -> Vote:
    """The chair or secretary opens a vote on a decision item. Members who are applicants on the proposal
    are recused automatically (jäv). Refused while a party entitled to decide has no one left to vote
    (every seat recused and no deputy): the vote could only be void. A meeting's votes open from its start
    (the members are assembled); only a per-capsulam meeting's open before it – once its kallelse has been
    sent, and with a deadline by which the members answer (issue 16, time that holds)."""
    meeting = item.meeting
    if not permissions.can_run_vote(by, meeting):
        raise PermissionDenied
    if item.kind not in (ItemKind.DECISION, ItemKind.CLOSURE, ItemKind.OTHER):
        raise VotingError(_("Det går bara att rösta om beslutspunkter."))
    if item.carried_at is not None:
        raise VotingError(_("Punkten är flyttad till ett senare möte och avgörs där."))
    if item.settled_by_id is not None:
        raise VotingError(_("Ärendet är redan avgjort vid ett annat möte – punkten utgår."))
    # The time rules read the meeting as it is now (the caller's copy may predate its kallelse).
    meeting.refresh_from_db(fields=["starts_at", "per_capsulam", "invitation_sent_at"])
    not_yet = vote_not_openable_yet(meeting)
    if not_yet:
        raise VotingError(not_yet)
    if meeting.per_capsulam and deadline is None:
        raise VotingError(
            _(
                "Ett per capsulam-beslut behöver en sista tid att rösta – ange när svaren senast ska vara "
                "inne."
            )
        )
    if deadline is not None and deadline <= timezone.now():
        raise VotingError(_("Sista tid att rösta måste ligga i framtiden."))
    vote, _created = Vote.objects.get_or_create(item=item)
    vote = _locked(vote)
    if vote.status != VoteStatus.DRAFT:
        raise VotingError(_("Voteringen är redan öppnad."))
    _recuse_team(item, vote)
    seating = seating_now(item)
    blocked = seating.parties_without_voters
    if blocked:
        raise VotingError(no_voters_message(blocked))
    vote.status = VoteStatus.OPEN
    vote.opened_at = timezone.now()
    vote.opened_by = by
    vote.deadline = deadline
    vote.open_ballots_after_close = open_ballots_after_close
    vote.save()
    notify(
        "vote_opened",
        to=[s.holder.user for s in seating.seats if not s.empty],
        context={"vote": vote, "item": item, "meeting": meeting},
        link=item.get_absolute_url(),
    )
    return vote


def vote_not_openable_yet(meeting: Meeting, now: datetime.datetime | None = None) -> str:
    """Why the meeting's votes cannot be opened yet, or "" when they can: an ordinary meeting's from its
    start, a per-capsulam meeting's once its kallelse has been sent."""
    if meeting.per_capsulam:
        if meeting.invitation_sent_at is None:
            return _(
                "Ett per capsulam-beslut börjar med kallelsen – skicka kallelsen innan voteringen öppnas."
            )
        return ""
    if (now or timezone.now()) < meeting.starts_at:
        return _(
            "Voteringen kan öppnas först när mötet har börjat (%(start)s). Vill ni besluta före mötet: gör "
            "mötet till ett per capsulam-beslut."
        ) % {"start": moment_label(meeting.starts_at)}
    return ""


def no_voters_message(party_ids) -> str:
    """Why a vote cannot be opened (or would be void): the parties with no one left to vote, and the ways
    out."""
    names = ", ".join(
        Organisation.objects.filter(pk__in=party_ids).order_by("name").values_list("name", flat=True)
    )
    return _(
        "%(parties)s har ingen ledamot kvar som kan rösta (alla är jäviga eller frånvarande och ingen "
        "ersättare finns). Kalla in en ersättare, flytta punkten till nästa möte eller besluta per capsulam "
        "senare."
    ) % {"parties": names}


@transaction.atomic
def ballot_cast(*, vote: Vote, by, choice: str) -> Ballot:
    """One ballot per seat holder, changeable until the vote closes; the vote closes by itself once every
    seat that can vote has voted."""
    item = vote.item  # the caller's, with the meeting's seats it may already have read
    vote = Vote.objects.select_for_update(of=("self",)).get(pk=vote.pk)
    vote.item = item
    if not permissions.sits_for_item(by, item):
        raise PermissionDenied
    if vote.status != VoteStatus.OPEN:
        raise VotingError(_("Voteringen är stängd."))
    if vote.deadline and timezone.now() >= vote.deadline:
        raise VotingError(_("Tiden för att rösta har gått ut."))
    if choice not in Choice.values:
        raise VotingError(_("Välj bifall, avslag eller avstår."))
    if Recusal.objects.filter(item=vote.item, member=by).exists():
        raise VotingError(_("Du har anmält jäv i ärendet och kan inte rösta."))
    seating = seating_now(vote.item)
    seat = seating.holder(by.pk)
    if seat is None:
        raise VotingError(not_seated_message(vote.item, by))
    ballot, _created = Ballot.objects.update_or_create(
        vote=vote, member=by, defaults={"choice": choice, "party_id": seat.party_id}
    )
    _close_if_everyone_has_voted(vote, seating)
    return ballot


def not_seated_message(item: AgendaItem, user) -> str:
    """Why a member of the body holds no seat for this item."""
    seat = seat_of(item.meeting, user)
    entitled = deciding_party_ids(item)
    if seat is not None and entitled is not None and seat.party_id not in entitled:
        return _("Din part är inte part i ärendet och röstar inte om det.")
    if seat is not None and seat.deputy:
        return _("Du är ersättare och röstar bara i stället för en ledamot som är jävig eller frånvarande.")
    return _("Din plats innehas av en ersättare i det här ärendet.")


def _close_if_everyone_has_voted(vote: Vote, seating=None) -> None:
    """A vote closes by itself once every seat that can vote has voted (an empty seat cannot). `seating` is
    the item's seating when the caller already has it (nothing that changes it happened since)."""
    seating = seating or seating_now(vote.item)
    holders = {s.holder.user_id for s in seating.seats if not s.empty}
    if holders and holders <= set(vote.ballots.values_list("member_id", flat=True)):
        _close(vote, by=None, seating=seating)


@transaction.atomic
def recusal_declare(*, by, reason: str, item: AgendaItem | None = None, vote: Vote | None = None) -> Recusal:
    """A member declares jäv with a reason on an item (or the item of `vote`) – at the beredning or the
    styrgrupp, before or during the vote: they take no part, any ballot they cast is withdrawn, their
    party's deputy takes the seat, and the recusal is minuted."""
    item = item if item is not None else vote.item
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "proposal")
        .get(pk=item.pk)
    )
    vote = Vote.objects.filter(item=item).first()
    if vote is not None:
        vote = _locked(vote)
    if not permissions.sits_for_item(by, item):
        raise PermissionDenied
    if vote is not None and vote.status == VoteStatus.CLOSED:
        raise VotingError(_("Voteringen är stängd."))
    if item.outcome:
        raise VotingError(_("Beredningens ställningstagande är redan registrerat."))
    if not reason.strip():
        raise VotingError(_("Ange skälet till jävet."))
    before = seating_now(item)
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(item=item, vote=vote, member=by, reason=reason.strip())
    except IntegrityError as exc:
        raise VotingError(_("Du har redan anmält jäv i ärendet.")) from exc
    if vote is not None:
        Ballot.objects.filter(vote=vote, member=by).delete()
    after = seating_now(item)
    _tell_called_deputies(item, before, after)
    if vote is not None and vote.status == VoteStatus.OPEN:
        _close_if_everyone_has_voted(vote, after)
    return recusal


def _tell_called_deputies(item: AgendaItem, before, after) -> None:
    """A deputy who now holds a seat for the item is told so."""
    had = {s.holder.user_id for s in before.seats if s.serves_for is not None}
    for seat in after.seats:
        if seat.serves_for is not None and seat.holder.user_id not in had:
            notify(
                "deputy_called",
                to=[seat.holder.user],
                context={"item": item, "meeting": item.meeting, "serves_for": seat.serves_for.user},
                link=item.get_absolute_url(),
            )


@transaction.atomic
def vote_close(*, vote: Vote, by) -> Vote:
    vote = _locked(vote)
    if not permissions.can_run_vote(by, vote.item.meeting):
        raise PermissionDenied
    if vote.status != VoteStatus.OPEN:
        raise VotingError(_("Voteringen är inte öppen."))
    return _close(vote, by=by)


def _present_ids(meeting) -> set[int] | None:
    attendance = list(Attendance.objects.filter(meeting=meeting))
    if not attendance:
        return None
    return {a.member_id for a in attendance if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)}


def preview(vote: Vote, seating=None) -> voting.Result:
    """The result as it would be if the vote closed now (for the chair before closing)."""
    seating = seating or seating_now(vote.item)
    meeting = vote.item.meeting
    return voting.count(
        members=seating.members(),
        ballots={b.member_id: b.choice for b in vote.ballots.all()},
        recused=seating.recused_ids,
        present=_present_ids(meeting),
        rule=meeting.agreement.decision_rule,
        tie_break=meeting.agreement.tie_break,
        chair_id=meeting.chair_id,
    )


def _close(vote: Vote, *, by, seating=None) -> Vote:
    """Compute the result and store it with a snapshot of who held each seat, who was recused and who
    voted."""
    meeting = vote.item.meeting
    seating = seating or seating_now(vote.item)
    recusals = {r.member_id: r for r in Recusal.objects.filter(item=vote.item)}
    ballots = {b.member_id: b.choice for b in vote.ballots.all()}
    present = _present_ids(meeting)
    result = preview(vote, seating)
    vote.result = result.as_dict()
    vote.outcome = {voting.ADOPTED: VoteOutcome.ADOPTED, voting.REJECTED: VoteOutcome.REJECTED}.get(
        result.outcome, VoteOutcome.NO_QUORUM
    )
    vote.snapshot = {
        "entitled": [
            {
                "user_id": s.holder.user_id,
                "name": s.holder.user.get_full_name(),
                "party_id": s.party_id,
                "serves_for": s.serves_for.user_id if s.serves_for else None,
                "serves_for_name": s.serves_for.user.get_full_name() if s.serves_for else "",
            }
            for s in seating.seats
        ],
        "recused": [
            {"user_id": uid, "reason": r.reason, "automatic": r.automatic}
            for uid, r in sorted(recusals.items())
        ],
        "voted": sorted(uid for uid in ballots if seating.holder(uid) is not None),
        "present": sorted(present) if present is not None else None,
    }
    vote.status = VoteStatus.CLOSED
    vote.closed_at = timezone.now()
    vote.closed_by = by
    vote.save()
    notify(
        "vote_closed",
        to=[s.holder.user for s in seating.seats] + [meeting.secretary],
        context={"vote": vote, "item": vote.item, "meeting": meeting},
        link=vote.item.get_absolute_url(),
    )
    return vote


@transaction.atomic
def vote_reopen(*, vote: Vote, by, deadline: datetime.datetime) -> Vote:
    """A void vote (a party not beslutsför) is opened again with a new deadline: the ballots cast stay
    (they can be changed), the result is cleared, and the seat holders are told."""
    vote = _locked(vote)
    if not permissions.can_run_vote(by, vote.item.meeting):
        raise PermissionDenied
    if vote.status != VoteStatus.CLOSED or vote.outcome != VoteOutcome.NO_QUORUM:
        raise VotingError(_("Bara en ogiltig votering (ej beslutsför) kan öppnas igen."))
    if deadline is None or deadline <= timezone.now():
        raise VotingError(_("Sista tid att rösta måste ligga i framtiden."))
    seating = seating_now(vote.item)
    blocked = seating.parties_without_voters
    if blocked:
        raise VotingError(no_voters_message(blocked))
    vote.status = VoteStatus.OPEN
    vote.deadline = deadline
    vote.outcome = ""
    vote.result = None
    vote.snapshot = None
    vote.closed_at = None
    vote.closed_by = None
    vote.reopened_count += 1
    vote.save()
    notify(
        "vote_opened",
        to=[s.holder.user for s in seating.seats if not s.empty],
        context={"vote": vote, "item": vote.item, "meeting": vote.item.meeting},
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


@transaction.atomic
def item_carry_forward(*, item: AgendaItem, by) -> AgendaItem:
    """The item goes on to the next styrgrupp meeting of the agreement (one whose kallelse is not yet sent if
    there is one, else the next one, which gets an updated kallelse): after a void vote, or when a party has
    no one left to vote. The item stays on this meeting's agenda and in its minutes, marked "flyttad till …",
    and is decided at the new meeting."""
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "proposal")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    if not permissions.can_run_vote(by, meeting):
        raise PermissionDenied
    vote = Vote.objects.filter(item=item).first()
    void = vote is not None and vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.NO_QUORUM
    if item.carried_at is not None:
        raise VotingError(_("Punkten är redan flyttad."))
    if item.decisions.exists() or (vote is not None and vote.status != VoteStatus.DRAFT and not void):
        raise VotingError(
            _("Bara en punkt utan beslut, vars votering inte är öppnad eller var ogiltig, kan flyttas.")
        )
    later = Meeting.objects.filter(
        agreement_id=meeting.agreement_id,
        kind=meeting.kind,
        starts_at__gt=meeting.starts_at,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.INVITED],
    ).order_by("starts_at")
    target = later.filter(invitation_sent_at__isnull=True).first() or later.first()
    if target is None:
        raise VotingError(
            _("Det finns inget kommande styrgruppsmöte att flytta punkten till – boka ett först.")
        )
    if not permissions.can_edit_agenda(by, target):
        raise VotingError(
            _("Dagordningen för %(meeting)s ändras av processledaren eller mötets sekreterare.")
            % {"meeting": meeting_label(target)}
        )
    item.carried_at = timezone.now()
    item.save(update_fields=["carried_at"])
    carried = item_add(
        meeting=target,
        by=by,
        title=item.title,
        kind=item.kind,
        proposal=item.proposal,
        description=item.description,
        presenters=list(item.presenters.all()),
    )
    item.carried_to = carried
    item.save(update_fields=["carried_to"])
    carried.meeting_label = meeting_label(target)
    return carried
