"""Meeting screens: booking, the agenda, kallelse with .ics, attendance, Mina möten – and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from applications.enums import ProposalState
from applications.models import ProposalTransition
from governance.enums import AttendanceStatus, Choice, ItemKind, MeetingKind, MeetingStatus, VoteStatus
from governance.models import AgendaItem, Assessment, Attendance, Ballot, Meeting, Minutes, Vote
from governance.views.meetings import MEETINGS_PER_PAGE
from samverkan import navigation
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    body_for,
    in_days,
    process_leader,
    review_member,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def municipality(agreement):
    return agreement.municipalities.get()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


@pytest.fixture
def members(agreement, municipality):
    """Two beredningsledamöter: one for the university, one for the municipality."""
    return [review_member(agreement), review_member(agreement, municipality)]


@pytest.fixture
def meeting(agreement, leader, members):
    return MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, secretary=leader)


@pytest.fixture
def submitted(agreement):
    return ProposalFactory(agreement=agreement, state=ProposalState.SUBMITTED)


def url(name, *args):
    return reverse(f"governance:{name}", args=args)


def ics_of(message) -> Calendar:
    [(filename, content, mimetype)] = message.attachments
    assert filename == "kallelse.ics"
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def event_of(message):
    return ics_of(message).walk("VEVENT")[0]


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- booking -----------------------------------------------------------------------------------------------


def test_meeting_create_by_process_leader_books_meeting_in_chosen_body(
    client, agreement, leader, municipality
):
    client.force_login(leader)
    body = body_for(agreement, MeetingKind.REVIEW, municipality)

    response = client.post(
        url("meeting_create"),
        {
            "kind": MeetingKind.REVIEW,
            "body": body.pk,
            "title": "Beredning Eskilstuna",
            "starts_at": "2026-03-10T13:00",
            "ends_at": "2026-03-10T15:30",
            "location": "Stadshuset",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert meeting.body == body
    assert meeting.secretary == leader
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "13:00"
    assert str(timezone.localtime(meeting.starts_at).tzinfo) == "Europe/Stockholm"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"location": ""}, "Ange plats eller videolänk."),
        ({"ends_at": "2026-03-10T12:00"}, "Mötet måste sluta efter att det börjar."),
        ({"kind": MeetingKind.STEERING, "body": "joint"}, "Mötestypen passar inte organet."),
        ({"kind": MeetingKind.REVIEW}, "Välj en beredningsgrupp för mötet."),
    ],
    ids=["no-place", "ends-before-start", "kind-body-mismatch", "beredning-without-group"],
)
def test_meeting_create_shows_service_message_and_books_nothing(client, agreement, leader, changes, message):
    client.force_login(leader)
    data = {
        "kind": MeetingKind.JOINT_REVIEW,
        "title": "Kommungemensam beredning",
        "starts_at": "2026-03-10T13:00",
        "ends_at": "2026-03-10T15:00",
        "location": "Västerås",
        **changes,
    }
    if data.get("body") == "joint":
        data["body"] = body_for(agreement, MeetingKind.JOINT_REVIEW).pk

    response = client.post(url("meeting_create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Något behöver rättas" in response.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_create_offers_the_agreements_bodies_and_people(client, agreement, leader, members):
    client.force_login(leader)

    response = client.get(url("meeting_create"))

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Styrgrupp", "Kommungemensam beredning", "Beredningsgrupp"):
        assert name in html
    assert 'type="datetime-local"' in html
    assert members[0].get_full_name() in html


def test_meeting_edit_by_member_of_another_body_is_refused(client, agreement, meeting):
    steering = steering_member(agreement)
    client.force_login(steering)

    response = client.post(url("meeting_edit", meeting.pk), {"title": "Kapad"})

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title != "Kapad"


# --- the agenda --------------------------------------------------------------------------------------------


def test_item_add_submitted_proposal_on_beredning_moves_it_to_in_review(client, leader, meeting, submitted):
    client.force_login(leader)

    response = client.post(url("item_add", meeting.pk), {"proposal": submitted.pk, "duration_minutes": 20})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ProposalState.IN_REVIEW
    item = meeting.items.get()
    assert item.kind == ItemKind.APPLICATION
    assert item.title == submitted.title
    assert set(item.presenters.all()) == {submitted.responsible_researcher, submitted.responsible_officer}
    assert ProposalTransition.objects.filter(proposal=submitted, transition="schedule_review").exists()


def test_item_add_proposal_in_wrong_state_is_refused_and_nothing_changes(
    client, leader, meeting, agreement, mailoutbox
):
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.APPLICATION)
    client.force_login(leader)

    response = client.post(
        url("item_add", meeting.pk), {"proposal": proposal.pk, "duration_minutes": 15}, follow=True
    )

    assert response.status_code == 200
    assert any("kan inte sättas på det här mötet" in m for m in page_messages(response))
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLICATION
    assert not AgendaItem.objects.exists()
    assert not ProposalTransition.objects.filter(proposal=proposal).exists()
    assert mailoutbox == []


def test_item_add_free_information_item(client, leader, meeting):
    client.force_login(leader)

    client.post(
        url("item_add", meeting.pk),
        {
            "title": "Workshop om effektmål",
            "kind": ItemKind.OTHER,
            "starts_at": "14:30",
            "duration_minutes": 30,
        },
    )

    item = meeting.items.get()
    assert (item.title, item.kind, item.starts_at) == (
        "Workshop om effektmål",
        ItemKind.OTHER,
        datetime.time(14, 30),
    )


def test_item_add_without_proposal_or_title_gives_swedish_message(client, leader, meeting):
    client.force_login(leader)

    response = client.post(url("item_add", meeting.pk), {"duration_minutes": 15}, follow=True)

    assert "Ange en rubrik för punkten." in page_messages(response)
    assert not meeting.items.exists()


def test_item_add_by_member_is_refused(client, meeting, members, submitted):
    client.force_login(members[0])

    response = client.post(url("item_add", meeting.pk), {"proposal": submitted.pk, "duration_minutes": 15})

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == ProposalState.SUBMITTED


def test_item_add_form_is_loaded_after_the_meeting_page(client, leader, meeting, submitted):
    """The form lists every proposal that can be scheduled – many in a large agreement – so the meeting page
    loads it with htmx after the page; without JavaScript it is a page of its own."""
    more = ProposalFactory.create_batch(5, agreement=meeting.agreement, state=ProposalState.SUBMITTED)
    client.force_login(leader)

    page = client.get(url("meeting_detail", meeting.pk)).content.decode()
    form = client.get(url("item_add", meeting.pk), headers={"HX-Request": "true"}).content.decode()
    full = client.get(url("item_add", meeting.pk)).content.decode()

    assert f'hx-get="{url("item_add", meeting.pk)}"' in page
    assert not any(escape(p.title) in page for p in [submitted, *more])
    assert form.lstrip().startswith("<form") and all(escape(p.title) in form for p in [submitted, *more])
    assert "<html" in full and "Lägg till på dagordningen" in full and escape(submitted.title) in full


def test_item_add_form_is_refused_to_a_member(client, meeting, members):
    client.force_login(members[0])

    assert client.get(url("item_add", meeting.pk)).status_code == 403


def test_item_remove_deletes_the_item(client, leader, meeting):
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(leader)

    response = client.post(url("item_remove", meeting.pk, item.pk))

    assert response.status_code == 302
    assert not meeting.items.exists()


def test_item_remove_of_item_from_another_meeting_is_404(client, agreement, leader, meeting):
    other = AgendaItemFactory(meeting=MeetingFactory(agreement=agreement, secretary=leader))
    client.force_login(leader)

    response = client.post(url("item_remove", meeting.pk, other.pk))

    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=other.pk).exists()


def test_item_remove_with_assessments_is_refused_with_message(client, leader, meeting, members):
    item = AgendaItemFactory(
        meeting=meeting, proposal=ProposalFactory(agreement=meeting.agreement, state="in_review")
    )
    Assessment.objects.create(
        item=item, member=members[0], party=meeting.agreement.university, perspective="research"
    )
    client.force_login(leader)

    response = client.post(url("item_remove", meeting.pk, item.pk), follow=True)

    assert any("kan inte tas bort" in m for m in page_messages(response))
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# --- kallelse and .ics -------------------------------------------------------------------------------------


def test_invitation_goes_to_members_and_presenters_with_ics(
    client, leader, meeting, members, submitted, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    steering = steering_member(agreement)
    client.force_login(leader)
    client.post(url("item_add", meeting.pk), {"proposal": submitted.pk, "duration_minutes": 15})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invitation_send", meeting.pk))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    recipients = {m.to[0] for m in mailoutbox}
    expected = {
        u.email for u in [*members, submitted.responsible_researcher, submitted.responsible_officer, leader]
    }
    assert recipients == expected
    assert steering.email not in recipients
    message = mailoutbox[0]
    assert message.subject.startswith(f"Kallelse: {meeting.title} ")
    assert submitted.title in message.body
    assert "13:00–13:15" in message.body or "15 min" in message.body
    event = event_of(message)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert str(event["UID"]) == f"{meeting.uid}@samverkan"
    assert int(event["SEQUENCE"]) == 0


def test_changed_time_sends_update_with_same_uid_and_higher_sequence(
    client, leader, meeting, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    client.post(url("item_add", meeting.pk), {"proposal": submitted.pk, "duration_minutes": 15})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invitation_send", meeting.pk))
    first_uid = str(event_of(mailoutbox[0])["UID"])
    mailoutbox.clear()
    later = timezone.localtime(meeting.starts_at) + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meeting_edit", meeting.pk),
            {
                "title": meeting.title,
                "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (later + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "location": meeting.location,
                "secretary": leader.pk,
            },
        )

    assert response.status_code == 302
    assert mailoutbox
    update = mailoutbox[0]
    assert update.subject.startswith("Ändrad tid:")
    event = event_of(update)
    assert str(event["UID"]) == first_uid
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART") == later


def test_invitation_with_empty_agenda_is_refused_and_nothing_sent(
    client, leader, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invitation_send", meeting.pk), follow=True)

    assert "Dagordningen är tom – lägg till punkter innan du kallar." in page_messages(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.invitation_sent_at is None
    assert mailoutbox == []


def test_meeting_ics_download_has_meeting_uid_and_sequence(client, meeting, members):
    client.force_login(members[0])

    response = client.get(url("meeting_ics", meeting.pk))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@samverkan"
    assert int(event["SEQUENCE"]) == meeting.ics_sequence
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"


def test_meeting_held_marks_status(client, leader, meeting):
    # From its start (issue 16: not before – see test_time_rules).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(leader)

    response = client.post(url("meeting_held", meeting.pk), follow=True)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert "Mötet är markerat som genomfört." in page_messages(response)


# --- permissions -------------------------------------------------------------------------------------------

GET_VIEWS = [
    "meeting_list",
    "my_meetings",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "attendance",
    "meeting_ics",
]
WITH_PK = {"meeting_detail", "meeting_edit", "attendance", "meeting_ics"}


def _get_url(name, meeting):
    return url(name, meeting.pk) if name in WITH_PK else url(name)


@pytest.mark.parametrize("name", GET_VIEWS)
def test_anonymous_is_sent_to_login(client, meeting, name):
    response = client.get(_get_url(name, meeting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", GET_VIEWS)
def test_unrelated_user_is_refused(client, meeting, name):
    client.force_login(UserFactory())

    assert client.get(_get_url(name, meeting)).status_code == 403


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("member", "meeting_detail", 200),
        ("member", "meeting_ics", 200),
        ("member", "attendance", 200),
        ("member", "meeting_list", 200),
        ("member", "my_meetings", 200),
        ("member", "meeting_edit", 403),
        ("member", "meeting_create", 403),
        ("other_body", "meeting_detail", 403),
        ("other_body", "meeting_edit", 403),
        ("other_body", "meeting_list", 200),
        ("researcher", "meeting_detail", 403),
        ("presenter", "meeting_detail", 200),
        ("presenter", "meeting_edit", 403),
        ("chair", "meeting_edit", 200),
        ("chair", "attendance", 200),
        ("secretary", "meeting_edit", 200),
        ("secretary", "meeting_detail", 200),
        ("leader", "meeting_edit", 200),
        ("leader", "meeting_create", 200),
        ("communicator", "meeting_detail", 200),
        ("communicator", "meeting_edit", 403),
    ],
)
def test_permission_matrix(client, agreement, meeting, members, leader, who, name, status):
    item = AgendaItemFactory(
        meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="in_review")
    )
    chair = review_member(agreement)
    meeting.chair = chair
    meeting.save()
    other_leader = process_leader(agreement)
    people = {
        "member": members[0],
        "other_body": steering_member(agreement),
        "researcher": person_with_role(agreement, Role.RESEARCHER),
        "presenter": item.proposal.responsible_researcher,
        "chair": chair,
        "secretary": leader,
        "leader": other_leader,
        "communicator": person_with_role(agreement, Role.COMMUNICATOR),
    }
    client.force_login(people[who])

    assert client.get(_get_url(name, meeting)).status_code == status


@pytest.mark.parametrize("name", ["invitation_send", "meeting_held", "item_remove"])
def test_post_only_views_refuse_get(client, leader, meeting, name):
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(leader)
    args = (meeting.pk, item.pk) if name == "item_remove" else (meeting.pk,)

    assert client.get(url(name, *args)).status_code == 405


@pytest.mark.parametrize("name", ["invitation_send", "meeting_held", "item_add"])
def test_post_views_refuse_members(client, meeting, members, name):
    AgendaItemFactory(meeting=meeting)
    client.force_login(members[0])

    assert client.post(url(name, meeting.pk)).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


@pytest.mark.parametrize(
    "name", ["meeting_detail", "meeting_edit", "attendance", "meeting_ics", "invitation_send"]
)
def test_unknown_meeting_is_404(client, leader, name):
    client.force_login(leader)

    method = client.post if name == "invitation_send" else client.get
    assert method(url(name, 999999)).status_code == 404


# --- attendance --------------------------------------------------------------------------------------------


def test_attendance_saves_status_and_note(client, leader, meeting, members):
    client.force_login(leader)
    uni, muni = members

    response = client.post(
        url("attendance", meeting.pk),
        {
            f"status_{uni.pk}": AttendanceStatus.PRESENT,
            f"note_{uni.pk}": "",
            f"status_{muni.pk}": AttendanceStatus.LATE,
            f"note_{muni.pk}": "Kom 13.20",
        },
    )

    assert response.status_code == 302
    rows = {a.member_id: (a.status, a.note) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {uni.pk: ("present", ""), muni.pk: ("late", "Kom 13.20")}


def test_attendance_bad_value_gives_swedish_message_and_saves_nothing(client, leader, meeting, members):
    client.force_login(leader)
    uni, muni = members

    response = client.post(
        url("attendance", meeting.pk),
        {f"status_{uni.pk}": "sovande", f"status_{muni.pk}": AttendanceStatus.PRESENT},
    )

    assert response.status_code == 200
    assert "Ogiltig närvarostatus" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_post_by_member_is_refused(client, meeting, members):
    client.force_login(members[0])

    response = client.post(
        url("attendance", meeting.pk), {f"status_{members[0].pk}": AttendanceStatus.ABSENT}
    )

    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_attendance_page_lists_members_per_party(client, leader, meeting, members, agreement, municipality):
    client.force_login(leader)

    html = client.get(url("attendance", meeting.pk)).content.decode()

    assert f"<caption>{agreement.university.name}</caption>" in html
    assert f"<caption>{municipality.name}</caption>" in html
    assert "Anlände sent" in html and "Lämnade mötet" in html


# --- the meeting page --------------------------------------------------------------------------------------


def _agenda_of(meeting, count):
    agreement = meeting.agreement
    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    state = "awaiting_decision" if meeting.is_steering else "in_review"
    for n in range(count):
        proposal = ProposalFactory(
            agreement=agreement, state=state, responsible_researcher=researcher, responsible_officer=officer
        )
        item = AgendaItemFactory(meeting=meeting, proposal=proposal)
        if meeting.is_steering and n % 2 == 0:
            vote = Vote.objects.create(item=item, status=VoteStatus.OPEN)
            member = steering_member(agreement)
            Ballot.objects.create(vote=vote, member=member, party=agreement.university, choice=Choice.YES)


def _queries_for(client, meeting) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("meeting_detail", meeting.pk))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", [MeetingKind.JOINT_REVIEW, MeetingKind.STEERING])
def test_meeting_page_query_count_does_not_grow_with_agenda(client, agreement, leader, members, kind):
    small = MeetingFactory(agreement=agreement, kind=kind, secretary=leader)
    large = MeetingFactory(agreement=agreement, kind=kind, secretary=leader)
    _agenda_of(small, 3)
    _agenda_of(large, 40)
    client.force_login(members[0] if kind != MeetingKind.STEERING else leader)
    client.get(url("meeting_detail", small.pk))  # warm caches (content types, session)

    assert _queries_for(client, small) == _queries_for(client, large)


def test_meeting_page_shows_agenda_with_slots_links_and_status(client, leader, meeting, members, submitted):
    item = AgendaItemFactory(meeting=meeting, proposal=submitted)
    AgendaItemFactory(meeting=meeting, title="Information från universitetet", duration_minutes=10)
    Assessment.objects.create(
        item=item,
        member=members[0],
        party=meeting.agreement.university,
        perspective="research",
        submitted_at=timezone.now(),
    )
    client.force_login(leader)

    html = client.get(url("meeting_detail", meeting.pk)).content.decode()

    assert item.get_absolute_url() in html
    assert "13:00–13:15" in html and "13:15–13:25" in html
    assert "Bedömningar: 1 av 2 inskickade" in html
    assert submitted.responsible_researcher.get_full_name() in html
    assert "Skicka kallelse" in html and "Markera som genomfört" in html
    assert url("minutes_detail", meeting.pk) in html
    assert url("attendance", meeting.pk) in html


def test_meeting_page_for_member_has_no_management_buttons(client, meeting, members):
    client.force_login(members[0])

    html = client.get(url("meeting_detail", meeting.pk)).content.decode()

    assert "Skicka kallelse" not in html
    assert "Lägg till punkt" not in html


def test_meeting_page_steering_links_chair_view_for_secretary(client, agreement, leader):
    steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, secretary=leader)
    client.force_login(leader)

    html = client.get(url("meeting_detail", steering.pk)).content.decode()

    assert url("chair_view", steering.pk) in html


# --- lists, Mina möten, start page, proposal panel ---------------------------------------------------------


def test_meeting_list_upcoming_first_then_past_with_book_button_for_leader(
    client, agreement, leader, meeting
):
    past = MeetingFactory(agreement=agreement, starts_at=in_days(-30), title="Gammal beredning")
    client.force_login(leader)

    html = client.get(url("meeting_list")).content.decode()

    assert html.index(meeting.title) < html.index("Tidigare möten") < html.index(past.title)
    assert "Boka möte" in html


def test_meeting_list_filters_by_body_and_hides_other_bodies_from_members(
    client, agreement, meeting, members
):
    steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, title="Styrgruppsmöte")
    client.force_login(members[0])

    html = client.get(url("meeting_list")).content.decode()
    filtered = client.get(url("meeting_list"), {"organ": steering.body_id}).content.decode()

    assert meeting.title in html
    assert "Styrgruppsmöte" not in html
    assert "Boka möte" not in html
    assert meeting.title not in filtered


def test_meeting_list_pages_each_list_on_its_own_and_keeps_the_filter(
    client, agreement, leader, meeting, django_assert_max_num_queries
):
    for n in range(MEETINGS_PER_PAGE + 2):
        MeetingFactory(
            agreement=agreement, body=meeting.body, starts_at=in_days(-10 - n), title=f"Beredning {n:02d}"
        )
    client.force_login(leader)

    with django_assert_max_num_queries(12):
        first = client.get(url("meeting_list"), {"organ": meeting.body_id}).content.decode()
    second = client.get(url("meeting_list"), {"organ": meeting.body_id, "tidigare": 2}).content.decode()

    assert "Beredning 00" in first and f"Beredning {MEETINGS_PER_PAGE - 1}" in first
    assert f"Beredning {MEETINGS_PER_PAGE}" not in first
    assert "Sida 1 av 2" in first
    assert f"?organ={meeting.body_id}&amp;tidigare=2" in first
    assert f"Beredning {MEETINGS_PER_PAGE + 1}" in second and "Beredning 00" not in second
    assert meeting.title in first and meeting.title in second  # the upcoming list is on its own page 1


def test_meeting_list_with_a_page_number_out_of_range_shows_the_last_page(client, agreement, leader, meeting):
    client.force_login(leader)

    response = client.get(url("meeting_list"), {"tidigare": "999", "kommande": "x"})

    assert response.status_code == 200
    assert meeting.title in response.content.decode()


def test_my_meetings_shows_what_the_member_must_do(client, agreement, meeting, members):
    one = AgendaItemFactory(meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="in_review"))
    AgendaItemFactory(meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="in_review"))
    AgendaItemFactory(meeting=meeting)  # information: nothing to assess
    Assessment.objects.create(
        item=one,
        member=members[0],
        party=agreement.university,
        perspective="research",
        submitted_at=timezone.now(),
    )
    client.force_login(members[0])

    html = client.get(url("my_meetings")).content.decode()

    assert meeting.title in html
    assert "Bedöm 1 ansökan" in html


def test_my_meetings_counts_open_votes_not_yet_cast_nor_recused(client, agreement):
    member = steering_member(agreement)
    steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING)
    votes = []
    for _ in range(3):
        item = AgendaItemFactory(
            meeting=steering, proposal=ProposalFactory(agreement=agreement, state="awaiting_decision")
        )
        votes.append(Vote.objects.create(item=item, status=VoteStatus.OPEN))
    Ballot.objects.create(vote=votes[0], member=member, party=agreement.university, choice=Choice.NO)
    votes[1].recusals.create(item=votes[1].item, member=member, reason="Jävig")
    client.force_login(member)

    html = client.get(url("my_meetings")).content.decode()

    assert "Rösta i 1 punkt" in html


def test_my_meetings_asks_chair_and_adjuster_to_approve_minutes(client, agreement, leader):
    chair, adjuster = steering_member(agreement), steering_member(agreement)
    held = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        chair=chair,
        starts_at=in_days(-2),
        status=MeetingStatus.HELD,
    )
    Minutes.objects.create(meeting=held, adjuster=adjuster, chair_approved_at=timezone.now())

    client.force_login(adjuster)
    adjuster_html = client.get(url("my_meetings")).content.decode()
    client.force_login(chair)
    chair_html = client.get(url("my_meetings")).content.decode()

    assert "Justera protokollet" in adjuster_html
    assert "Justera protokollet" not in chair_html  # the chair has already approved


def test_my_meetings_for_presenter_lists_the_meeting(client, agreement, meeting, submitted):
    AgendaItemFactory(meeting=meeting, proposal=submitted)
    client.force_login(submitted.responsible_officer)

    html = client.get(url("my_meetings")).content.decode()

    assert meeting.title in html
    assert "Föredragande" in html


def test_my_meetings_query_count_does_not_grow_with_meetings(client, agreement, members):
    member = members[0]

    def build(n):
        for _ in range(n):
            m = MeetingFactory(agreement=agreement)
            AgendaItemFactory(meeting=m, proposal=ProposalFactory(agreement=agreement, state="in_review"))
            steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING)
            item = AgendaItemFactory(
                meeting=steering, proposal=ProposalFactory(agreement=agreement, state="awaiting_decision")
            )
            Vote.objects.create(item=item, status=VoteStatus.OPEN)

    client.force_login(member)
    build(1)
    client.get(url("my_meetings"))
    with CaptureQueriesContext(connection) as one:
        client.get(url("my_meetings"))
    build(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("my_meetings"))

    assert response.content.decode().count("Bedöm 1 ansökan") == 7
    assert len(one) == len(many)


def test_start_page_shows_meeting_todos(client, agreement, meeting, members):
    AgendaItemFactory(meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="in_review"))
    client.force_login(members[1])

    html = client.get(reverse("start")).content.decode()

    assert "<h3>Möten</h3>" in html
    assert "Bedöm 1 ansökan" in html


def test_start_page_without_todos_has_no_meeting_section(client, meeting, members):
    client.force_login(members[1])

    html = client.get(reverse("start")).content.decode()

    assert "<h3>Möten</h3>" not in html


def test_proposal_page_panel_shows_meeting_and_outcome(client, agreement, leader, meeting, submitted):
    item = AgendaItemFactory(meeting=meeting, proposal=submitted)
    AgendaItem.objects.filter(pk=item.pk).update(outcome="forward", outcome_motivation="Stark forskningshöjd")
    client.force_login(leader)

    html = client.get(submitted.get_absolute_url()).content.decode()

    assert "Beredning och beslut" in html
    assert meeting.get_absolute_url() in html
    assert "Stark forskningshöjd" in html


@pytest.mark.parametrize(
    ("who", "visible"),
    [("member", True), ("leader", True), ("researcher", False), ("presenter", True), ("signatory", False)],
)
def test_navigation_shows_meetings_to_the_right_people(agreement, meeting, members, leader, who, visible):
    item = AgendaItemFactory(
        meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="in_review")
    )
    user = {
        "member": members[0],
        "leader": leader,
        "researcher": person_with_role(agreement, Role.RESEARCHER),
        "presenter": item.proposal.responsible_researcher,
        "signatory": person_with_role(agreement, Role.SIGNATORY),
    }[who]

    labels = [entry["label"] for entry in navigation.items_for(user)]

    assert ("Möten" in labels) is visible
