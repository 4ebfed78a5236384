import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from followup import services
from followup.models import DisseminationEvent, Presentation
from tests.factories.followup import STOCKHOLM, DisseminationEventFactory, quarter_day


def when(month, day=20, hour=13):
    return datetime.datetime(2027, month, day, hour, tzinfo=STOCKHOLM)


@pytest.mark.parametrize("month", [5, 11])
def test_event_in_quarter_2_or_4_is_created(project, communicator, month):
    event = services.event_create(
        agreement=project.agreement,
        by=communicator,
        title="Resultatspridning",
        starts_at=when(month),
        ends_at=when(month, hour=16),
        location="Västerås, Aros Congress Center",
    )
    assert event.quarter in (2, 4)


@pytest.mark.parametrize("month", [2, 8])
def test_event_outside_quarter_2_and_4_is_refused(project, communicator, month):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            agreement=project.agreement,
            by=communicator,
            title="Resultatspridning",
            starts_at=when(month),
            ends_at=when(month, hour=16),
            location="Västerås",
        )
    assert error.value.message_dict["starts_at"] == [
        "Resultatspridningstillfällen hålls under kvartal 2 (april–juni) och kvartal 4 (oktober–december)."
    ]
    assert not DisseminationEvent.objects.exists()


@pytest.mark.parametrize(
    "who, allowed", [("communicator", True), ("leader", True), ("researcher", False), ("outsider", False)]
)
def test_who_may_arrange_events(request, project, who, allowed):
    user = request.getfixturevalue(who)
    create = lambda: services.event_create(  # noqa: E731
        agreement=project.agreement,
        by=user,
        title="Resultatspridning",
        starts_at=when(5),
        ends_at=when(5, hour=16),
        location="Eskilstuna",
    )
    if allowed:
        assert create().pk
    else:
        with pytest.raises(PermissionDenied):
            create()
        assert not DisseminationEvent.objects.exists()


def test_event_form_shows_swedish_error(client, project, communicator):
    client.force_login(communicator)
    response = client.post(
        reverse("followup:event_create"),
        {
            "title": "Spridning",
            "starts_at": "2027-02-10T13:00",
            "ends_at": "2027-02-10T16:00",
            "location": "Eskilstuna",
        },
    )
    assert response.status_code == 200
    assert "kvartal 2 (april–juni)" in response.content.decode()
    assert not DisseminationEvent.objects.exists()


def test_public_listing_shows_upcoming_public_events_with_programme_without_login(client, project):
    event = DisseminationEventFactory(agreement=project.agreement, title="Forskning möter kommun")
    DisseminationEventFactory(agreement=project.agreement, title="Internt tillfälle", is_public=False)
    DisseminationEventFactory(
        agreement=project.agreement,
        title="Förra året",
        starts_at=quarter_day(2, year=datetime.date.today().year - 1),
    )
    Presentation.objects.create(
        event=event,
        proposal=project,
        title="Barnens hälsa",
        presenter=project.responsible_researcher,
        registered_by=project.responsible_researcher,
        order=1,
    )

    page = client.get(reverse("followup:events_public")).content.decode()

    assert "Forskning möter kommun" in page and "Barnens hälsa" in page
    assert "Internt tillfälle" not in page and "Förra året" not in page


def test_ics_for_an_event(client, project):
    event = DisseminationEventFactory(agreement=project.agreement, title="Forskning möter kommun")
    response = client.get(reverse("followup:event_ics", args=[event.uid]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    entry = next(c for c in calendar.walk("VEVENT"))
    assert str(entry["summary"]) == "Forskning möter kommun"
    assert str(entry["uid"]) == f"{event.uid}@samverkan"


def test_unpublished_event_is_not_public(client, project):
    event = DisseminationEventFactory(agreement=project.agreement, is_public=False)
    assert client.get(reverse("followup:event_public", args=[event.uid])).status_code == 404
    assert client.get(reverse("followup:event_ics", args=[event.uid])).status_code == 404


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("researcher", 403), ("communicator", 200), ("leader", 200)]
)
def test_event_admin_list_permission(request, client, project, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("followup:event_list")).status_code == status
