"""Meetings, agendas, invitations (kallelser) and attendance."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.enums import ProposalState
from applications.models import Proposal
from applications.services import proposal_transition
from samverkan.notifications import notify

from .. import permissions
from ..enums import AttendanceStatus, BodyKind, ItemKind, MeetingKind, MeetingStatus, VoteStatus
from ..ics import meeting_ics
from ..models import AgendaItem, Attendance, Body, Decision, Meeting, Vote
from ..models.meetings import DECIDING_ITEM_KINDS
from ..selectors import members_of

BODY_FOR_KIND = {
    MeetingKind.STEERING: BodyKind.STEERING_GROUP,
    MeetingKind.JOINT_REVIEW: BodyKind.JOINT_REVIEW,
    MeetingKind.PRE_REVIEW: BodyKind.JOINT_REVIEW,
    MeetingKind.REVIEW: BodyKind.REVIEW_GROUP,
}


def ensure_bodies(agreement) -> list[Body]:
    """Every agreement has a styrgrupp, a kommungemensam beredning and a beredningsgrupp per municipality."""
    bodies = [
        Body.objects.get_or_create(
            agreement=agreement, kind=BodyKind.STEERING_GROUP, defaults={"name": _("Styrgrupp")}
        )[0],
        Body.objects.get_or_create(
            agreement=agreement, kind=BodyKind.JOINT_REVIEW, defaults={"name": _("Kommungemensam beredning")}
        )[0],
    ]
    for municipality in agreement.municipalities.all():
        bodies.append(
            Body.objects.get_or_create(
                agreement=agreement,
                kind=BodyKind.REVIEW_GROUP,
                municipality=municipality,
                defaults={"name": _("Beredningsgrupp %(m)s") % {"m": municipality.short_name}},
            )[0]
        )
    return bodies


@transaction.atomic
def meeting_create(
    *,
    agreement,
    by,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    body: Body | None = None,
    location: str = "",
    video_link: str = "",
    chair=None,
    secretary=None,
    per_capsulam: bool = False,
) -> Meeting:
    """The processledare books a meeting (Samverkansmodellen: "genomför mötesbokningar"). A styrgrupp
    meeting may be per capsulam: decided without meeting, by online vote before a deadline – it needs no
    place."""
    if not permissions.can_manage_meetings(by, agreement):
        raise PermissionDenied
    ensure_bodies(agreement)
    if body is None and BODY_FOR_KIND[kind] != BodyKind.REVIEW_GROUP:
        body = Body.objects.filter(agreement=agreement, kind=BODY_FOR_KIND[kind]).first()
    if body is None or body.agreement_id != agreement.pk:
        raise ValidationError({"body": _("Välj en beredningsgrupp för mötet.")})
    if BODY_FOR_KIND[kind] != body.kind:
        raise ValidationError({"body": _("Mötestypen passar inte organet.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjar.")})
    _refuse_per_capsulam_outside_steering(kind, per_capsulam)
    if not location and not video_link and not per_capsulam:
        raise ValidationError({"location": _("Ange plats eller videolänk.")})
    meeting = Meeting.objects.create(
        agreement=agreement,
        body=body,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        video_link=video_link,
        chair=chair,
        secretary=secretary or by,
        per_capsulam=per_capsulam,
    )
    return meeting


def _refuse_per_capsulam_outside_steering(kind: str, per_capsulam: bool) -> None:
    if per_capsulam and kind != MeetingKind.STEERING:
        raise ValidationError({"per_capsulam": _("Bara styrgruppen kan besluta per capsulam.")})


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, **fields) -> Meeting:
    """Change the meeting. If the time changes after the kallelse went out, an update with the same UID and
    a higher SEQUENCE is sent."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.can_edit_agenda(by, meeting):
        raise PermissionDenied
    # The per-capsulam form is part of the kallelse's terms, like the time.
    time_changed = any(
        name in fields and fields[name] != getattr(meeting, name)
        for name in ("starts_at", "ends_at", "per_capsulam")
    )
    if (
        "per_capsulam" in fields
        and fields["per_capsulam"] != meeting.per_capsulam
        and Vote.objects.filter(item__meeting=meeting).exclude(status=VoteStatus.DRAFT).exists()
    ):
        raise ValidationError(
            {"per_capsulam": _("En votering är redan öppnad – mötets form kan inte ändras längre.")}
        )
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjar.")})
    _refuse_per_capsulam_outside_steering(meeting.kind, meeting.per_capsulam)
    if not meeting.location and not meeting.video_link and not meeting.per_capsulam:
        raise ValidationError({"location": _("Ange plats eller videolänk.")})
    if BODY_FOR_KIND[meeting.kind] != meeting.body.kind:
        raise ValidationError({"body": _("Mötestypen passar inte organet.")})
    if time_changed and meeting.invitation_sent_at:
        meeting.ics_sequence += 1
    meeting.save()
    if time_changed and meeting.invitation_sent_at:
        _send(meeting, event="meeting_updated")
    return meeting


def _invitees(meeting: Meeting):
    people = {seat.user for seat in members_of(meeting)}
    for item in meeting.items.prefetch_related("presenters"):
        people.update(item.presenters.all())
    people.update(filter(None, [meeting.chair, meeting.secretary]))
    return sorted(people, key=lambda u: (u.last_name, u.first_name))


def _send(meeting: Meeting, *, event: str) -> None:
    invitees = _invitees(meeting)
    ics = meeting_ics(meeting, attendees=invitees)
    notify(
        event,
        to=invitees,
        context={"meeting": meeting, "items": list(meeting.items.select_related("settled_by__meeting"))},
        link=meeting.get_absolute_url(),
        attachments=[("kallelse.ics", ics, "text/calendar; method=REQUEST")],
    )


@transaction.atomic
def invitation_send(*, meeting: Meeting, by) -> Meeting:
    """Kallelse: e-mail to members and presenters with the agenda and an .ics file."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.can_edit_agenda(by, meeting):
        raise PermissionDenied
    if not meeting.items.exists():
        raise ValidationError(_("Dagordningen är tom – lägg till punkter innan du kallar."))
    meeting.invitation_sent_at = timezone.now()
    meeting.status = MeetingStatus.INVITED
    meeting.save()
    _send(meeting, event="meeting_invitation")
    return meeting


def moment_label(moment: datetime.datetime) -> str:
    """How a message names a moment: "8 december 2026 kl. 13:00" (Swedish time)."""
    local = timezone.localtime(moment)
    return _("%(day)s kl. %(time)s") % {"day": date_format(local, "j F Y"), "time": date_format(local, "H:i")}


def meeting_label(meeting: Meeting) -> str:
    """How a message names a meeting: "Styrgruppsmöte 12 mars 2027"."""
    return f"{meeting.title} {date_format(timezone.localtime(meeting.starts_at), 'j F Y')}"


def open_item_elsewhere(*, proposal: Proposal, kind: str, meeting: Meeting) -> AgendaItem | None:
    """The proposal's open item of this deciding kind on another meeting, if there is one."""
    if kind not in DECIDING_ITEM_KINDS:
        return None
    return (
        AgendaItem.objects.open_deciding()
        .filter(proposal=proposal, kind=kind)
        .exclude(meeting=meeting)
        .select_related("meeting")
        .order_by("meeting__starts_at")
        .first()
    )


def refuse_if_on_another_agenda(*, proposal: Proposal, kind: str, meeting: Meeting) -> None:
    """One open deciding item per proposal and kind: a second agenda would let two meetings decide it."""
    other = open_item_elsewhere(proposal=proposal, kind=kind, meeting=meeting)
    if other is not None:
        raise ValidationError(
            {
                "proposal": _("Ärendet står redan på dagordningen för %(meeting)s (§%(n)s).")
                % {"meeting": meeting_label(other.meeting), "n": other.order}
            }
        )


def next_item_number(meeting: Meeting) -> int:
    """The § number of a new item: after the last one. Numbers are 1..n while the kallelse is unsent
    (item_remove closes gaps) and fixed once it is sent, so a later item gets max + 1."""
    return (meeting.items.aggregate(n=Max("order"))["n"] or 0) + 1


def agenda_updated(meeting: Meeting) -> None:
    """The agenda of a called meeting changed: the invitees get an updated kallelse that replaces the first
    one in their calendars (same UID, higher SEQUENCE)."""
    if meeting.invitation_sent_at is None:
        return
    Meeting.objects.filter(pk=meeting.pk).update(ics_sequence=F("ics_sequence") + 1)
    meeting.refresh_from_db(fields=["ics_sequence"])
    _send(meeting, event="meeting_agenda_updated")


def _default_kind(meeting: Meeting, proposal: Proposal | None) -> str:
    if proposal is None:
        return ItemKind.INFORMATION
    if meeting.is_steering:
        return ItemKind.CLOSURE if proposal.state == ProposalState.CLOSING else ItemKind.DECISION
    return ItemKind.PITCH if proposal.state == ProposalState.PITCH else ItemKind.APPLICATION


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    by,
    title: str = "",
    kind: str | None = None,
    proposal: Proposal | None = None,
    starts_at: datetime.time | None = None,
    duration_minutes: int = 15,
    description: str = "",
    presenters=None,
) -> AgendaItem:
    """Add an agenda item. A submitted proposal scheduled on a beredning moves to "Under beredning"; the
    responsible researcher and tjänsteperson present it (Samverkansmodellen, "Beredning"). One open deciding
    item per proposal and kind: a proposal on another meeting's open agenda is refused. Added to a called
    meeting, the invitees get an updated kallelse."""
    # Locked: two additions at once would otherwise take the same § number.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.can_edit_agenda(by, meeting):
        raise PermissionDenied
    if proposal is not None:
        if proposal.agreement_id not in meeting.agreement_ids():
            raise ValidationError(
                {
                    "proposal": _(
                        "Ärendet hör till ett annat avtal – det beslutas av det avtalets styrgrupp."
                    )
                    if meeting.is_steering
                    else _("Ärendet hör till ett avtal som inte bereds på det här mötet.")
                }
            )
        allowed = (
            {ProposalState.AWAITING_DECISION, ProposalState.CLOSING, ProposalState.ACTIVE}
            if meeting.is_steering
            else {ProposalState.SUBMITTED, ProposalState.IN_REVIEW, ProposalState.PITCH, ProposalState.ACTIVE}
        )
        if proposal.state not in allowed:
            raise ValidationError(
                {
                    "proposal": _("Ärendet har status ”%(s)s” och kan inte sättas på det här mötet.")
                    % {"s": proposal.get_state_display()}
                }
            )
        if meeting.items.filter(proposal=proposal).exists():
            raise ValidationError({"proposal": _("Ärendet finns redan på dagordningen.")})
    kind = kind or _default_kind(meeting, proposal)
    if proposal is not None:
        refuse_if_on_another_agenda(proposal=proposal, kind=kind, meeting=meeting)
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=next_item_number(meeting),
        kind=kind,
        title=title or (proposal.title if proposal else ""),
        proposal=proposal,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        description=description,
    )
    if not item.title:
        raise ValidationError({"title": _("Ange en rubrik för punkten.")})
    if presenters is None and proposal is not None:
        presenters = [u for u in (proposal.responsible_researcher, proposal.responsible_officer) if u]
    item.presenters.set(presenters or [])
    if proposal is not None and meeting.is_review and proposal.state == ProposalState.SUBMITTED:
        proposal_transition(
            proposal=proposal,
            name="schedule_review",
            by=by,
            authorised=True,
            comment=_("Satt på dagordningen för %(m)s") % {"m": meeting},
        )
    agenda_updated(meeting)
    return item


@transaction.atomic
def item_remove(*, item: AgendaItem, by) -> None:
    """Before the kallelse the agenda closes the gap (§1..n); after it the numbers stay as sent and the
    invitees get an updated kallelse."""
    if not permissions.can_edit_agenda(by, item.meeting):
        raise PermissionDenied
    if item.assessments.exists() or item.decisions.exists() or hasattr(item, "vote"):
        raise ValidationError(_("Punkten har bedömningar, röster eller beslut och kan inte tas bort."))
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item.delete()
    if meeting.invitation_sent_at is None:
        _renumber(meeting)
    else:
        agenda_updated(meeting)


def _renumber(meeting: Meeting) -> None:
    """Close the gaps: §1..n in agenda order. A decision keeps its item's number."""
    for number, item in enumerate(meeting.items.order_by("order", "pk"), start=1):
        if item.order != number:
            AgendaItem.objects.filter(pk=item.pk).update(order=number)
            Decision.objects.filter(item=item, supersedes__isnull=True).update(paragraph=number)


@transaction.atomic
def attendance_set(
    *, meeting: Meeting, by, statuses: dict[int, str], notes: dict[int, str] | None = None
) -> None:
    """The secretary keeps the attendance register (present, arrived late, left, absent)."""
    if not permissions.can_keep_attendance(by, meeting):
        raise PermissionDenied
    seats = {s.user_id: s for s in members_of(meeting)}
    for user_id, status in statuses.items():
        if user_id not in seats:
            raise ValidationError(_("Personen är inte ledamot i organet."))
        if status not in AttendanceStatus.values:
            raise ValidationError(_("Ogiltig närvarostatus."))
        Attendance.objects.update_or_create(
            meeting=meeting,
            member_id=user_id,
            defaults={
                "status": status,
                "party_id": seats[user_id].party_id,
                "note": (notes or {}).get(user_id, ""),
            },
        )


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by) -> Meeting:
    if not (
        permissions.is_officer_of(by, meeting) or permissions.can_manage_meetings(by, meeting.agreement_id)
    ):
        raise PermissionDenied
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ValidationError(_("Protokollet är justerat."))
    if timezone.now() < meeting.starts_at:
        raise ValidationError(
            _("Mötet börjar %(start)s – det kan inte markeras som genomfört innan det har börjat.")
            % {"start": date_format(timezone.localtime(meeting.starts_at), "j F Y H:i")}
        )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting
