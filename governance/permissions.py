"""May this user do X in a meeting? The one place that decides, for governance."""

from __future__ import annotations

from django.utils import timezone

from applications import permissions as proposal_permissions
from applications.permissions import can_view_proposal
from samverkan import permissions as core
from samverkan.enums import Role

from . import seating
from .enums import ItemKind, MeetingStatus, VoteStatus
from .selectors import ASSESSED_KINDS, member_q, seat_of
from .signers import signing_assignment


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_process_leader(user, agreement_id) -> bool:
    return core.is_superuser(user) or core.has_role(user, agreement_id, Role.PROCESS_LEADER)


def can_manage_meetings(user, agreement) -> bool:
    """Processledare book meetings, build agendas, send invitations (Samverkansmodellen, roller)."""
    return _active(user) and is_process_leader(user, getattr(agreement, "pk", agreement))


def is_member(user, meeting) -> bool:
    return _active(user) and seat_of(meeting, user) is not None


def sits_for_item(user, item) -> bool:
    """A member of the meeting's body, or – in a joint decision – a styrgrupp member of another agreement's
    municipality that the item's programme involves (seating.joint_member_ids)."""
    return _active(user) and (
        seat_of(item.meeting, user) is not None or user.pk in seating.joint_member_ids(item)
    )


def is_officer_of(user, meeting) -> bool:
    """Chair or secretary of the meeting."""
    return _active(user) and user.pk in {meeting.chair_id, meeting.secretary_id}


def sees_whole_meeting(user, meeting) -> bool:
    """Members, the chair and secretary, processledare and kommunikatörer of the agreement read every item,
    the attendance and the minutes."""
    if not _active(user):
        return False
    return (
        is_member(user, meeting)
        or is_officer_of(user, meeting)
        or is_process_leader(user, meeting.agreement_id)
        or core.has_role(user, meeting.agreement_id, Role.COMMUNICATOR)
    )


def presents_item(user, item) -> bool:
    if not _active(user):
        return False
    cache = getattr(item, "_presenter_ids", None)
    if cache is None:
        cache = item._presenter_ids = set(item.presenters.values_list("pk", flat=True))
    return user.pk in cache


def can_view_meeting(user, meeting) -> bool:
    """The meeting page: whoever sees the whole meeting, and presenters – who see the public agenda (time,
    title, presenters of each item) and only their own items in full."""
    if sees_whole_meeting(user, meeting):
        return True
    return _active(user) and meeting.items.filter(presenters=user).exists()


def can_view_item(user, item) -> bool:
    """An agenda item in full (summary, assessments, votes per party, decision, amounts): whoever sees the
    whole meeting, and the item's own presenters; an item without a proposal (information) is part of the
    public agenda. A presenter of another team's item sees it only as a line of the public agenda – the same
    rule that makes that proposal's own page closed to them."""
    if sees_whole_meeting(user, item.meeting) or presents_item(user, item) or sits_for_item(user, item):
        return True
    return item.proposal_id is None and can_view_meeting(user, item.meeting)


def can_edit_agenda(user, meeting) -> bool:
    return meeting.status in (MeetingStatus.PLANNED, MeetingStatus.INVITED) and (
        can_manage_meetings(user, meeting.agreement_id) or is_officer_of(user, meeting)
    )


def is_assessor(user, item) -> bool:
    """A member of the beredning at an item it assesses (application or pitch) – whether or not the meeting
    still takes assessments."""
    meeting = item.meeting
    return meeting.is_review and item.kind in ASSESSED_KINDS and is_member(user, meeting)


def can_open_assessment(user, item, own) -> bool:
    """The assessment form: while the member may assess, or to read their own assessment afterwards."""
    return own is not None or can_assess(user, item)


def can_change_assessment(user, item, own) -> bool:
    """The member's own assessment is saved while they may assess and have not submitted it."""
    return can_assess(user, item) and (own is None or own.submitted_at is None)


def is_recused(user, item) -> bool:
    """Jäv on the item: declared, or automatic for the proposal's team (governance/seating.py)."""
    return _active(user) and user.pk in seating.recused_ids(item)


def can_assess(user, item) -> bool:
    """A member of the beredning assesses an application unless recused (jäv: declared, or on its team); an
    ersättare only in the seat of a member who is recused or absent (governance/seating.py)."""
    meeting = item.meeting
    if not (
        meeting.is_review
        and item.kind in (ItemKind.APPLICATION, ItemKind.PITCH)
        and meeting.status != MeetingStatus.MINUTES_APPROVED
        and is_member(user, meeting)
        and not is_recused(user, item)
    ):
        return False
    return not seat_of(meeting, user).deputy or seating.seating_now(item).holder(user.pk) is not None


def can_record_outcome(user, item) -> bool:
    meeting = item.meeting
    return (
        meeting.is_review
        and item.proposal_id is not None
        and meeting.status != MeetingStatus.MINUTES_APPROVED
        and (is_officer_of(user, meeting) or can_manage_meetings(user, meeting.agreement_id))
        and not is_recused(user, item)
    )


def can_run_vote(user, meeting) -> bool:
    """The chair or the secretary opens and closes votes."""
    return (
        meeting.is_steering
        and meeting.status != MeetingStatus.MINUTES_APPROVED
        and is_officer_of(user, meeting)
    )


def can_cast_ballot(user, vote) -> bool:
    return vote.status == VoteStatus.OPEN and is_member(user, vote.item.meeting)


def can_decide(user, meeting) -> bool:
    return can_run_vote(user, meeting)


def can_run_meeting(user, meeting) -> bool:
    """The chair, the secretary or a processledare of the agreement: they follow the meeting live (the chair's
    view) and mark it held."""
    return is_officer_of(user, meeting) or can_manage_meetings(user, meeting.agreement_id)


def can_keep_attendance(user, meeting) -> bool:
    return meeting.status != MeetingStatus.MINUTES_APPROVED and (
        is_officer_of(user, meeting) or can_manage_meetings(user, meeting.agreement_id)
    )


def is_secretary(user, meeting) -> bool:
    return _active(user) and user.pk == meeting.secretary_id


def can_edit_minutes(user, meeting) -> bool:
    minutes = getattr(meeting, "minutes", None)
    approved = minutes is not None and minutes.approved_at is not None
    return not approved and is_secretary(user, meeting)


def can_approve_minutes(user, minutes) -> bool:
    """The chair and the adjuster each approve once, until the minutes are approved (None: no minutes yet)."""
    if minutes is None or minutes.approved_at is not None or not _active(user):
        return False
    if user.pk == minutes.meeting.chair_id:
        return minutes.chair_approved_at is None
    return user.pk == minutes.adjuster_id and minutes.adjuster_approved_at is None


# --- Lists and navigation (added with the meeting screens) -------------------------------------------------

# Roles whose holders take part in (or run) meetings of their agreement.
MEETING_ROLES = (
    Role.PROCESS_LEADER,
    Role.COMMUNICATOR,
    Role.REVIEW_MEMBER,
    Role.REVIEW_DEPUTY,
    Role.STEERING_MEMBER,
    Role.STEERING_DEPUTY,
)


def is_presenter_anywhere(user) -> bool:
    """Does the user present an item at any meeting not yet closed by approved minutes? One query, kept on
    the user for the request (the navigation asks on every page)."""
    if not _active(user):
        return False
    cached = getattr(user, "_governance_presenter", None)
    if cached is None:
        from .models import AgendaItem

        cached = user._governance_presenter = (
            AgendaItem.objects.filter(presenters=user)
            .exclude(meeting__status=MeetingStatus.MINUTES_APPROVED)
            .exists()
        )
    return cached


def can_see_meetings(user) -> bool:
    """The "Möten" menu: people who sit in, run or report from the bodies – and presenters (forskare,
    tjänstepersoner) while they have a meeting to go to. Forskare and tjänstepersoner without one do not
    see it."""
    if not _active(user):
        return False
    return core.is_superuser(user) or core.has_any_role(user, *MEETING_ROLES) or is_presenter_anywhere(user)


def viewable_meetings_q(user):
    """A Q for the meetings the user may view – the list-sized form of can_view_meeting. None means every
    meeting (administrators)."""
    from django.db.models import Q

    if not _active(user):
        return Q(pk__in=[])
    if core.is_superuser(user):
        return None
    staff = core.agreement_ids_with_role(user, Role.PROCESS_LEADER, Role.COMMUNICATOR)
    return (
        Q(agreement_id__in=staff)
        | member_q(user)
        | Q(chair=user)
        | Q(secretary=user)
        | Q(pk__in=_presented_meeting_ids(user))
    )


def _presented_meeting_ids(user):
    from .models import AgendaItem

    return AgendaItem.objects.filter(presenters=user).values("meeting_id")


def can_book_meeting(user) -> bool:
    """Show "Boka möte": processledare of some agreement (or an administrator)."""
    return _active(user) and (core.is_superuser(user) or core.has_any_role(user, Role.PROCESS_LEADER))


def can_create_meeting(user) -> bool:
    """The booking form: processledare of some agreement, or an administrator when there is an agreement to
    book for (can_book_meeting shows the button)."""
    if core.is_superuser(user):
        from samverkan.models import Agreement

        return Agreement.objects.exists()
    return bool(core.agreement_ids_with_role(user, Role.PROCESS_LEADER))


# --- Decision documents (issue #5) -------------------------------------------------------------------------


def can_sign_documents(user) -> bool:
    """The "Att signera" menu: firmatecknare of some agreement."""
    return _active(user) and core.has_any_role(user, Role.SIGNATORY)


def can_view_document(user, document) -> bool:
    """A decision document is read by those who may read its proposal (team, processledare, kommunikatörer,
    the bodies) and by the agreement's firmatecknare, who sign it."""
    if not _active(user):
        return False
    proposal = document.decision.proposal
    if proposal is not None and can_view_proposal(user, proposal):
        return True
    return (
        core.is_superuser(user)
        or core.has_role(user, document.decision.meeting.agreement_id, Role.SIGNATORY)
        # A party's firmatecknare appointed in another agreement (a joint programme decision).
        or can_sign_document(user, document)
    )


def can_sign_document(user, document) -> bool:
    """A firmatecknare of an organisation that signs this document."""
    return signing_assignment(user, document) is not None


def can_record_project_account(user, document) -> bool:
    """The processledare of the decided proposal records its projektkonto."""
    proposal = document.decision.proposal
    return proposal is not None and proposal_permissions.is_process_leader(user, proposal)


def can_register_copy(user, copy) -> bool:
    """Each organisation's processledare registers its own copy (for a company: the municipality's)."""
    agreement_id = copy.document.decision.meeting.agreement_id
    party_id = copy.organisation.parent_id or copy.organisation_id
    return core.is_superuser(user) or core.has_role(
        user, agreement_id, Role.PROCESS_LEADER, party_id=party_id
    )


def may_see_others_assessments(user, meeting, own) -> bool:
    """Members see the others' assessments only after submitting their own, or once the meeting has
    started (issue #4: "Members see others' assessments only after submitting their own (or after the
    meeting opens)"); the chair, the secretary and the processledare always. Presenters – the applicants
    – and other readers of the meeting page never see individual assessments here."""
    if is_officer_of(user, meeting) or is_process_leader(user, meeting.agreement_id):
        return True
    if not is_member(user, meeting):
        return False
    return (own is not None and own.submitted_at is not None) or meeting.starts_at <= timezone.now()
