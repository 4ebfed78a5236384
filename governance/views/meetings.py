"""Meeting screens: the list per body, "Mina möten", booking, the meeting page with its agenda, invitations,
the .ics download and the attendance register. Thin: permission → service → redirect."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan import permissions as core
from samverkan.enums import Role
from samverkan.errors import ApplicationError
from samverkan.http import require, show_refusal
from samverkan.models import Agreement, Organisation

from .. import permissions, services
from ..enums import MeetingStatus
from ..forms import AttendanceForm, ItemForm, MeetingForm, meeting_initial
from ..ics import STOCKHOLM
from ..ics import meeting_ics as build_ics
from ..models import AgendaItem, Assessment, Attendance, Body, Meeting
from ..selectors import ASSESSED_KINDS, meeting_todos, members_of

# --- helpers -----------------------------------------------------------------------------------------------


def _meeting(pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related(
            "agreement", "body", "body__municipality", "chair", "secretary", "minutes"
        ),
        pk=pk,
    )


def _viewable(request, pk) -> Meeting:
    meeting = _meeting(pk)
    require(request.user, permissions.can_view_meeting, meeting)
    return meeting


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _minutes_of(meeting):
    return getattr(meeting, "minutes", None)


# --- lists -------------------------------------------------------------------------------------------------

MEETINGS_PER_PAGE = 25


def _by_month(meetings) -> list[dict]:
    def month(m):
        local = timezone.localtime(m.starts_at, STOCKHOLM)
        return datetime.date(local.year, local.month, 1)

    return [{"month": key, "meetings": list(group)} for key, group in groupby(meetings, key=month)]


@login_required
def meeting_list(request):
    """Meetings per body: upcoming first (soonest first), then past (latest first), grouped by month; each
    list paged on its own (`?kommande=2`, `?tidigare=3`)."""
    user = request.user
    require(user, permissions.can_see_meetings)
    meetings = Meeting.objects.select_related("body", "agreement").annotate(item_count=Count("items"))
    visible = permissions.viewable_meetings_q(user)
    if visible is not None:
        meetings = meetings.filter(visible)
    if core.is_superuser(user):
        bodies = Body.objects.all()
    else:
        bodies = Body.objects.filter(agreement_id__in={g.agreement_id for g in core.grants(user)})
    bodies = list(bodies.select_related("agreement").order_by("agreement__name", "kind", "name"))
    selected = None
    body_param = request.GET.get("organ", "")
    if body_param.isdigit():
        selected = next((b for b in bodies if b.pk == int(body_param)), None)
        if selected is not None:
            meetings = meetings.filter(body=selected)
    now = timezone.now()
    upcoming = Paginator(meetings.filter(ends_at__gte=now).order_by("starts_at", "pk"), MEETINGS_PER_PAGE)
    past = Paginator(meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk"), MEETINGS_PER_PAGE)
    upcoming_page = upcoming.get_page(request.GET.get("kommande"))
    past_page = past.get_page(request.GET.get("tidigare"))
    return render(
        request,
        "governance/meeting_list.html",
        {
            "upcoming": _by_month(upcoming_page.object_list),
            "upcoming_page": upcoming_page,
            "past": _by_month(past_page.object_list),
            "past_page": past_page,
            "bodies": bodies,
            "selected": selected,
            "can_book": permissions.can_book_meeting(user),
            "show_agreement": len({b.agreement_id for b in bodies}) > 1,
        },
    )


@login_required
def my_meetings(request):
    """Mina möten: upcoming meetings of the member or presenter and what they must do."""
    require(request.user, permissions.can_see_meetings)
    rows = meeting_todos(request.user)
    return render(request, "governance/my_meetings.html", {"rows": rows})


# --- booking -----------------------------------------------------------------------------------------------


def _bookable_agreements(user):
    if core.is_superuser(user):
        return list(Agreement.objects.order_by("name"))
    ids = core.agreement_ids_with_role(user, Role.PROCESS_LEADER)
    return list(Agreement.objects.filter(pk__in=ids).order_by("name"))


@login_required
def meeting_create(request):
    """The processledare books a meeting (Samverkansmodellen: "genomför mötesbokningar")."""
    require(request.user, permissions.can_create_meeting)
    agreements = _bookable_agreements(request.user)
    wanted = request.GET.get("avtal", "")
    agreement = next((a for a in agreements if str(a.pk) == wanted), agreements[0])
    require(request.user, permissions.can_manage_meetings, agreement)
    bodies = services.ensure_bodies(agreement)
    form = MeetingForm(request.POST or None, agreement=agreement, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                agreement=agreement,
                by=request.user,
                kind=data["kind"],
                body=data["body"],
                title=data["title"].strip(),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"].strip(),
                video_link=data["video_link"],
                chair=data["chair"],
                secretary=data["secretary"],
                per_capsulam=data["per_capsulam"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Mötet är bokat. Lägg till punkter på dagordningen och skicka kallelsen.")
            )
            return redirect(meeting)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": form, "agreement": agreement, "agreements": agreements, "meeting": None},
    )


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(pk)
    require(request.user, permissions.can_edit_agenda, meeting)
    form = MeetingForm(
        request.POST or None,
        agreement=meeting.agreement,
        editing=True,
        kind=meeting.kind,
        initial=meeting_initial(meeting),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting,
                by=request.user,
                title=data["title"].strip(),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"].strip(),
                video_link=data["video_link"],
                chair=data["chair"],
                secretary=data["secretary"] or meeting.secretary,
                **({"per_capsulam": data["per_capsulam"]} if "per_capsulam" in form.fields else {}),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if (
                meeting.invitation_sent_at
                and form.has_changed()
                and {"starts_at", "ends_at"} & set(form.changed_data)
            ):
                messages.success(request, _("Mötet är ändrat. De kallade har fått den nya tiden."))
            else:
                messages.success(request, _("Mötet är ändrat."))
            return redirect(meeting)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": form, "agreement": meeting.agreement, "agreements": [], "meeting": meeting},
    )


# --- the meeting page --------------------------------------------------------------------------------------


def _agenda(meeting: Meeting):
    """The agenda with everything the page shows per item, in a constant number of queries."""
    items = list(
        meeting.items.select_related("proposal", "vote", "settled_by__meeting")
        .prefetch_related("presenters", "decisions")
        .annotate(
            submitted_count=Count(
                "assessments", filter=Q(assessments__submitted_at__isnull=False), distinct=True
            ),
            ballot_count=Count("vote__ballots", distinct=True),
        )
        .order_by("order", "pk")
    )
    # Time slots: an item without its own time follows the one before it.
    clock = timezone.localtime(meeting.starts_at, STOCKHOLM)
    for item in items:
        if item.settled_by_id:
            # Decided at another meeting: it stays under its § number, struck, and takes no time.
            item.slot = None
            item.assessed = False
            item.vote_or_none = None
            continue
        start = (
            datetime.datetime.combine(clock.date(), item.starts_at, tzinfo=STOCKHOLM)
            if item.starts_at
            else clock
        )
        end = start + datetime.timedelta(minutes=item.duration_minutes)
        item.slot = (start.time(), end.time())
        item.assessed = item.kind in ASSESSED_KINDS and meeting.is_review
        item.vote_or_none = getattr(item, "vote", None)
        clock = end
    return items


@login_required
def meeting_detail(request, pk):
    meeting = _viewable(request, pk)
    user = request.user
    seats = members_of(meeting)
    items = _agenda(meeting)
    is_member = permissions.is_member(user, meeting)
    mine = {}
    if is_member and meeting.is_review:
        mine = dict(
            Assessment.objects.filter(item__meeting=meeting, member=user).values_list(
                "item_id", "submitted_at"
            )
        )
    whole = permissions.sees_whole_meeting(user, meeting)
    for item in items:
        # "submitted", "draft" or "" (not started) – the member's own assessment of the item.
        item.my_assessment = ("submitted" if mine[item.pk] else "draft") if item.pk in mine else ""
        # A presenter sees the public agenda; only their own items open in full.
        item.visible = (
            whole or item.proposal_id is None or any(p.pk == user.pk for p in item.presenters.all())
        )
    can_edit = permissions.can_edit_agenda(user, meeting)
    can_manage = permissions.is_officer_of(user, meeting) or permissions.can_manage_meetings(
        user, meeting.agreement_id
    )
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "sees_whole_meeting": whole,
            "member_count": len(seats),
            "is_member": is_member,
            "can_edit": can_edit,
            "can_mark_held": can_manage and meeting.status in (MeetingStatus.PLANNED, MeetingStatus.INVITED),
            "can_keep_attendance": permissions.can_keep_attendance(user, meeting),
            "can_run_vote": permissions.can_run_vote(user, meeting),
            "minutes": _minutes_of(meeting),
        },
    )


# --- actions (POST only) -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request, pk):
    """GET: the form for a new agenda item – the meeting page loads it with htmx after the page (it lists
    every proposal that can be scheduled), a page of its own without JavaScript. POST: add the item."""
    meeting = _meeting(pk)
    require(request.user, permissions.can_edit_agenda, meeting)
    if request.method == "GET":
        template = "governance/_item_form.html" if request.htmx else "governance/item_add.html"
        return render(request, template, {"meeting": meeting, "item_form": ItemForm(meeting=meeting)})
    form = ItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(meeting)
    try:
        item = services.item_add(meeting=meeting, by=request.user, **form.service_kwargs())
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except ApplicationError as error:
        show_refusal(request, error)
    else:
        text = _("Punkten ”%(title)s” är tillagd på dagordningen.") % {"title": item.title}
        if item.meeting.invitation_sent_at:
            text += " " + _("En uppdaterad kallelse har skickats till ledamöter och föredragande.")
        messages.success(request, text)
    return redirect(meeting)


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    meeting = _meeting(pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.meeting = meeting
    require(request.user, permissions.can_edit_agenda, meeting)
    try:
        services.item_remove(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Punkten ”%(title)s” är borttagen.") % {"title": item.title})
    return redirect(meeting)


@login_required
@require_POST
def invitation_send(request, pk):
    meeting = _meeting(pk)
    require(request.user, permissions.can_edit_agenda, meeting)
    try:
        services.invitation_send(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Kallelsen är skickad till ledamöter och föredragande, med kalenderfil."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_held(request, pk):
    meeting = _meeting(pk)
    require(request.user, permissions.can_run_meeting, meeting)
    try:
        services.meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Mötet är markerat som genomfört."))
    return redirect(meeting)


@login_required
def meeting_ics(request, pk):
    """The meeting as a calendar file: the same UID and SEQUENCE as the kallelse, so importing it and
    receiving the invitation give one calendar entry."""
    meeting = _viewable(request, pk)
    response = HttpResponse(build_ics(meeting, method="PUBLISH"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


# --- attendance --------------------------------------------------------------------------------------------


@login_required
def attendance(request, pk):
    """The attendance register kept by the secretary: members per party, with status and note."""
    meeting = _viewable(request, pk)
    require(request.user, permissions.sees_whole_meeting, meeting)
    can_keep = permissions.can_keep_attendance(request.user, meeting)
    if request.method == "POST":
        require(request.user, permissions.can_keep_attendance, meeting)
    seats = members_of(meeting)
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    form = AttendanceForm(request.POST or None, seats=seats, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_set(
                meeting=meeting, by=request.user, statuses=form.statuses(), notes=form.notes()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Närvaron är sparad."))
            return redirect("governance:attendance", pk=meeting.pk)
    parties = {o.pk: o for o in Organisation.objects.filter(pk__in={s.party_id for s in seats})}
    rows = sorted(
        form.rows(), key=lambda r: (not parties[r[0].party_id].is_university, parties[r[0].party_id].name)
    )
    groups = [
        {"party": parties[party_id], "rows": list(group)}
        for party_id, group in groupby(rows, key=lambda r: r[0].party_id)
    ]
    return render(
        request,
        "governance/attendance.html",
        {"meeting": meeting, "form": form, "groups": groups, "can_keep": can_keep},
    )
